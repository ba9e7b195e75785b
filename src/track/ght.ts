import { searchKey } from "./state.js";

/**
 * The GHT (groupement hospitalier de territoire) of an establishment, as the register keeps it: taken from the
 * answers (establishment.ght), read by no rule, shown in the list and filtered on. The filter compares whole
 * names without case, accents, apostrophe kind or extra spaces: « ght coeur grand est » finds « GHT Cœur Grand
 * Est », « Cœur Grand Est » does not (a GHT is chosen from its full name, as the « Suivi » page lists them).
 */

/** The GHT of stored answers, cleaned as the validator cleans a text; null when the answers give none. */
export function ghtOf(answers: unknown): string | null {
  const establishment = (answers as { establishment?: unknown } | null)?.establishment;
  const ght = (establishment as { ght?: unknown } | null | undefined)?.ght;
  if (typeof ght !== "string") return null;
  const name = ght.normalize("NFC").replace(/\s+/g, " ").trim();
  return name === "" ? null : name;
}

/** What the GHT filter compares: the name lower-case, without accents, one kind of apostrophe, single spaces. */
export function ghtKey(name: string): string {
  return searchKey(
    name
      .replace(/[’‘`´]/g, "'")
      .replace(/\s+/g, " ")
      .trim(),
  )
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae");
}
