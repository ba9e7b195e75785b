import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../src/assets/index.js";
import { publicSuffixPackage, rulesVersion } from "../../src/assets/rules-version.js";
import { checkRuleFiles, createRuleSet, type Parameter, type RuleFile } from "../../src/rules/index.js";
import { ROOT } from "../helpers/answers.js";

/** The procedure text with its emphasis marks removed and white space folded, for quote matching. */
function normalize(text: string): string {
  return text.replace(/\*+/g, "").replace(/\s+/g, " ").trim();
}
const procedure = normalize(readFileSync(join(ROOT, "docs", "procedure-certificats-diapason.txt"), "utf8"));

describe("règles (rules/*.json)", () => {
  const ruleSet = loadRuleSet();

  it("une règle par section, chaque fichier nommé d'après sa section", () => {
    expect(ruleSet.files.map((f) => f.name)).toEqual([
      "annexe-2-contrat.json",
      "cycle-de-vie.json",
      "s1-administrateur-technique-mandataire.json",
      "s1-representant-legal.json",
      "s2-habilitation.json",
      "s3-commande.json",
    ]);
  });

  for (const { name, rules } of ruleSet.files) {
    describe(name, () => {
      for (const rule of rules.rules) {
        it(`${rule.name} cite mot pour mot la procédure`, () => {
          expect(procedure).toContain(normalize(rule.event.params.quote));
          if (rule.event.type !== "step") return;
          for (const wait of rule.event.params.waitsFor ?? [])
            expect(procedure).toContain(normalize(wait.quote));
        });
      }
    });
  }

  /** Every parameter of rules/parametres.json, by its dotted name. */
  const parameters: [string, Parameter<string | number>][] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value !== "object" || value === null) return;
    if ("value" in value && "quote" in value) parameters.push([path, value as Parameter<string | number>]);
    else for (const [k, v] of Object.entries(value)) walk(v, path === "" ? k : `${path}.${k}`);
  };
  walk(ruleSet.parameters, "");

  it("chaque paramètre de la procédure cite mot pour mot sa phrase", () => {
    expect(parameters.length).toBeGreaterThanOrEqual(15);
    for (const [name, p] of parameters) expect(procedure, name).toContain(normalize(p.quote));
  });

  it("chaque fichier de règles et les paramètres respectent schemas/rules.schema.json", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas", "rules.schema.json"), "utf8")) as object;
    const files = ruleSet.files.map((f) => ({ name: f.name, data: f.rules }));
    const params = { name: "parametres.json", data: ruleSet.parameters };
    expect(checkRuleFiles(schema, files, params)).toEqual([]);
    // Each event type has its own parameters: a step without its actor, a form with an unknown form, a wait
    // without its quote and a parameter without its value are refused, each named with its file and place.
    const first = files.find((f) => f.name === "s1-representant-legal.json");
    if (!first) throw new Error("fichier s1-representant-legal.json absent");
    const broken = structuredClone(first.data);
    const step = broken.rules.find((r) => r.event.type === "step");
    const form = broken.rules.find((r) => r.event.type === "form");
    if (step?.event.type !== "step" || !form || form.event.type !== "form")
      throw new Error("il faut une étape et un formulaire dans ce fichier");
    delete (step.event.params as { actor?: string }).actor;
    (form.event.params as { form: string }).form = "999";
    step.event.params.waitsFor = [{ event: "carte", section: "§1" } as never];
    const brokenParams = structuredClone(ruleSet.parameters) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    delete brokenParams.deskEmail?.value;
    const problems = checkRuleFiles(schema, [{ name: first.name, data: broken }], {
      name: "parametres.json",
      data: brokenParams,
    });
    expect(problems.join("\n")).toMatch(
      new RegExp(`${first.name} /rules/\\d+/event/params : must have required property 'actor'`),
    );
    expect(problems.join("\n")).toMatch(/params\/form : must be equal to one of the allowed values/);
    expect(problems.join("\n")).toMatch(/waitsFor\/0 : must have required property 'quote'/);
    expect(problems.join("\n")).toMatch(/parametres\.json \/deskEmail : must have required property 'value'/);
  });

  it("le texte de l'usage des certificats est celui de la procédure, caractère pour caractère", () => {
    const usages = Object.values(ruleSet.parameters.certificates).map((c) => c.usage.value);
    expect(usages).toHaveLength(2);
    for (const usage of usages) {
      expect(usage).toMatch(/^Projet Diapason – usage authentification TLS mutuelle/);
      expect(usage).toContain("’"); // typographic apostrophe, never '
      expect(usage).not.toContain("'");
      expect(procedure).toContain(usage);
    }
  });

  it("une règle mal formée est refusée (faute de programmation)", () => {
    const file = (rules: unknown[]): { name: string; rules: RuleFile } => ({
      name: "x.json",
      rules: { section: "§1", title: "x", scope: "establishment", rules: rules as RuleFile["rules"] },
    });
    const good = {
      name: "a",
      conditions: { all: [] },
      event: { type: "finding", params: { section: "§1", quote: "q" } },
    };
    expect(() => createRuleSet([file([good])], ruleSet.parameters, "v")).not.toThrow();
    expect(() => createRuleSet([file([good, good])], ruleSet.parameters, "v")).toThrow(/en double/);
    expect(() =>
      createRuleSet(
        [file([{ ...good, event: { type: "finding", params: { section: "§1" } } }])],
        ruleSet.parameters,
        "v",
      ),
    ).toThrow(/citation/);
    expect(() =>
      createRuleSet(
        [file([{ ...good, event: { type: "boom", params: good.event.params } }])],
        ruleSet.parameters,
        "v",
      ),
    ).toThrow(/type d'événement/);
  });

  it("la version des règles change quand une règle change, ou la liste des suffixes publics", () => {
    expect(ruleSet.version).toMatch(/^sha256:[0-9a-f]{16}$/);
    const files = ruleSet.files.map((f) => ({ name: f.name, text: JSON.stringify(f.rules) }));
    const psl = publicSuffixPackage();
    const installed = JSON.parse(readFileSync(join(ROOT, "node_modules", "tldts", "package.json"), "utf8"));
    expect(psl).toEqual({ name: "tldts", version: installed.version });
    const base = rulesVersion(files, [psl]);
    expect(rulesVersion(files, [psl])).toBe(base);
    expect(rulesVersion(files, [{ ...psl, version: `${psl.version}-next` }])).not.toBe(base);
    expect(rulesVersion(files, [])).not.toBe(base);
    const changed = files.map((f, i) => (i === 0 ? { ...f, text: `${f.text} ` } : f));
    expect(rulesVersion(changed, [psl])).not.toBe(base);
    // The shipped version is this very hash of rules/ (parameters included) as read from disk, with the list.
    const onDisk = readdirSync(join(ROOT, "rules"))
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => ({ name, text: readFileSync(join(ROOT, "rules", name), "utf8") }));
    expect(ruleSet.version).toBe(rulesVersion(onDisk, [psl]));
  });
});
