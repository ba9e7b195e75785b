import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { loadAnswersValidator, loadPlanner, loadRuleSet } from "../src/assets/index.js";
import type { Plan } from "../src/plan/index.js";
import { baseAnswers, patch, ROOT } from "./helpers/answers.js";

/** Data-driven scenarios (test/scenarios/*.yaml): answers patched on base.yaml, and the decisions expected. */

interface Expect {
  contract?: Record<string, unknown>;
  forms?: string[];
  findings?: string[];
  fired?: string[];
  notFired?: string[];
  steps?: { include?: string[]; exclude?: string[] };
  reasons?: Record<string, number>;
  signatory413?: string;
  keyGeneration?: string;
  certificates?: Record<string, Record<string, unknown>>;
  errors?: string[];
  warnings?: string[];
  messageContains?: Record<string, string>;
  /** Plan paths and their expected values (see `at` below), as OpenFisca's tests name outputs. */
  at?: Record<string, unknown>;
  /** The suggestion of each field's errors and warnings; `{}`: none at all. */
  suggestions?: Record<string, string>;
}
interface Case {
  name: string;
  answers: Record<string, unknown>;
  designeeCount?: number;
  expect: Expect;
}

const dir = join(ROOT, "test", "scenarios");
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "base.yaml");
const suites = files.map((file) => ({
  file,
  ...(YAML.parse(readFileSync(join(dir, file), "utf8")) as { section: string; cases: Case[] }),
}));

function answersOf(c: Case): unknown {
  const answers = patch(baseAnswers(), c.answers) as Record<string, unknown>;
  if (c.designeeCount !== undefined) {
    answers.designees = Array.from({ length: c.designeeCount }, (_, i) => ({
      role: "technicalAdministrator",
      firstName: "Agent",
      lastName: `Numéro ${i + 1}`,
      email: `agent${i + 1}@ch-ville.fr`,
      hasActiveCard: true,
    }));
  }
  return answers;
}

/**
 * The value at a path of the plan: dotted keys, `[n]` for an index, `[key=value]` for the one item whose key has
 * that value, `[*]` for every item (the rest of the path then applies to each). A path that finds nothing fails.
 */
