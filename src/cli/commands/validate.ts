import { readAnswersFile } from "../../answers-file/index.js";
import { loadAnswersValidator, loadTextTemplates } from "../../assets/index.js";
import { EXIT } from "../../io/port.js";
import { validationText } from "../../text/index.js";
import { booleanOption, type Command, describedOptions } from "../command.js";
import { cliTexts } from "../texts.js";

const texts = cliTexts().commands.validate;

export const validateCommand: Command = {
  name: "validate",
  usage: texts.usage(),
  help: texts.help(),
  options: describedOptions(texts, { json: { type: "boolean" } }),
  minPositionals: 1,
  async run({ values, positionals, io }) {
    const validator = loadAnswersValidator();
    const json = booleanOption(values, "json");
    let code: number = EXIT.ok;
    for (const file of positionals) {
      const result = await readAnswersFile(file, io.cwd, validator);
      if (!result.ok) code = EXIT.invalid;
      if (json) {
        io.stdout.write(
          `${JSON.stringify({ file, valid: result.ok, errors: result.ok ? [] : result.errors, warnings: result.warnings })}\n`,
        );
      } else {
        (result.ok ? io.stdout : io.stderr).write(validationText(file, result, loadTextTemplates()));
      }
    }
    return code;
  },
};
