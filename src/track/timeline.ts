import { parseIsoDate } from "../certificates/dates.js";
import type { RegisterDeps } from "./register.js";
import { frenchDay } from "./render.js";
import { daysFrom } from "./state.js";
import type {
  ListFilter,
  MonthStateCount,
  StateBounds,
  TimelineEntryRow,
  TimelineRow,
} from "./store/store.js";
import { message, type TrackTexts } from "./texts.js";

/**
 * The timeline of certificate expiries across the register: every certificate in service, placed by its expiry
 * day, with the renewal day recorded with it (never recomputed here), grouped by month, or by quarter when the
 * span is long. A replaced or revoked certificate has nothing left to renew: it is counted, not placed. The
 * grouping is pure (the day is passed in). Two ways to read it, one definition of periods (`timelineFrame`):
 * `certificateTimeline` reads every certificate and folds them (`expiryTimeline`, the reference, for the terminal
 * that prints them all); the page reads what it shows, counted and picked by the database (`timelinePreview`,
 * `timelinePage`).
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

/** A period of the timeline, without its certificates. */
export interface PeriodFrame {
  /** `2026-04` (a month) or `2026-T2` (a quarter). */
  key: string;
  /** First and last day of the period. */
  from: string;
  to: string;
  /** Certificates in service expiring in the period. */
  count: number;
  counts: Record<ExpiryState, number>;
  /** Today falls in this period (it is there, even without an expiry, when the timeline has any). */
  today: boolean;
}

/** The timeline's periods and counts, without its certificates. */
export interface TimelineFrame<P extends PeriodFrame = PeriodFrame> {
  today: string;
  unit: "month" | "quarter";
  periods: P[];
  /** Certificates in service, placed on the timeline. */
  total: number;
  counts: Record<ExpiryState, number>;
  /** Replaced or revoked certificates, not placed. */
  retired: number;
}

export interface ExpiryPeriod extends PeriodFrame {
  /** In order: all of the period's certificates (`expiryTimeline`) or its first ones (`timelinePreview`). */
  entries: ExpiryEntry[];
}

export type ExpiryTimeline = TimelineFrame<ExpiryPeriod>;

