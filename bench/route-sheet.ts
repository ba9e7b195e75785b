import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildRouteSheet, type DossierDeps, dossierFormNames } from "../src/dossier/build.js";
import { answersHash } from "../src/dossier/canonical.js";
import { dossierDates } from "../src/dossier/dates.js";
import { loadDossierDeps } from "../src/dossier/deps.js";
import { type RouteSheetView, routeSheetView } from "../src/dossier/route-view.js";
import type { DocumentMetadata } from "../src/render/index.js";
import { loadPipeline } from "./pipeline.js";

/**
 * The route sheet alone, in CPU ms per dossier: `tsx bench/route-sheet.ts [--count 200] [--baseline DIR]`.
 * With `--baseline`, the same views also go through DIR's src/dossier and src/render (e.g. an export of an older commit),
 * alternately with this tree's, in the same process: a noisy machine weighs on both alike. `--write DIR`
 * keeps the first 8 route sheets of each for comparison (pdftoppm, pdftotext).
 */

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "200" },
    rounds: { type: "string", default: "3" },
    baseline: { type: "string" },
    write: { type: "string" },
  },
});
const COUNT = Number(values.count);
const ROUNDS = Number(values.rounds);

type Build = (
  view: RouteSheetView,
  deps: DossierDeps,
  metadata: DocumentMetadata,
) => Promise<{ bytes: Uint8Array }>;
interface Variant {
  name: string;
  build: Build;
  deps: DossierDeps;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function views(count: number): Promise<{ view: RouteSheetView; metadata: DocumentMetadata }[]> {
  const pipeline = await loadPipeline();
  const { deps, planner } = pipeline;
  const dated = dossierDates({ SOURCE_DATE_EPOCH: "1764403200" }, () => new Date());
  if (!dated.ok) throw new Error("dates");
  const dates = dated.dates;
  const out: { view: RouteSheetView; metadata: DocumentMetadata }[] = [];
  for (let i = 0; i < count; i++) {
    const valid = pipeline.valid(i);
    const plan = await planner.plan(valid.answers, valid.warnings);
    const trace = {
      toolVersion: deps.toolVersion,
      rulesVersion: plan.generator.rulesVersion,
      answersHash: answersHash(valid.answers),
    };
    const names = dossierFormNames(plan, deps);
    const view = routeSheetView({
      parameters: deps.parameters,
      plan,
      answers: valid.answers,
      labels: deps.labels,
      fileNames: names,
      dates,
      trace,
      fileFindings: [],
      email: null,
    });
    const title = "feuille de route";
    out.push({ view, metadata: { title, subject: title, ...trace, date: dates.stamp } });
  }
  return out;
}

async function variants(): Promise<Variant[]> {
  const loaded = await loadDossierDeps();
  if (!loaded.ok) throw new Error("gabarits illisibles");
  const list: Variant[] = [{ name: "actuel", build: buildRouteSheet, deps: loaded.deps }];
  if (values.baseline) {
    const dir = values.baseline;
    // Before src/render, the route sheet had its own module; since, it is built in src/dossier/build.ts.
    const sheet = (await import(`${dir}/src/dossier/route-sheet.ts`).catch(
      () => import(`${dir}/src/dossier/build.ts`),
    )) as { buildRouteSheet: Build };
    const baseDeps = (await import(`${dir}/src/dossier/deps.ts`)) as {
      loadDossierDeps: typeof loadDossierDeps;
    };
    const base = await baseDeps.loadDossierDeps();
    if (!base.ok) throw new Error("gabarits illisibles (référence)");
    list.unshift({ name: "référence", build: sheet.buildRouteSheet, deps: base.deps });
  }
  return list;
}

const inputs = await views(COUNT);
const list = await variants();
const totals = new Map<string, number>();
const digests = new Map<string, string>();
const sizes = new Map<string, number>();
for (let round = 0; round < ROUNDS; round++) {
  for (const v of list) {
    const hash = createHash("sha256");
    let size = 0;
    const t = cpuMs();
    for (const [i, input] of inputs.entries()) {
      const { bytes } = await v.build(input.view, v.deps, input.metadata);
      if (values.write && round === 0 && i < 8) {
        mkdirSync(values.write, { recursive: true });
        writeFileSync(join(values.write, `${v.name}-${i}.pdf`), bytes);
      }
      hash.update(bytes);
      size += bytes.length;
    }
    // The first round warms up (JIT, font parsing): not counted.
    if (round > 0) totals.set(v.name, (totals.get(v.name) ?? 0) + (cpuMs() - t));
    const digest = hash.digest("hex").slice(0, 12);
    if (digests.has(v.name) && digests.get(v.name) !== digest)
      throw new Error(`${v.name} : octets différents`);
    digests.set(v.name, digest);
    sizes.set(v.name, size / inputs.length);
  }
}
for (const v of list) {
  const ms = (totals.get(v.name) ?? 0) / (COUNT * Math.max(1, ROUNDS - 1));
  process.stdout.write(
    `${v.name.padEnd(10)} ${ms.toFixed(2)} ms CPU par feuille de route, ${Math.round((sizes.get(v.name) ?? 0) / 1024)} Ko, sha256 ${digests.get(v.name)}\n`,
  );
}
