import { editDistance } from "../text/edit-distance.js";
import { type Column, type ColumnCatalog, DESIGNEES, headerKey, type Leaf } from "./columns.js";
import { batchText, batchTexts } from "./messages.js";

/** One spreadsheet line as answers v1 data: cells converted by their column's type, designees grouped. */

/** A cell as the readers give it: text (CSV), or the typed values of a spreadsheet. */
export type CellValue = string | number | boolean | Date | { error: string } | null | undefined;

/** A problem of one input line, with the column it is about (the header as written in the input). */
export interface RowIssue {
  /** Dotted answers path, empty for the whole line. */
  path: string;
  /** The header as written in the input, the expected header for a missing column, or empty. */
  column: string;
  /** True when the column the problem is about is not in the input at all. */
  columnMissing?: boolean;
  code: string;
  message: string;
}

/** What a line's columns are: one entry per cell position, undefined for ignored columns. */
export interface HeaderLayout {
  headers: string[];
  columns: (Column | undefined)[];
}

export interface HeaderProblem {
  code: "UNKNOWN_COLUMN" | "DUPLICATE_COLUMN" | "NO_COLUMNS";
  message: string;
}

/** Spreadsheet column letters: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function suggestion(header: string, catalog: ColumnCatalog): string | undefined {
  const key = headerKey(header);
  let best: { header: string; d: number } | undefined;
  for (const column of catalog.columns(1)) {
    for (const candidate of [column.header, column.path]) {
      const d = editDistance(key, headerKey(candidate));
      if (!best || d < best.d) best = { header: candidate, d };
    }
  }
  return best && best.d <= Math.max(3, Math.floor(key.length / 5)) ? best.header : undefined;
}

function cellText(cell: CellValue): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return cell;
  if (cell instanceof Date) return cell.toISOString().replace(/T00:00:00\.000Z$/, "");
  if (typeof cell === "object") return cell.error;
  return String(cell);
}

/** Empty or blank cells, and columns without a header or whose header starts with « # », are left out. */
function isIgnoredHeader(header: string): boolean {
  return header.trim() === "" || header.trim().startsWith("#");
}

/** Reads the header line: every header must name a column of answers v1, once. */
export function readHeader(
  cells: readonly CellValue[],
  catalog: ColumnCatalog,
): { ok: true; layout: HeaderLayout } | { ok: false; problems: HeaderProblem[] } {
  const headers = cells.map((c) => cellText(c).replace(/^\ufeff/, ""));
  const columns: (Column | undefined)[] = [];
  const problems: HeaderProblem[] = [];
  const seen = new Map<string, number>();
  headers.forEach((header, index) => {
    if (isIgnoredHeader(header)) {
      columns.push(undefined);
      return;
    }
    const column = catalog.match(header);
    columns.push(column);
    const letter = columnLetter(index);
    if (!column) {
      const near = suggestion(header, catalog);
      problems.push({
        code: "UNKNOWN_COLUMN",
        message: batchText.unknownColumn(header.trim(), letter, near),
      });
      return;
    }
    const first = seen.get(column.path);
    if (first !== undefined) {
      problems.push({
        code: "DUPLICATE_COLUMN",
        message: batchTexts().input.duplicateColumn({
          header: header.trim(),
          letter,
          first: columnLetter(first),
        }),
      });
    } else {
      seen.set(column.path, index);
    }
  });
  if (problems.length === 0 && seen.size === 0)
    problems.push({ code: "NO_COLUMNS", message: batchTexts().input.noColumns() });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, layout: { headers, columns } };
}

const BOOLEANS: Record<string, boolean> = {
  oui: true,
  non: false,
  true: true,
  false: false,
  vrai: true,
  faux: false,
  "1": true,
  "0": false,
};

/** A cell as the value of its field; a value that does not fit stays text, for the schema to explain. */
function convert(cell: CellValue, leaf: Leaf): { value: unknown; restored?: string } {
  const kind = leaf.kind;
  if (typeof cell === "number" || typeof cell === "boolean") {
    if (kind.type === "integer" || kind.type === "const") return { value: cell };
    if (kind.type === "boolean" && typeof cell === "boolean") return { value: cell };
    if (kind.type === "boolean" && (cell === 1 || cell === 0)) return { value: cell === 1 };
  }
  const text = cellText(cell);
  const trimmed = text.trim();
  switch (kind.type) {
    case "boolean": {
      const value = BOOLEANS[trimmed.toLowerCase()];
      return { value: value ?? text };
    }
    case "integer":
    case "const":
      return { value: /^[+-]?[0-9]{1,15}$/.test(trimmed) ? Number(trimmed) : text };
    case "enum": {
      const exact = kind.values.find((v) => v === trimmed);
      if (exact) return { value: exact };
      const lower = kind.values.find((v) => v.toLowerCase() === trimmed.toLowerCase());
      if (lower) return { value: lower };
      const key = headerKey(trimmed);
      const byTitle = kind.values.find((v) => headerKey(kind.titles[v] ?? "\u0000") === key);
      return { value: byTitle ?? text };
    }
    case "string": {
      const digits = kind.fixedDigits;
      if (digits !== undefined && /^[0-9]+$/.test(trimmed) && trimmed.length === digits - 1) {
        return { value: `0${trimmed}`, restored: trimmed };
      }
      // 474000001: a 10-digit French number (04 74 00 00 01) without its zero.
      if (kind.phone && /^[1-9][0-9]{8}$/.test(trimmed)) return { value: `0${trimmed}`, restored: trimmed };
      return { value: text };
    }
  }
}

