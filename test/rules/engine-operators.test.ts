import { Engine } from "json-rules-engine";
import { describe, expect, it } from "vitest";

/**
 * src/rules/decider.ts reads json-rules-engine's `engine.operators` (not in its types) to evaluate each plain
 * comparison once per decision. Listed in src/render/README.md with the libraries' other private parts.
 */
describe("json-rules-engine's engine.operators, read by src/rules/decider.ts", () => {
  it("is a map of operators by name, each evaluating a fact value against a value", () => {
    const engine = new Engine([], { allowUndefinedFacts: true });
    const operators = (engine as unknown as { operators?: { get?: unknown } }).operators;
    expect(
      typeof operators?.get,
      "json-rules-engine: Engine has no `operators` map any more (src/rules/decider.ts, operatorsOf)",
    ).toBe("function");
    const equal = (
      operators as { get(name: string): { evaluate(a: unknown, b: unknown): boolean } | null }
    ).get("equal");
    expect(typeof equal?.evaluate, "json-rules-engine: an operator has no evaluate(factValue, value)").toBe(
      "function",
    );
    expect(equal?.evaluate("a", "a")).toBe(true);
    expect(equal?.evaluate("a", "b")).toBe(false);
  });
});
