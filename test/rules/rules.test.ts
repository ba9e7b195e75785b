import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../src/assets/index.js";
import { createRuleSet, type RuleFile } from "../../src/rules/index.js";
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
        });
      }
    });
  }

  it("le texte de l'usage des certificats est celui de la procédure, caractère pour caractère", () => {
    const usages = ruleSet.files
      .flatMap((f) => f.rules.rules)
      .map((r) => r.event.params.usage)
      .filter((u): u is string => typeof u === "string");
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
    expect(() => createRuleSet([file([good])], "v")).not.toThrow();
    expect(() => createRuleSet([file([good, good])], "v")).toThrow(/en double/);
    expect(() =>
      createRuleSet([file([{ ...good, event: { type: "finding", params: { section: "§1" } } }])], "v"),
    ).toThrow(/citation/);
    expect(() =>
      createRuleSet([file([{ ...good, event: { type: "boom", params: good.event.params } }])], "v"),
    ).toThrow(/type d'événement/);
  });

  it("la version des règles change quand une règle change", () => {
    expect(ruleSet.version).toMatch(/^sha256:[0-9a-f]{16}$/);
  });
});
