import { readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { type AppendFile, refusedIn, type WritePort } from "../dossier/write-port.js";
import { batchTexts } from "./messages.js";

/**
 * rapport.csv, rapport.json and rapport.xlsx: one line per input line, in input order, written as the rows
 * finish (so memory does not grow with the input) under temporary names, renamed into place at the end.
 * rapport.csv is for a spreadsheet (UTF-8 with BOM, `;`, one error per line inside its cell); any cell a
 * spreadsheet would run as a formula is neutralised. rapport.json is the same, for programs and `--compare`.
 * rapport.xlsx is the same table as a workbook, so that Excel keeps a FINESS as text (its cells are text,
 * never formulas): filters on the header, header row frozen, messages wrapped in their cells.
 */

export const REPORT_CSV = "rapport.csv";
export const REPORT_JSON = "rapport.json";
export const REPORT_XLSX = "rapport.xlsx";
export const REPORT_FORMAT = "diapason-dossier/rapport-lot/1";

/** What changed for an establishment since the run given to `--compare` (src/batch/compare.ts). */
export type ChangeKind = "nouveau" | "inchangé" | "modifié";

export interface RowChange {
  kind: ChangeKind;
  /** French, one per difference. */
  details: string[];
}

/** `non-ecrit`: the line was not done because the system refused to write (full disk, read-only folder). */
export type RowStatus = "ok" | "erreur" | "interrompu" | "non-ecrit";

export interface ReportIssue {
  /** The header as written in the input (for JSON Lines and folders, the field's dotted path), or empty. */
  column: string;
  columnMissing?: boolean;
  path: string;
  code: string;
  message: string;
  /** For a finding of the dossier itself: the file it is about. */
  file?: string;
}

export interface ReportRow {
  /** Spreadsheet line (header = 1), JSON Lines line, or position of the file in a folder. */
  line: number;
  /** For a folder of answers files: the file. */
  file?: string;
  establishment: string;
  finessEG: string;
  status: RowStatus;
  /** The dossier's folder, for `ok`. */
  folder?: string;
  forms: string[];
  warnings: ReportIssue[];
  errors: ReportIssue[];
  answersHash?: string;
  decisions?: string[];
  /** True when `--resume` found the dossier complete and did not redo it. */
  resumed?: boolean;
  note?: string;
  change?: RowChange;
}

export interface ReportMeta {
  input: string;
  toolVersion: string;
  rulesVersion: string;
  startedAt: string;
}

export interface ReportSummary {
  total: number;
  ok: number;
  rejected: number;
  interrupted: number;
  /** Lines not done because the system refused to write. */
  notWritten: number;
  resumed: number;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe. */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One CSV field: neutralised, quoted when it holds the delimiter, a quote or a line break. */
export function csvField(value: string): string {
  const safe = neutralise(value);
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Whether the start of an existing report file is one a batch wrote (its header line, or its format): a file of
 * that name written by someone else is never replaced.
 */
export function isBatchReport(name: string, head: string): boolean {
  // A workbook is a ZIP archive: its start says no more (the batch writes it beside its rapport.json).
  if (name === REPORT_XLSX) return head.startsWith("PK\u0003\u0004");
  if (name === REPORT_CSV)
    return head.startsWith(`\ufeff${csvHeaders(false).slice(0, 5).map(csvField).join(";")};`);
  return /^\{\s*"format":\s*"diapason-dossier\/rapport-lot\/1"/.test(head);
}

function issueText(issue: ReportIssue): string {
  const t = batchTexts().report;
  const { column, message } = issue;
  if (issue.file) return t.fileIssue({ file: issue.file, message });
  if (column === "") return message;
  return (issue.columnMissing ? t.missingColumnIssue : t.columnIssue)({ column, message });
}

export function changeText(change: RowChange | undefined): string {
  if (!change) return "";
  const t = batchTexts();
  const kind = t.report.changes[change.kind]();
  return change.details.length > 0
    ? t.report.change({ kind, details: change.details.join(t.compare.detailSeparator()) })
    : kind;
}

type Column = keyof ReturnType<typeof batchTexts>["report"]["headers"];

/** The report's columns, in order. */
function columns(withChanges: boolean): Column[] {
  return [
    "line",
    "file",
    "establishment",
    "finessEG",
    "status",
    "folder",
    "forms",
    "warnings",
    "errors",
    ...(withChanges ? (["changes"] as const) : []),
    "note",
  ];
}

function csvHeaders(withChanges: boolean): string[] {
  const headers = batchTexts().report.headers;
  return columns(withChanges).map((column) => headers[column]());
}

/** The report's cells of a row, as text (the line number as a number), in the order of the headers. */
function reportCells(row: ReportRow, withChanges: boolean): [number, ...string[]] {
  return [
    row.line,
    row.file ?? "",
    row.establishment,
    row.finessEG,
    batchTexts().report.statuses[row.status](),
    row.folder ?? "",
    row.forms.join("\n"),
    row.warnings.map(issueText).join("\n"),
    row.errors.map(issueText).join("\n"),
    ...(withChanges ? [changeText(row.change)] : []),
    row.note ?? "",
  ];
}

export function csvLine(row: ReportRow, withChanges: boolean): string {
  const [line, ...cells] = reportCells(row, withChanges);
  return `${[String(line), ...cells].map(csvField).join(";")}\r\n`;
}

/** Column widths of rapport.xlsx, in characters. */
const XLSX_WIDTHS: Record<Column, number> = {
  line: 8,
  file: 20,
  establishment: 32,
  finessEG: 12,
  status: 11,
  folder: 36,
  forms: 40,
  warnings: 60,
  errors: 80,
  changes: 50,
  note: 40,
};

type XlsxWorkbook = import("exceljs").stream.xlsx.WorkbookWriter;
type XlsxSheet = import("exceljs").Worksheet;

/** rapport.xlsx, streamed row by row (exceljs's WorkbookWriter): memory does not grow with the input. */
class XlsxReport {
  private rows = 0;

  private constructor(
    private readonly workbook: XlsxWorkbook,
    private readonly sheet: XlsxSheet,
    private readonly width: number,
    private readonly withChanges: boolean,
  ) {}

  /**
   * `push` receives the workbook's bytes as exceljs makes them; the writer puts them on the disk with the other
   * two files (so that a refused write is handled in one place, and the bytes can move elsewhere).
   */
  static async open(push: (bytes: Uint8Array) => void, withChanges: boolean): Promise<XlsxReport> {
    // Loaded only for the report: the workers never need it.
    const ExcelJS = (await import("exceljs")).default;
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        push(new Uint8Array(chunk));
        done();
      },
    });
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream,
      useStyles: true,
      useSharedStrings: false,
    });
    const texts = batchTexts().report;
    const sheet = workbook.addWorksheet(texts.sheet(), { views: [{ state: "frozen", ySplit: 1 }] });
    const headers = columns(withChanges);
    sheet.columns = headers.map((column) => ({
      header: texts.headers[column](),
      width: XLSX_WIDTHS[column],
      style: {
        alignment: { vertical: "top", wrapText: column !== "line" },
        // Text format: a FINESS such as 010003820 stays text when someone edits the cell.
        ...(column === "line" ? {} : { numFmt: "@" }),
      },
    }));
    const head = sheet.getRow(1);
    head.font = { bold: true };
    head.commit();
    return new XlsxReport(workbook, sheet, headers.length, withChanges);
  }

  add(row: ReportRow): void {
    this.sheet.addRow(reportCells(row, this.withChanges)).commit();
    this.rows += 1;
  }

  /** Writes the end of the workbook: filters over the header and every row. */
  async finish(): Promise<void> {
    this.sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: this.rows + 1, column: this.width } };
    this.sheet.commit();
    await this.workbook.commit();
  }
}

