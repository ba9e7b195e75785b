import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { RowChange } from "./compare.js";

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

export type RowStatus = "ok" | "erreur" | "interrompu";

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
  if (name === REPORT_CSV)
    return head.startsWith(`\ufeff${csvHeaders(false).slice(0, 5).map(csvField).join(";")};`);
  return /^\{\s*"format":\s*"diapason-dossier\/rapport-lot\/1"/.test(head);
}

const STATUS_TEXT: Record<RowStatus, string> = { ok: "ok", erreur: "erreur", interrompu: "interrompu" };

function issueText(issue: ReportIssue): string {
  if (issue.file) return `${issue.file} : ${issue.message}`;
  if (issue.column === "") return issue.message;
  return `« ${issue.column} »${issue.columnMissing ? " (colonne absente)" : ""} : ${issue.message}`;
}

export function changeText(change: RowChange | undefined): string {
  if (!change) return "";
  return change.details.length > 0 ? `${change.kind} : ${change.details.join(" ; ")}` : change.kind;
}

function csvHeaders(withChanges: boolean): string[] {
  return [
    "Ligne",
    "Fichier",
    "Établissement",
    "FINESS EG",
    "Statut",
    "Dossier",
    "Formulaires produits",
    "Avertissements",
    "Erreurs",
    ...(withChanges ? ["Changements depuis le lot précédent"] : []),
    "Remarque",
  ];
}

/** The report's cells of a row, as text (the line number as a number), in the order of the headers. */
function reportCells(row: ReportRow, withChanges: boolean): [number, ...string[]] {
  return [
    row.line,
    row.file ?? "",
    row.establishment,
    row.finessEG,
    STATUS_TEXT[row.status],
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

/** Column widths of rapport.xlsx, in characters, by header. */
const XLSX_WIDTHS: Record<string, number> = {
  Ligne: 8,
  Fichier: 20,
  Établissement: 32,
  "FINESS EG": 12,
  Statut: 11,
  Dossier: 36,
  "Formulaires produits": 40,
  Avertissements: 60,
  Erreurs: 80,
  "Changements depuis le lot précédent": 50,
  Remarque: 40,
};

type XlsxWorkbook = import("exceljs").stream.xlsx.WorkbookWriter;
type XlsxSheet = import("exceljs").Worksheet;

/** rapport.xlsx, streamed row by row (exceljs's WorkbookWriter): memory does not grow with the input. */
class XlsxReport {
  private rows = 0;

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
    private readonly workbook: XlsxWorkbook,
    private readonly sheet: XlsxSheet,
    private readonly width: number,
    private readonly withChanges: boolean,
  ) {}

  static async open(path: string, withChanges: boolean): Promise<XlsxReport> {
    // Loaded only for the report: the workers never need it.
    const ExcelJS = (await import("exceljs")).default;
    const stream = createWriteStream(path);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet("Rapport", { views: [{ state: "frozen", ySplit: 1 }] });
    const headers = csvHeaders(withChanges);
    sheet.columns = headers.map((header) => ({
      header,
      width: XLSX_WIDTHS[header] ?? 20,
      style: {
        alignment: { vertical: "top", wrapText: header !== "Ligne" },
        // Text format: a FINESS such as 010003820 stays text when someone edits the cell.
        ...(header === "Ligne" ? {} : { numFmt: "@" }),
      },
    }));
    const head = sheet.getRow(1);
    head.font = { bold: true };
    head.commit();
    return new XlsxReport(path, stream, workbook, sheet, headers.length, withChanges);
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

  discard(): void {
    this.stream.destroy();
  }
}

function write(stream: WriteStream, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    stream.once("error", onError);
    if (stream.write(chunk)) {
      stream.off("error", onError);
      resolve();
    } else {
      stream.once("drain", () => {
        stream.off("error", onError);
        resolve();
      });
    }
  });
}

function end(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("error", reject);
    stream.end(() => resolve());
  });
}

/** Characters of report lines kept before they are written (both files together). */
const PENDING_BYTES = 64 * 1024;

export class ReportWriter {
  private rows = 0;
  private readonly csvTemp: string;
  private readonly jsonTemp: string;

  private constructor(
    private readonly dir: string,
    private readonly csv: WriteStream,
    private readonly json: WriteStream,
    private readonly xlsx: XlsxReport,
    private readonly withChanges: boolean,
  ) {
    this.csvTemp = csv.path.toString();
    this.jsonTemp = json.path.toString();
  }

  static async open(dir: string, meta: ReportMeta, withChanges: boolean): Promise<ReportWriter> {
    const temp = (name: string) => join(dir, `.${name}.tmp-${process.pid}`);
    const writer = new ReportWriter(
      dir,
      createWriteStream(temp(REPORT_CSV)),
      createWriteStream(temp(REPORT_JSON)),
      await XlsxReport.open(temp(REPORT_XLSX), withChanges),
      withChanges,
    );
    await write(writer.csv, `\ufeff${csvHeaders(withChanges).map(csvField).join(";")}\r\n`);
    const head = { format: REPORT_FORMAT, ...meta };
    await write(writer.json, `${JSON.stringify(head, null, 2).replace(/\n}$/, "")},\n  "rows": [`);
    return writer;
  }

  /**
   * Lines not written yet: written together once they reach PENDING_BYTES (a write per line cost the main
   * thread ~0.3 ms per row in system calls, beside the workers). The files are temporary until `finish`.
   */
  private pendingCsv: string[] = [];
  private pendingJson: string[] = [];
  private pendingLength = 0;

  async add(row: ReportRow): Promise<void> {
    const csv = csvLine(row, this.withChanges);
    const json = `${this.rows === 0 ? "\n" : ",\n"}    ${JSON.stringify(row)}`;
    this.pendingCsv.push(csv);
    this.pendingJson.push(json);
    this.xlsx.add(row);
    this.pendingLength += csv.length + json.length;
    this.rows += 1;
    if (this.pendingLength >= PENDING_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    const csv = this.pendingCsv.join("");
    const json = this.pendingJson.join("");
    this.pendingCsv = [];
    this.pendingJson = [];
    this.pendingLength = 0;
    await Promise.all([write(this.csv, csv), write(this.json, json)]);
  }

  /** Closes the three files and renames them into place; `extra` goes after the rows in rapport.json. */
  async finish(extra: Record<string, unknown>): Promise<{ csv: string; json: string; xlsx: string }> {
    const tail = Object.entries(extra)
      .map(
        ([key, value]) =>
          `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, "\n  ")}`,
      )
      .join(",\n");
    await this.flush();
    await write(this.json, `${this.rows === 0 ? "" : "\n  "}]${tail === "" ? "" : `,\n${tail}`}\n}\n`);
    await Promise.all([end(this.csv), end(this.json), this.xlsx.finish()]);
    const csv = join(this.dir, REPORT_CSV);
    const json = join(this.dir, REPORT_JSON);
    const xlsx = join(this.dir, REPORT_XLSX);
    await rename(this.csvTemp, csv);
    await rename(this.jsonTemp, json);
    await rename(this.xlsx.path, xlsx);
    return { csv, json, xlsx };
  }

  /** Removes the temporary files (the batch could not finish). */
  async discard(): Promise<void> {
    this.csv.destroy();
    this.json.destroy();
    this.xlsx.discard();
    await rm(this.csvTemp, { force: true });
    await rm(this.jsonTemp, { force: true });
    await rm(this.xlsx.path, { force: true });
  }
}
