import { readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";

export const ROOT = join(import.meta.dirname, "..", "..");

/** The base answers every scenario patches: valid, one technical administrator, no contract. */
export function baseAnswers(): Record<string, unknown> {
  return YAML.parse(readFileSync(join(ROOT, "test", "scenarios", "base.yaml"), "utf8")) as Record<
    string,
    unknown
  >;
}

type Json = Record<string, unknown>;

/** Deep merge: objects merge, arrays and scalars replace, null deletes the key. */
export function patch(base: unknown, change: unknown): unknown {
  if (change === undefined) return base;
  if (typeof change !== "object" || change === null || Array.isArray(change)) return change;
  if (typeof base !== "object" || base === null || Array.isArray(base)) return change;
  const out: Json = { ...(base as Json) };
  for (const [k, v] of Object.entries(change as Json)) {
    if (v === null) delete out[k];
    else out[k] = patch(out[k], v);
  }
  return out;
}
