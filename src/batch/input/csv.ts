import { pipeline, Readable } from "node:stream";
import { type CsvError, type Options, parse } from "csv-parse";
import iconv from "iconv-lite";
import { READ_LIMITS, ReadProblemError, readChunks, readProblem } from "../../io/index.js";
import { errnoText, sizeText } from "../../io/texts.js";
import { batchTexts } from "../messages.js";
import type { CellValue } from "../row.js";
import { inputProblem, isBlankLine, type OpenResult, type SourceItem } from "./source.js";

/**
 * CSV as Excel and LibreOffice write it: UTF-8 with or without BOM, UTF-16 with BOM, otherwise Windows-1252;
 * fields separated by `;` (French Excel), `,` or a tab, detected on the header line. Streamed with csv-parse.
 */

export type CsvEncoding = "utf8" | "utf16le" | "utf16be" | "windows1252";
export type CsvDelimiter = ";" | "," | "\t";

const ENCODING_LABEL: Record<CsvEncoding, string> = {
  utf8: "UTF-8",
  utf16le: "UTF-16",
  utf16be: "UTF-16",
  windows1252: "Windows-1252",
};
const DELIMITER_LABEL = { ";": "semicolon", ",": "comma", "\t": "tab" } as const satisfies Record<
  CsvDelimiter,
  string
>;

function csvDescription(format: CsvFormat): string {
  const t = batchTexts().sources;
  return t.csv({
    encoding: ENCODING_LABEL[format.encoding],
    bom: format.bom ? t.bom() : "",
    delimiter: t[DELIMITER_LABEL[format.delimiter]](),
  });
}

export interface CsvFormat {
  encoding: CsvEncoding;
  bom: boolean;
  delimiter: CsvDelimiter;
  /** Lines of the file as a text editor numbers them, for messages. */
  lines: number;
}

/** How many bytes of the file the header line is looked for in. */
const HEAD_BYTES = 256 * 1024;

/** The delimiter used most often outside quotes on the first line; `;` wins ties, as French Excel writes it. */
export function detectDelimiter(firstLine: string): CsvDelimiter {
  const unquoted = firstLine.replace(/"[^"]*"/g, "");
  const counts: [CsvDelimiter, number][] = ([";", ",", "\t"] as const).map((d) => [
    d,
    unquoted.split(d).length - 1,
  ]);
  let best: [CsvDelimiter, number] = [";", 0];
  for (const entry of counts) if (entry[1] > best[1]) best = entry;
  return best[0];
}

function firstLineOf(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) return text.slice(0, i);
  }
  return text;
}

/**
 * Reads the file once: the BOM, whether the whole of it is valid UTF-8 (else it is Windows-1252, as Excel's
 * « CSV (séparateur : point-virgule) » writes it), and the delimiter of its first line.
 */
async function detectFormat(
  path: string,
  shown: string,
): Promise<{ format: CsvFormat; empty: boolean; binary: boolean }> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let utf8 = true;
  let head = Buffer.alloc(0);
  let size = 0;
  let binary = false;
  let newlines = 0;
  let last = 0x0a;
  for await (const bytes of readChunks(path, shown, "csv")) {
    if (head.length < HEAD_BYTES) head = Buffer.concat([head, bytes.subarray(0, HEAD_BYTES - head.length)]);
    size += bytes.length;
    for (const byte of bytes) if (byte === 0x0a) newlines += 1;
    if (bytes.length > 0) last = bytes[bytes.length - 1] ?? last;
    if (utf8) {
      try {
        decoder.decode(bytes, { stream: true });
      } catch {
        utf8 = false;
      }
    }
  }
  if (utf8) {
    try {
      decoder.decode();
    } catch {
      utf8 = false;
    }
  }
  let encoding: CsvEncoding;
  let bom = false;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    encoding = "utf8";
    bom = true;
  } else if (head[0] === 0xff && head[1] === 0xfe) {
    encoding = "utf16le";
    bom = true;
  } else if (head[0] === 0xfe && head[1] === 0xff) {
    encoding = "utf16be";
    bom = true;
  } else {
    encoding = utf8 ? "utf8" : "windows1252";
    binary = head.includes(0);
  }
  const text = iconv.decode(head, encoding);
  const delimiter = detectDelimiter(firstLineOf(text.replace(/^\ufeff/, "")));
  const lines = newlines + (last === 0x0a ? 0 : 1);
  return {
    format: { encoding, bom, delimiter, lines },
    empty: text.replace(/^\ufeff/, "").trim() === "" || size === 0,
    binary,
  };
}

