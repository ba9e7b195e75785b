import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANIFEST_FILE } from "../../src/dossier/manifest.js";
import { failingPort } from "../helpers/failing-port.js";
import { mountTmpfs } from "../helpers/tmpfs.js";
import { batch, csvOf, dossierFolders, goodRows, type Report, tempDir, writeInput } from "./helpers.js";

/** Batch under a disk that refuses: a full disk, a read-only folder. The report is never lost, the exit code 4. */

const ENV = { SOURCE_DATE_EPOCH: "1764403200" };
let dir: string;
beforeAll(() => {
  dir = tempDir();
});

/** Eight lines, the fourth invalid (its error is still reported when the batch stops). */
function input(name: string): string {
  const rows = goodRows(8);
  rows[3] = { ...rows[3], "establishment.finessEJ": "010003813" } as Record<string, string>;
  return writeInput(dir, name, csvOf(rows));
}

/** The report written in the fallback folder (under TMPDIR), whose path the batch printed. */
function fallbackReport(stdout: string): Report {
  const json = /il a été écrit dans \S+, \S+ et (\S+)\./.exec(stdout)?.[1];
  expect(json, stdout).toBeDefined();
  return JSON.parse(readFileSync(json ?? "", "utf8")) as Report;
}

/** The report, in the output folder or, when the disk refused it there, in the fallback folder. */
function anyReport(out: string, stdout: string): Report {
  const there = join(out, "rapport.json");
  return existsSync(there) ? (JSON.parse(readFileSync(there, "utf8")) as Report) : fallbackReport(stdout);
}

function expectNoLeftovers(out: string): void {
  if (!existsSync(out)) return;
  expect(readdirSync(out).filter((n) => n.startsWith("."))).toEqual([]);
  for (const folder of dossierFolders(out)) {
    const mark = JSON.parse(readFileSync(join(out, folder, MANIFEST_FILE), "utf8"));
    expect(readdirSync(join(out, folder)).sort()).toEqual(
      [...mark.files.map((f: { name: string }) => f.name), MANIFEST_FILE].sort(),
    );
  }
}

