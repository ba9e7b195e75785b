import { readdirSync, readFileSync } from "node:fs";
import { createPlanner, type Labels, type Planner } from "../plan/index.js";
import {
  checkRuleFiles,
  createRuleSet,
  type Parameters,
  type RuleFile,
  type RuleSet,
} from "../rules/index.js";
import { assetPath, readJsonAsset, toolVersion } from "./root.js";
import { publicSuffixPackage, rulesVersion } from "./rules-version.js";
import { loadTexts } from "./texts.js";

/**
 * The shipped rules and labels, and the planner built from them, read once per process. Apart from load.ts:
 * the batch's worker threads need these, not the answers' validator.
 */

let planner: Planner | undefined;
let ruleSet: RuleSet | undefined;

/** The procedure's constants, apart from the rule files. */
export const PARAMETERS_FILE = "parametres.json";

/**
 * rules/*.json and rules/parametres.json, checked against schemas/rules.schema.json, with a version that is the
 * hash of their content and of the Public Suffix List's package.
 */
export function loadRuleSet(): RuleSet {
  if (ruleSet) return ruleSet;
  const dir = assetPath("rules");
  const names = readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort();
  const texts = names.map((name) => ({ name, text: readFileSync(assetPath("rules", name), "utf8") }));
  const parsed = texts.map(({ name, text }) => ({ name, data: JSON.parse(text) as unknown }));
  const files = parsed.filter((f) => f.name !== PARAMETERS_FILE) as { name: string; data: RuleFile }[];
  const parameters = parsed.find((f) => f.name === PARAMETERS_FILE)?.data;
  const problems = checkRuleFiles(
    readJsonAsset<object>("schemas", "rules.schema.json"),
    files.map((f) => ({ name: f.name, data: f.data })),
    { name: PARAMETERS_FILE, data: parameters },
  );
  if (problems.length > 0) throw new Error(`règles invalides :\n${problems.join("\n")}`);
  ruleSet = createRuleSet(
    files.map((f) => ({ name: f.name, rules: f.data })),
    parameters as Parameters,
    rulesVersion(texts, [publicSuffixPackage()]),
  );
  return ruleSet;
}

export function loadLabels(): Labels {
  return loadTexts<Labels>("text/labels.fr.json");
}

export function loadPlanner(): Planner {
  planner ??= createPlanner({
    ruleSet: loadRuleSet(),
    labels: loadLabels(),
    toolVersion: toolVersion(),
  });
  return planner;
}
