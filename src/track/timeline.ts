import { parseIsoDate } from "../certificates/dates.js";
import type { RegisterDeps } from "./register.js";
import { frenchDay } from "./render.js";
import { daysFrom } from "./state.js";
import type { ListFilter, TimelineRow } from "./store/store.js";
import { message, type TrackTexts } from "./texts.js";

/**
 * The timeline of certificate expiries across the register: every certificate in service, placed by its expiry
 * day, with the renewal day recorded with it (never recomputed here), grouped by month, or by quarter when the
 * span is long. A replaced or revoked certificate has nothing left to renew: it is counted, not placed. The
 * grouping is pure (the day is passed in); `certificateTimeline` reads the register's certificates in one query.
 */

/** « à renouveler dans les 30 jours »: a renewal day at most this many days ahead. */
export const RENEWAL_SOON_DAYS = 30;
/** Past this many months from the first expiry to the last (today included), the timeline counts quarters. */
export const MONTHS_BEFORE_QUARTERS = 24;

export const EXPIRY_STATES = ["expired", "overdue", "soon", "later"] as const;
/** expired: past its expiry; overdue: renewal day passed; soon: renewal within RENEWAL_SOON_DAYS; later. */
export type ExpiryState = (typeof EXPIRY_STATES)[number];

export interface ExpiryEntry {
  finessEG: string;
  name: string;
  profile: string;
  serialNumber: string;
  commonName: string;
  /** Calendar days YYYY-MM-DD. */
  expiry: string;
  renewal: string;
  /** Days from today to the expiry (negative once expired). */
  daysLeft: number;
  state: ExpiryState;
}

export interface ExpiryPeriod {
  /** `2026-04` (a month) or `2026-T2` (a quarter). */
  key: string;
  /** First and last day of the period. */
  from: string;
  to: string;
  entries: ExpiryEntry[];
  counts: Record<ExpiryState, number>;
  /** Today falls in this period (it is there, even without an expiry, when the timeline has any). */
  today: boolean;
}

export interface ExpiryTimeline {
  today: string;
  unit: "month" | "quarter";
  periods: ExpiryPeriod[];
  /** Certificates in service, placed on the timeline. */
  total: number;
  counts: Record<ExpiryState, number>;
  /** Replaced or revoked certificates, not placed. */
  retired: number;
}

export function expiryState(expiry: string, renewal: string, today: string): ExpiryState {
  if (expiry < today) return "expired";
  if (renewal < today) return "overdue";
  return daysFrom(today, renewal) <= RENEWAL_SOON_DAYS ? "soon" : "later";
}

/** Code-point order: days, FINESS and profiles are ASCII (localeCompare would cost a collation per call). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const noCounts = (): Record<ExpiryState, number> => ({ expired: 0, overdue: 0, soon: 0, later: 0 });

function monthIndex(day: string): number {
  return Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
}

function dayOf(year: number, month: number, date: number): string {
  return new Date(Date.UTC(year, month, date)).toISOString().slice(0, 10);
}

/** `2026-04` or `2026-T2`: read off the day's text (this runs once per certificate). */
function periodKey(day: string, unit: ExpiryTimeline["unit"]): string {
  const month = day.slice(0, 7);
  return unit === "month" ? month : `${day.slice(0, 4)}-T${Math.floor((Number(day.slice(5, 7)) + 2) / 3)}`;
}

function periodBounds(key: string): { from: string; to: string } {
  const year = Number(key.slice(0, 4));
  const quarter = /-T(\d)$/.exec(key);
  const first = quarter ? (Number(quarter[1]) - 1) * 3 : Number(key.slice(5, 7)) - 1;
  const months = quarter ? 3 : 1;
  return { from: dayOf(year, first, 1), to: dayOf(year, first + months, 0) };
}

/** The timeline of the certificates given (the register's, in expiry order; any order is sorted). */
export function expiryTimeline(certificates: readonly TimelineRow[], today: string): ExpiryTimeline {
  const entries: ExpiryEntry[] = [];
  const todayTime = Date.parse(`${today}T00:00:00Z`);
  let retired = 0;
  for (const c of certificates) {
    if (c.status !== "inService") {
      retired += 1;
      continue;
    }
    entries.push({
      finessEG: c.finessEG,
      name: c.name,
      profile: c.profile,
      serialNumber: c.serialNumber,
      commonName: c.commonName,
      expiry: c.expiry,
      renewal: c.renewal,
      daysLeft: Math.round((Date.parse(`${c.expiry}T00:00:00Z`) - todayTime) / 86_400_000),
      state: expiryState(c.expiry, c.renewal, today),
    });
  }
  entries.sort(
    (a, b) => compare(a.expiry, b.expiry) || compare(a.finessEG, b.finessEG) || compare(a.profile, b.profile),
  );
  const counts = noCounts();
  for (const e of entries) counts[e.state] += 1;
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) return { today, unit: "month", periods: [], total: 0, counts, retired };
  const start = first.expiry < today ? first.expiry : today;
  const end = last.expiry > today ? last.expiry : today;
  const unit = monthIndex(end) - monthIndex(start) + 1 > MONTHS_BEFORE_QUARTERS ? "quarter" : "month";
  const periods = new Map<string, ExpiryPeriod>();
  const periodFor = (day: string) => {
    const key = periodKey(day, unit);
    let period = periods.get(key);
    if (!period) {
      period = { key, ...periodBounds(key), entries: [], counts: noCounts(), today: false };
      periods.set(key, period);
    }
    return period;
  };
  periodFor(today).today = true;
  for (const e of entries) {
    const period = periodFor(e.expiry);
    period.entries.push(e);
    period.counts[e.state] += 1;
  }
  return {
    today,
    unit,
    periods: [...periods.values()].sort((a, b) => compare(a.from, b.from)),
    total: entries.length,
    counts,
    retired,
  };
}

