import { randomBytes } from "node:crypto";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadAnswersValidator, loadRuleSet } from "../assets/index.js";
import { answersHash } from "../dossier/canonical.js";
import { dossierDates } from "../dossier/dates.js";
import { loadDossierTexts } from "../dossier/texts.js";
import { nodeWritePort, WriteRefused } from "../dossier/write-port.js";
import type { CliIo } from "../io/port.js";
import { EXIT, UsageError } from "../io/port.js";
import { loadColumnCatalog } from "./catalog.js";
import { Comparison, comparisonText, loadPreviousReport } from "./compare.js";
import { createEngine, type Engine } from "./engine.js";
import { openInput } from "./input/open.js";
import { scanInput } from "./input/scan.js";
import type { SourceItem } from "./input/source.js";
import { batchText, batchTexts } from "./messages.js";
import { FolderNames } from "./naming.js";
import { prepareOutput } from "./output.js";
import { type Prepared, prepareItem, toIssue } from "./prepare.js";
import { identityOf, type ProducerSettings } from "./producer.js";
import { createProgress } from "./progress.js";
import { REPORT_CSV, REPORT_JSON, REPORT_XLSX, type ReportRow, type ReportSummary } from "./report.js";
import { ReportKeeper } from "./report-keeper.js";
import { completeDossier } from "./resume.js";

/**
 * `batch`: reads the input (streamed), checks each line in the main thread, has the worker threads write one
 * dossier per valid line, and writes the report in input order. Lines finished but not yet reported are
 * bounded (WINDOW), so memory does not grow with the input.
 */

export interface BatchOptions {
  input: string;
  output: string;
  resume: boolean;
  force: boolean;
  quiet: boolean;
  compare?: string;
  /** Worker threads; 0 = produce in the main thread. */
  jobs?: number;
  flatten: boolean;
  /** Only check the lines and write the report: no dossier. */
  check: boolean;
  orderDate?: string;
  templatesDir?: string;
  /** The tool's version, read once by the caller: in the report and each dossier's trace. */
  toolVersion: string;
}

/** Exit code of an interrupted batch (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

/** Lines read ahead of the oldest one not yet reported. */
const WINDOW = 64;

/**
 * One worker thread per core but one: the main thread reads and checks the lines and writes every dossier's
 * files, nearly as much CPU per dossier as the workers' builds (measured on 2 cores: 1.7 to 5.5 ms of the main
 * thread's CPU per dossier, 3.3 to 5.9 ms of the workers'). There, a second worker made the batch no faster and
 * its peak RSS ~95 MB larger (README, performance section).
 */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism() - 1);
}