describe("batch : disque plein ou dossier en lecture seule (port d'écriture qui refuse)", () => {
  it("disque plein en cours de lot : arrêt net, rapport ailleurs, lignes « non écrit », code 4 ; --resume termine", async () => {
    const out = join(dir, "plein");
    const tmp = join(dir, "tmp-plein");
    mkdirSync(tmp);
    // Room for two or three dossiers (~0.4 MB each), not for all seven.
    const port = failingPort({ code: "ENOSPC", under: [out], budget: 1_000_000 });
    const r = await batch([input("plein.csv"), "-o", "plein", "--jobs", "0"], {
      cwd: dir,
      env: { ...ENV, TMPDIR: tmp },
      files: port,
    });
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(port.refused).toBeGreaterThan(0);
    expect(r.stderr).toMatch(
      /Le système a refusé l'écriture dans « plein\/[^»]+ » \(disque plein\) : le lot s'arrête/,
    );
    expect(r.stdout).toMatch(/Lot arrêté, écriture refusée dans « plein\/.*\(disque plein\)/);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/merci de la signaler|Erreur interne|\n\s+at /);

    const report = anyReport(out, r.stdout);
    expect(report.rows.map((row) => row.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const statuses = report.rows.map((row) => row.status);
    const done = statuses.filter((s) => s === "ok").length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThanOrEqual(3);
    expect(statuses[3]).toBe("erreur");
    expect(statuses.filter((s) => s === "non-ecrit").length).toBe(7 - done);
    expect(statuses.slice(0, done)).toEqual(Array(done).fill("ok"));
    const notWritten = report.rows.find((row) => row.status === "non-ecrit");
    expect(notWritten?.note).toContain("disque plein");
    expect(notWritten?.note).toContain("--resume");
    expect(report.summary).toMatchObject({ total: 8, ok: done, rejected: 1, notWritten: 7 - done });
    expect(report.stopped).toMatchObject({ code: "ENOSPC", reason: "disque plein" });
    expect(dossierFolders(out)).toHaveLength(done);
    expectNoLeftovers(out);

    // Room again: --resume does the rest, without redoing the finished dossiers.
    const resumed = await batch([input("plein.csv"), "-o", out, "--jobs", "0", "--resume", "-q"], {
      env: ENV,
    });
    expect(resumed.code).toBe(1);
    const second = JSON.parse(readFileSync(join(out, "rapport.json"), "utf8")) as Report;
    expect(second.summary).toMatchObject({ total: 8, ok: 7, rejected: 1, notWritten: 0, resumed: done });
    expectNoLeftovers(out);
  });

  it("disque plein avant le départ : aucun dossier, chaque ligne vérifiée et notée, code 4", async () => {
    const out = join(dir, "plein-avant");
    const tmp = join(dir, "tmp-avant");
    mkdirSync(tmp);
    const port = failingPort({ code: "ENOSPC", under: [out], budget: 0 });
    const r = await batch([input("avant.csv"), "-o", "plein-avant", "--jobs", "2"], {
      cwd: dir,
      env: { ...ENV, TMPDIR: tmp },
      files: port,
    });
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toContain("Le rapport n'a pas pu être écrit dans « plein-avant » (disque plein)");
    const report = fallbackReport(r.stdout);
    expect(report.rows.map((row) => row.status)).toEqual([
      "non-ecrit",
      "non-ecrit",
      "non-ecrit",
      "erreur",
      "non-ecrit",
      "non-ecrit",
      "non-ecrit",
      "non-ecrit",
    ]);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it("dossier en lecture seule (chmod 555, partage) : « écriture refusée dans … », code 4, pas de trace", async () => {
    const out = join(dir, "lecture-seule");
    mkdirSync(out);
    const tmp = join(dir, "tmp-ro");
    mkdirSync(tmp);
    const port = failingPort({ code: "EACCES", under: [out], budget: -1 });
    const r = await batch([input("ro.csv"), "-o", "lecture-seule", "--jobs", "0"], {
      cwd: dir,
      env: { ...ENV, TMPDIR: tmp },
      files: port,
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`Le système a refusé l'écriture dans « lecture-seule » (accès refusé)`);
    expect(fallbackReport(r.stdout).summary).toMatchObject({ total: 8, ok: 0, rejected: 1, notWritten: 7 });
    expect(readdirSync(out)).toEqual([]);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/Unhandled|\n\s+at /);
  });

  it("--check n'a pas besoin d'un dossier où écrire : la vérification va au bout, le rapport va ailleurs", async () => {
    const out = join(dir, "check-ro");
    mkdirSync(out);
    const tmp = join(dir, "tmp-check");
    mkdirSync(tmp);
    const port = failingPort({ code: "EROFS", under: [out], budget: -1 });
    const r = await batch([input("check.csv"), "-o", "check-ro", "--check", "--jobs", "0"], {
      cwd: dir,
      env: { ...ENV, TMPDIR: tmp },
      files: port,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Vérification terminée : 8 lignes, 7 lignes valides, 1 ligne rejetée.");
    expect(r.stdout).toContain("(système de fichiers en lecture seule) : il a été écrit dans");
    expect(fallbackReport(r.stdout).summary).toMatchObject({ total: 8, ok: 7, rejected: 1 });
  });

  it("rapport impossible à écrire nulle part : il le dit, code 4", async () => {
    const out = join(dir, "nulle-part");
    expect(existsSync(out)).toBe(false);
    const tmp = join(dir, "tmp-nulle-part");
    const port = failingPort({ code: "EACCES", under: [out, tmp], budget: -1 });
    const r = await batch([input("nulle.csv"), "-o", "nulle-part", "--check", "--jobs", "0"], {
      cwd: dir,
      env: { ...ENV, TMPDIR: tmp },
      files: port,
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /Le rapport n'a pu être écrit ni dans « nulle-part » \(accès refusé\) ni dans « .*tmp-nulle-part/,
    );
    expect(r.stdout).toContain("8 lignes");
  });
});

/** The real thing where root allows: a 1 MB tmpfs that fills mid-batch, a read-only one. */
describe("batch sur de vrais disques (tmpfs)", () => {
  let disk: ReturnType<typeof mountTmpfs> = { skip: "" };
  let readOnly: ReturnType<typeof mountTmpfs> = { skip: "" };
  beforeAll(() => {
    disk = mountTmpfs(dir, "tmpfs", "size=1m");
    readOnly = mountTmpfs(dir, "tmpfs-ro", "ro,size=1m");
  });
  afterAll(() => {
    for (const mounted of [disk, readOnly]) if ("unmount" in mounted) mounted.unmount();
  });

  it("en lecture seule : le lot s'arrête avant le départ (code 4), --check va au bout (code 0)", async (context) => {
    if (!("path" in readOnly)) return context.skip(readOnly.skip);
    const tmp = join(dir, "tmp-tmpfs-ro");
    mkdirSync(tmp);
    const out = join(readOnly.path, "lot");
    const csv = writeInput(dir, "ro-reel.csv", csvOf(goodRows(3)));
    const r = await batch([csv, "-o", out, "--jobs", "0"], { env: { ...ENV, TMPDIR: tmp } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("(système de fichiers en lecture seule) : le lot s'arrête");
    expect(fallbackReport(r.stdout).summary).toMatchObject({ total: 3, notWritten: 3 });
    const check = await batch([csv, "-o", out, "--check", "--jobs", "0"], { env: { ...ENV, TMPDIR: tmp } });
    expect(check.code).toBe(0);
    expect(fallbackReport(check.stdout).summary).toMatchObject({ total: 3, ok: 3 });
  });

  it("s'arrête proprement, sans dossier partiel, et garde le rapport", async (context) => {
    if (!("path" in disk)) return context.skip(disk.skip);
    const out = join(disk.path, "lot");
    const tmp = join(dir, "tmp-tmpfs");
    mkdirSync(tmp);
    const r = await batch([input("tmpfs.csv"), "-o", out, "--jobs", "2"], { env: { ...ENV, TMPDIR: tmp } });
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stderr).toContain("(disque plein) : le lot s'arrête");
    const report = anyReport(out, r.stdout);
    expect(report.rows).toHaveLength(8);
    expect(report.rows.some((row) => row.status === "non-ecrit")).toBe(true);
    expectNoLeftovers(out);
  });
});
