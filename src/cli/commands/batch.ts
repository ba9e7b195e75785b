import { resolve } from "node:path";
import { batchText, batchTexts } from "../../batch/messages.js";
import { defaultJobs, runBatch } from "../../batch/run.js";
import { EXIT, UsageError } from "../../io/port.js";
import { booleanOption, type Command, describedOptions, stringOption } from "../command.js";
import { cliTexts, missingArgument } from "../texts.js";
import { toolVersion } from "../version.js";

function jobsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,2}$/.test(value.trim()) || Number(value) > 64)
    throw new UsageError(batchTexts().output.jobs({ value }));
  return Number(value);
}

const texts = cliTexts().commands.batch;

export const batchCommand: Command = {
  name: "batch",
  usage: texts.usage(),
  help: texts.help(),
  options: describedOptions(
    texts,
    {
      output: { type: "string", short: "o" },
      template: { type: "string" },
      resume: { type: "boolean" },
      force: { type: "boolean" },
      compare: { type: "string" },
      check: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      jobs: { type: "string", short: "j" },
      flatten: { type: "boolean" },
      date: { type: "string" },
      templates: { type: "string" },
    },
    { jobs: texts.options.jobs({ jobs: defaultJobs() }) },
  ),
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    const template = stringOption(values, "template");
    if (template !== undefined) {
      if (positionals.length > 0) throw new UsageError(batchTexts().output.templateWithInput());
      // Loaded only here: exceljs costs ~28 MB of memory, which a batch of CSV lines does not need.
      const { writeTemplate } = await import("../../batch/template.js");
      const written = await writeTemplate(resolve(io.cwd, template), template);
      if (!written.ok) throw new UsageError(written.message);
      io.stdout.write(batchText.templateWritten(written.files));
      return EXIT.ok;
    }
    const input = positionals[0];
    if (input === undefined) throw new UsageError(missingArgument(batchCommand));
    const output = stringOption(values, "output");
    if (output === undefined) throw new UsageError(batchTexts().output.outputRequired());
    const compare = stringOption(values, "compare");
    const jobs = jobsOption(stringOption(values, "jobs"));
    const orderDate = stringOption(values, "date");
    const templatesDir = stringOption(values, "templates");
    return runBatch(
      {
        input,
        output,
        resume: booleanOption(values, "resume"),
        force: booleanOption(values, "force"),
        quiet: booleanOption(values, "quiet"),
        flatten: booleanOption(values, "flatten"),
        check: booleanOption(values, "check"),
        toolVersion,
        ...(compare === undefined ? {} : { compare }),
        ...(jobs === undefined ? {} : { jobs }),
        ...(orderDate === undefined ? {} : { orderDate }),
        ...(templatesDir === undefined ? {} : { templatesDir }),
      },
      io,
    );
  },
};
