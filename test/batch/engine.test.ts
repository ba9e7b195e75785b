import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadPipeline } from "../../bench/pipeline.js";
import { createEngine, type Engine } from "../../src/batch/engine.js";
import type { DossierJob, ProducerSettings } from "../../src/batch/producer.js";
import { toolVersion } from "../../src/cli/version.js";
import { dossierDates } from "../../src/dossier/dates.js";
import { tempDir } from "./helpers.js";

/** Every file of a folder, by name. */
function folder(path: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(path).map((name) => [name, readFileSync(join(path, name))]));
}

const dated = dossierDates({ SOURCE_DATE_EPOCH: "1764403200" }, () => new Date());
if (!dated.ok) throw new Error("dates");
const { dates } = dated;

describe("moteur du lot : les dossiers des fils de calcul", () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  /** `jobs` 0: the main thread builds; 1: a worker builds and transfers the files' buffers to it. */
  async function produce(jobs: number, count: number): Promise<string> {
    const pipeline = await loadPipeline();
    const outDir = tempDir();
    const settings: ProducerSettings = {
      outDir,
      flatten: false,
      dates,
      toolVersion,
      check: false,
    };
    engine = createEngine(jobs, settings, new AbortController().signal);
    const runs = [];
    for (let i = 0; i < count; i++) {
      const { answers, warnings } = pipeline.valid(i);
      const job: DossierJob = { line: i + 2, answers, warnings, folder: `d${i}`, replace: false };
      runs.push(engine.run(job));
    }
    for (const done of await Promise.all(runs)) expect(done.status).toBe("ok");
    await engine.close();
    engine = undefined;
    return outDir;
  }

  it("sont écrits par le fil principal avec les mêmes octets que s'il les avait faits lui-même", async () => {
    const fromWorker = await produce(1, 3);
    const inProcess = await produce(0, 3);
    for (let i = 0; i < 3; i++) {
      const a = folder(join(fromWorker, `d${i}`));
      const b = folder(join(inProcess, `d${i}`));
      expect(Object.keys(a).length).toBeGreaterThan(5);
      expect(a).toEqual(b);
    }
  }, 120_000);
});
