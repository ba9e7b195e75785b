/** FINESS numbers: 9 characters, département first, Luhn check digit last (../shared/DOMAIN.md). */

export type FinessCheck = "ok" | "format" | "key" | "corsicaUnverified";

const FORMAT = /^(?:[0-9]{2}|2[AB])[0-9]{7}$/;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function checkFiness(value: string): FinessCheck {
  if (!FORMAT.test(value)) return "format";
  if (value.startsWith("2A") || value.startsWith("2B")) {
    // Unverified rule (2A→21, 2B→22): a failure is only a warning.
    const digits = (value[1] === "A" ? "21" : "22") + value.slice(2);
    return luhnValid(digits) ? "ok" : "corsicaUnverified";
  }
  return luhnValid(value) ? "ok" : "key";
}

/** What people put between a FINESS's digits: spaces (no-break ones too), dots, hyphens and dashes. */
const SEPARATORS = /[\s.\u2010-\u2014\u2212-]/g;

/**
 * A FINESS as typed or pasted (« 01 000 381 2 », « 010-003-812 », « 2a 000 001 6 ») in its written form:
 * separators removed, upper case. Anything else is left as typed, for the format check to name.
 */
export function normalizeFiness(value: string): string {
  const compact = value.replace(SEPARATORS, "").toUpperCase();
  return FORMAT.test(compact) ? compact : value.trim();
}