/** Characters of report lines kept before they are written (both files together). */
const PENDING_BYTES = 64 * 1024;

const encoder = new TextEncoder();

/** One report file, temporary until the end: text not yet written, and how many bytes are written for sure. */
class ReportSink {
  pending: (string | Uint8Array)[] = [];
  committed = 0;

  private constructor(
    readonly temp: string,
    private readonly file: AppendFile,
  ) {}

  static async create(port: WritePort, dir: string, name: string): Promise<ReportSink> {
    const temp = join(dir, `.${name}.tmp-${process.pid}`);
    try {
      return new ReportSink(temp, await port.create(temp));
    } catch (error) {
      throw refusedIn(error, dir);
    }
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    // Taken now: the workbook's bytes may keep coming while this write waits.
    const parts = this.pending;
    this.pending = [];
    const bytes = Buffer.concat(
      parts.map((part) => (typeof part === "string" ? encoder.encode(part) : part)),
    );
    try {
      await this.file.append(bytes);
    } catch (error) {
      this.pending = [...parts, ...this.pending];
      throw refusedIn(error, dirname(this.temp));
    }
    this.committed += bytes.length;
  }

  /** The same file in `dir`: what was written for sure is copied there, what was not yet is kept to write. */
  async moveTo(port: WritePort, dir: string, name: string): Promise<ReportSink> {
    const next = await ReportSink.create(port, dir, name);
    try {
      await next.file.append((await readFile(this.temp)).subarray(0, this.committed));
    } catch (error) {
      await next.discard();
      throw refusedIn(error, dir);
    }
    next.committed = this.committed;
    next.pending = this.pending;
    await this.discard();
    return next;
  }

  async close(): Promise<void> {
    try {
      await this.file.close();
    } catch (error) {
      throw refusedIn(error, dirname(this.temp));
    }
  }

