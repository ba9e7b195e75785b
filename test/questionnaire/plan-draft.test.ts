import { describe, expect, it } from "vitest";
import { loadAnswersValidator, loadPlanner, loadRuleSet } from "../../src/assets/load.js";
import { loadQuestionnaire } from "../../src/questionnaire/load.js";
import { MAX_COMPLETIONS, planDraft } from "../../src/questionnaire/plan-draft.js";
import { baseAnswers, patch } from "../helpers/answers.js";

/** The plan as it forms: decided = what every completion the rules are given asks for. */

const deps = {
  validator: loadAnswersValidator(),
  planner: loadPlanner(),
  model: loadQuestionnaire().model,
  ruleSet: loadRuleSet(),
};

const ids = (forms: { id: string }[]) => forms.map((f) => f.id).sort();

describe("planDraft", () => {
  it("no contract yet: the contract and the form n°101 are decided, the designee's forms still open", async () => {
    const draft = await planDraft({ version: 1, contract: { exists: false }, designees: [{}] }, deps);
    expect(draft).toBeDefined();
    expect(ids(draft?.decided ?? [])).toEqual(["101", "contrat-structure"]);
    expect(ids(draft?.open ?? [])).toEqual(["301-1", "413-1", "502-1"]);
    expect(draft?.contractRequired).toBe(true);
    // Names and addresses were completed with the schema's examples, and said so.
    expect(draft?.exampleOf).toContain("legalRepresentative.lastName");
  });

  it("complete answers: everything decided, exactly the plan's forms", async () => {
    const answers = baseAnswers();
    const result = deps.validator.validate(answers);
    if (!result.ok) throw new Error("réponses de base invalides");
    const plan = await deps.planner.plan(result.answers);
    const draft = await planDraft(answers, deps);
    expect(draft?.completions).toBe(1);
    expect(ids(draft?.decided ?? [])).toEqual(ids(plan.forms));
    expect(draft?.open).toEqual([]);
    expect(draft?.exampleOf).toEqual([]);
  });

  it("what it calls decided is in the plan of every way of finishing the answers", async () => {
    const partial = {
      version: 1,
      contract: { exists: true, signedAt: "EJ" },
      legalRepresentative: { hasActiveCard: true },
      designees: [{ role: "technicalAdministrator", hasActiveCard: true }, { firstName: "Paul" }],
    };
    const draft = await planDraft(partial, deps);
    expect(ids(draft?.decided ?? [])).toEqual(["413-1"]);
    for (const role of ["technicalAdministrator", "mandatary"])
      for (const hasActiveCard of [true, false]) {
        const finished = patch(baseAnswers(), {
          ...partial,
          designees: [
            { ...partial.designees[0], firstName: "Élodie", lastName: "Lefèvre", email: "e.l@ch-ville.fr" },
            { firstName: "Paul", lastName: "Martin", email: "p.m@ch-ville.fr", role, hasActiveCard },
          ],
        });
        const result = deps.validator.validate(finished);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        const plan = await deps.planner.plan(result.answers);
        for (const id of ids(draft?.decided ?? [])) expect(ids(plan.forms)).toContain(id);
        for (const f of plan.forms)
          expect([...ids(draft?.decided ?? []), ...ids(draft?.open ?? [])]).toContain(f.id);
      }
  });

  it("says nothing when too little is answered, or when the answers cannot be completed", async () => {
    const many = { version: 1, designees: [{}, {}, {}] };
    expect(await planDraft(many, deps)).toBeUndefined();
    expect(MAX_COMPLETIONS).toBeGreaterThan(0);
    // Two designees with the same role and address: no completion can fix that for the user.
    const duplicate = patch(baseAnswers(), {
      designees: [
        { role: "mandatary", firstName: "A", lastName: "B", email: "a@ch-ville.fr", hasActiveCard: true },
        { role: "mandatary", firstName: "C", lastName: "D", email: "a@ch-ville.fr", hasActiveCard: true },
      ],
    });
    expect(await planDraft(duplicate, deps)).toBeUndefined();
    expect(await planDraft("pas un objet", deps)).toBeDefined();
  });
});
