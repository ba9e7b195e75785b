import type { CellValue, RowIssue } from "../row.js";

/** What an input gives, in order: for spreadsheets the header line first, then one item per non-empty line. */
export type SourceItem =
  | { kind: "header"; cells: CellValue[] }
  | { kind: "cells"; line: number; cells: CellValue[] }
  | { kind: "data"; line: number; file?: string; data: unknown }
  | { kind: "unreadable"; line: number; file?: string; issues: RowIssue[] };

export type InputFormat = "csv" | "xlsx" | "jsonl" | "folder";

export interface InputSource {
  format: InputFormat;
  /** French, for the first progress line, e.g. « CSV, Windows-1252, séparateur ; ». */
  description: string;
  /** A new pass over the input, streamed: each call reads the input again from its start. */
  read(): AsyncIterable<SourceItem>;
}

/** A problem with the input as a whole: the batch does not start (exit code 2). */
export interface InputProblem {
  code: string;
  message: string;
}

export type OpenResult = { ok: true; source: InputSource } | { ok: false; problem: InputProblem };

export function inputProblem(code: string, message: string): OpenResult {
  return { ok: false, problem: { code, message } };
}

/** A line that only holds empty cells is not an establishment: readers skip it. */
export function isBlankLine(cells: readonly CellValue[]): boolean {
  return cells.every((c) => c === null || c === undefined || (typeof c === "string" && c.trim() === ""));
}