function at(value: unknown, path: string): unknown {
  const parts = path.match(/[^.[\]]+|\[[^\]]*\]/g) ?? [];
  let current: unknown = value;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === "[*]") {
      if (!Array.isArray(current)) throw new Error(`${path} : ${part} sur autre chose qu'une liste`);
      const rest = parts
        .slice(i + 1)
        .join(".")
        .replace(/\.\[/g, "[");
      return rest === "" ? current : current.map((item) => at(item, rest));
    }
    const select = /^\[(\w+)=(.*)\]$/.exec(part);
    if (select) {
      if (!Array.isArray(current)) throw new Error(`${path} : ${part} sur autre chose qu'une liste`);
      const found = current.filter(
        (x) => String((x as Record<string, unknown>)[select[1] as string]) === select[2],
      );
      if (found.length !== 1) throw new Error(`${path} : ${found.length} élément(s) pour ${part}`);
      current = found[0];
      continue;
    }
    const key = part.startsWith("[") ? part.slice(1, -1) : part;
    if (typeof current !== "object" || current === null || !(key in current))
      throw new Error(`${path} : « ${key} » introuvable`);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const formKey = (f: Plan["forms"][number]) => [f.id, ...(f.offers ?? [])].join(" ");

const firedRules = new Set<string>();
const notFiredRules = new Set<string>();
const codesSeen = new Set<string>();

for (const suite of suites) {
  describe(`${suite.section} (${suite.file})`, () => {
    for (const c of suite.cases) {
      it(c.name, async () => {
        const result = loadAnswersValidator().validate(answersOf(c));
        const e = c.expect;
        for (const w of result.warnings) codesSeen.add(w.code);
        if (e.suggestions) {
          const all = [...(result.ok ? [] : result.errors), ...result.warnings];
          const given = Object.fromEntries(
            all.flatMap((x) => (x.suggestion === undefined ? [] : [[x.path, x.suggestion]])),
          );
          expect(given).toEqual(e.suggestions);
        }
        if (e.errors) {
          expect(result.ok, "ces réponses devaient être refusées").toBe(false);
          if (result.ok) return;
          for (const err of result.errors) codesSeen.add(err.code);
          expect(result.errors.map((x) => `${x.path} ${x.code}`).sort()).toEqual([...e.errors].sort());
          for (const err of result.errors) {
            expect(err.message).toMatch(/^[A-ZÀ-Ýa-z«]/);
            expect(err.message).not.toMatch(/instancePath|\/designees|\^|\$|undefined|\[object/);
          }
          if (e.warnings) expect(result.warnings.map((x) => `${x.path} ${x.code}`)).toEqual(e.warnings);
          for (const [path, text] of Object.entries(e.messageContains ?? {})) {
            expect(result.errors.find((x) => x.path === path)?.message).toContain(text);
          }
          return;
        }
        if (!result.ok) throw new Error(`réponses refusées : ${JSON.stringify(result.errors, null, 1)}`);
        if (e.warnings) expect(result.warnings.map((x) => `${x.path} ${x.code}`)).toEqual(e.warnings);
        const plan = await loadPlanner().plan(result.answers, result.warnings);
        for (const x of plan.explanations) (x.fired ? firedRules : notFiredRules).add(x.rule);
        if (e.contract) expect(plan.contract).toMatchObject(e.contract);
        if (e.forms) expect(plan.forms.map(formKey)).toEqual(e.forms);
        if (e.findings) {
          expect(plan.findings.map((f) => `${f.code} ${f.severity}`).sort()).toEqual([...e.findings].sort());
        }
        const fired = new Set(plan.explanations.filter((x) => x.fired).map((x) => x.rule));
        for (const r of e.fired ?? []) expect(fired, `règle ${r} attendue`).toContain(r);
        for (const r of e.notFired ?? []) expect(fired, `règle ${r} inattendue`).not.toContain(r);
        const stepIds = plan.steps.map((s) => s.id);
        for (const s of e.steps?.include ?? []) expect(stepIds).toContain(s);
        for (const s of e.steps?.exclude ?? []) expect(stepIds).not.toContain(s);
        for (const [id, n] of Object.entries(e.reasons ?? {})) {
          expect(plan.forms.find((f) => f.id === id)?.reasons).toHaveLength(n);
        }
        if (e.signatory413) {
          for (const f of plan.forms.filter((x) => x.form === "413"))
            expect(f.signatory.role).toBe(e.signatory413);
        }
        if (e.keyGeneration) {
          for (const cert of plan.certificates) expect(cert.keyGeneration.mode).toBe(e.keyGeneration);
        }
        for (const [path, expected] of Object.entries(e.at ?? {}))
          expect(at(plan, path), path).toEqual(expected);
        for (const [profile, fields] of Object.entries(e.certificates ?? {})) {
          expect(plan.certificates.find((x) => x.profile === profile)).toMatchObject(fields);
        }
      });
    }
  });
}

describe("couverture des scénarios", () => {
  it("chaque règle est appliquée dans un scénario au moins, et écartée dans un autre", () => {
    const rules = loadRuleSet().files.flatMap((f) => f.rules.rules.map((r) => r.name));
    const always = new Set(
      loadRuleSet()
        .files.flatMap((f) => f.rules.rules)
        .filter((r) => JSON.stringify(r.conditions).includes('"fact":"always"'))
        .map((r) => r.name),
    );
    expect(rules.filter((r) => !firedRules.has(r))).toEqual([]);
    expect(rules.filter((r) => !always.has(r) && !notFiredRules.has(r))).toEqual([]);
  });

  it("chaque code d'erreur ou d'avertissement des réponses apparaît dans un scénario", () => {
    const catalog = JSON.parse(readFileSync(join(ROOT, "schemas", "messages.fr.json"), "utf8")) as {
      schema: Record<string, string>;
      domain: Record<string, string>;
    };
    const codes = new Set([
      ...Object.keys(catalog.schema).map((k) => k.replace(/_(BOOLEAN|INTEGER|STRING|OBJECT|ARRAY)$/, "")),
      ...Object.keys(catalog.domain),
    ]);
    expect([...codes].filter((c) => !codesSeen.has(c)).sort()).toEqual([]);
  });
});
