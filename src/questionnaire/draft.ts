import type { AnswerError } from "../answers/types.js";
import type { Choice, Condition } from "./model.js";

/** Answers being filled in: plain JSON data, read and written by dotted path (`designees.0.email`). */

export type Draft = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function valueAt(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const segment of path === "" ? [] : path.split(".")) {
    if (Array.isArray(current) && /^[0-9]+$/.test(segment)) current = current[Number(segment)];
    else if (isRecord(current)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** Sets (or, with undefined, removes) the value at a path, creating the objects and lists on the way. */
export function setValueAt(data: Draft, path: string, value: unknown): void {
  const segments = path.split(".");
  let current: unknown = data;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i] as string;
    const nextIsIndex = /^[0-9]+$/.test(segments[i + 1] ?? "");
    const container = current as Record<string, unknown>;
    if (typeof container[segment] !== "object" || container[segment] === null) {
      if (value === undefined) return;
      container[segment] = nextIsIndex ? [] : {};
    }
    current = container[segment];
  }
  const last = segments[segments.length - 1] as string;
  const container = current as Record<string, unknown>;
  if (value === undefined) {
    if (Array.isArray(container)) container.splice(Number(last), 1);
    else delete container[last];
  } else container[last] = value;
}

/** `designees.*.email` with index 2 → `designees.2.email`. */
export function concretePath(template: string, indices: readonly number[]): string {
  let i = 0;
  return template.replace(/(^|\.)\*(?=\.|$)/g, (_m, dot: string) => `${dot}${indices[i++] ?? 0}`);
}

/** Whether a question is asked, given the object that holds it. */
export function isShown(conditions: readonly Condition[], holder: unknown): boolean {
  return conditions.every((c) => {
    const value = isRecord(holder) ? holder[c.field] : undefined;
    if ("equals" in c) return value === c.equals;
    return value !== undefined && value !== c.answeredAndNot;
  });
}

/** The errors about one answer (its own path), out of a whole-answers validation. */
export function errorsAt(errors: readonly AnswerError[], path: string): AnswerError[] {
  return errors.filter((e) => e.path === path);
}

/** Whether a choice may be offered for these answers: its requirement (`x-enumRequires`) holds, or it has none. */
export function choiceOffered(choice: Choice, draft: unknown, current?: unknown): boolean {
  const r = choice.requires;
  if (!r || choice.value === current) return true;
  const items = valueAt(draft, r.list);
  return Array.isArray(items) && items.some((item) => valueAt(item, r.field) === r.equals);
}
