import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { RowChange } from "./compare.js";

/**
 * rapport.csv and rapport.json: one line per input line, in input order, written as the rows finish (so memory
 * does not grow with the input) under temporary names, renamed into place at the end.
 * rapport.csv is for a spreadsheet (UTF-8 with BOM, `;`, one error per line inside its cell); any cell a
 * spreadsheet would run as a formula is neutralised. rapport.json is the same, for programs and `--compare`.
 */

export const REPORT_CSV = "rapport.csv";
export const REPORT_JSON = "rapport.json";
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

export function csvLine(row: ReportRow, withChanges: boolean): string {
  const cells = [
    String(row.line),
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
  return `${cells.map(csvField).join(";")}\r\n`;
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

  /** Closes both files and renames them into place; `extra` goes after the rows in rapport.json. */
  async finish(extra: Record<string, unknown>): Promise<{ csv: string; json: string }> {
    const tail = Object.entries(extra)
      .map(
        ([key, value]) =>
          `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, "\n  ")}`,
      )
      .join(",\n");
    await this.flush();
    await write(this.json, `${this.rows === 0 ? "" : "\n  "}]${tail === "" ? "" : `,\n${tail}`}\n}\n`);
    await Promise.all([end(this.csv), end(this.json)]);
    const csv = join(this.dir, REPORT_CSV);
    const json = join(this.dir, REPORT_JSON);
    await rename(this.csvTemp, csv);
    await rename(this.jsonTemp, json);
    return { csv, json };
  }

  /** Removes the temporary files (the batch could not finish). */
  async discard(): Promise<void> {
    this.csv.destroy();
    this.json.destroy();
    await rm(this.csvTemp, { force: true });
    await rm(this.jsonTemp, { force: true });
  }
}
