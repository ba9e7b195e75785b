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

  async function produce(arena: { slots: number; slotBytes: number }, count: number) {
    const pipeline = await loadPipeline();
    const outDir = tempDir();
    const settings: ProducerSettings = {
      outDir,
      flatten: false,
      dates,
      toolVersion,
      check: false,
    };
    engine = createEngine(1, settings, new AbortController().signal, { arena });
    for (let i = 0; i < count; i++) {
      const { answers, warnings } = pipeline.valid(i);
      const job: DossierJob = { line: i + 2, answers, warnings, folder: `d${i}`, replace: false };
      // One after the other: each arena slot must be freed once its dossier is written.
      expect((await engine.run(job)).status).toBe("ok");
    }
    return { outDir, handoffs: { ...engine.handoffs } };
  }

  it("passent par l'arène partagée, qui est libérée après chaque écriture, ou sont transférés quand elle n'a pas la place, avec les mêmes octets", async () => {
    const shared = await produce({ slots: 1, slotBytes: 4 * 1024 * 1024 }, 3);
    expect(shared.handoffs).toEqual({ arena: 3, transferred: 0 });
    await engine?.close();
    const moved = await produce({ slots: 1, slotBytes: 1024 }, 3);
    expect(moved.handoffs).toEqual({ arena: 0, transferred: 3 });
    for (let i = 0; i < 3; i++) {
      const a = folder(join(shared.outDir, `d${i}`));
      const b = folder(join(moved.outDir, `d${i}`));
      expect(Object.keys(a).length).toBeGreaterThan(5);
      expect(a).toEqual(b);
    }
  }, 120_000);
});
