import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { READ_LIMITS, ReadProblemError, readFileBounded } from "../../io/index.js";
import { detailText, fileErrorText } from "../../io/texts.js";
import { batchText } from "../messages.js";
import type { CellValue } from "../row.js";
import { errnoReason, inputProblem, isBlankLine, type OpenResult, type SourceItem } from "./source.js";
import { checkXlsxArchive } from "./xlsx-archive.js";

/**
 * An Excel workbook (.xlsx), streamed with exceljs's WorkbookReader: only its first sheet is read (the model's
 * second sheet explains the columns). Cell values keep their type; formulas give their result.
 */

/** A cell of exceljs as a plain value: rich text and hyperlinks as their text, a formula as its result. */
export function plainCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value;
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (typeof v.error === "string") return { error: v.error };
    if (Array.isArray(v.richText)) {
      return v.richText.map((part) => String((part as { text?: unknown }).text ?? "")).join("");
    }
    if ("formula" in v || "sharedFormula" in v) return plainCell(v.result);
    if ("text" in v) return plainCell(v.text);
  }
  return String(value);
}

/** The row's values from column A, as exceljs gives them from index 1. */
function rowCells(values: unknown): CellValue[] {
  if (!Array.isArray(values)) return [];
  const cells: CellValue[] = [];
  for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
  return cells;
}

async function* readXlsx(path: string, shown: string): AsyncGenerator<SourceItem> {
  // The archive is read once (within its limit) and checked; exceljs parses these very bytes.
  const read = await readFileBounded(path, shown, "xlsx");
  if (!read.ok) throw new ReadProblemError(read.problem);
  const bytes = Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength);
  const archive = await checkXlsxArchive(bytes, shown, {
    uncompressed: READ_LIMITS.xlsxUncompressed,
    // The header line, then at most the batch's establishments.
    rows: READ_LIMITS.batchRows + 1,
  });
  if (!archive.ok) throw new ReadProblemError(archive.problem);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    entries: "ignore",
  });
  let headerSeen = false;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const cells = rowCells(row.values);
      if (!headerSeen) {
        if (isBlankLine(cells)) continue;
        headerSeen = true;
        yield { kind: "header", cells };
      } else if (!isBlankLine(cells)) {
        yield { kind: "cells", line: row.number, cells };
      }
    }
    // Only the first sheet holds establishments; reading on would only parse the explanations.
    break;
  }
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** An Office file protected by a password is an OLE compound file, not a ZIP archive. */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

export async function openXlsx(path: string, shown: string): Promise<OpenResult> {
  let head: Buffer;
  let size: number;
  try {
    const handle = await open(path, "r");
    try {
      size = (await handle.stat()).size;
      head = Buffer.alloc(4);
      await handle.read(head, 0, 4, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return inputProblem("INPUT_UNREADABLE", batchText.unreadable(shown, errnoReason(error)));
  }
  if (size === 0) return inputProblem("INPUT_EMPTY", batchText.emptyFile(shown));
  if (OLE_MAGIC.every((b, i) => head[i] === b)) {
    return inputProblem(
      "INPUT_XLSX",
      fileErrorText("XLSX_UNSUPPORTED", { file: shown, detail: detailText("encrypted") }),
    );
  }
  if (!ZIP_MAGIC.every((b, i) => head[i] === b)) {
    return inputProblem("INPUT_XLSX", batchText.badXlsx(shown, "ce n'est pas une archive de classeur"));
  }
  return {
    ok: true,
    source: {
      format: "xlsx",
      description: "classeur Excel, première feuille",
      read: () => readXlsx(path, shown),
    },
  };
}
