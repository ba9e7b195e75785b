import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { readAnswersData } from "../../answers-file/read.js";
import { loadAnswersValidator, loadPlanner } from "../../assets/load.js";
import { nextActionsText } from "../../dossier/next-text.js";
import { loadDossierTexts } from "../../dossier/texts.js";
import { type CliIo, EXIT } from "../../io/port.js";
import {
  answersYaml,
  askAnswers,
  inquirerPrompter,
  loadQuestionnaire,
  type Prompter,
  QuestionnaireInterrupted,
  renderText,
  writeFileAtomically,
} from "../../questionnaire/index.js";
import { type Command, describedOptions, stringOption } from "../command.js";
import { cliTexts, errorLine } from "../texts.js";
import { generateCommand } from "./generate.js";

export const DEFAULT_ANSWERS_FILE = "reponses.yaml";
const INTERRUPTED = 130;

export interface QuestionnaireDeps {
  /** The prompts; undefined when they cannot run here (no terminal). */
  createPrompter: (io: CliIo) => Prompter | undefined;
  /** Generates the dossier of a written answers file into a folder; undefined while not available. */
  generate?: (answersFile: string, outDir: string, io: CliIo) => Promise<number>;
}

export function createQuestionnaireCommand(deps: QuestionnaireDeps): Command {
  const texts = cliTexts().commands.questionnaire;
  return {
    name: "questionnaire",
    usage: texts.usage(),
    help: texts.help(),
    options: describedOptions(
      texts,
      { output: { type: "string", short: "o" }, generate: { type: "string" } },
      { output: texts.options.output({ file: DEFAULT_ANSWERS_FILE }) },
    ),
    maxPositionals: 0,
    async run({ values, io }) {
      const { model, texts } = loadQuestionnaire();
      const t = texts.terminal;
      const validator = loadAnswersValidator();
      const output = stringOption(values, "output") ?? DEFAULT_ANSWERS_FILE;
      const outDir = stringOption(values, "generate");
      const target = resolve(io.cwd, output);

      let initial: Record<string, unknown> | undefined;
      if (existsSync(target)) {
        const read = await readAnswersData(output, io.cwd, validator);
        if (!read.ok) {
          io.stderr.write(`${renderText(t.unreadable, { file: output })}\n`);
          for (const e of read.errors) io.stderr.write(`- ${e.message}\n`);
          return EXIT.usage;
        }
        initial = read.data as Record<string, unknown>;
      }

      const prompter = deps.createPrompter(io);
      if (!prompter) {
        io.stderr.write(`${errorLine(t.notInteractive)}\n`);
        return EXIT.usage;
      }
      prompter.say(t.intro);
      if (initial) prompter.say(renderText(t.resumed, { file: output }));

      let asked: Awaited<ReturnType<typeof askAnswers>>;
      try {
        asked = await askAnswers({ model, validator, prompter, texts, ...(initial ? { initial } : {}) });
        if (io.signal.aborted) throw new QuestionnaireInterrupted();
      } catch (error) {
        if (!(error instanceof QuestionnaireInterrupted)) throw error;
        io.stderr.write(`\n${t.interrupted}\n`);
        return INTERRUPTED;
      }

      try {
        await writeFileAtomically(target, answersYaml(asked.draft, texts.fileHeader, output, io.now()));
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        io.stderr.write(`${errorLine(renderText(t.writeFailed, { file: output, reason }))}\n`);
        return EXIT.invalid;
      }
      io.stdout.write(`${renderText(t.written, { file: output })}\n`);

      if (!asked.result.ok) {
        io.stderr.write(`${renderText(t.remaining, { file: output })}\n`);
        for (const e of asked.result.errors) io.stderr.write(`- ${e.message}\n`);
        return EXIT.invalid;
      }
      if (outDir === undefined) {
        // What to do first and what to wait for, as generate says it.
        const plan = await loadPlanner().plan(asked.result.answers, asked.result.warnings);
        io.stdout.write(nextActionsText(plan, loadDossierTexts()));
        return EXIT.ok;
      }
      if (!deps.generate) {
        io.stderr.write(`${renderText(t.generateUnavailable, { file: output, dir: outDir })}\n`);
        return EXIT.invalid;
      }
      io.stdout.write(`${renderText(t.generating, { dir: outDir })}\n`);
      return deps.generate(output, outDir, io);
    },
  };
}

/** The generate command on the answers just written: the same dossier, the same messages and exit codes. */
export function generateFromAnswers(answersFile: string, outDir: string, io: CliIo): Promise<number> {
  return generateCommand.run({ values: { output: outDir }, positionals: [answersFile], io });
}

export const questionnaireCommand: Command = createQuestionnaireCommand({
  createPrompter: (io) => {
    if (io.stdin.isTTY !== true) return undefined;
    const t = loadQuestionnaire().texts.terminal;
    return inquirerPrompter(io, { yes: t.confirmYes, no: t.confirmNo, error: t.confirmError });
  },
  generate: generateFromAnswers,
});
