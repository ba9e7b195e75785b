import { readAnswersFile } from "../../answers-file/index.js";
import { loadAnswersValidator, loadLabels, loadPlanner, loadTextTemplates } from "../../assets/index.js";
import { EXIT } from "../../io/port.js";
import { planText, validationText } from "../../text/index.js";
import { booleanOption, type Command, describedOptions } from "../command.js";
import { cliTexts } from "../texts.js";

const texts = cliTexts().commands.plan;

export const planCommand: Command = {
  name: "plan",
  usage: texts.usage(),
  help: texts.help(),
  options: describedOptions(texts, { json: { type: "boolean" }, explain: { type: "boolean" } }),
  minPositionals: 1,
  async run({ values, positionals, io }) {
    const validator = loadAnswersValidator();
    const planner = loadPlanner();
    const json = booleanOption(values, "json");
    let code: number = EXIT.ok;
    let first = true;
    for (const file of positionals) {
      const result = await readAnswersFile(file, io.cwd, validator);
      if (!result.ok) {
        code = EXIT.invalid;
        io.stderr.write(validationText(file, result, loadTextTemplates()));
        if (json) io.stdout.write(`${JSON.stringify({ file, errors: result.errors })}\n`);
        continue;
      }
      const plan = await planner.plan(result.answers, result.warnings);
      if (json) {
        io.stdout.write(`${JSON.stringify(plan)}\n`);
      } else {
        if (!first) io.stdout.write(`\n${"─".repeat(72)}\n\n`);
        io.stdout.write(
          planText(plan, loadLabels(), loadTextTemplates(), { explain: booleanOption(values, "explain") }),
        );
      }
      first = false;
    }
    return code;
  },
};
