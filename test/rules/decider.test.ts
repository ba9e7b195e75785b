import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../src/assets/index.js";
import { Decider } from "../../src/rules/decider.js";
import { Lru } from "../../src/rules/memo.js";
import type { Decision, Facts, Scope } from "../../src/rules/types.js";

/**
 * The memo of the Decider gives back exactly the decision a run of the engine gives: same rules fired, same events,
 * same facts read with the same values, on facts the rules were written for and on odd ones.
 */

const flag = fc.boolean();
const entity = fc.constantFrom("none", "EJ", "EG");
// Numbers compared with 1 by the rules, and values whose comparison json-rules-engine decides its own way.
const count = fc.oneof(
  fc.integer({ min: 0, max: 6 }),
  fc.integer({ min: -3, max: 100_000 }),
  fc.constantFrom(-0, 0.5, 1.5, Number.NaN, "1", "2", "deux", true),
);

const establishmentFacts = fc.record({
  always: fc.oneof(fc.constant(true), fc.constant(false)),
  contractExists: flag,
  contractSignedAt: entity,
  contractSignatoryChoice: entity,
  geographicEntities: count,
  legalRepresentativeHasActiveCard: flag,
  technicalAdministratorCount: count,
  mandataryCount: count,
  keyGeneration: fc.constantFrom("online", "csr", "autre"),
  form413SignedBy: fc.constantFrom("legalRepresentative", "mandatary"),
  contractRequired: fc.oneof(fc.constant(false), flag),
  presentedEntity: fc.oneof(fc.constant("none"), entity),
  contractFormRequired: fc.oneof(fc.constant(false), flag),
  form101Required: fc.oneof(fc.constant(false), flag),
});

const designeeFacts = fc.record({
  always: fc.oneof(fc.constant(true), fc.constant(false)),
  role: fc.constantFrom("technicalAdministrator", "mandatary"),
  hasActiveCard: flag,
  cardRequest: fc.constantFrom("none", "form301", "tom"),
  hasVendor: flag,
  habilitationOrgAuthCli: flag,
  habilitationSslServer: fc.constantFrom("none", "restricted", "wholeDomain"),
  isLegalRepresentative: flag,
  cardRequestedEarlier: flag,
  alreadyDesignated: flag,
  form413Required: fc.oneof(fc.constant(false), flag),
});

const calls = fc.array(
  fc.oneof(
    establishmentFacts.map((facts) => ({ scope: "establishment" as Scope, facts: facts as Facts })),
    designeeFacts.map((facts) => ({ scope: "designee" as Scope, facts: facts as Facts })),
  ),
  { minLength: 1, maxLength: 20 },
);

function isDeeplyFrozen(decision: Decision): boolean {
  return (
    Object.isFrozen(decision) &&
    Object.isFrozen(decision.fired) &&
    Object.isFrozen(decision.evaluated) &&
    decision.fired.every((f) => Object.isFrozen(f)) &&
    decision.evaluated.every((e) => Object.isFrozen(e) && Object.isFrozen(e.facts))
  );
}

describe("Decider : décisions mémorisées", () => {
  it("donne la décision du moteur, quelles que soient les décisions déjà mémorisées", async () => {
    const ruleSet = loadRuleSet();
    const engine = new Decider(ruleSet, { memo: 0 });
    // One remembering decider for the whole property (warm memo across runs), one with a tiny memo (evictions).
    const remembering = [new Decider(ruleSet), new Decider(ruleSet, { memo: 3 })];
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(calls, async (list) => {
        for (const { scope, facts } of list) {
          const expected = await engine.decide(scope, { ...facts });
          for (const decider of remembering) {
            const given = { ...facts };
            const decision = await decider.decide(scope, given);
            expect(decision).toStrictEqual(expected);
            expect(isDeeplyFrozen(decision)).toBe(true);
            expect(given).toStrictEqual({ ...facts });
          }
          runs++;
        }
      }),
      { numRuns: 200 },
    );
    expect(runs).toBeGreaterThan(500);
  });

  it("ne garde pas de lien avec les faits donnés", async () => {
    const decider = new Decider(loadRuleSet());
    const facts: Facts = {
      always: true,
      role: "technicalAdministrator",
      hasActiveCard: false,
      cardRequest: "tom",
      hasVendor: false,
      habilitationOrgAuthCli: false,
      habilitationSslServer: "none",
      isLegalRepresentative: false,
      cardRequestedEarlier: false,
      alreadyDesignated: false,
      form413Required: false,
    };
    const first = await decider.decide("designee", facts);
    const copy = structuredClone(first);
    facts.cardRequest = "form301";
    expect(await decider.decide("designee", { ...facts, cardRequest: "tom" })).toStrictEqual(copy);
    expect(() => {
      (first.evaluated[0]?.facts as Facts).role = "mandatary";
    }).toThrow(TypeError);
  });
});

describe("Lru", () => {
  it("garde les plus récemment utilisées, au plus `capacity`", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1);
    lru.set("c", 3);
    expect(lru.get("b")).toBeUndefined();
    expect(lru.get("a")).toBe(1);
    expect(lru.get("c")).toBe(3);
    expect(lru.size).toBe(2);
    const none = new Lru<string, number>(0);
    none.set("a", 1);
    expect(none.get("a")).toBeUndefined();
  });
});
