import { join } from "node:path";
import type { Answers, AnswerWarning } from "../answers/types.js";
import type { DossierFile, DossierResult } from "../dossier/build.js";
import { answersHash } from "../dossier/canonical.js";
import type { DossierDates } from "../dossier/dates.js";
import { type DossierIdentity, dossierIdentity } from "../dossier/manifest.js";
import type { DossierTexts } from "../dossier/texts.js";
import { writeDossierFolder } from "../dossier/write.js";
import { DISK_REFUSALS, nodeWritePort, type WritePort } from "../dossier/write-port.js";
import type { Plan } from "../plan/types.js";
import { planDecisions } from "./decisions.js";
import { batchTexts } from "./messages.js";
import { markerFile } from "./resume.js";

/**
 * What is done for one valid line: the plan and the dossier's files (in a worker thread, or in the main thread
 * with `--jobs 0`), then the folder written aside and renamed into place with its marker last (in the main
 * thread). Never throws: a failure is the line's `erreur`, an interruption its `interrompu`, and neither leaves
 * a folder behind.
 */

export interface DossierJob {
  line: number;
  answers: Answers;
  warnings: AnswerWarning[];
  /** Folder name inside the output folder. */
  folder: string;
  /** An existing dossier of that name may be replaced (--resume, --force). */
  replace: boolean;
}

export interface ProducedFinding {
  path?: string;
  file?: string;
  code: string;
  message: string;
}

export interface DossierDone {
  status: "ok" | "erreur" | "interrompu";
  forms: string[];
  decisions: string[];
  findings: ProducedFinding[];
  answersHash: string;
  /** French, for `erreur`. */
  message?: string;
  /**
   * The system refused to write the dossier (ENOSPC, EROFS, EACCES...): the line is not at fault, and the batch
   * stops (src/dossier/write-port.ts DISK_REFUSALS).
   */
  refused?: string;
}

/** Settings shared by every job of a batch: sent once to each worker. */
export interface ProducerSettings {
  outDir: string;
  flatten: boolean;
  dates: DossierDates;
  /** A user's form templates (--templates), or undefined for the bundled ones. */
  templatesDir?: string;
  toolVersion: string;
  /** `--check`: plan each line and report what would be produced, without writing any dossier. */
  check: boolean;
}

/** Builds a dossier's files in memory (src/dossier buildDossier with its loaded dependencies). */
export interface DossierMaker {
  plan(answers: Answers, warnings: AnswerWarning[]): Promise<Plan>;
  texts: DossierTexts;
  build(answers: Answers, plan: Plan, signal: AbortSignal): Promise<DossierResult>;
  /** The file names the plan's forms get in the dossier. */
  formNames(plan: Plan): string[];
}

export function identityOf(
  settings: ProducerSettings,
  answersHash: string,
  rulesVersion: string,
): DossierIdentity {
  return dossierIdentity(
    answersHash,
    { toolVersion: settings.toolVersion, rulesVersion },
    settings.flatten,
    settings.dates,
  );
}

function isAbort(error: unknown): boolean {
  const e = error as { name?: string; code?: string };
  return e?.name === "AbortError" || e?.code === "ABORT_ERR";
}

function planFindings(plan: Plan): ProducedFinding[] {
  return plan.findings
    .filter((f) => f.severity !== "info")
    .map((f) => ({ ...(f.path === undefined ? {} : { path: f.path }), code: f.code, message: f.message }));
}

export type Produce = (job: DossierJob, signal: AbortSignal) => Promise<DossierDone>;

/**
 * A dossier built in memory, its files not yet written: `ok` with `files` (marker last), or already final
 * (`erreur`, `interrompu`, `--check`). Workers build; the main thread writes (`writeBuilt`): creating files
 * blocks in the kernel (measured: ~0.4 ms per file on this machine's ext4), and a worker blocked there left its
 * core idle (~13% of its time), where the main thread has time to spare.
 */
export type DossierBuilt = DossierDone & { files?: DossierFile[] };

