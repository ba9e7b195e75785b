import Ajv2020 from "ajv/dist/2020.js";

/**
 * Checks the rule files and the parameters file against schemas/rules.schema.json (draft 2020-12): each event type
 * has its own parameters, so the plan reads them typed. Returns one line per problem, naming the file and the place;
 * the rules are shipped with the tool, so a problem is a programmer fault.
 */
export function checkRuleFiles(
  schema: object,
  files: readonly { name: string; data: unknown }[],
  parameters: { name: string; data: unknown },
): string[] {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  ajv.addSchema(schema, "rules");
  const ruleFile = ajv.getSchema("rules#/$defs/ruleFile");
  const parametersFile = ajv.getSchema("rules#/$defs/parametersFile");
  if (!ruleFile || !parametersFile)
    throw new Error("schéma des règles incomplet ($defs ruleFile, parametersFile)");
  const problems: string[] = [];
  const check = (validate: typeof ruleFile, name: string, data: unknown) => {
    if (validate(data)) return;
    for (const e of validate.errors ?? []) {
      // The if/then of each event type also reports the failed "if": the "then" says what is wrong.
      if (e.keyword === "if") continue;
      problems.push(
        `${name} ${e.instancePath || "/"} : ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
      );
    }
  };
  for (const f of files) check(ruleFile, f.name, f.data);
  check(parametersFile, parameters.name, parameters.data);
  return problems;
}
