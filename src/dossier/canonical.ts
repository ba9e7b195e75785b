import { createHash } from "node:crypto";

/** JSON with sorted keys, so the same data always gives the same text (and the same hash). */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A copy with the keys of every object inserted in sorted order, for the native `JSON.stringify` to print: that
 * printer writes one flat string much faster than any writer in JavaScript, whose string of many pieces then costs
 * as much again to flatten when it is encoded (measured on real plans). Keys whose value is `undefined` are left
 * out; anything that is not JSON (non-finite number, `undefined` in an array, function, symbol, bigint) is a
 * programmer's fault and throws. Objects are copied from their own enumerable keys only, so a `Date` becomes `{}`
 * and an own `toJSON` method throws like any function; the copy is a plain object, where the JavaScript rules for keys
 * still apply: integer-like keys come first in numeric order, and a `__proto__` key is dropped.
 */
function sortKeys(value: unknown): Json {
  if (typeof value === "object" && value !== null) {
    if (Array.isArray(value)) {
      const length = value.length;
      const out: Json[] = new Array(length);
      for (let i = 0; i < length; i++) {
        const item: unknown = value[i];
        // A hole stays a hole (printed `null`); an `undefined` item throws below.
        if (item !== undefined || i in value) out[i] = sortKeys(item);
      }
      return out;
    }
    const keys = Object.keys(value).sort();
    const out: { [key: string]: Json } = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
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
