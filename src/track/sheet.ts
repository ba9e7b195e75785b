import ExcelJS from "exceljs";
import { csvField } from "../batch/report.js";
import { daysFrom } from "./state.js";
import type { ListedEstablishment } from "./store/store.js";
import type { TrackTexts } from "./texts.js";

/**
 * The list as a spreadsheet: CSV (UTF-8 with BOM, `;`, formulas neutralised as in the batch report) or XLSX.
 * FINESS numbers are text, so a spreadsheet keeps their leading zeros. Built in memory: the caller writes it.
 */

const COLUMNS = [
  "finessEG",
  "finessEJ",
  "name",
  "department",
  "ght",
  "phase",
  "nextAction",
  "actor",
  "since",
  "days",
  "renewal",
] as const;

function cells(row: ListedEstablishment, today: string, texts: TrackTexts): (string | number | null)[] {
  return [
    row.finessEG,
    row.finessEJ,
    row.name,
    row.department,
    row.ght,
    texts.phases[row.phase] ?? row.phase,
    row.nextAction,
    row.actor,
    row.since,
    row.since === null ? null : daysFrom(row.since, today),
    row.renewal,
  ];
}

export function listCsv(rows: readonly ListedEstablishment[], today: string, texts: TrackTexts): string {
  const lines = [COLUMNS.map((c) => csvField(texts.columns[c] ?? c)).join(";")];
  for (const row of rows) {
    lines.push(
      cells(row, today, texts)
        .map((v) => (v === null ? "" : csvField(String(v))))
        .join(";"),
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

export async function listXlsx(
  rows: readonly ListedEstablishment[],
  today: string,
  texts: TrackTexts,
): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(texts.columns.sheet ?? "Suivi");
  sheet.columns = COLUMNS.map((c) => ({
    header: texts.columns[c] ?? c,
    key: c,
    width: c === "nextAction" ? 60 : c === "name" || c === "actor" || c === "ght" ? 36 : 14,
    ...(c === "finessEG" || c === "finessEJ" || c === "department" ? { style: { numFmt: "@" } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  for (const row of rows) sheet.addRow(cells(row, today, texts));
  return new Uint8Array(await book.xlsx.writeBuffer());
}
