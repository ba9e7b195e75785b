import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { READ_LIMITS, ReadProblemError, readFileBounded } from "../../io/index.js";
import { detailText, errnoText, fileErrorText } from "../../io/texts.js";
import { batchTexts } from "../messages.js";
import type { CellValue } from "../row.js";
import { inputProblem, isBlankLine, type OpenResult, type SourceItem } from "./source.js";
import { type ArchiveEntry, checkXlsxArchive, relaidArchive, WORKSHEET } from "./xlsx-archive.js";

/**
 * An Excel workbook (.xlsx), streamed with exceljs's WorkbookReader: only its first sheet is read (the model's
 * second sheet explains the columns). Cell values keep their type; formulas give their result.
 */

/**
 * exceljs's WorkbookReader parses a workbook's entries in their stored order, and sets a worksheet met before
 * the shared strings aside in a temporary file, to parse it once the archive is read. Its unzipper does not
 * wait: it reports the end of the archive as soon as it has consumed the bytes, and the entries it had not
 * handed over yet are lost (exceljs issue #3064). exceljs, and so our own model, stores xl/workbook.xml last:
 * while a sheet was being written to its temporary file, it was lost now and then, and the sheet then failed
 * with « Cannot read properties of undefined (reading 'sheets') ».
 *
 * exceljs is therefore given the parts it needs first, then the worksheets. Up to the first worksheet it only
 * parses bytes in memory, never behind the unzipper (whose every step waits for a turn of the event loop),
 * and parses that sheet as it meets it; without shared strings, the sheet goes to its temporary file with the
 * workbook already parsed, and only entries after it can be lost, which are not read.
 */
const PARTS_FIRST = [
  "[Content_Types].xml",
  "_rels/.rels",
  "xl/_rels/workbook.xml.rels",
  "xl/workbook.xml",
  "xl/sharedStrings.xml",
  "xl/styles.xml",
];

/**
 * The entries in the order exceljs's reader needs: the parts above, the worksheets by number (the first one is
 * sheet1.xml, the workbook's first tab as Excel, LibreOffice and exceljs write it), then the rest as stored.
 */
export function readingOrder(entries: readonly ArchiveEntry[]): ArchiveEntry[] {
  const rank = (entry: ArchiveEntry): [number, number] => {
    const part = PARTS_FIRST.indexOf(entry.name);
    if (part !== -1) return [part, 0];
    const sheet = WORKSHEET.exec(entry.name);
    return sheet ? [PARTS_FIRST.length, Number(sheet[1])] : [PARTS_FIRST.length + 1, 0];
  };
  // A stable sort: entries of the same rank keep their stored order.
  return entries
    .map((entry) => ({ entry, rank: rank(entry) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1])
    .map(({ entry }) => entry);
}

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
  // The archive is read once (within its limit) and checked; exceljs parses these very bytes, re-laid.
  const read = await readFileBounded(path, shown, "xlsx");
  if (!read.ok) throw new ReadProblemError(read.problem);
  const bytes = Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength);
  const archive = await checkXlsxArchive(bytes, shown, {
    uncompressed: READ_LIMITS.xlsxUncompressed,
    // The header line, then at most the batch's establishments.
    rows: READ_LIMITS.batchRows + 1,
  });
  if (!archive.ok) throw new ReadProblemError(archive.problem);
  const relaid = relaidArchive(bytes, readingOrder(archive.entries));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(relaid), {
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
    return inputProblem(
      "INPUT_UNREADABLE",
      batchTexts().input.unreadable({ file: shown, reason: errnoText(error) }),
    );
  }
  if (size === 0) return inputProblem("INPUT_EMPTY", batchTexts().input.emptyFile({ file: shown }));
  if (OLE_MAGIC.every((b, i) => head[i] === b)) {
    return inputProblem(
      "INPUT_XLSX",
      fileErrorText("XLSX_UNSUPPORTED", { file: shown, detail: detailText("encrypted") }),
    );
  }
  if (!ZIP_MAGIC.every((b, i) => head[i] === b)) {
    return inputProblem(
      "INPUT_XLSX",
      batchTexts().input.badXlsx({ file: shown, reason: batchTexts().input.notAnArchive() }),
    );
  }
  return {
    ok: true,
    source: {
      format: "xlsx",
      description: batchTexts().sources.xlsx(),
      read: () => readXlsx(path, shown),
    },
  };
}
