/** Calendar arithmetic for validity periods and reminders. Pure: the current date is always passed in. */

import { certificateTexts } from "./text.js";

const DAY_MS = 86_400_000;
const PARIS = "Europe/Paris";

/** Adds calendar months in UTC, clamping to the month's last day (31 March − 1 month = 28/29 February). */
export function addMonthsUtc(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(date.getTime());
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return result;
}

export function addYearsUtc(date: Date, years: number): Date {
  return addMonthsUtc(date, years * 12);
}

/** Whole days from `from` to `to` (negative when `to` is past), rounded down. */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** Parses a strict `YYYY-MM-DD` calendar date as UTC midnight; undefined when invalid. */
export function parseIsoDate(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : undefined;
}

/** YYYY-MM-DD in Paris: one formatter for the process (building one costs more than a register's write). */
const PARIS_ISO_DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: PARIS,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar day in Paris of an instant, YYYY-MM-DD. */
export function parisIsoDay(instant: Date): string {
  return PARIS_ISO_DAY.format(instant);
}

/** The calendar day (as UTC midnight) that an instant falls on in Paris. */
export function parisCalendarDay(instant: Date): Date {
  const parts = parisIsoDay(instant);
  return (
    parseIsoDate(parts) ??
    new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()))
  );
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** French writes the first day of a month `1er`. */
function firstOfMonth(text: string): string {
  return text.replace(/^1 /, "1er ");
}

/** `10 mai 2028`, `1er avril 2029`, in Paris time. */
export function frenchDate(instant: Date): string {
  return firstOfMonth(
    new Intl.DateTimeFormat("fr-FR", { timeZone: PARIS, dateStyle: "long" }).format(instant),
  );
}

/** `10 mai 2028 à 14:05` (heure de Paris). */
export function frenchDateTime(instant: Date): string {
  const time = new Intl.DateTimeFormat("fr-FR", {
    timeZone: PARIS,
    hour: "2-digit",
    minute: "2-digit",
  }).format(instant);
  return certificateTexts().dates.dateTime({ date: frenchDate(instant), time });
}

/** Made once: building a formatter costs far more than formatting (the timeline labels hundreds of days). */
const FRENCH_DAY = new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC", dateStyle: "long" });

/** `10 mai 2028` for a calendar day stored as UTC midnight. */
export function frenchCalendarDay(day: Date): string {
  return firstOfMonth(FRENCH_DAY.format(day));
}
