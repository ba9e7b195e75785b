import { normalizeFiness } from "../answers/finess.js";
import type { AnswersValidator } from "../answers/index.js";
import type { AnswerError, Answers, AnswerWarning } from "../answers/types.js";
import type { ColumnCatalog } from "./columns.js";
import type { SourceItem } from "./input/source.js";
import type { ReportIssue } from "./report.js";
import { type HeaderLayout, type RowIssue, rowData } from "./row.js";

/**
 * One input item checked in the main thread: converted (spreadsheet cells), validated with the same validator
 * as `validate`, each error placed in its column. Valid items go on to a worker; the others are reported.
 */

export type Locate = (path: string) => { column: string; columnMissing?: boolean };

export interface Identified {
  line: number;
  file?: string;
  /** As written in the input, for the report (even when invalid). */
  establishment: string;
  finessEG: string;
  locate: Locate;
}

export type Prepared =
  | (Identified & { kind: "rejected"; errors: ReportIssue[]; warnings: ReportIssue[] })
  | (Identified & { kind: "valid"; answers: Answers; warnings: AnswerWarning[]; rowWarnings: ReportIssue[] });

export function toIssue(error: AnswerError | RowIssue, locate: Locate): ReportIssue {
  const where = "column" in error && error.column !== "" ? { column: error.column } : locate(error.path);
  return {
    column: where.column,
    ...(where.columnMissing ? { columnMissing: true } : {}),
    path: error.path,
    code: error.code,
    message: error.message,
  };
}

function textAt(data: unknown, group: string, key: string): string {
  const node = (data as Record<string, unknown> | null)?.[group];
  const value =
    typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" || typeof value === "number" ? String(value).trim() : "";
}

const byPath: Locate = (path) => ({ column: path });

export function prepareItem(
  item: Exclude<SourceItem, { kind: "header" }>,
  layout: HeaderLayout | undefined,
  catalog: ColumnCatalog,
  validator: AnswersValidator,
): Prepared {
  const file = item.kind === "cells" ? undefined : item.file;
  const base = { line: item.line, ...(file === undefined ? {} : { file }) };
  if (item.kind === "unreadable") {
    return {
      ...base,
      kind: "rejected",
      establishment: "",
      finessEG: "",
      locate: byPath,
      errors: item.issues.map((i) => toIssue(i, byPath)),
      warnings: [],
    };
  }
  let data: unknown;
  let locate: Locate = byPath;
  const cellErrors: ReportIssue[] = [];
  const rowWarnings: ReportIssue[] = [];
  if (item.kind === "cells") {
    if (!layout) throw new Error("ligne de tableur sans en-tête");
    const row = rowData(item.cells, layout, catalog);
    data = row.data;
    locate = row.locate;
    for (const e of row.errors) cellErrors.push(toIssue(e, locate));
    for (const w of row.warnings) rowWarnings.push(toIssue(w, locate));
  } else {
    data = item.data;
  }
  const identified = {
    ...base,
    establishment: textAt(data, "establishment", "name"),
    finessEG: normalizeFiness(textAt(data, "establishment", "finessEG")),
    locate,
  };
  const result = validator.validate(data);
  if (!result.ok || cellErrors.length > 0) {
    const cellPaths = new Set(cellErrors.map((e) => e.path));
    const errors = [
      ...cellErrors,
      ...(result.ok
        ? []
        : result.errors.filter((e) => !cellPaths.has(e.path)).map((e) => toIssue(e, locate))),
    ];
    const warnings = [...rowWarnings, ...result.warnings.map((w) => toIssue(w, locate))];
    return { ...identified, kind: "rejected", errors, warnings };
  }
  return { ...identified, kind: "valid", answers: result.answers, warnings: result.warnings, rowWarnings };
}
