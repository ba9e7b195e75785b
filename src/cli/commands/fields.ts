import { basename, resolve } from "node:path";
import { readFileBounded } from "../../io/index.js";
import { type CliIo, EXIT } from "../../io/port.js";
import { pdfMessages, renderText } from "../../pdf/messages.js";
import { describePdfFields, fieldsText, mappingSkeleton } from "../../render/index.js";
import { booleanOption, type Command, describedOptions } from "../command.js";
import { cliTexts } from "../texts.js";

async function readPdf(file: string, io: CliIo): Promise<Uint8Array | string> {
  const read = await readFileBounded(resolve(io.cwd, file), file, "pdfTemplate");
  return read.ok ? read.bytes : read.problem.message;
}

const texts = cliTexts().commands.fields;

export const fieldsCommand: Command = {
  name: "fields",
  usage: texts.usage(),
  help: texts.help(),
  options: describedOptions(texts, { json: { type: "boolean" }, mapping: { type: "boolean" } }),
  minPositionals: 1,
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    const file = positionals[0] ?? "";
    const bytes = await readPdf(file, io);
    const fail = (message: string) => {
      io.stderr.write(`${renderText(pdfMessages().fields.error, { message })}\n`);
      return EXIT.invalid;
    };
    if (typeof bytes === "string") return fail(bytes);
    const result = await describePdfFields(bytes, file);
    if (!result.ok) return fail(result.error.message);
    if (booleanOption(values, "mapping")) io.stdout.write(mappingSkeleton(result.fields, basename(file)));
    else if (booleanOption(values, "json")) io.stdout.write(`${JSON.stringify(result.fields, null, 2)}\n`);
    else io.stdout.write(fieldsText(result.fields, file));
    return EXIT.ok;
  },
};
