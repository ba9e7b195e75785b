import type { JsonSchema } from "../answers/messages.js";
import { loadLabels, loadRuleSet } from "../assets/load.js";
import { readJsonAsset } from "../assets/root.js";
import { buildQuestionnaire, type GroupNode } from "./model.js";
import { loadQuestionnaireTexts, type QuestionnaireTexts } from "./texts.js";
import { buildWhy, type Why } from "./why.js";

export interface QuestionnaireAssets {
  schema: JsonSchema;
  model: GroupNode;
  why: Record<string, Why>;
  texts: QuestionnaireTexts;
}

let assets: QuestionnaireAssets | undefined;

/** The questionnaire built from the shipped schema, rules and texts, once per process. */
export function loadQuestionnaire(): QuestionnaireAssets {
  if (assets) return assets;
  const schema = readJsonAsset<JsonSchema>("schemas", "answers.schema.json");
  const texts = loadQuestionnaireTexts();
  assets = {
    schema,
    model: buildQuestionnaire(schema),
    why: buildWhy(loadRuleSet(), loadLabels(), texts.why),
    texts,
  };
  return assets;
}