export type Build = (job: DossierJob, signal: AbortSignal) => Promise<DossierBuilt>;

function failed(status: "erreur" | "interrompu", answersHash: string, message?: string): DossierDone {
  return {
    status,
    forms: [],
    decisions: [],
    findings: [],
    answersHash,
    ...(message === undefined ? {} : { message }),
  };
}

function caught(error: unknown, signal: AbortSignal, answersHash: string): DossierDone {
  if (isAbort(error) || signal.aborted) return failed("interrompu", answersHash);
  return failed(
    "erreur",
    answersHash,
    batchTexts().rows.internalError({ detail: String((error as Error)?.message ?? error).slice(0, 200) }),
  );
}

export function createBuilder(settings: ProducerSettings, maker: DossierMaker): Build {
  return async (job, signal) => {
    let hash = "";
    try {
      signal.throwIfAborted();
      const plan = await maker.plan(job.answers, job.warnings);
      if (settings.check) {
        return {
          status: "ok",
          forms: maker.formNames(plan),
          decisions: planDecisions(plan),
          findings: planFindings(plan),
          answersHash: answersHash(job.answers),
        };
      }
      const dossier = await maker.build(job.answers, plan, signal);
      hash = dossier.answersHash;
      const forms = dossier.files.filter((f) => f.name.endsWith(".pdf")).map((f) => f.name);
      const pdfForms = forms.filter((name) => name !== maker.texts.files.routeSheet);
      const findings: ProducedFinding[] = [
        ...planFindings(plan),
        ...dossier.findings
          .filter((f) => f.finding.severity !== "info")
          .map((f) => ({ file: f.file, code: f.finding.code, message: f.finding.message })),
      ];
      const decisions = planDecisions(plan);
      const identity = identityOf(settings, dossier.answersHash, plan.generator.rulesVersion);
      const summary = {
        forms: pdfForms,
        decisions,
        warnings: findings.map((f) => ({
          column: "",
          path: f.path ?? "",
          code: f.code,
          message: f.message,
          ...(f.file ? { file: f.file } : {}),
        })),
      };
      const files = [
        ...dossier.files,
        markerFile(identity, summary, dossier.files, maker.texts.manifestNote),
      ];
      return { status: "ok", forms: pdfForms, decisions, findings, answersHash: hash, files };
    } catch (error) {
      return caught(error, signal, hash);
    }
  };
}

/**
 * Writes a built dossier's folder aside then renames it into place, marker last (nothing once `signal` is
 * aborted); returns what the report says of it.
 */
export async function writeBuilt(
  settings: ProducerSettings,
  texts: DossierTexts,
  job: DossierJob,
  built: DossierBuilt,
  signal: AbortSignal,
  port: WritePort = nodeWritePort,
): Promise<DossierDone> {
  const { files, ...done } = built;
  if (!files) return done;
  try {
    const written = await writeDossierFolder(join(settings.outDir, job.folder), files, {
      force: job.replace,
      signal,
      texts,
      shown: job.folder,
      // No sync: --resume checks every file against the SHA-256 in the marker.
      durability: "none",
      // A file damaged by a power cut is redone; files the mark does not list are never touched.
      replaceChanged: true,
      port,
    });
    if (written.ok) return done;
    if (written.error.code === "ABORTED") return failed("interrompu", done.answersHash);
    const refused = written.error.reason;
    return {
      ...failed("erreur", done.answersHash, written.error.message),
      ...(refused !== undefined && DISK_REFUSALS.has(refused) ? { refused } : {}),
    };
  } catch (error) {
    return caught(error, signal, done.answersHash);
  }
}

/** Builds and writes, in one thread (`--jobs 0`). */
export function createProducer(
  settings: ProducerSettings,
  maker: DossierMaker,
  port: WritePort = nodeWritePort,
): Produce {
  const build = createBuilder(settings, maker);
  return async (job, signal) =>
    writeBuilt(settings, maker.texts, job, await build(job, signal), signal, port);
}
