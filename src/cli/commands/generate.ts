import { resolve } from "node:path";
import { readAnswersFile } from "../../answers-file/index.js";
import { loadAnswersValidator, loadPlanner, loadTextTemplates } from "../../assets/index.js";
import { loadDossierDeps } from "../../dossier/deps.js";
import {
  createDossierPipeline,
  dossierDates,
  loadDossierTexts,
  writeDossierFolder,
  writeDossierZip,
} from "../../dossier/index.js";
import { nextActionsText } from "../../dossier/next-text.js";
import { checkTarget } from "../../dossier/write.js";
import { EXIT, UsageError } from "../../io/port.js";
import { validationText } from "../../text/index.js";
import { booleanOption, type Command, describedOptions, stringOption } from "../command.js";
import { cliTexts } from "../texts.js";

/** Exit code of an interrupted run (128 + SIGINT), as shells report it. */
const EXIT_INTERRUPTED = 130;

function isAbort(error: unknown): boolean {
  const e = error as { name?: string; code?: string } | undefined;
  return e?.name === "AbortError" || e?.code === "ABORT_ERR";
}

const cli = cliTexts().commands.generate;

export const generateCommand: Command = {
  name: "generate",
  usage: cli.usage(),
  help: cli.help(),
  options: describedOptions(cli, {
    output: { type: "string", short: "o" },
    zip: { type: "boolean" },
    flatten: { type: "boolean" },
    force: { type: "boolean" },
    templates: { type: "string" },
    date: { type: "string" },
  }),
  minPositionals: 1,
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    const file = positionals[0] ?? "";
    const output = stringOption(values, "output");
    if (!output) throw new UsageError(cli.messages.outputRequired());
    const texts = loadDossierTexts();
    const zip = booleanOption(values, "zip");
    const force = booleanOption(values, "force");
    const target = zip && !/\.zip$/i.test(output) ? `${output}.zip` : output;
    const targetPath = resolve(io.cwd, target);

    const dates = dossierDates(io.env, io.now, stringOption(values, "date"));
    if (!dates.ok) throw new UsageError(texts.message(dates.code, { value: dates.value }));

    const result = await readAnswersFile(file, io.cwd, loadAnswersValidator());
    if (!result.ok) {
      io.stderr.write(validationText(file, result, loadTextTemplates()));
      return EXIT.invalid;
    }
    // Refuse early, before the work, what the writer would refuse at the end.
    const refused = await checkTarget(targetPath, target, { force, zip, texts });
    if (refused) {
      io.stderr.write(`${refused.message}\n`);
      return EXIT.invalid;
    }
    const templatesDir = stringOption(values, "templates");
    const loaded = await loadDossierDeps(
      templatesDir === undefined ? {} : { dir: resolve(io.cwd, templatesDir) },
    );
    if (!loaded.ok) {
      for (const e of loaded.errors) io.stderr.write(`${e.path}${e.path ? " : " : ""}${e.message}\n`);
      return EXIT.invalid;
    }
    const flatten = booleanOption(values, "flatten");
    const pipeline = createDossierPipeline(loadPlanner(), loaded.deps);
    let made: Awaited<ReturnType<typeof pipeline.make>>;
    try {
      made = await pipeline.make(result.answers, result.warnings, {
        dates: dates.dates,
        flatten,
        signal: io.signal,
      });
    } catch (error) {
      if (!isAbort(error)) throw error;
      io.stderr.write(`${texts.message("ABORTED")}\n`);
      return EXIT_INTERRUPTED;
    }
    // The files carry the mark that lets a later --force tell this dossier's files from anything else in the folder.
    const { plan, built, files } = made;
    const options = {
      force,
      signal: io.signal,
      texts,
      shown: target,
      ...(io.files ? { port: io.files } : {}),
    };
    const written = zip
      ? await writeDossierZip(targetPath, files, dates.dates.stamp, options)
      : await writeDossierFolder(targetPath, files, options);
    if (!written.ok) {
      io.stderr.write(`${written.error.message}\n`);
      if (written.error.code === "ABORTED") return EXIT_INTERRUPTED;
      return written.error.code === "WRITE_FAILED" ? EXIT.writeRefused : EXIT.invalid;
    }
    const forms = plan.forms.length;
    io.stdout.write(
      `${texts.message(zip ? "DONE_ZIP" : "DONE", { path: target, count: files.length, forms, manyForms: forms > 1 })}\n`,
    );
    const severities = loaded.deps.labels.severities;
    const findings = [
      ...plan.findings.map((finding) => ({ file: null, finding })),
      ...built.findings.map(({ file, finding }) => ({ file, finding })),
    ];
    for (const { file: about, finding } of findings) {
      const severity = severities[finding.severity] ?? finding.severity;
      io.stdout.write(`${texts.message("FINDING", { severity, file: about, message: finding.message })}\n`);
    }
    io.stdout.write(`${texts.message("NEXT", { routeSheet: texts.files.routeSheet })}\n`);
    io.stdout.write(nextActionsText(plan, texts));
    return EXIT.ok;
  },
};