/** The register's timeline for the establishments the filter keeps: one query of their certificates. */
export async function certificateTimeline(
  deps: RegisterDeps,
  filter: ListFilter,
  today: string,
): Promise<ExpiryTimeline> {
  return expiryTimeline(await deps.store.read((q) => q.timelineRows(filter)), today);
}

// ——— In French, for the page and the terminal ———

export function periodLabel(period: Pick<ExpiryPeriod, "key" | "from">, texts: TrackTexts): string {
  const t = texts.timeline;
  const quarter = /^(\d{4})-T(\d)$/.exec(period.key);
  if (quarter) return message(t, `quarter${quarter[2]}`, { year: quarter[1] ?? "" });
  const date = parseIsoDate(period.from);
  const month = date
    ? new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC", month: "long", year: "numeric" }).format(date)
    : period.key;
  return month.charAt(0).toUpperCase() + month.slice(1);
}

/** « 2 expiré(s), 1 à renouveler dans les 30 jours » (the states present only). */
export function countsText(counts: Record<ExpiryState, number>, texts: TrackTexts): string {
  return EXPIRY_STATES.filter((s) => counts[s] > 0)
    .map((s) => message(texts.timeline, `count-${s}`, { count: counts[s], days: RENEWAL_SOON_DAYS }))
    .join(", ");
}

export function stateLabel(state: ExpiryState, texts: TrackTexts): string {
  return message(texts.timeline, `state-${state}`, { days: RENEWAL_SOON_DAYS });
}

function leftText(daysLeft: number, texts: TrackTexts): string {
  const t = texts.timeline;
  if (daysLeft === 0) return message(t, "leftToday");
  return daysLeft > 0
    ? message(t, "leftDays", { days: daysLeft })
    : message(t, "leftPast", { days: -daysLeft });
}

export function entryJson(entry: ExpiryEntry, texts: TrackTexts) {
  return {
    ...entry,
    expiryLabel: frenchDay(entry.expiry),
    renewalLabel: frenchDay(entry.renewal),
    stateLabel: stateLabel(entry.state, texts),
    detail: message(texts.timeline, "detail", {
      profile: entry.profile,
      serial: entry.serialNumber,
      renewal: frenchDay(entry.renewal),
      left: leftText(entry.daysLeft, texts),
    }),
  };
}

/** One period's entries from `offset`, at most `limit`, and what is left to show. */
export function periodPage(period: ExpiryPeriod, offset: number, limit: number, texts: TrackTexts) {
  const entries = period.entries.slice(offset, offset + limit);
  const remaining = period.entries.length - offset - entries.length;
  return {
    key: period.key,
    offset,
    entries: entries.map((e) => entryJson(e, texts)),
    remaining,
    ...(remaining > 0
      ? {
          moreLabel: message(texts.timeline, "more", {
            count: Math.min(limit, remaining),
            remaining,
            period: periodLabel(period, texts),
          }),
        }
      : {}),
  };
}

/** The timeline for the page: every period with its counts and its first `preview` entries. */
export function timelineJson(
  timeline: ExpiryTimeline,
  filtered: boolean,
  preview: number,
  texts: TrackTexts,
) {
  const t = texts.timeline;
  return {
    today: timeline.today,
    todayLabel: message(t, "today", { day: frenchDay(timeline.today) }),
    unit: timeline.unit,
    total: timeline.total,
    counts: timeline.counts,
    retired: timeline.retired,
    summary:
      timeline.total === 0
        ? message(t, filtered ? "emptyFiltered" : "empty")
        : message(t, "summary", { total: timeline.total, counts: countsText(timeline.counts, texts) }),
    ...(timeline.retired > 0 ? { retiredText: message(t, "retired", { count: timeline.retired }) } : {}),
    periods: timeline.periods.map((p) => ({
      ...periodPage(p, 0, preview, texts),
      label: periodLabel(p, texts),
      from: p.from,
      to: p.to,
      today: p.today,
      count: p.entries.length,
      counts: p.counts,
      countLabel: message(t, "periodCount", { count: p.entries.length }),
      countsText: countsText(p.counts, texts),
    })),
  };
}

/** The timeline for the terminal: a heading per period, one line per certificate, today's line in its place. */
export function timelineText(timeline: ExpiryTimeline, filtered: boolean, texts: TrackTexts): string {
  const t = texts.timeline;
  const today = message(t, "textToday", { day: frenchDay(timeline.today) });
  if (timeline.total === 0) return `${message(t, filtered ? "emptyFiltered" : "empty")}\n`;
  const lines = [
    message(t, "summary", { total: timeline.total, counts: countsText(timeline.counts, texts) }),
  ];
  if (timeline.retired > 0) lines.push(message(t, "retired", { count: timeline.retired }));
  for (const period of timeline.periods) {
    lines.push(
      "",
      message(t, "textPeriod", {
        label: periodLabel(period, texts),
        count: message(t, "periodCount", { count: period.entries.length }),
      }),
    );
    let todayShown = !period.today;
    for (const entry of period.entries) {
      if (!todayShown && entry.expiry >= timeline.today) {
        lines.push(today);
        todayShown = true;
      }
      const e = entryJson(entry, texts);
      lines.push(
        message(t, "textLine", {
          expiry: e.expiryLabel,
          state: e.stateLabel,
          name: e.name,
          finess: e.finessEG,
          detail: e.detail,
        }),
      );
    }
    if (!todayShown) lines.push(today);
  }
  return `${lines.join("\n")}\n`;
}
