import { createHash } from "node:crypto";

/** JSON with sorted keys, so the same data always gives the same text (and the same hash). */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function sortKeys(value: unknown): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new Error(`valeur non sérialisable en JSON : ${String(value)}`);
}

/** Compact canonical JSON (the text that is hashed). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** Pretty-printed canonical JSON with a final newline (the files of the dossier). */
export function prettyJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** `sha256:<hex>` of the canonical JSON of the normalized answers: identifies a dossier's input. */
export function answersHash(answers: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(answers)).digest("hex")}`;
}
