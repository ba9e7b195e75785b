import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { type AnswersValidator, createAnswersValidator, type MessageCatalog } from "../answers/index.js";
import type { JsonSchema } from "../answers/messages.js";
import { createPlanner, type Labels, type Planner } from "../plan/index.js";
import { createRuleSet, type RuleFile, type RuleSet } from "../rules/index.js";
import type { TextTemplates } from "../text/index.js";
import { assetPath, readJsonAsset } from "./root.js";

/** Reads the shipped assets once per process and builds the pure core from them. */

let validator: AnswersValidator | undefined;
let planner: Planner | undefined;
let ruleSet: RuleSet | undefined;

export function loadAnswersValidator(): AnswersValidator {
  validator ??= createAnswersValidator({
    schema: readJsonAsset<JsonSchema>("schemas", "answers.schema.json"),
    catalog: readJsonAsset<MessageCatalog>("schemas", "messages.fr.json"),
  });
  return validator;
}

/** rules/*.json, with a version that is the hash of their content. */
export function loadRuleSet(): RuleSet {
  if (ruleSet) return ruleSet;
  const dir = assetPath("rules");
  const names = readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort();
  const hash = createHash("sha256");
  const files = names.map((name) => {
    const text = readFileSync(assetPath("rules", name), "utf8");
    hash.update(name).update("\0").update(text).update("\0");
    return { name, rules: JSON.parse(text) as RuleFile };
  });
  ruleSet = createRuleSet(files, `sha256:${hash.digest("hex").slice(0, 16)}`);
  return ruleSet;
}

export function loadLabels(): Labels {
  return readJsonAsset<Labels>("templates", "text", "labels.fr.json");
}

export function loadPlanner(): Planner {
  planner ??= createPlanner({
    ruleSet: loadRuleSet(),
    labels: loadLabels(),
    toolVersion: readJsonAsset<{ version: string }>("package.json").version,
  });
  return planner;
}

let textTemplates: TextTemplates | undefined;

export function loadTextTemplates(): TextTemplates {
  textTemplates ??= {
    plan: readFileSync(assetPath("templates", "text", "plan.txt.hbs"), "utf8"),
    validation: readFileSync(assetPath("templates", "text", "validation.txt.hbs"), "utf8"),
  };
  return textTemplates;
}
