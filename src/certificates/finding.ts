import type { AnswerError } from "../answers/types.js";

/**
 * Something the user can fix, as a value: `{path, code, message}` with a French message that says
 * what is wrong and how to fix it. Same shape as the answers' errors.
 */
export type Finding = AnswerError;

export type Outcome<T> = { ok: true; value: T; warnings: Finding[] } | { ok: false; errors: Finding[] };

export function finding(path: string, code: string, message: string): Finding {
  return { path, code, message };
}

export function success<T>(value: T, warnings: Finding[] = []): Outcome<T> {
  return { ok: true, value, warnings };
}

export function failure<T>(...errors: Finding[]): Outcome<T> {
  return { ok: false, errors };
}
