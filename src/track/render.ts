import { frenchCalendarDay, frenchDateTime, parseIsoDate } from "../certificates/dates.js";
import type { EstablishmentView } from "./register.js";
import { daysFrom, sinceText, waitingText } from "./state.js";
import type { ListedEstablishment } from "./store/store.js";
import { fill, message, type TrackTexts } from "./texts.js";
import type { TrackEvent } from "./types.js";

/** The register as French text for the terminal. Pure: the day is passed in. */

export function frenchDay(day: string | null): string {
  if (day === null) return "";
  const date = parseIsoDate(day);
  return date ? frenchCalendarDay(date) : day;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

export function listText(
  rows: readonly ListedEstablishment[],
  total: number,
  offset: number,
  today: string,
  texts: TrackTexts,
): string {
  if (total === 0) return `${texts.messages.emptyList}\n`;
  const c = texts.columns;
  // The GHT column only when a listed establishment names one: a register without GHT keeps its width.
  const ght = rows.some((row) => row.ght !== null);
  const line = (cells: (string | false)[]) => cells.filter((x) => x !== false).join("  ");
  const lines = [
    line([
      cut(c.finessEG ?? "", 9),
      cut(c.name ?? "", 30),
      ght && cut(c.ght ?? "", 24),
      cut(c.phase ?? "", 22),
      cut(c.actor ?? "", 26),
      c.nextAction ?? "",
    ]),
  ];
  for (const row of rows) {
    const next = waitingText(row, today, texts) || row.nextAction;
    lines.push(
      line([
        cut(row.finessEG, 9),
        cut(row.name, 30),
        ght && cut(row.ght ?? "", 24),
        cut(texts.phases[row.phase] ?? row.phase, 22),
        cut(row.actor, 26),
        next,
      ]),
    );
  }
  lines.push(
    message(texts.messages, "listFooter", {
      from: rows.length === 0 ? 0 : offset + 1,
      to: offset + rows.length,
      total,
    }),
  );
  return `${lines.join("\n")}\n`;
}

function describeEvent(event: TrackEvent, view: EstablishmentView, texts: TrackTexts): string {
  const h = texts.history;
  const step = view.plan.steps.find((s) => s.id === event.target);
  const awaited = view.plan.awaited.find((a) => a.id === event.target);
  const after = event.after ? (JSON.parse(event.after) as Record<string, unknown>) : {};
  const before = event.before ? (JSON.parse(event.before) as Record<string, unknown>) : {};
  let what: string;
  switch (event.kind) {
    case "registered":
      what = message(h, "registered", { dossier: String(after.dossier ?? "") });
      break;
    case "replanned": {
      const changes = Array.isArray(after.changes) ? (after.changes as string[]) : [];
      what = message(h, "replanned", {
        changes: changes.length > 0 ? changes.join(" ; ") : (h.noChange ?? ""),
      });
      break;
    }
    case "done":
      what = message(h, "done", {
        step: step ? message(h, "step", { number: step.number, action: step.action }) : event.target,
        day: frenchDay(event.day),
      });
      if (typeof after.forced === "string") what += message(h, "forced", { reason: after.forced });
      break;
    case "received":
      what = message(h, "received", { label: awaited?.label ?? event.target, day: frenchDay(event.day) });
      break;
    case "certificate":
      what = message(h, "certificate", {
        profile: String(after.profile ?? event.target),
        serial: String(after.serialNumber ?? ""),
        expiry: frenchDay(String(after.notAfter ?? "").slice(0, 10)),
      });
      if (typeof before.inService === "string") what += message(h, "replaces", { serial: before.inService });
      break;
    case "certificate-revoked":
      what = message(h, "revoked", { serial: event.target, day: frenchDay(event.day) });
      break;
    case "undo":
      what = message(h, "undo", {
        id: event.undoes ?? "",
        kind: h[`kind-${String(before.undoneKind)}`] ?? "",
      });
      break;
    default:
      what = event.kind;
  }
  if (before.phase !== undefined && after.phase !== undefined && before.phase !== after.phase) {
    what += message(h, "phaseChange", {
      from: texts.phases[String(before.phase)] ?? "",
      to: texts.phases[String(after.phase)] ?? "",
    });
  }
  if (event.note) what += message(h, "note", { note: event.note });
  return message(h, "line", { id: event.id, at: frenchDateTime(new Date(event.at)), by: event.by, what });
}

export function historyText(view: EstablishmentView, texts: TrackTexts): string {
  const lines = [message(texts.history, "title", { name: view.record.name, finess: view.record.finessEG })];
  for (const event of view.events) lines.push(describeEvent(event, view, texts));
  return `${lines.join("\n")}\n`;
}

export function showText(view: EstablishmentView, today: string, texts: TrackTexts): string {
  const m = texts.messages;
  const r = view.record;
  const lines = [
    message(m, "showTitle", {
      name: r.name,
      finess: r.finessEG,
      department: r.department,
      version: r.version,
    }),
    ...(r.ght === null ? [] : [message(m, "showGht", { ght: r.ght })]),
    message(m, "showPhase", { phase: texts.phases[r.phase] ?? r.phase }),
    message(m, "showNext", { next: waitingText(r, today, texts) || r.nextAction, actor: r.actor }),
    "",
    m.showSteps ?? "",
  ];
  for (const s of view.state.steps) {
    const status = texts.stepStatus[s.status] ?? s.status;
    let detail = "";
    if (s.fact) detail = message(m, "stepDone", { day: frenchDay(s.fact.day), by: s.fact.by });
    else if (s.status === "waiting")
      detail = message(m, "stepWaiting", {
        what: s.pendingWaits.map((w) => w.map((a) => a.label).join(m.or ?? ", ")).join(" ; "),
      });
    else if (s.status === "blocked")
      detail = message(m, s.pendingSteps.length > 1 ? "stepBlockedMany" : "stepBlocked", {
        steps: s.pendingSteps.map((p) => p.number).join(", "),
      });
    else if (s.since) detail = message(m, "stepReady", { since: sinceText(s.since, today, texts) });
    lines.push(
      fill(m.stepLine ?? "", {
        number: String(s.step.number).padStart(2),
        status,
        id: s.step.id,
        action: s.step.action,
        detail,
      }),
    );
  }
  lines.push("", m.showAwaited ?? "");
  for (const a of view.state.awaited) {
    const status = a.fact
      ? message(m, "awaitedReceived", { day: frenchDay(a.fact.day), by: a.fact.by })
      : a.expectedSince
        ? message(m, "awaitedExpected", { since: sinceText(a.expectedSince, today, texts) })
        : (m.awaitedLater ?? "");
    lines.push(fill(m.awaitedLine ?? "", { id: a.awaited.id, label: a.awaited.label, status }));
  }
  if (view.facts.certificates.length > 0) {
    lines.push("", m.showCertificates ?? "");
    for (const c of view.facts.certificates) {
      lines.push(
        message(m, "certificateLine", {
          profile: c.profile,
          serial: c.serialNumber,
          expiry: frenchDay(c.notAfter.slice(0, 10)),
          renewal: frenchDay(c.renewal),
          status: texts.certificateStatus[c.status] ?? c.status,
        }),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** An establishment for programs and the « Suivi » page: its summary, steps, awaited events and certificates. */
export function viewJson(view: EstablishmentView, today: string, texts: TrackTexts) {
  const m = texts.messages;
  const { answers: _a, plan: _p, actorKey: _k, ...record } = view.record;
  return {
    ...record,
    phaseLabel: texts.phases[record.phase] ?? record.phase,
    waiting: waitingText(record, today, texts),
    fqdn: view.plan.gap.fqdn,
    steps: view.state.steps.map((s) => ({
      id: s.step.id,
      number: s.step.number,
      phase: s.step.phase,
      phaseLabel: texts.phases[s.step.phase] ?? s.step.phase,
      action: s.step.action,
      actor: s.step.actor,
      when: s.step.when,
      status: s.status,
      statusLabel: texts.stepStatus[s.status] ?? s.status,
      ...(s.fact
        ? { day: s.fact.day, dayLabel: frenchDay(s.fact.day), by: s.fact.by, note: s.fact.note }
        : {}),
      ...(s.since ? { since: s.since, days: daysFrom(s.since, today) } : {}),
      waitsFor: s.pendingWaits.map((w) => w.map((a) => a.label).join(m.or ?? ", ")),
      after: s.pendingSteps.map((p) => p.number),
    })),
    awaited: view.state.awaited.map((a) => ({
      id: a.awaited.id,
      label: a.awaited.label,
      receivedBy: a.awaited.receivedBy,
      ...(a.fact ? { received: a.fact.day, receivedLabel: frenchDay(a.fact.day) } : {}),
      ...(a.expectedSince ? { expectedSince: a.expectedSince, days: daysFrom(a.expectedSince, today) } : {}),
    })),
    certificates: view.facts.certificates.map((c) => ({
      ...c,
      expiryLabel: frenchDay(c.notAfter.slice(0, 10)),
      renewalLabel: frenchDay(c.renewal),
      statusLabel: texts.certificateStatus[c.status] ?? c.status,
      daysLeft: daysFrom(today, c.notAfter.slice(0, 10)),
    })),
  };
}