function setPath(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (typeof next === "object" && next !== null) node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    }
  }
  const last = segments[segments.length - 1];
  if (last !== undefined) node[last] = value;
}

/** Groups that are always present, so that each missing field is reported against its own column. */
const REQUIRED_GROUPS = ["establishment", "contract", "legalRepresentative", "gap"];

export interface RowData {
  data: Record<string, unknown>;
  /** Problems of the cells themselves (formula errors, extra cells): the line is rejected. */
  errors: RowIssue[];
  warnings: RowIssue[];
  /** The column an answers path comes from, for the line's messages. */
  locate(path: string): { column: string; columnMissing?: boolean };
}

/** Converts one line of cells into answers data. */
export function rowData(cells: readonly CellValue[], layout: HeaderLayout, catalog: ColumnCatalog): RowData {
  const data: Record<string, unknown> = { version: 1 };
  for (const group of REQUIRED_GROUPS) data[group] = {};
  const errors: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const headerOf = new Map<string, string>();
  const designees = new Map<number, { cells: [string, unknown, string][] }>();

  if (cells.length > layout.columns.length) {
    const extra = cells.slice(layout.columns.length).some((c) => cellText(c).trim() !== "");
    if (extra) {
      errors.push({
        path: "",
        column: columnLetter(layout.columns.length),
        code: "EXTRA_CELLS",
        message: batchTexts().input.extraCells({ cells: cells.length, headers: layout.columns.length }),
      });
    }
  }
  layout.columns.forEach((column, index) => {
    if (!column) return;
    const cell = cells[index];
    const header = layout.headers[index] ?? column.header;
    if (cell === null || cell === undefined || cellText(cell).trim() === "") return;
    if (typeof cell === "object" && !(cell instanceof Date)) {
      errors.push({
        path: column.path,
        column: header,
        code: "CELL_ERROR",
        message: batchTexts().input.cellError({ header, error: cell.error }),
      });
      return;
    }
    const { value, restored } = convert(cell, column.leaf);
    if (restored !== undefined) {
      warnings.push({
        path: column.path,
        column: header,
        code: "LEADING_ZERO_RESTORED",
        message: batchTexts().input.leadingZero({ header, written: restored, restored: String(value) }),
      });
    }
    if (column.designee !== undefined) {
      const entry = designees.get(column.designee) ?? { cells: [] };
      entry.cells.push([column.path.split(".").slice(2).join("."), value, header]);
      designees.set(column.designee, entry);
    } else {
      setPath(data, column.path.split("."), value);
      headerOf.set(column.path, header);
    }
  });

  const list: Record<string, unknown>[] = [];
  const originalIndex = new Map<number, number>();
  for (const index of [...designees.keys()].sort((a, b) => a - b)) {
    const person: Record<string, unknown> = {};
    const at = list.length;
    for (const [sub, value, header] of designees.get(index)?.cells ?? []) {
      setPath(person, sub.split("."), value);
      headerOf.set(`${DESIGNEES}.${at}.${sub}`, header);
    }
    originalIndex.set(at, index);
    if (at !== index) {
      warnings.push({
        path: `${DESIGNEES}.${at}`,
        column: "",
        code: "DESIGNEE_RENUMBERED",
        message: batchTexts().input.designeeRenumbered({ written: index + 1, used: at + 1 }),
      });
    }
    list.push(person);
  }
  data[DESIGNEES] = list;

  const locate = (path: string): { column: string; columnMissing?: boolean } => {
    const header = headerOf.get(path);
    if (header !== undefined) return { column: header };
    const m = /^designees\.([0-9]+)(\..+)?$/.exec(path);
    const original = m ? (originalIndex.get(Number(m[1])) ?? Number(m[1])) : undefined;
    const concretePath = m && original !== undefined ? `${DESIGNEES}.${original}${m[2] ?? ""}` : path;
    const expected = catalog.column(concretePath);
    if (expected) {
      const written = layout.columns.findIndex((c) => c?.path === concretePath);
      const shown = written >= 0 ? (layout.headers[written] ?? expected.header) : expected.header;
      return written >= 0 ? { column: shown } : { column: shown, columnMissing: true };
    }
    if (m && m[2] === undefined && original !== undefined)
      return { column: batchTexts().input.designeeLabel({ n: original + 1 }) };
    return { column: "" };
  };
  return { data, errors, warnings, locate };
}

/** The answers data of one row given as header → cell (programmatic input, tests, benchmarks). */
export function dataFromCells(cells: Readonly<Record<string, CellValue>>, catalog: ColumnCatalog): unknown {
  const headers = Object.keys(cells);
  const header = readHeader(headers, catalog);
  if (!header.ok) throw new Error(`en-têtes inconnus : ${headers.join(", ")}`);
  return rowData(
    headers.map((h) => cells[h] ?? ""),
    header.layout,
    catalog,
  ).data;
}
