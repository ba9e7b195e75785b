import { readFileSync } from "node:fs";
import { type AnswersValidator, createAnswersValidator, type MessageCatalog } from "../answers/index.js";
import type { JsonSchema } from "../answers/messages.js";
import type { TextTemplates } from "../text/index.js";
import { assetPath, readJsonAsset } from "./root.js";

/** Reads the shipped assets once per process and builds the pure core from them. */

export { loadLabels, loadPlanner, loadRuleSet } from "./planner.js";

let validator: AnswersValidator | undefined;

export function loadAnswersValidator(): AnswersValidator {
  validator ??= createAnswersValidator({
    schema: readJsonAsset<JsonSchema>("schemas", "answers.schema.json"),
    catalog: readJsonAsset<MessageCatalog>("schemas", "messages.fr.json"),
  });
  return validator;
}

let textTemplates: TextTemplates | undefined;

export function loadTextTemplates(): TextTemplates {
  textTemplates ??= {
    plan: readFileSync(assetPath("templates", "text", "plan.txt.hbs"), "utf8"),
    validation: readFileSync(assetPath("templates", "text", "validation.txt.hbs"), "utf8"),
  };
  return textTemplates;
}