  async discard(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await rm(this.temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Writes rapport.csv and rapport.json as rows come. Every write the system refuses is a WriteRefused, after which nothing
 * is lost: `moveTo` carries the report on elsewhere (the system's temporary folder, when the output folder's disk
 * is full or read-only).
 */
export class ReportWriter {
  private rows = 0;
  private pendingLength = 0;

  private constructor(
    private readonly port: WritePort,
    private dir: string,
    private csv: ReportSink,
    private json: ReportSink,
    private xlsxSink: ReportSink,
    private readonly withChanges: boolean,
  ) {}

  /** Set once the workbook is started (it sends its first bytes to `xlsxSink` meanwhile). */
  private xlsx: XlsxReport | undefined;

  /** The folder the report is being written to. */
  get directory(): string {
    return this.dir;
  }

  static async open(
    port: WritePort,
    dir: string,
    meta: ReportMeta,
    withChanges: boolean,
  ): Promise<ReportWriter> {
    const sinks: ReportSink[] = [];
    try {
      for (const name of [REPORT_CSV, REPORT_JSON, REPORT_XLSX])
        sinks.push(await ReportSink.create(port, dir, name));
    } catch (error) {
      for (const sink of sinks) await sink.discard();
      throw error;
    }
    const [csv, json, xlsx] = sinks as [ReportSink, ReportSink, ReportSink];
    const writer = new ReportWriter(port, dir, csv, json, xlsx, withChanges);
    writer.xlsx = await XlsxReport.open((bytes) => writer.xlsxSink.pending.push(bytes), withChanges);
    csv.pending.push(`\ufeff${csvHeaders(withChanges).map(csvField).join(";")}\r\n`);
    const head = { format: REPORT_FORMAT, ...meta };
    json.pending.push(`${JSON.stringify(head, null, 2).replace(/\n}$/, "")},\n  "rows": [`);
    try {
      await writer.flush();
    } catch (error) {
      await writer.discard();
      throw error;
    }
    return writer;
  }

  /**
   * Lines not written yet: written together once they reach PENDING_BYTES (a write per line cost the main
   * thread ~0.3 ms per row in system calls, beside the workers). The files are temporary until `finish`.
   */
  async add(row: ReportRow): Promise<void> {
    this.queue(row);
    await this.flushIfDue();
  }

  /** Adds a row without writing: nothing can fail. */
  queue(row: ReportRow): void {
    const csv = csvLine(row, this.withChanges);
    const json = `${this.rows === 0 ? "\n" : ",\n"}    ${JSON.stringify(row)}`;
    this.csv.pending.push(csv);
    this.json.pending.push(json);
    this.xlsx?.add(row);
    this.pendingLength += csv.length + json.length;
    this.rows += 1;
  }

  /** Writes the rows queued once they reach PENDING_BYTES (again after a refusal: nothing is written twice). */
  async flushIfDue(): Promise<void> {
    if (this.pendingLength >= PENDING_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    await this.csv.flush();
    await this.json.flush();
    await this.xlsxSink.flush();
    this.pendingLength = 0;
  }

  /** Carries the report on in `dir` (after a WriteRefused): nothing already added is lost. */
  async moveTo(dir: string): Promise<void> {
    await this.port.mkdir(dir, { recursive: true }).catch((error: unknown) => {
      throw refusedIn(error, dir);
    });
    this.csv = await this.csv.moveTo(this.port, dir, REPORT_CSV);
    this.json = await this.json.moveTo(this.port, dir, REPORT_JSON);
    this.xlsxSink = await this.xlsxSink.moveTo(this.port, dir, REPORT_XLSX);
    this.dir = dir;
  }

  /** Closes the three files and renames them into place; `extra` goes after the rows in rapport.json. */
  async finish(extra: Record<string, unknown>): Promise<{ csv: string; json: string; xlsx: string }> {
    const tail = Object.entries(extra)
      .map(
        ([key, value]) =>
          `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, "\n  ")}`,
      )
      .join(",\n");
    if (!this.closing) {
      this.json.pending.push(`${this.rows === 0 ? "" : "\n  "}]${tail === "" ? "" : `,\n${tail}`}\n}\n`);
      // The workbook's end goes to its pending bytes: nothing here touches the disk.
      await this.xlsx?.finish();
      this.closing = true;
    }
    await this.flush();
    const sinks = [
      [this.csv, REPORT_CSV],
      [this.json, REPORT_JSON],
      [this.xlsxSink, REPORT_XLSX],
    ] as const;
    for (const [sink] of sinks) await sink.close();
    const [csv, json, xlsx] = sinks.map(([, name]) => join(this.dir, name)) as [string, string, string];
    try {
      for (const [sink, name] of sinks) await this.port.rename(sink.temp, join(this.dir, name));
    } catch (error) {
      throw refusedIn(error, this.dir);
    }
    return { csv, json, xlsx };
  }

  private closing = false;

  /** Removes the temporary files (the batch could not finish). */
  async discard(): Promise<void> {
    await this.csv.discard();
    await this.json.discard();
    await this.xlsxSink.discard();
  }
}
