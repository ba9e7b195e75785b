import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { MAX_ANSWERS_DEPTH } from "../src/answers/shape.js";
import { ROOT } from "./helpers/answers.js";
import { run } from "./helpers/io.js";
import { testApp } from "./web/helpers.js";

/**
 * Hostile answers, generated (fast-check): nested thousands of levels deep, oversized, or any JSON value, as JSON
 * or YAML, put anywhere in otherwise good answers. `validate`, `plan` and the web's `/api/plan` must answer them
 * as bad input (exit 0, 1 or 2; HTTP 4xx), in French, never with a stack trace or an internal error.
 */

const example = YAML.parse(readFileSync(join(ROOT, "examples", "ch-ville.yaml"), "utf8")) as Record<
  string,
  unknown
>;
const TRACE = /Erreur interne|merci de la signaler|\n\s+at |RangeError|Maximum call stack/;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hostile-answers-"));
});

type Syntax = "json" | "yaml-flow" | "yaml-block";

/** `depth` levels of lists or objects, as text in the given syntax, `indent` spaces in for block YAML. */
function nestedText(depth: number, kind: "list" | "object", syntax: Syntax, indent: number): string {
  if (syntax === "yaml-block") {
    if (kind === "list") return `${"- ".repeat(depth)}x`;
    // One level per line, each one space further in (bounded: the file size limit stops it anyway).
    const lines = Array.from({ length: Math.min(depth, 2000) }, (_, i) => `${" ".repeat(indent + i)}a:`);
    return `\n${lines.join("\n")} 1`;
  }
  return kind === "list"
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** Example answers with `value` (text in the syntax) at `where`. */
function answersText(where: string, value: string, syntax: Syntax): string {
  if (where === "") return value;
  if (syntax === "json") {
    const body = JSON.stringify({ ...example, [where]: "§" });
    return body.replace('"§"', value);
  }
  const rest = Object.entries(example).filter(([key]) => key !== where);
  const head = YAML.stringify(Object.fromEntries(rest), { flowCollectionPadding: false });
  return `${head}${where}: ${value}\n`;
}

const nested = fc.record({
  depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 40, max: 200_000 })),
  kind: fc.constantFrom("list" as const, "object" as const),
  syntax: fc.constantFrom<Syntax>("json", "yaml-flow", "yaml-block"),
  where: fc.constantFrom("", "x", "establishment", "designees", "gap"),
});

const oversized = fc.oneof(
  fc.record({ kind: fc.constant("text" as const), size: fc.integer({ min: 1000, max: 3_000_000 }) }),
  fc.record({ kind: fc.constant("values" as const), size: fc.integer({ min: 100, max: 200_000 }) }),
  fc.record({ kind: fc.constant("keys" as const), size: fc.integer({ min: 100, max: 100_000 }) }),
);

function oversizedAnswers(o: { kind: "text" | "values" | "keys"; size: number }): unknown {
  if (o.kind === "text") return { ...example, establishment: { name: "é".repeat(o.size) } };
  if (o.kind === "values") return { ...example, designees: Array(o.size).fill(0) };
  return { ...example, gap: Object.fromEntries(Array.from({ length: o.size }, (_, i) => [`k${i}`, i])) };
}

let file = 0;
/** validate and plan on the text, as a file: a bad-input exit code, French, no trace. */
async function expectCliHolds(text: string, extension: string): Promise<void> {
  file += 1;
  const path = join(dir, `reponses-${file}.${extension}`);
  writeFileSync(path, text);
  for (const args of [
    ["validate", path],
    ["plan", path],
    ["plan", "--json", path],
  ]) {
    const r = await run(args);
    expect([0, 1, 2], `${args.join(" ")} → ${r.code}\n${r.stderr.slice(0, 300)}`).toContain(r.code);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(TRACE);
  }
}

describe("réponses hostiles (propriété)", () => {
  const web = testApp();
  afterAll(async () => {
    await web.app.close();
  });

  /** /api/plan and /api/answers/load on the body: a 2xx or 4xx in French, never a 500. */
  async function expectWebHolds(body: string, asFile: boolean): Promise<void> {
    const res = await web.app.inject({
      method: "POST",
      url: asFile ? "/api/answers/load" : "/api/plan",
      headers: { "content-type": asFile ? "application/octet-stream" : "application/json" },
      payload: body,
    });
    expect([200, 400, 413, 422], `${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
    expect(res.body).not.toMatch(TRACE);
    expect(web.errors).toEqual([]);
  }

  it("imbrication profonde, en JSON ou en YAML, n'importe où dans les réponses", async () => {
    await fc.assert(
      fc.asyncProperty(nested, async ({ depth, kind, syntax, where }) => {
        const text = answersText(where, nestedText(depth, kind, syntax, 2), syntax);
        await expectCliHolds(text, syntax === "json" ? "json" : "yaml");
        await expectWebHolds(text, true);
        if (syntax === "json") await expectWebHolds(text, false);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it("réponses démesurées : texte énorme, des centaines de milliers de valeurs ou de champs", async () => {
    await fc.assert(
      fc.asyncProperty(oversized, fc.boolean(), async (o, asYaml) => {
        const data = oversizedAnswers(o);
        const text = asYaml ? YAML.stringify(data) : JSON.stringify(data);
        await expectCliHolds(text, asYaml ? "yaml" : "json");
        await expectWebHolds(JSON.stringify(data), false);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it("n'importe quelle valeur JSON à la place d'un champ", async () => {
    const field = fc.constantFrom(
      "establishment",
      "contract",
      "designees",
      "gap",
      "legalRepresentative",
      "x",
    );
    await fc.assert(
      fc.asyncProperty(field, fc.jsonValue({ maxDepth: 30 }), async (where, value) => {
        const text = JSON.stringify({ ...example, [where]: value });
        await expectCliHolds(text, "json");
        await expectWebHolds(text, false);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it("s'arrête à la limite : assez profond est accepté, un niveau de plus refusé, pour un fichier et pas les suivants", async () => {
    const at = (depth: number) =>
      JSON.stringify({ ...example, x: JSON.parse(nestedText(depth - 1, "list", "json", 0)) });
    const ok = join(dir, "limite.json");
    const over = join(dir, "au-dela.json");
    const deep = join(dir, "profond.json");
    const good = join(ROOT, "examples", "ch-ville.yaml");
    writeFileSync(ok, at(MAX_ANSWERS_DEPTH));
    writeFileSync(over, at(MAX_ANSWERS_DEPTH + 1));
    writeFileSync(deep, answersText("x", nestedText(100_000, "object", "json", 0), "json"));
    const r = await run(["validate", deep, over, ok, good]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`sur plus de ${MAX_ANSWERS_DEPTH} niveaux`);
    // The deep file and the one just over the limit are refused for their depth; the next ones are checked as usual.
    expect(r.stderr.match(/sur plus de \d+ niveaux/g)).toHaveLength(2);
    expect(r.stderr).toContain("« x »");
    expect(r.stdout).toContain(`${good} : réponses valides.`);
  });
});
