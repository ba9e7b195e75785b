import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createPlanner, type Labels, type Planner } from "../plan/index.js";
import { createRuleSet, type RuleFile, type RuleSet } from "../rules/index.js";
import { assetPath, readJsonAsset } from "./root.js";

/**
 * The shipped rules and labels, and the planner built from them, read once per process. Apart from load.ts:
 * the batch's worker threads need these, not the answers' validator (whose modules, ajv and yaml, cost each
 * worker ~0.1–0.2 s CPU to load).
 */

let planner: Planner | undefined;
let ruleSet: RuleSet | undefined;

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
