import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/answers.js";
import { failingPort } from "../helpers/failing-port.js";
import { run } from "../helpers/io.js";
import { mountTmpfs } from "../helpers/tmpfs.js";

/** generate on a full disk or in a read-only folder: a French message, nothing half-written, exit code 4. */

const EXAMPLE = join(ROOT, "examples", "ch-ville.yaml");
const ENV = { SOURCE_DATE_EPOCH: "1741900000" };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "generate-disk-"));
});

describe("generate : le disque refuse", () => {
  for (const [code, reason] of [
    ["ENOSPC", "disque plein"],
    ["EACCES", "accès refusé"],
    ["EROFS", "système de fichiers en lecture seule"],
  ] as const) {
    it(`${code} au milieu de l'écriture : « ${reason} », rien de laissé, code 4`, async () => {
      const parent = join(dir, code);
      mkdirSync(parent);
      const port = failingPort({ code, under: [parent], budget: 200_000 });
      for (const zip of [false, true]) {
        const r = await run(["generate", EXAMPLE, "-o", "dossier", ...(zip ? ["--zip"] : [])], {
          cwd: parent,
          env: ENV,
          files: port,
        });
        expect(r.code, r.stderr).toBe(4);
        expect(r.stderr).toBe(
          `Le système a refusé l'écriture dans « dossier${zip ? ".zip" : ""} » (${reason}) : rien n'a été écrit, aucun fichier n'est laissé à moitié écrit.\n`,
        );
        expect(readdirSync(parent)).toEqual([]);
      }
    });
  }
});

describe("generate sur de vrais disques (tmpfs)", () => {
  let full: ReturnType<typeof mountTmpfs> = { skip: "" };
  let readOnly: ReturnType<typeof mountTmpfs> = { skip: "" };
  beforeAll(() => {
    full = mountTmpfs(dir, "plein", "size=200k");
    readOnly = mountTmpfs(dir, "ro", "ro,size=1m");
  });
  afterAll(() => {
    for (const disk of [full, readOnly]) if ("unmount" in disk) disk.unmount();
  });

  it("disque plein : « disque plein », aucun fichier laissé, code 4", async (context) => {
    if (!("path" in full)) return context.skip(full.skip);
    const r = await run(["generate", EXAMPLE, "-o", join(full.path, "dossier")], { env: ENV });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain("(disque plein) : rien n'a été écrit");
    expect(readdirSync(full.path)).toEqual([]);
  });

  it("dossier en lecture seule : message en français, code 4", async (context) => {
    if (!("path" in readOnly)) return context.skip(readOnly.skip);
    const target = join(readOnly.path, "dossier");
    const r = await run(["generate", EXAMPLE, "-o", target], { env: ENV });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain("(système de fichiers en lecture seule) : rien n'a été écrit");
    expect(existsSync(target)).toBe(false);
  });
});
