import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvLine, ESTABLISHMENT_COLUMNS, establishmentCells } from "../../bench/establishments.js";
import type { ReportRow } from "../../src/batch/report.js";
import { runMain } from "../../src/cli/main.js";
import { fakeIo } from "../helpers/io.js";

export function tempDir(prefix = "diapason-batch-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A CSV (UTF-8 with BOM, `;`) of `rows` with the dotted paths as headers. */
export function csvOf(
  rows: Record<string, string>[],
  columns: readonly string[] = ESTABLISHMENT_COLUMNS,
): string {
  return `\ufeff${columns.join(";")}\r\n${rows.map((r) => csvLine(r, columns)).join("")}`;
}

export function goodRows(n: number, from = 0): Record<string, string>[] {
  return Array.from({ length: n }, (_, i) => establishmentCells(from + i));
}

export function writeInput(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export interface BatchRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function batch(args: string[], options: Parameters<typeof fakeIo>[0] = {}): Promise<BatchRun> {
  const io = fakeIo({ env: { SOURCE_DATE_EPOCH: "1764403200" }, ...options });
  const code = await runMain(["batch", ...args], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

export interface Report {
  rows: ReportRow[];
  summary: { total: number; ok: number; rejected: number; interrupted: number; resumed: number };
  interrupted: boolean;
  comparison?: unknown;
  [key: string]: unknown;
}

export function readReport(out: string): Report {
  return JSON.parse(readFileSync(join(out, "rapport.json"), "utf8")) as Report;
}

export function readCsvReport(out: string): string {
  return readFileSync(join(out, "rapport.csv"), "utf8");
}

/** Entries of the output folder that are dossiers (not the report). */
export function dossierFolders(out: string): string[] {
  return readdirSync(out)
    .filter((n) => !n.startsWith("rapport."))
    .sort();
}
