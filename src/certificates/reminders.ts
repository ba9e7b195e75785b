/**
 * Renewal reminders as an iCalendar file: for each certificate, the day of the one-month alert and
 * the day it expires ("Cycle de vie": valid 3 years, alert one month before). All-day events,
 * stable UIDs. DTSTAMP is the time of writing (SOURCE_DATE_EPOCH fixes it), and SEQUENCE is derived from it,
 * so that a calendar that imported an earlier file takes a regenerated event as an update (see
 * {@link calendarSequence}): the same inputs at the same time give the same file.
 */
import { createHash } from "node:crypto";
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventTransparency } from "ical-generator";
import type { Answers } from "../answers/types.js";
import { commonNameOf, deduceProfile, renewalAlertDate } from "./checks.js";
import type { x509 } from "./crypto.js";
import { addYearsUtc, frenchCalendarDay, frenchDateTime, isoDay, parisCalendarDay } from "./dates.js";
import { type CertificateProfile, CLIENT_SERVICE_NAME, PROFILES, VALIDITY_YEARS } from "./profile.js";
import { certificateTexts, renderText } from "./text.js";

export interface ReminderSubject {
  establishment: string;
  profile: CertificateProfile;
  /** Client_Diapason_PSP or the server's FQDN. */
  serviceName: string;
  /** When the certificate stops being valid (exact for an issued one, expected otherwise). */
  expiry: Date;
  status: "issued" | "expected";
  /** Seed of the events' UIDs: the certificate's fingerprint, or the dossier and order date. */
  key: string;
  serialNumber?: string;
  orderDate?: Date;
  /** People to act, e.g. "Élodie Lefèvre (elodie.lefevre@ch-ville.fr)". */
  contacts: string[];
}

export type ReminderKind = "alert" | "expiry";

export interface ReminderEvent {
  uid: string;
  kind: ReminderKind;
  /** Calendar day, as UTC midnight. */
  day: Date;
  summary: string;
  description: string;
}

const UID_DOMAIN = "diapason-dossier";

/** The expected expiry of a certificate ordered on `orderDate` (3 years, "Cycle de vie"). */
export function expectedExpiry(orderDate: Date): Date {
  return addYearsUtc(orderDate, VALIDITY_YEARS);
}

function technicalAdministrators(answers: Answers): string[] {
  return answers.designees
    .filter((designee) => designee.role === "technicalAdministrator")
    .map((designee) => `${designee.firstName} ${designee.lastName} (${designee.email})`);
}

/** Both certificates of a dossier not yet ordered, from the day they will be ordered. */
export function expectedReminderSubjects(
  answers: Answers,
  orderDate: Date,
  dossierKey: string,
): ReminderSubject[] {
  return PROFILES.map((profile) => ({
    establishment: answers.establishment.name,
    profile,
    serviceName: profile === "ORG_AUTH_CLI" ? CLIENT_SERVICE_NAME : answers.gap.fqdn,
    expiry: expectedExpiry(orderDate),
    status: "expected" as const,
    key: `${dossierKey}|${profile}|${isoDay(orderDate)}`,
    orderDate,
    contacts: technicalAdministrators(answers),
  }));
}

/** An issued certificate; undefined when its profile cannot be told (neither client nor server). */
export function certificateReminderSubject(
  certificate: x509.X509Certificate,
  fingerprint: string,
  profile: CertificateProfile | undefined = deduceProfile(certificate),
): ReminderSubject | undefined {
  if (profile === undefined) return undefined;
  return {
    establishment: certificate.subjectName.getField("O")[0] ?? certificate.subject,
    profile,
    serviceName: commonNameOf(certificate) ?? "",
    expiry: certificate.notAfter,
    status: "issued",
    key: fingerprint,
    serialNumber: certificate.serialNumber.toUpperCase(),
    contacts: [],
  };
}

function uid(subject: ReminderSubject, kind: ReminderKind): string {
  const hash = createHash("sha256").update(`${subject.key}|${kind}`).digest("hex").slice(0, 32);
  return `${hash}@${UID_DOMAIN}`;
}

export function reminderEvents(subjects: readonly ReminderSubject[]): ReminderEvent[] {
  const events = new Map<string, ReminderEvent>();
  for (const subject of subjects) {
    const expiryDay = parisCalendarDay(subject.expiry);
    const alertDay = renewalAlertDate(expiryDay);
    const data = {
      establishment: subject.establishment,
      profileLabel: certificateTexts().profiles[subject.profile](),
      profile: subject.profile,
      serviceName: subject.serviceName,
      server: subject.profile === "SSL_SERVEUR",
      expected: subject.status === "expected",
      expiry: subject.status === "issued" ? frenchDateTime(subject.expiry) : frenchCalendarDay(expiryDay),
      alertDay: frenchCalendarDay(alertDay),
      orderDate: subject.orderDate ? frenchCalendarDay(subject.orderDate) : null,
      serialNumber: subject.serialNumber ?? null,
      contacts: subject.contacts.length > 0 ? subject.contacts.join(", ") : null,
    };
    for (const [kind, day] of [
      ["alert", alertDay],
      ["expiry", expiryDay],
    ] as const) {
      const id = uid(subject, kind);
      events.set(id, {
        uid: id,
        kind,
        day,
        summary: renderText(`reminder-${kind}-summary`, data).trim(),
        description: renderText(`reminder-${kind}`, data).trim(),
      });
    }
  }
  return [...events.values()].sort((a, b) => a.day.getTime() - b.day.getTime() || a.uid.localeCompare(b.uid));
}

const DAY_MS = 86_400_000;

/** Origin of the SEQUENCE numbers: 2026-01-01T00:00:00Z. */
const SEQUENCE_ORIGIN_MS = Date.UTC(2026, 0, 1);

/**
 * SEQUENCE of the events of a calendar written at `written`: the whole seconds elapsed since 2026-01-01 (UTC),
 * 0 before. Stateless and deterministic: no earlier file is needed, a later writing always has a greater
 * number (calendars replace an event when its SEQUENCE grows), the same SOURCE_DATE_EPOCH gives the same
 * number, and it stays within the signed 32 bits calendars store until 2094.
 */
export function calendarSequence(written: Date): number {
  return Math.max(0, Math.floor((written.getTime() - SEQUENCE_ORIGIN_MS) / 1000));
}

/**
 * VCALENDAR 2.0, METHOD:PUBLISH, all-day events with a reminder the day before at 9:00; DTSTAMP is `written`,
 * the time the file is written. Every line, the last included, ends with CRLF (RFC 5545 §3.1).
 */
export function renderCalendar(events: readonly ReminderEvent[], written: Date): string {
  const calendar = ical({
    prodId: { company: "diapason-dossier", product: "rappels-certificats", language: "FR" },
    method: ICalCalendarMethod.PUBLISH,
    name: certificateTexts().calendar.name(),
  });
  for (const event of events) {
    calendar.createEvent({
      id: event.uid,
      start: event.day,
      end: new Date(event.day.getTime() + DAY_MS),
      allDay: true,
      stamp: written,
      sequence: calendarSequence(written),
      summary: event.summary,
      description: event.description,
      transparency: ICalEventTransparency.TRANSPARENT,
      alarms: [{ type: ICalAlarmType.display, trigger: 15 * 3600, description: event.summary }],
    });
  }
  const text = calendar.toString();
  return text.endsWith("\r\n") ? text : `${text}\r\n`;
}