export async function runBatch(options: BatchOptions, io: CliIo): Promise<number> {
  if (options.resume && options.force) throw new UsageError(batchTexts().output.resumeAndForce());
  const validator = loadAnswersValidator();
  const catalog = loadColumnCatalog();
  const opened = await openInput(options.input, io.cwd, validator);
  if (!opened.ok) throw new UsageError(opened.problem.message);
  const source = opened.source;
  const scan = await scanInput(source, catalog, options.input);

  const texts = loadDossierTexts();
  const dated = dossierDates(io.env, io.now, options.orderDate);
  if (!dated.ok) throw new UsageError(texts.message(dated.code, { value: dated.value }));
  const templatesDir = options.templatesDir === undefined ? undefined : resolve(io.cwd, options.templatesDir);
  if (templatesDir !== undefined) {
    // A user's templates are checked once here, so that a wrong folder stops the batch before it starts.
    const { loadDossierDeps } = await import("../dossier/deps.js");
    const deps = await loadDossierDeps({ dir: templatesDir });
    if (!deps.ok)
      throw new UsageError(deps.errors.map((e) => `${e.path}${e.path ? " : " : ""}${e.message}`).join("\n"));
  }
  const previous =
    options.compare === undefined ? undefined : await loadPreviousReport(options.compare, io.cwd);
  if (previous && !previous.ok) throw new UsageError(previous.message);
  const outDir = resolve(io.cwd, options.output);
  const port = io.files ?? nodeWritePort;
  const outputRefused = await prepareOutput(outDir, options.output, options, port);

  const rulesVersion = loadRuleSet().version;
  const settings: ProducerSettings = {
    outDir,
    flatten: options.flatten,
    dates: dated.dates,
    toolVersion: options.toolVersion,
    check: options.check,
    ...(templatesDir === undefined ? {} : { templatesDir }),
  };
  const comparison = previous?.ok ? new Comparison(previous.report, rulesVersion) : undefined;
  const jobs = Math.min(options.jobs ?? defaultJobs(), Math.max(scan.total, 1));
  let engine: Engine | undefined;
  // The system refused to write in the output folder: no dossier is made after this (a --check makes none).
  let stop: WriteRefused | undefined;
  const reason = (refusal: WriteRefused) => texts.reason(refusal.code);
  const halt = (refusal: WriteRefused) => {
    if (options.check || stop) return;
    stop = refusal;
    engine?.abort();
    io.stderr.write(`\n${texts.message("BATCH_STOPPING", { path: refusal.dir, reason: reason(refusal) })}\n`);
  };
  const startedAt = io.now();
  const fallback = join(
    io.env.TMPDIR || tmpdir(),
    `diapason-dossier-rapport-${startedAt.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}-${randomBytes(3).toString("hex")}`,
  );
  const report = await ReportKeeper.open(
    port,
    {
      outDir: outputRefused ? undefined : outDir,
      shown: options.output,
      ...(outputRefused ? { refused: outputRefused } : {}),
      fallback,
    },
    {
      input: options.input,
      toolVersion: options.toolVersion,
      rulesVersion,
      startedAt: startedAt.toISOString(),
    },
    comparison !== undefined,
    halt,
  );
  const progress = createProgress(io, options.quiet);
  if (!options.quiet) io.stderr.write(batchText.reading(options.input, scan.total, source.description));

  const onAbort = () => {
    engine?.abort();
    if (!options.quiet) io.stderr.write(`\n${batchTexts().progress.interruptedNotice()}`);
  };
  io.signal.addEventListener("abort", onAbort, { once: true });
  const summary: ReportSummary = { total: 0, ok: 0, rejected: 0, interrupted: 0, notWritten: 0, resumed: 0 };
  const names = new FolderNames();
  const replace = options.resume || options.force;

  const produce = async (item: Prepared & { kind: "valid" }, folder: string): Promise<ReportRow> => {
    const row = {
      line: item.line,
      ...(item.file === undefined ? {} : { file: item.file }),
      establishment: item.answers.establishment.name,
      finessEG: item.answers.establishment.finessEG,
    };
    const hash = answersHash(item.answers);
    const notWritten = (refusal: WriteRefused, warnings: ReportRow["warnings"]): ReportRow => ({
      ...row,
      status: "non-ecrit",
      forms: [],
      warnings,
      errors: [],
      note: texts.message("BATCH_NOT_WRITTEN", { path: refusal.dir, reason: reason(refusal) }),
    });
    if (options.resume && !options.check) {
      const marker = await completeDossier(join(outDir, folder), identityOf(settings, hash, rulesVersion));
      if (marker) {
        return {
          ...row,
          status: "ok",
          folder,
          forms: marker.forms,
          warnings: [
            ...item.rowWarnings,
            ...marker.warnings.map((w) => (w.file ? w : toIssue(w, item.locate))),
          ],
          errors: [],
          answersHash: hash,
          decisions: marker.decisions,
          resumed: true,
          note: batchTexts().rows.resumed(),
        };
      }
    }
    if (stop) return notWritten(stop, item.rowWarnings);
    engine ??= createEngine(jobs, settings, io.signal, { port });
    if (io.signal.aborted) engine.abort();
    const job = { line: item.line, answers: item.answers, warnings: item.warnings, folder, replace };
    const done = await engine.run(job);
    if (done.refused) halt(new WriteRefused(done.refused, join(options.output, folder)));
    const warnings = [
      ...item.rowWarnings,
      ...done.findings.map((f) =>
        f.file
          ? { column: "", path: "", code: f.code, message: f.message, file: f.file }
          : toIssue({ path: f.path ?? "", code: f.code, message: f.message }, item.locate),
      ),
    ];
    if (stop && done.status !== "ok") return notWritten(stop, warnings);
    if (done.status === "ok") {
      return {
        ...row,
        status: "ok",
        folder,
        forms: done.forms,
        warnings,
        errors: [],
        answersHash: hash,
        decisions: done.decisions,
      };
    }
    if (done.status === "interrompu") {
      return {
        ...row,
        status: "interrompu",
        forms: [],
        warnings,
        errors: [],
        note: batchTexts().rows.interrupted(),
      };
    }
    const message = done.message ?? batchTexts().rows.internalError({ detail: "?" });
    return {
      ...row,
      status: "erreur",
      forms: [],
      warnings,
      errors: [{ column: "", path: "", code: "PRODUCTION", message }],
    };
  };

  const handle = async (item: Exclude<SourceItem, { kind: "header" }>): Promise<ReportRow> => {
    const prepared = prepareItem(item, scan.layout, catalog, validator);
    const row = {
      line: prepared.line,
      ...(prepared.file === undefined ? {} : { file: prepared.file }),
      establishment: prepared.establishment,
      finessEG: prepared.finessEG,
    };
    if (prepared.kind === "rejected") {
      return { ...row, status: "erreur", forms: [], warnings: prepared.warnings, errors: prepared.errors };
    }
    if (io.signal.aborted) {
      return {
        ...row,
        status: "interrompu",
        forms: [],
        warnings: [],
        errors: [],
        note: batchTexts().rows.interrupted(),
      };
    }
    const est = prepared.answers.establishment;
    const named = names.assign(est.finessEG, est.name, prepared.line);
    const rowWarnings = [...prepared.rowWarnings];
    if (named.duplicateOf !== undefined) {
      rowWarnings.push({
        column: "",
        path: "",
        code: "DUPLICATE_ESTABLISHMENT",
        message: batchTexts().rows.duplicateEstablishment({
          firstLine: named.duplicateOf,
          folder: named.folder,
        }),
      });
    }
    try {
      return await produce({ ...prepared, rowWarnings }, named.folder);
    } catch (error) {
      const message = batchTexts().rows.internalError({
        detail: String((error as Error)?.message ?? error).slice(0, 200),
      });
      return {
        ...row,
        status: "erreur",
        forms: [],
        warnings: rowWarnings,
        errors: [{ column: "", path: "", code: "PRODUCTION", message }],
      };
    }
  };

  const record = async (row: ReportRow): Promise<void> => {
    const change = comparison?.compare(row);
    await report.add(change ? { ...row, change } : row);
    summary.total += 1;
    if (row.status === "ok") summary.ok += 1;
    else if (row.status === "erreur") summary.rejected += 1;
    else if (row.status === "non-ecrit") summary.notWritten += 1;
    else summary.interrupted += 1;
    if (row.resumed) summary.resumed += 1;
    progress.update({ done: summary.total, rejected: summary.rejected });
  };

  progress.start(scan.total);
  const window: Promise<ReportRow>[] = [];
  try {
    for await (const item of source.read()) {
      if (item.kind === "header") continue;
      window.push(handle(item));
      while (window.length >= WINDOW) await record(await (window.shift() as Promise<ReportRow>));
    }
    while (window.length > 0) await record(await (window.shift() as Promise<ReportRow>));
  } catch (error) {
    await Promise.allSettled(window);
    await engine?.close();
    await report.discard();
    progress.stop();
    throw error;
  } finally {
    io.signal.removeEventListener("abort", onAbort);
  }
  await engine?.close();
  progress.stop();
  const compared = comparison?.summary();
  const halted: WriteRefused | undefined = stop;
  const written = await report.finish({
    interrupted: summary.interrupted > 0,
    ...(halted ? { stopped: { path: halted.dir, code: halted.code, reason: reason(halted) } } : {}),
    summary,
    ...(compared ? { comparison: compared } : {}),
  });

  io.stdout.write(
    halted
      ? `${texts.message("BATCH_STOPPED", { ...summary, path: halted.dir, reason: reason(halted) })}\n`
      : batchText.summary(summary, options.check),
  );
  if (summary.total === 0) io.stdout.write(batchTexts().summary.noRows());
  if (compared) io.stdout.write(comparisonText(compared, rulesVersion));
  const refused = report.refused;
  if (!written) {
    const lost = report.lost;
    const params = { path: refused?.dir ?? options.output, reason: refused ? reason(refused) : "" };
    io.stderr.write(
      `${texts.message("BATCH_REPORT_NOWHERE", { ...params, fallback, fallbackReason: lost ? reason(lost) : "" })}\n`,
    );
  } else if (refused) {
    const params = {
      path: refused.dir,
      reason: reason(refused),
      xlsx: written.xlsx,
      csv: written.csv,
      json: written.json,
    };
    io.stdout.write(`${texts.message("BATCH_REPORT_ELSEWHERE", params)}\n`);
  } else {
    io.stdout.write(
      batchTexts().summary.reportWritten({
        xlsx: join(options.output, REPORT_XLSX),
        csv: join(options.output, REPORT_CSV),
        json: join(options.output, REPORT_JSON),
      }),
    );
  }
  if (summary.rejected > 0) io.stdout.write(batchTexts().summary.seeReport());
  if (halted || !written) return EXIT.writeRefused;
  if (summary.interrupted > 0) {
    io.stdout.write(batchTexts().summary.resumeHint());
    return EXIT_INTERRUPTED;
  }
  return summary.rejected > 0 ? 1 : 0;
}
