import { resolve } from "node:path";
import { readFileBounded } from "../io/index.js";
import { batchTexts, count } from "./messages.js";
import { REPORT_FORMAT, type ReportRow, type RowChange, type RowStatus } from "./report.js";

/**
 * `--compare <rapport.json>`: what changed for each establishment since a previous run (rules update, corrected
 * data). An establishment is known by its FINESS EG (the n-th line with the same FINESS EG matches the n-th
 * line of the previous run). Compared: the status, the forms produced, the decisions (contract, presented
 * entity, each form's offers and signatory, certificate parameters, points of attention) and the answers.
 */

interface PreviousRow {
  line: number;
  establishment: string;
  status: RowStatus;
  forms: string[];
  decisions: string[];
  answersHash?: string;
}

export interface PreviousReport {
  file: string;
  toolVersion: string;
  rulesVersion: string;
  rows: Map<string, PreviousRow>;
}

export type LoadResult = { ok: true; report: PreviousReport } | { ok: false; message: string };

function keyOf(finessEG: string, occurrence: number): string {
  return `${finessEG.trim().toUpperCase()}#${occurrence}`;
}

/** Numbers the lines of each FINESS EG in order: the keys that match lines across runs. */
class Occurrences {
  private readonly seen = new Map<string, number>();
  next(finessEG: string, line: number): string {
    const id = finessEG.trim() === "" ? `ligne-${line}` : finessEG.trim().toUpperCase();
    const n = (this.seen.get(id) ?? 0) + 1;
    this.seen.set(id, n);
    return keyOf(id, n);
  }
}

export async function loadPreviousReport(file: string, cwd: string): Promise<LoadResult> {
  const read = await readFileBounded(resolve(cwd, file), file, "batchReport");
  if (!read.ok) return { ok: false, message: read.problem.message };
  const text = Buffer.from(read.bytes).toString("utf8");
  let data: { format?: unknown; toolVersion?: unknown; rulesVersion?: unknown; rows?: unknown };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    return { ok: false, message: batchTexts().output.compareNotReport({ file }) };
  }
  if (data?.format !== REPORT_FORMAT || !Array.isArray(data.rows)) {
    return { ok: false, message: batchTexts().output.compareNotReport({ file }) };
  }
  return {
    ok: true,
    report: previousReport(
      file,
      String(data.toolVersion ?? ""),
      String(data.rulesVersion ?? ""),
      data.rows as Partial<ReportRow>[],
    ),
  };
}

/** A previous run from its rows (read from a rapport.json, or rebuilt by the register from a stored plan). */
export function previousReport(
  file: string,
  toolVersion: string,
  rulesVersion: string,
  rows: readonly Partial<ReportRow>[],
): PreviousReport {
  const byKey = new Map<string, PreviousRow>();
  const occurrences = new Occurrences();
  for (const raw of rows) {
    const line = typeof raw.line === "number" ? raw.line : 0;
    byKey.set(occurrences.next(String(raw.finessEG ?? ""), line), {
      line,
      establishment: String(raw.establishment ?? ""),
      status: (raw.status ?? "erreur") as RowStatus,
      forms: Array.isArray(raw.forms) ? raw.forms.map(String) : [],
      decisions: Array.isArray(raw.decisions) ? raw.decisions.map(String) : [],
      ...(typeof raw.answersHash === "string" ? { answersHash: raw.answersHash } : {}),
    });
  }
  return { file, toolVersion, rulesVersion, rows: byKey };
}

