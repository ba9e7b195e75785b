import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createPlanner, type Labels, type Planner } from "../plan/index.js";
import {
  checkRuleFiles,
  createRuleSet,
  type Parameters,
  type RuleFile,
  type RuleSet,
} from "../rules/index.js";
import { assetPath, readJsonAsset } from "./root.js";

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
 * hash of their content.
 */
export function loadRuleSet(): RuleSet {
  if (ruleSet) return ruleSet;
  const dir = assetPath("rules");
  const names = readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort();
  const hash = createHash("sha256");
  const parsed = names.map((name) => {
    const text = readFileSync(assetPath("rules", name), "utf8");
    hash.update(name).update("\0").update(text).update("\0");
    return { name, data: JSON.parse(text) as unknown };
  });
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
    `sha256:${hash.digest("hex").slice(0, 16)}`,
  );
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
