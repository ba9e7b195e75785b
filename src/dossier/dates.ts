/** Calendar days of a dossier (Europe/Paris), and the instant that stamps its files. Pure: the clock is passed in. */

export interface CalendarDay {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
}

const parisParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The day it is in France at that instant. */
export function parisDay(instant: Date): CalendarDay {
  const parts = parisParts.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day") };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `AAAA-MM-JJ` as a real calendar day, or undefined. */
export function parseDay(text: string): CalendarDay | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 2000 || year > 2200 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  return { year, month, day };
}

/** Adds whole months; a day past the end of the target month becomes its last day (29/02 + 1 an → 28/02). */
export function addMonths(d: CalendarDay, months: number): CalendarDay {
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

export function addYears(d: CalendarDay, years: number): CalendarDay {
  return addMonths(d, years * 12);
}

/** JJ/MM/AAAA. */
export function formatDay(d: CalendarDay): string {
  return `${String(d.day).padStart(2, "0")}/${String(d.month).padStart(2, "0")}/${d.year}`;
}

/** AAAA-MM-JJ. */
export function isoDay(d: CalendarDay): string {
  return `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

/** Midnight UTC of that day. */
export function dayStart(d: CalendarDay): Date {
  return new Date(Date.UTC(d.year, d.month - 1, d.day));
}

export interface DossierDates {
  /** Stamps the files (PDF dates, e-mail Date header, archive entries). */
  stamp: Date;
  /** The assumed day the certificates are generated: the life-cycle dates count from it. */
  orderDay: CalendarDay;
  /** True when the user gave the order day. */
  orderDayGiven: boolean;
}

export type DatesResult = { ok: true; dates: DossierDates } | { ok: false; code: string; value: string };

/** `SOURCE_DATE_EPOCH` (whole seconds) as a date; undefined when not set, "invalid" when not a number. */
export function sourceDateEpoch(
  env: Readonly<Record<string, string | undefined>>,
): Date | undefined | "invalid" {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === "") return undefined;
  if (!/^\d{1,12}$/.test(epoch.trim())) return "invalid";
  return new Date(Number(epoch.trim()) * 1000);
}

/**
 * The dates of a dossier, so that the same answers give the same bytes:
 * - `SOURCE_DATE_EPOCH` (seconds), when set, is the stamp;
 * - otherwise the stamp is the start of today (France), so runs on the same day match;
 * - the order day is the given day, else the stamp's day.
 */
export function dossierDates(
  env: Readonly<Record<string, string | undefined>>,
  now: () => Date,
  orderDayText?: string,
): DatesResult {
  const epoch = sourceDateEpoch(env);
  if (epoch === "invalid")
    return { ok: false, code: "SOURCE_DATE_EPOCH", value: env.SOURCE_DATE_EPOCH ?? "" };
  const stamp = epoch ?? dayStart(parisDay(now()));
  let orderDay = parisDay(stamp);
  let orderDayGiven = false;
  if (orderDayText !== undefined) {
    const given = parseDay(orderDayText);
    if (!given) return { ok: false, code: "ORDER_DATE", value: orderDayText };
    orderDay = given;
    orderDayGiven = true;
  }
  return { ok: true, dates: { stamp, orderDay, orderDayGiven } };
}