/** Certificates in service of one month (`2026-04`) in one state. */
export interface MonthCount {
  month: string;
  state: ExpiryState;
  count: number;
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

/** `2026-04` or `2026-T2`: read off the day's (or month's) text (this runs once per certificate). */
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

/** The days expiryState turns on, for the database: before today, and RENEWAL_SOON_DAYS from today. */
export function stateBounds(today: string): StateBounds {
  return {
    today,
    soon: dayOf(
      Number(today.slice(0, 4)),
      Number(today.slice(5, 7)) - 1,
      Number(today.slice(8, 10)) + RENEWAL_SOON_DAYS,
    ),
  };
}

function entryOf(c: TimelineEntryRow, today: string, todayTime: number): ExpiryEntry {
  return {
    finessEG: c.finessEG,
    name: c.name,
    profile: c.profile,
    serialNumber: c.serialNumber,
    commonName: c.commonName,
    expiry: c.expiry,
    renewal: c.renewal,
    daysLeft: Math.round((Date.parse(`${c.expiry}T00:00:00Z`) - todayTime) / 86_400_000),
    state: expiryState(c.expiry, c.renewal, today),
  };
}

const dayTime = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * The timeline's unit, periods and counts from its certificates in service counted by month and state: month by
 * month, or quarter by quarter when the span from the first expiry to the last (today included) is long.
 */
export function timelineFrame(months: readonly MonthCount[], retired: number, today: string): TimelineFrame {
  const counts = noCounts();
  let first: string | undefined;
  let last: string | undefined;
  for (const m of months) {
    if (m.count === 0) continue;
    counts[m.state] += m.count;
    if (first === undefined || m.month < first) first = m.month;
    if (last === undefined || m.month > last) last = m.month;
  }
  const total = EXPIRY_STATES.reduce((sum, state) => sum + counts[state], 0);
  if (first === undefined || last === undefined)
    return { today, unit: "month", periods: [], total, counts, retired };
  const start = first < today ? first : today;
  const end = last > today ? last : today;
  const unit = monthIndex(end) - monthIndex(start) + 1 > MONTHS_BEFORE_QUARTERS ? "quarter" : "month";
  const periods = new Map<string, PeriodFrame>();
  const periodFor = (day: string) => {
    const key = periodKey(day, unit);
    let period = periods.get(key);
    if (!period) {
      period = { key, ...periodBounds(key), count: 0, counts: noCounts(), today: false };
      periods.set(key, period);
    }
    return period;
  };
  periodFor(today).today = true;
  for (const m of months) {
    if (m.count === 0) continue;
    const period = periodFor(m.month);
    period.count += m.count;
    period.counts[m.state] += m.count;
  }
  return {
    today,
    unit,
    periods: [...periods.values()].sort((a, b) => compare(a.from, b.from)),
    total,
    counts,
    retired,
  };
}

/** The frame's periods, each with the entries given that fall in it (in the order given). */
function placed(frame: TimelineFrame, entries: readonly ExpiryEntry[]): ExpiryTimeline {
  const periods = new Map(frame.periods.map((p): [string, ExpiryPeriod] => [p.key, { ...p, entries: [] }]));
  for (const e of entries) periods.get(periodKey(e.expiry, frame.unit))?.entries.push(e);
  return { ...frame, periods: [...periods.values()] };
}

/** The timeline of the certificates given (the register's, in expiry order; any order is sorted). */
export function expiryTimeline(certificates: readonly TimelineRow[], today: string): ExpiryTimeline {
  const entries: ExpiryEntry[] = [];
  const todayTime = dayTime(today);
  let retired = 0;
  for (const c of certificates) {
    if (c.status === "inService") entries.push(entryOf(c, today, todayTime));
    else retired += 1;
  }
  entries.sort(
    (a, b) => compare(a.expiry, b.expiry) || compare(a.finessEG, b.finessEG) || compare(a.profile, b.profile),
  );
  const months = new Map<string, MonthCount>();
  for (const e of entries) {
    const month = e.expiry.slice(0, 7);
    const key = `${month} ${e.state}`;
    const counted = months.get(key);
    if (counted) counted.count += 1;
    else months.set(key, { month, state: e.state, count: 1 });
  }
  return placed(timelineFrame([...months.values()], retired, today), entries);
}

/** The register's timeline for the establishments the filter keeps: one query of all their certificates. */
export async function certificateTimeline(
  deps: RegisterDeps,
  filter: ListFilter,
  today: string,
): Promise<ExpiryTimeline> {
  return expiryTimeline(await deps.store.read((q) => q.timelineRows(filter)), today);
}

/** The database's counts by month and state, as a frame. */
function frameOf(counted: readonly MonthStateCount[], today: string): TimelineFrame {
  let retired = 0;
  const months: MonthCount[] = [];
  for (const c of counted) {
    if ((EXPIRY_STATES as readonly string[]).includes(c.state))
      months.push({ month: c.month, state: c.state as ExpiryState, count: c.count });
    else retired += c.count;
  }
  return timelineFrame(months, retired, today);
}

/**
 * The timeline as the page first shows it, each period with its first `preview` entries: the database counts and
 * picks them (the first `preview` of each month, folded into quarters here), two queries whatever the register's size.
 */
export async function timelinePreview(
  deps: RegisterDeps,
  filter: ListFilter,
  today: string,
  preview: number,
): Promise<ExpiryTimeline> {
  const [counted, heads] = await deps.store.read((q) =>
    Promise.all([q.timelineCounts(filter, stateBounds(today)), q.timelineHeads(filter, preview)]),
  );
  const todayTime = dayTime(today);
  const timeline = placed(
    frameOf(counted, today),
    heads.map((row) => entryOf(row, today, todayTime)),
  );
  for (const period of timeline.periods) period.entries.splice(preview);
  return timeline;
}

/**
 * One period's entries from `offset`, at most `limit`, read from the database; undefined when the period is not on
 * the timeline (under its filters, today).
 */
export async function timelinePage(
  deps: RegisterDeps,
  filter: ListFilter,
  today: string,
  key: string,
  offset: number,
  limit: number,
): Promise<{ period: PeriodFrame; entries: ExpiryEntry[] } | undefined> {
  return deps.store.read(async (q) => {
    const frame = frameOf(await q.timelineCounts(filter, stateBounds(today)), today);
    const period = frame.periods.find((p) => p.key === key);
    if (!period) return undefined;
    const rows = await q.timelineSlice(filter, period.from, period.to, offset, limit);
    const todayTime = dayTime(today);
    return { period, entries: rows.map((row) => entryOf(row, today, todayTime)) };
  });
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

/** One period's entries from `offset` (at most `limit`, given), and what is left to show. */
export function periodPage(
  period: PeriodFrame,
  offset: number,
  entries: readonly ExpiryEntry[],
  limit: number,
  texts: TrackTexts,
) {
  const remaining = period.count - offset - entries.length;
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
      ...periodPage(p, 0, p.entries.slice(0, preview), preview, texts),
      label: periodLabel(p, texts),
      from: p.from,
      to: p.to,
      today: p.today,
      count: p.count,
      counts: p.counts,
      countLabel: message(t, "periodCount", { count: p.count }),
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
        count: message(t, "periodCount", { count: period.count }),
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
