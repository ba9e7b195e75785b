import { describe, expect, it } from "vitest";
import { loadAnswersValidator, loadPlanner } from "../../src/assets/load.js";
import type { Plan } from "../../src/plan/types.js";
import { deriveState, factsOf, stepBlockers, waitingText } from "../../src/track/state.js";
import { loadTrackTexts } from "../../src/track/texts.js";
import type { TrackEvent } from "../../src/track/types.js";
import { baseAnswers, patch } from "../helpers/answers.js";

const texts = loadTrackTexts();

async function planOf(change: unknown = {}): Promise<Plan> {
  const result = loadAnswersValidator().validate(patch(baseAnswers(), change));
  if (!result.ok) throw new Error("answers");
  return loadPlanner().plan(result.answers, result.warnings);
}

let id = 0;
const event = (
  kind: TrackEvent["kind"],
  target: string,
  day: string,
  extra: Partial<TrackEvent> = {},
): TrackEvent => ({
  id: ++id,
  finessEG: "010003820",
  at: `${day}T10:00:00.000Z`,
  by: "Claire",
  kind,
  target,
  day,
  note: null,
  before: null,
  after: null,
  undoes: null,
  ...extra,
});

describe("track state (pure)", () => {
  it("derives the next step, then the awaited event, who acts and since when, from the plan and the facts", async () => {
    const plan = await planOf();
    const start = deriveState(plan, factsOf([]), "2026-03-02", texts);
    expect(start.summary).toMatchObject({
      phase: "prerequisites",
      nextStep: "contrat-structure",
      since: "2026-03-02",
    });
    const events = [
      "contrat-structure",
      "formulaire-101",
      "formulaire-301-1",
      "documentation",
      "cle-en-ligne",
      "ac-ingetrust-geotrust",
      "reseau-tpe",
    ].map((s, i) => event("done", s, `2026-03-0${3 + Math.min(i, 2)}`));
    const waiting = deriveState(plan, factsOf(events), "2026-03-02", texts);
    expect(waiting.summary).toMatchObject({
      phase: "habilitation",
      nextStep: null,
      waitingFor: "carte-personne-1",
      since: "2026-03-05",
      actor: "Élodie Lefèvre",
    });
    expect(waitingText(waiting.summary, "2026-03-17", texts)).toBe(
      "en attente de la carte CPx d'Élodie Lefèvre depuis 12 jours",
    );
    const step413 = plan.steps.find((s) => s.id === "formulaire-413-1");
    if (!step413) throw new Error("step");
    const blockers = stepBlockers(plan, factsOf(events), step413);
    expect(blockers.pendingSteps.map((s) => s.id)).toEqual(["verifier-habilitations-1"]);
    expect(blockers.pendingWaits.map((w) => w.map((a) => a.id))).toEqual([
      ["contrat-enregistre"],
      ["carte-representant-legal"],
      ["carte-personne-1"],
    ]);
  });

  it("takes an undo as cancelling the entry it names, and nothing else", async () => {
    const plan = await planOf();
    const done = event("done", "contrat-structure", "2026-03-03");
    const undo = event("undo", "contrat-structure", "2026-03-04", { undoes: done.id });
    const facts = factsOf([done, undo]);
    expect(facts.steps.has("contrat-structure")).toBe(false);
    expect(deriveState(plan, facts, "2026-03-02", texts).summary.nextStep).toBe("contrat-structure");
  });

  it("accepts any one of several awaited events when the plan says one is enough", async () => {
    const plan = await planOf({
      designees: [
        {
          role: "technicalAdministrator",
          firstName: "Élodie",
          lastName: "Lefèvre",
          email: "e.l@ch-ville.fr",
          hasActiveCard: true,
          habilitation: { orgAuthCli: false, sslServer: "none" },
        },
        {
          role: "technicalAdministrator",
          firstName: "Paul",
          lastName: "Martin",
          email: "p.m@ch-ville.fr",
          hasActiveCard: true,
          habilitation: { orgAuthCli: false, sslServer: "none" },
        },
      ],
    });
    const anyOf = plan.steps.flatMap((s) =>
      s.waitsFor.filter((w) => w.awaited.length > 1).map((w) => ({ step: s, wait: w })),
    )[0];
    if (!anyOf) return expect.fail("the plan has no wait on one of several events");
    const first = anyOf.wait.awaited[1] ?? "";
    const facts = factsOf([event("received", first, "2026-03-03")]);
    expect(
      stepBlockers(plan, facts, anyOf.step).pendingWaits.some((w) => w.some((a) => a.id === first)),
    ).toBe(false);
  });
});
