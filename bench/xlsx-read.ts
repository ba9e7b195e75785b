import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import ExcelJS from "exceljs";
import { openXlsx } from "../src/batch/input/xlsx.js";
import { ESTABLISHMENT_COLUMNS, establishmentCells } from "./establishments.js";

/**
 * `npx tsx bench/xlsx-read.ts [--rows 10000] [--runs 9]`: the cost of reading a batch workbook (.xlsx) with
 * the batch's reader, from the file to the last row (archive read and checked, then exceljs's streaming
 * parse). Each read runs in its own process, so its peak RSS is its own; a process that only loads the reader
 * gives the floor. Peak RSS depends on when V8 collects: one more read, garbage collected every 500 rows,
 * gives the memory actually held (heap and buffers). Figures are printed, never asserted.
 */

const SELF = fileURLToPath(import.meta.url);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rows: { type: "string", default: "10000" }, runs: { type: "string", default: "9" } },
});

interface Figures {
  rows: number;
  ms: number;
  cpuMs: number;
  maxRssKb: number;
  /** With `live`: the most held after a collection (heap and buffers), in bytes. */
  held: number;
}

/** Heap and buffers held, after a collection (with --expose-gc). */
function heldNow(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
}

/** One read, in this process: its figures on standard output, as JSON. */
async function readOnce(path: string, live: boolean): Promise<void> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  let held = live ? heldNow() : 0;
  const opened = await openXlsx(path, "lot.xlsx");
  if (!opened.ok) throw new Error(opened.problem.message);
  for await (const item of opened.source.read()) {
    if (item.kind === "cells") rows += 1;
    if (live && rows % 500 === 0) held = Math.max(held, heldNow());
  }
  const used = process.cpuUsage(cpu);
  const figures: Figures = {
    rows,
    ms: performance.now() - start,
    cpuMs: (used.user + used.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    held,
  };
  process.stdout.write(JSON.stringify(figures));
}

function child(...args: string[]): Figures {
  const flags = args[0] === "read" ? [] : ["--expose-gc"];
  const r = spawnSync(process.execPath, [...flags, ...process.execArgv, SELF, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`lecture en échec : ${r.stderr}`);
  return JSON.parse(r.stdout) as Figures;
}

async function writeWorkbook(path: string, rows: number): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = book.addWorksheet("Établissements");
  sheet.addRow([...ESTABLISHMENT_COLUMNS]).commit();
  for (let i = 0; i < rows; i++) {
    const cells = establishmentCells(i);
    sheet.addRow(ESTABLISHMENT_COLUMNS.map((c) => cells[c] ?? null)).commit();
  }
  sheet.commit();
  book.addWorksheet("Colonnes").addRow(["explications"]).commit();
  await book.commit();
}

const fr = (n: number, digits = 0) =>
  n.toLocaleString("fr-FR", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;

if (positionals[0] === "read" || positionals[0] === "live") {
  await readOnce(positionals[1] as string, positionals[0] === "live");
} else if (positionals[0] === "floor") {
  const floor: Figures = {
    rows: 0,
    ms: 0,
    cpuMs: 0,
    maxRssKb: process.resourceUsage().maxRSS,
    held: heldNow(),
  };
  process.stdout.write(JSON.stringify(floor));
} else {
  const rows = Number(values.rows);
  const runs = Number(values.runs);
  const dir = mkdtempSync(join(tmpdir(), "diapason-bench-xlsx-"));
  try {
    const path = join(dir, "lot.xlsx");
    await writeWorkbook(path, rows);
    const floor = child("floor");
    const reads = Array.from({ length: runs }, () => child("read", path));
    const live = child("live", path);
    for (const read of [...reads, live])
      if (read.rows !== rows) throw new Error(`${read.rows} lignes lues sur ${rows}`);
    const spread = (list: number[], unit: string) =>
      `médiane ${fr(median(list))} ${unit} (de ${fr(Math.min(...list))} à ${fr(Math.max(...list))})`;
    const mo = (bytes: number) => fr(bytes / 1024 / 1024, 1);
    process.stdout.write(
      [
        `Classeur de ${fr(rows)} lignes × ${ESTABLISHMENT_COLUMNS.length} colonnes : ${fr(statSync(path).size / 1024)} Ko`,
        `Lecture (${runs} processus) : ${spread(
          reads.map((r) => r.ms),
          "ms",
        )}, CPU ${spread(
          reads.map((r) => r.cpuMs),
          "ms",
        )}`,
        `RSS de pointe : ${spread(
          reads.map((r) => r.maxRssKb / 1024),
          "Mo",
        )}, dont ${fr(floor.maxRssKb / 1024)} Mo pour le seul chargement`,
        `Mémoire tenue au plus (après ramassage, toutes les 500 lignes) : ${mo(live.held)} Mo, dont ${mo(floor.held)} Mo au chargement`,
        "",
      ].join("\n"),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
