import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { loadAnswersValidator, loadPlanner } from "../../src/assets/index.js";
import { answersHash, canonicalJson, prettyJson } from "../../src/dossier/canonical.js";
import { ROOT } from "../helpers/answers.js";

/**
 * canonicalJson / prettyJson against the algorithm they replaced (a sorted copy built with `map` and
 * `Object.keys().sort()`, printed by JSON.stringify), kept here as the reference: the same text for every value,
 * the same error for every value that is not JSON.
 */

type RefJson = null | boolean | number | string | RefJson[] | { [key: string]: RefJson };

function refSortKeys(value: unknown): RefJson {
  if (Array.isArray(value)) return value.map(refSortKeys);
  if (typeof value === "object" && value !== null) {
    const out: { [key: string]: RefJson } = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = refSortKeys(v);
    }
    return out;
  }
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new Error(`valeur non sérialisable en JSON : ${String(value)}`);
}

const refCanonical = (value: unknown) => JSON.stringify(refSortKeys(value));
const refPretty = (value: unknown) => `${JSON.stringify(refSortKeys(value), null, 2)}\n`;

/** The text, or the error's class and message: what the callers can observe. */
function outcome(print: (value: unknown) => string, value: unknown): string {
  try {
    return `ok ${print(value)}`;
  } catch (error) {
    return `throws ${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

/** Compares both printers with the reference; returns whether the reference threw. */
function expectSame(value: unknown): boolean {
  const expected = outcome(refPretty, value);
  expect(outcome(prettyJson, value)).toBe(expected);
  expect(outcome(canonicalJson, value)).toBe(outcome(refCanonical, value));
  return expected.startsWith("throws");
}

// Characters that JSON escapes or that sort oddly: quotes, backslash, controls, lone surrogates, emoji, accents.
const tricky = fc.constantFrom(
  '"',
  "\\",
  "\u0000",
  "\n",
  "\t",
  "\u001f",
  "\u007f",
  "\u2028",
  "\ud800",
  "\udfff",
  "😀",
  "é",
  "’",
  "Œ",
  "_",
  "0",
  "9",
  "a",
  "Z",
  " ",
);
const text = fc.oneof(
  fc.string({ unit: tricky, maxLength: 6 }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({ maxLength: 8 }),
);
// Keys the engine treats specially: array indices (listed first, in numeric order), `__proto__`, inherited names.
const key = fc.oneof(
  text,
  fc.constantFrom(
    "__proto__",
    "constructor",
    "toString",
    "toJSON",
    "hasOwnProperty",
    "",
    "0",
    "1",
    "2",
    "10",
    "01",
    "-1",
    "1.5",
    "4294967294",
    "4294967295",
    "1e3",
  ),
);
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(-0, 0, 1e21, 1e-7, 5e-7, 123456789012345680000, Number.MAX_VALUE, Number.MIN_VALUE, -1.5),
);
const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null));

/** An object from its entries in the given order, `__proto__` included as an own key (as JSON.parse makes it). */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** Nested JSON-like values; `bad` is mixed in (an `undefined` item, NaN, a function…) where the test asks for it. */
function values(bad: fc.Arbitrary<unknown> | null) {
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      ...(bad ? [scalar, bad] : [scalar]),
      fc.array(tie("value"), { maxLength: 5 }),
      fc.sparseArray(tie("value"), { maxLength: 5 }),
      fc.array(fc.tuple(key, fc.oneof(tie("value"), fc.constant(undefined))), { maxLength: 6 }).map(objectOf),
    ),
  })).value;
}

const notJson = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  undefined,
  () => 1,
  Symbol("s"),
  10n,
);

function realPlans(): Promise<{ answers: unknown; plan: unknown }[]> {
  const validator = loadAnswersValidator();
  const planner = loadPlanner();
  const dir = join(ROOT, "examples");
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
  expect(files.length).toBeGreaterThan(2);
  return Promise.all(
    files.map(async (file) => {
      const result = validator.validate(YAML.parse(readFileSync(join(dir, file), "utf8")));
      if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
      return { answers: result.answers, plan: await planner.plan(result.answers, result.warnings) };
    }),
  );
}

describe("canonical JSON", () => {
  it("prints every JSON value as the sorted copy + JSON.stringify did", () => {
    fc.assert(
      fc.property(values(null), (value) => {
        expect(expectSame(value)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it("throws where the sorted copy threw, with the same message", () => {
    let thrown = 0;
    fc.assert(
      fc.property(values(notJson), (value) => {
        if (expectSame(value)) thrown += 1;
      }),
      { numRuns: 3000 },
    );
    // Most generated values hold a bad value somewhere, else this test would prove little.
    expect(thrown).toBeGreaterThan(1000);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, undefined, () => 1, Symbol("s"), 10n]) {
      expect(() => prettyJson({ a: [1, { b: [bad] }] })).toThrow("valeur non sérialisable en JSON : ");
      expect(() => canonicalJson([bad])).toThrow("valeur non sérialisable en JSON : ");
    }
  });

  it("keeps the behaviour of the old algorithm at its edges", () => {
    // `undefined` is left out of objects but throws in arrays; a hole prints `null`.
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson([1, undefined])).toThrow("valeur non sérialisable en JSON : undefined");
    expect(() => canonicalJson(undefined)).toThrow("valeur non sérialisable en JSON : undefined");
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    expect(canonicalJson([1, , 2])).toBe("[1,null,2]");
    // -0 prints 0; exponents as JSON.stringify writes them.
    expect(canonicalJson([-0, 1e21, 5e-7, 1e-7])).toBe("[0,1e+21,5e-7,1e-7]");
    // Own enumerable keys only: toJSON is not called, so a Date is `{}`; an own toJSON method is a function: throws.
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":{}}');
    expect(() => canonicalJson({ toJSON: () => "x" })).toThrow("valeur non sérialisable en JSON : ");
    class Point {
      constructor(
        readonly y: number,
        readonly x: number,
      ) {}
      toJSON() {
        return "ignored";
      }
    }
    expect(canonicalJson(new Point(2, 1))).toBe('{"x":1,"y":2}');
    // Integer-like keys first in numeric order (the copy is a plain object), then the others in code-unit order;
    // an own `__proto__` key is dropped (its value is still checked).
    expect(canonicalJson({ b: 1, a: 2, 10: 3, 2: 4, Z: 5, é: 6, "😀": 7, "\uffff": 8 })).toBe(
      '{"2":4,"10":3,"Z":5,"a":2,"b":1,"é":6,"😀":7,"\uffff":8}',
    );
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":1}'))).toBe('{"a":1}');
    expect(() => canonicalJson(JSON.parse('{"__proto__":[1e999]}'))).toThrow(
      "valeur non sérialisable en JSON : Infinity",
    );
    // Empty containers, nesting and the final newline as JSON.stringify(x, null, 2) prints them.
    expect(prettyJson({ b: [], a: {}, c: [{ e: undefined }] })).toBe(
      '{\n  "a": {},\n  "b": [],\n  "c": [\n    {}\n  ]\n}\n',
    );
    expect(answersHash({ b: 1, a: 2 })).toBe(answersHash({ a: 2, b: 1 }));
  });

  it("prints the plans and answers of the examples as before", async () => {
    for (const { answers, plan } of await realPlans()) {
      expect(prettyJson(plan)).toBe(refPretty(plan));
      expect(prettyJson(answers)).toBe(refPretty(answers));
      expect(canonicalJson(answers)).toBe(refCanonical(answers));
      expect(canonicalJson(plan)).toBe(refCanonical(plan));
    }
  });
});
