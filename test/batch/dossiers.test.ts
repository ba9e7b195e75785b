import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { establishmentCells } from "../../bench/establishments.js";
import { loadColumnCatalog } from "../../src/batch/catalog.js";
import { dataFromCells } from "../../src/batch/row.js";
import { runMain } from "../../src/cli/main.js";
import { MANIFEST_FILE } from "../../src/dossier/manifest.js";
import { fakeIo } from "../helpers/io.js";
import { batch, csvOf, dossierFolders, readReport, tempDir, writeInput } from "./helpers.js";

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

const ENV = { SOURCE_DATE_EPOCH: "1764403200" };

/** The answers data of a line, as the batch reads it, for `generate`. */
function answersOf(cells: Record<string, string>): unknown {
  return dataFromCells(cells, loadColumnCatalog());
}

/** name → [inode, mtime] of every file of every dossier, to tell whether a run rewrote them. */
function snapshot(out: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of dossierFolders(out)) {
    for (const name of readdirSync(join(out, folder))) {
      const info = statSync(join(out, folder, name));
      files.set(`${folder}/${name}`, `${info.ino}:${info.mtimeMs}`);
    }
  }
  return files;
}

describe("batch : les dossiers sont ceux de generate", () => {
  it("écrit, pour les mêmes réponses, les mêmes fichiers octet pour octet que generate, et la même marque", async () => {
    const rows = [establishmentCells(0), establishmentCells(3)];
    const out = join(dir, "lot");
    const r = await batch([writeInput(dir, "lot.csv", csvOf(rows)), "-o", out, "--jobs", "0", "-q"], {
      env: ENV,
    });
    expect(r.code, r.stdout).toBe(0);
    const report = readReport(out);
    for (const [i, cells] of rows.entries()) {
      const answers = writeInput(dir, `reponses-${i}.json`, JSON.stringify(answersOf(cells)));
      const target = join(dir, `generate-${i}`);
      const io = fakeIo({ env: ENV });
      expect(await runMain(["generate", answers, "-o", target], io), io.err()).toBe(0);
      const folder = join(out, report.rows[i]?.folder ?? "?");
      const generated = readdirSync(target).sort();
      expect(readdirSync(folder).sort()).toEqual(generated);
      for (const name of generated.filter((n) => n !== MANIFEST_FILE)) {
        expect(Buffer.compare(readFileSync(join(folder, name)), readFileSync(join(target, name))), name).toBe(
          0,
        );
      }
      // Both carry the same mark; the batch's adds what its report says of the dossier.
      const mark = (at: string) => JSON.parse(readFileSync(join(at, MANIFEST_FILE), "utf8"));
      const { forms, decisions, warnings, ...batchMark } = mark(folder);
      expect(batchMark).toEqual(mark(target));
      expect(forms.length).toBeGreaterThan(0);
      expect(Array.isArray(decisions) && Array.isArray(warnings)).toBe(true);
    }
  });
});

describe("batch : interruption et reprise", () => {
  it("Ctrl-C : les dossiers finis restent, aucun dossier partiel, le rapport liste tout ; --resume ne refait rien deux fois", async () => {
    const rows = Array.from({ length: 10 }, (_, i) => establishmentCells(i));
    const input = writeInput(dir, "interrompu.csv", csvOf(rows));
    const out = join(dir, "interrompu");
    const controller = new AbortController();
    const io = fakeIo({ env: ENV, signal: controller.signal });
    let err = "";
    // Ctrl-C as soon as the first line is reported (plain progress lines print every tenth).
    io.stderr = {
      write: (s: string) => {
        err += s;
        if (/^1\/10 lignes/m.test(err)) controller.abort();
      },
    };
    const code = await runMain(["batch", input, "-o", out, "--jobs", "2"], io);
    expect(code).toBe(130);
    expect(err).toContain("Interruption demandée");
    const report = readReport(out);
    expect(report.interrupted).toBe(true);
    expect(report.rows.map((row) => row.line)).toEqual(Array.from({ length: 10 }, (_, i) => i + 2));
    const done = report.rows.filter((row) => row.status === "ok");
    const stopped = report.rows.filter((row) => row.status === "interrompu");
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(stopped.length).toBeGreaterThanOrEqual(1);
    expect(done.length + stopped.length).toBe(10);
    expect(stopped[0]?.note).toContain("interrompu");
    // No temporary copy left, and exactly the finished dossiers, each complete.
    expect(readdirSync(out).filter((n) => n.includes(".tmp-"))).toEqual([]);
    expect(dossierFolders(out)).toEqual(done.map((row) => row.folder).sort());
    for (const row of done) {
      const marker = JSON.parse(readFileSync(join(out, row.folder ?? "", MANIFEST_FILE), "utf8"));
      for (const file of marker.files)
        expect(statSync(join(out, row.folder ?? "", file.name)).size).toBe(file.size);
    }

    // --resume finishes the rest and does not redo the finished ones.
    const before = snapshot(out);
    const resumed = await batch([input, "-o", out, "--resume", "--jobs", "0", "-q"], { env: ENV });
    expect(resumed.code, resumed.stdout).toBe(0);
    const second = readReport(out);
    expect(second.summary).toMatchObject({ total: 10, ok: 10, resumed: done.length });
    expect(second.rows.filter((row) => row.resumed).map((row) => row.line)).toEqual(
      done.map((row) => row.line),
    );
    const after = snapshot(out);
    for (const [file, stamp] of before) expect(after.get(file), file).toBe(stamp);

    // Run again: nothing is redone; a corrected line alone is redone.
    const all = snapshot(out);
    rows[4] = { ...rows[4], "designees.0.phone": "04 74 99 99 99" } as Record<string, string>;
    writeFileSync(input, csvOf(rows));
    const third = await batch([input, "-o", out, "--resume", "--jobs", "0", "-q"], { env: ENV });
    expect(third.code).toBe(0);
    const thirdReport = readReport(out);
    expect(thirdReport.rows.filter((row) => !row.resumed).map((row) => row.line)).toEqual([6]);
    const changed = [...snapshot(out)]
      .filter(([file, stamp]) => all.get(file) !== stamp)
      .map(([file]) => file);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((file) => file.startsWith(`${thirdReport.rows[4]?.folder}/`))).toBe(true);

    // A file whose bytes were lost (as after a power cut: same name, same size, zeros) is redone, not resumed.
    const hurt = join(out, thirdReport.rows[0]?.folder ?? "?", "plan.json");
    const good = readFileSync(hurt);
    writeFileSync(hurt, Buffer.alloc(good.length));
    const fourth = await batch([input, "-o", out, "--resume", "--jobs", "0", "-q"], { env: ENV });
    expect(fourth.code).toBe(0);
    expect(
      readReport(out)
        .rows.filter((row) => !row.resumed)
        .map((row) => row.line),
    ).toEqual([2]);
    expect(readFileSync(hurt).equals(good)).toBe(true);
  });
});