function reasonOf(error: CsvError | undefined, from: number, to: number): string {
  if (error?.code === "CSV_QUOTE_NOT_CLOSED")
    return batchTexts().input.csvQuoteNotClosed({ from, to: Math.max(from, to) });
  return batchTexts().input.csvOther();
}

interface ParsedRecord {
  seq: number;
  record: string[];
}

/** Streams the items of a CSV file of a known format. */
async function* readCsv(path: string, shown: string, format: CsvFormat): AsyncGenerator<SourceItem> {
  // Records and skipped (malformed) records, in file order: both callbacks run synchronously while parsing.
  const skipped: { seq: number; from: number; to: number; error: CsvError | undefined }[] = [];
  let seq = 0;
  let lastLine = 0;
  const options: Options<ParsedRecord, string[]> = {
    delimiter: format.delimiter,
    // A record longer than a line may be (characters, not bytes): csv-parse stops there, never holds more.
    max_record_size: READ_LIMITS.batchLine,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    skip_empty_lines: false,
    on_record: (record, context) => {
      seq += 1;
      lastLine = context.lines;
      return { seq, record };
    },
    on_skip: (error: CsvError | undefined) => {
      seq += 1;
      const to = Math.min(typeof error?.lines === "number" ? error.lines : lastLine + 1, format.lines);
      skipped.push({ seq, from: lastLine + 1, to, error });
      lastLine = to;
      return undefined;
    },
  };
  const parser = parse(options as unknown as Options);
  const stream = parser as unknown as AsyncIterable<ParsedRecord>;
  // pipeline, not pipe: a refusal of the reader (file past its limit) reaches the loop below.
  pipeline(
    Readable.from(readChunks(path, shown, "csv")),
    iconv.decodeStream(format.encoding),
    parser,
    () => {},
  );
  let rowNumber = 0;
  const flushSkipped = function* (before: number): Generator<SourceItem> {
    while (skipped.length > 0 && (skipped[0]?.seq ?? Number.POSITIVE_INFINITY) < before) {
      const skip = skipped.shift();
      if (!skip) break;
      // Past a record too long, the parser has lost track of quotes: the rest of the file cannot be trusted.
      if (skip.error?.code === "CSV_MAX_RECORD_SIZE") {
        throw new ReadProblemError(
          readProblem("LINE_TOO_LONG", shown, {
            line: String(skip.from),
            limit: sizeText(READ_LIMITS.batchLine),
          }),
        );
      }
      rowNumber += 1;
      yield {
        kind: "unreadable",
        line: rowNumber,
        issues: [
          {
            path: "",
            column: "",
            code: "CSV_SYNTAX",
            message: batchTexts().input.csvSyntax({ reason: reasonOf(skip.error, skip.from, skip.to) }),
          },
        ],
      };
    }
  };
  const items = function* (item: ParsedRecord): Generator<SourceItem> {
    yield* flushSkipped(item.seq);
    rowNumber += 1;
    const cells: CellValue[] = item.record;
    if (rowNumber === 1) {
      cells[0] = typeof cells[0] === "string" ? cells[0].replace(/^\ufeff/, "") : cells[0];
      yield { kind: "header", cells };
    } else if (!isBlankLine(cells)) {
      yield { kind: "cells", line: rowNumber, cells };
    }
  };
  for await (const item of stream) yield* items(item);
  yield* flushSkipped(Number.POSITIVE_INFINITY);
}

export async function openCsv(path: string, shown: string): Promise<OpenResult> {
  let detected: Awaited<ReturnType<typeof detectFormat>>;
  try {
    detected = await detectFormat(path, shown);
  } catch (error) {
    if (error instanceof ReadProblemError) return inputProblem(error.problem.code, error.problem.message);
    return inputProblem(
      "INPUT_UNREADABLE",
      batchTexts().input.unreadable({ file: shown, reason: errnoText(error) }),
    );
  }
  if (detected.empty) return inputProblem("INPUT_EMPTY", batchTexts().input.emptyFile({ file: shown }));
  if (detected.binary) return inputProblem("INPUT_BINARY", batchTexts().input.binaryCsv({ file: shown }));
  const { format } = detected;
  return {
    ok: true,
    source: {
      format: "csv",
      description: csvDescription(format),
      read: () => readCsv(path, shown, format),
    },
  };
}
