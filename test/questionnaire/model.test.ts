import { describe, expect, it } from "vitest";
import { loadAnswersValidator, loadRuleSet } from "../../src/assets/load.js";
import {
  buildQuestionnaire,
  FACT_PATHS,
  isShown,
  loadQuestionnaire,
  pruneHidden,
  type QuestionnaireNode,
  walkNodes,
} from "../../src/questionnaire/index.js";
import { quoteText } from "../../src/rules/quote.js";

const { model, why } = loadQuestionnaire();
const nodes = [...walkNodes(model)];
const byPath = new Map(nodes.map((n) => [n.path, n]));

function node(path: string): QuestionnaireNode {
  const found = byPath.get(path);
  if (!found) throw new Error(`pas de question ${path}`);
  return found;
}

describe("questionnaire derived from the answers schema", () => {
  it("asks every field of the schema, with its title, description and choice titles", () => {
    const names = loadAnswersValidator().names;
    for (const n of nodes) {
      if (n.path === "") continue;
      const field = names.schemaAt(n.path.replace(/\*/g, "0"));
      expect(field, n.path).toBeDefined();
      expect(n.title).toBe(field?.title);
      expect(n.description).toBe(field?.description);
    }
    expect(node("contract.signedAt")).toMatchObject({
      kind: "choice",
      choices: [
        { value: "EJ", title: "À l'entité juridique (EJ)" },
        { value: "EG", title: "À l'entité géographique (EG)" },
      ],
    });
    expect(node("version")).toMatchObject({ kind: "fixed", value: 1 });
    expect(node("designees")).toMatchObject({ kind: "list", minItems: 1, maxItems: 50 });
    expect(node("establishment.geographicEntities")).toMatchObject({ kind: "integer", required: true });
    expect(node("legalRepresentative.phone")).toMatchObject({ kind: "text", required: false });
    // Required by the branch that allows it: once shown, it must be answered.
    expect(node("contract.signedAt").required).toBe(true);
    expect(node("contract.signatory").required).toBe(false);
  });

  it("shows a question only when it matters, from the schema's if/then/else", () => {
    const shown = (path: string, holder: unknown) => isShown(node(path).showWhen, holder);
    expect(shown("contract.signedAt", { exists: true })).toBe(true);
    expect(shown("contract.signedAt", { exists: false })).toBe(false);
    expect(shown("contract.signedAt", {})).toBe(false);
    expect(shown("contract.signatory", { exists: false })).toBe(true);
    expect(shown("contract.signatory", { exists: true })).toBe(false);
    expect(shown("contract.signatory", {})).toBe(false);
    expect(shown("designees.*.cardRequest", { hasActiveCard: false })).toBe(true);
    expect(shown("designees.*.cardRequest", { hasActiveCard: true })).toBe(false);
    for (const path of ["designees.*.habilitation", "designees.*.vendor"]) {
      expect(shown(path, { role: "technicalAdministrator" })).toBe(true);
      expect(shown(path, { role: "mandatary" })).toBe(false);
      expect(shown(path, {})).toBe(false);
    }
    expect(node("designees.*.email").showWhen).toEqual([]);
  });

  it("drops the answers of questions that no longer matter", () => {
    const draft = {
      contract: { exists: false, signedAt: "EG", signatory: "EJ" },
      designees: [
        { role: "mandatary", hasActiveCard: true, cardRequest: "tom", vendor: "X", habilitation: {} },
      ],
    };
    pruneHidden(model, draft);
    expect(draft).toEqual({
      contract: { exists: false, signatory: "EJ" },
      designees: [{ role: "mandatary", hasActiveCard: true }],
    });
  });

  it("refuses a schema construct it cannot ask", () => {
    expect(() => buildQuestionnaire({ type: "object", properties: { a: { type: "null" } } })).toThrow(
      /non pris en charge/,
    );
  });
});

describe("« Pourquoi cette question ? »", () => {
  it("maps every fact the rules read to answers the questionnaire asks", () => {
    for (const paths of Object.values(FACT_PATHS).flatMap((table) => Object.values(table)))
      for (const path of paths) expect(byPath.has(path), path).toBe(true);
    for (const path of Object.keys(why)) expect(byPath.has(path), path).toBe(true);
  });

  it("names what each decisive answer decides, with the procedure section and sentence", () => {
    const contract = why["contract.exists"];
    expect(contract?.decisions.map((d) => d.text)).toEqual(
      expect.arrayContaining([
        "s'il faut remplir le formulaire n°101",
        "s'il faut remplir le contrat de structure",
      ]),
    );
    expect(contract?.references.map((r) => r.section)).toEqual(expect.arrayContaining(["§1", "Annexe 2"]));
    const ssl = why["designees.*.habilitation.sslServer"];
    expect(ssl?.decisions.find((d) => d.text.includes("n°413"))?.sections).toEqual([
      "§2, Étape 4.2",
      "§2, Attention",
    ]);
    expect(why["legalRepresentative.hasActiveCard"]?.rules).toContain("s1.carte-representant-legal-absente");
    // Through a decision: the step « signer le contrat » reads contractFormRequired, set from contractExists.
    expect(why["contract.exists"]?.rules).toContain("s1.etape-signer-contrat");
    expect(why["establishment.name"]).toBeUndefined();
  });

  it("quotes the rules' sentences exactly, as text without the procedure's emphasis marks", () => {
    const quotes = new Set(
      loadRuleSet().files.flatMap((f) =>
        f.rules.rules.map((r) => `${r.event.params.section}|${quoteText(r.event.params.quote)}`),
      ),
    );
    for (const entry of Object.values(why))
      for (const r of entry.references) {
        expect(quotes.has(`${r.section}|${r.quote}`)).toBe(true);
        expect(r.quote, r.quote).not.toContain("**");
      }
    // The procedure's « Il est possible de **charger son CSR** si… », its marks read.
    const keys = why.keyGeneration?.references.map((r) => r.quote) ?? [];
    expect(keys).toContain(
      "Il est possible de charger son CSR si ce dernier et la bclé associée ont déjà été générés.",
    );
  });
});
