/**
 * French départements, for the `ST` attribute of the certificate subject (`Côte-d'Or (21)`).
 * Metropolitan ones, Corsica (2A, 2B), the overseas départements (971–976) and the overseas
 * collectivities and territories that have a three-digit code (975, 977, 978, 984, 986–988).
 */

import { catalogue } from "../assets/texts.js";

export interface Departement {
  code: string;
  name: string;
}

const twoDigits = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(2, "0"));

/** The codes, in the order of the official list; each one's name is in templates/text/departements.fr.json. */
export const DEPARTEMENT_CODES: readonly string[] = [
  ...twoDigits(1, 19),
  "2A",
  "2B",
  ...twoDigits(21, 95),
  ...["971", "972", "973", "974", "975", "976", "977", "978", "984", "986", "987", "988"],
];

const SHAPE: Readonly<Record<string, readonly []>> = Object.fromEntries(
  DEPARTEMENT_CODES.map((code) => [code, []]),
);
const names = catalogue("text/departements.fr.json", SHAPE);

export function departementByCode(code: string): Departement | undefined {
  const upper = code.toUpperCase();
  const name = names()[upper];
  return name === undefined ? undefined : { code: upper, name: name() };
}

/**
 * The département a FINESS number starts with: two characters (`2A`/`2B` for Corsica), or three
 * when they start with 97 or 98 (overseas, ../shared/DOMAIN.md). Undefined when the prefix is no
 * known département, e.g. an overseas FINESS numbered `970…`.
 */
export function departementFromFiness(finess: string): Departement | undefined {
  const value = finess.trim().toUpperCase();
  const overseas = value.startsWith("97") || value.startsWith("98");
  return departementByCode(value.slice(0, overseas ? 3 : 2));
}

/**
 * Overseas FINESS numbers seen as `970` + the last digit of the département (e.g. `9704…` for
 * La Réunion). No ANS text confirms it: callers must flag the result as unverified.
 */
export function departementFromOverseasFinessGuess(finess: string): Departement | undefined {
  const match = /^970([1-6])/.exec(finess.trim());
  return match ? departementByCode(`97${match[1]}`) : undefined;
}

/** The département of a French postal code (Corsica: 200–201 → 2A, 202–206 → 2B). */
export function departementFromPostalCode(postalCode: string): Departement | undefined {
  const value = postalCode.trim();
  if (!/^[0-9]{5}$/.test(value)) return undefined;
  if (value.startsWith("20")) return departementByCode(value < "20200" ? "2A" : "2B");
  if (value.startsWith("97") || value.startsWith("98")) return departementByCode(value.slice(0, 3));
  return departementByCode(value.slice(0, 2));
}

/** `Côte-d'Or (21)`: the form IGC-Santé certificates carry in `ST`. */
export function formatDepartement(departement: Departement): string {
  return `${departement.name} (${departement.code})`;
}