function difference(
  before: readonly string[],
  after: readonly string[],
): { added: string[]; removed: string[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { added: after.filter((x) => !b.has(x)), removed: before.filter((x) => !a.has(x)) };
}

export interface ComparisonSummary {
  previous: string;
  rulesChanged: boolean;
  previousRulesVersion: string;
  unchanged: number;
  changed: { line: number; establishment: string; details: string[] }[];
  added: { line: number; establishment: string }[];
  missing: { line: number; establishment: string }[];
}

/** Compares each row, in input order, with the previous report, and sums up. */
export class Comparison {
  private readonly occurrences = new Occurrences();
  private readonly matched = new Set<string>();
  private unchanged = 0;
  private readonly changed: ComparisonSummary["changed"] = [];
  private readonly added: ComparisonSummary["added"] = [];

  constructor(
    private readonly previous: PreviousReport,
    private readonly rulesVersion: string,
  ) {}

  /** The row's change; `interrompu` and `non-ecrit` rows are not compared (nothing is known of them yet). */
  compare(row: ReportRow): RowChange | undefined {
    const key = this.occurrences.next(row.finessEG, row.line);
    if (row.status === "interrompu" || row.status === "non-ecrit") {
      this.matched.add(key);
      return undefined;
    }
    const before = this.previous.rows.get(key);
    if (!before) {
      this.added.push({ line: row.line, establishment: row.establishment });
      return { kind: "nouveau", details: [] };
    }
    this.matched.add(key);
    const details: string[] = [];
    const t = batchTexts().compare;
    if (before.status !== row.status) details.push(t.status({ before: before.status, after: row.status }));
    else if (row.status === "ok") {
      // Forms and decisions are only known for dossiers produced in both runs.
      const forms = difference(before.forms, row.forms);
      for (const form of forms.added) details.push(t.formAdded({ form }));
      for (const form of forms.removed) details.push(t.formRemoved({ form }));
      const decisions = difference(before.decisions, row.decisions ?? []);
      for (const decision of decisions.added) details.push(t.decisionAdded({ decision }));
      for (const decision of decisions.removed) details.push(t.decisionRemoved({ decision }));
      if (
        details.length === 0 &&
        before.answersHash !== undefined &&
        before.answersHash !== row.answersHash
      ) {
        details.push(t.reprint());
      }
    }
    if (details.length === 0) {
      this.unchanged += 1;
      return { kind: "inchangé", details };
    }
    this.changed.push({ line: row.line, establishment: row.establishment, details });
    return { kind: "modifié", details };
  }

  summary(): ComparisonSummary {
    const missing: ComparisonSummary["missing"] = [];
    for (const [key, row] of this.previous.rows) {
      if (!this.matched.has(key)) missing.push({ line: row.line, establishment: row.establishment });
    }
    return {
      previous: this.previous.file,
      rulesChanged: this.previous.rulesVersion !== this.rulesVersion,
      previousRulesVersion: this.previous.rulesVersion,
      unchanged: this.unchanged,
      changed: this.changed,
      added: this.added,
      missing,
    };
  }
}

/** At most this many establishments are named in the printed summary; the report lists them all. */
const LISTED = 20;

export function comparisonText(s: ComparisonSummary, rulesVersion: string): string {
  const t = batchTexts().compare;
  const lines = [t.title({ file: s.previous })];
  if (s.rulesChanged) lines.push(t.rulesChanged({ before: s.previousRulesVersion, after: rulesVersion }));
  lines.push(
    t.counts({
      changed: count(s.changed.length),
      unchanged: count(s.unchanged),
      added: count(s.added.length),
      missing: count(s.missing.length),
    }),
  );
  for (const c of s.changed.slice(0, LISTED)) {
    lines.push(
      t.changed({
        line: c.line,
        establishment: c.establishment || t.unnamed(),
        details: c.details.join(t.detailSeparator()),
      }),
    );
  }
  if (s.changed.length > LISTED) lines.push(t.moreChanged({ n: count(s.changed.length - LISTED) }));
  for (const m of s.missing.slice(0, LISTED)) {
    lines.push(t.missing({ establishment: m.establishment || t.unnamed(), line: m.line }));
  }
  if (s.missing.length > LISTED) lines.push(t.moreMissing({ n: count(s.missing.length - LISTED) }));
  return `${lines.join("\n")}\n`;
}
