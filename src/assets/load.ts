import { type AnswersValidator, createAnswersValidator, type MessageCatalog } from "../answers/index.js";
import type { JsonSchema } from "../answers/messages.js";
import type { TextTemplates } from "../text/index.js";
import { readJsonAsset } from "./root.js";
import { loadSchemaTexts, loadTemplateSource } from "./texts.js";

/** Reads the shipped assets once per process and builds the pure core from them. */

export { loadLabels, loadPlanner, loadRuleSet } from "./planner.js";

let validator: AnswersValidator | undefined;

export function loadAnswersValidator(): AnswersValidator {
  validator ??= createAnswersValidator({
    schema: readJsonAsset<JsonSchema>("schemas", "answers.schema.json"),
    catalog: loadSchemaTexts<MessageCatalog>("messages.fr.json"),
  });
  return validator;
}

let textTemplates: TextTemplates | undefined;

export function loadTextTemplates(): TextTemplates {
  textTemplates ??= {
    plan: loadTemplateSource("text/plan.txt.hbs"),
    validation: loadTemplateSource("text/validation.txt.hbs"),
  };
  return textTemplates;
}
