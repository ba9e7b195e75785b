import { readAnswersFile } from "../../answers-file/index.js";
import { loadAnswersValidator, loadLabels, loadPlanner, loadTextTemplates } from "../../assets/index.js";
import { EXIT } from "../../io/port.js";
import { planText, validationText } from "../../text/index.js";
import { booleanOption, type Command } from "../command.js";

export const planCommand: Command = {
  name: "plan",
  usage: "<réponses.yaml|réponses.json…>",
  help: [
    "Sans option, le plan est présenté en texte. Avec --json, chaque fichier donne une ligne JSON, dans l'ordre :",
    "le plan, ou {file, errors} pour un fichier invalide (les erreurs sont aussi écrites en français sur la sortie d'erreur).",
    "Code de sortie : 0 si tous les fichiers sont valides, 1 si l'un d'eux ne l'est pas, 2 pour une erreur d'utilisation.",
  ].join("\n"),
  options: {
    json: { type: "boolean", description: "Le plan en JSON, une ligne par fichier." },
    explain: {
      type: "boolean",
      description: "Ajoute au texte chaque règle évaluée, appliquée ou non, avec sa citation.",
    },
  },
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
