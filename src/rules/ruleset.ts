import { EVENT_TYPES, type Parameters, type RuleFile, type RuleSet, type RuleSpec } from "./types.js";

const SCOPES = new Set(["establishment", "designee"]);

/** Checks the shape of rule files; a malformed rule is a programmer fault and throws. */
function checkRule(file: string, rule: RuleSpec, names: Set<string>): void {
  const where = `${file} › ${rule.name ?? "(sans nom)"}`;
  if (typeof rule.name !== "string" || rule.name === "") throw new Error(`${where} : règle sans nom`);
  if (names.has(rule.name)) throw new Error(`${where} : nom de règle en double`);
  names.add(rule.name);
  if (rule.scope !== undefined && !SCOPES.has(rule.scope))
    throw new Error(`${where} : portée inconnue ${rule.scope}`);
  if (!(EVENT_TYPES as readonly string[]).includes(rule.event?.type))
    throw new Error(`${where} : type d'événement inconnu`);
  const params = rule.event.params;
  if (typeof params?.section !== "string" || params.section === "")
    throw new Error(`${where} : section manquante`);
  if (typeof params.quote !== "string" || params.quote === "")
    throw new Error(`${where} : citation manquante`);
  if (
    !rule.conditions ||
    (!("all" in rule.conditions) && !("any" in rule.conditions) && !("not" in rule.conditions))
  ) {
    throw new Error(`${where} : conditions manquantes`);
  }
}

/**
 * Builds a rule set from the parsed files of rules/ and its parameters (the caller reads them and checks them
 * against schemas/rules.schema.json), in file-name order.
 */
export function createRuleSet(
  files: { name: string; rules: RuleFile }[],
  parameters: Parameters,
  version: string,
): RuleSet {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = new Set<string>();
  for (const { name, rules } of sorted) {
    if (!SCOPES.has(rules.scope)) throw new Error(`${name} : portée inconnue ${String(rules.scope)}`);
    if (!Array.isArray(rules.rules)) throw new Error(`${name} : liste de règles manquante`);
    for (const rule of rules.rules) checkRule(name, rule, names);
  }
  return { files: sorted, parameters, version };
}
