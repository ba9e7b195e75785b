import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDossierTexts } from "../../src/dossier/texts.js";
import { writeDossierFolder, writeDossierZip } from "../../src/dossier/write.js";
import { zipDossier } from "../../src/dossier/zip.js";

const texts = loadDossierTexts();
const enc = new TextEncoder();
const files = [
  { name: "plan.json", bytes: enc.encode("{}\n") },
  { name: "b.pdf", bytes: enc.encode("%PDF-b") },
  { name: "a.pdf", bytes: enc.encode("%PDF-a") },
];
const stamp = new Date("2025-03-13T21:06:40Z");

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "dossier-write-"));
}

describe("writeDossierFolder", () => {
  it("writes through a temporary folder renamed into place", async () => {
    const dir = tempDir();
    const target = join(dir, "sub", "dossier");
    const result = await writeDossierFolder(target, files, { force: false, texts });
    expect(result.ok).toBe(true);
    expect(readdirSync(target).sort()).toEqual(["a.pdf", "b.pdf", "plan.json"]);
    expect(readdirSync(join(dir, "sub"))).toEqual(["dossier"]);
  });

  it("never replaces a dossier without force, and replaces it whole with force", async () => {
    const dir = tempDir();
    const target = join(dir, "dossier");
    await writeDossierFolder(target, files, { force: false, texts });
    const again = await writeDossierFolder(target, [files[0]!], { force: false, texts, shown: "dossier" });
    expect(again).toMatchObject({ ok: false, error: { code: "EXISTS", path: "dossier" } });
    expect(again.ok || again.error.message).toContain("--force");
    expect(readdirSync(target)).toHaveLength(3);
    const forced = await writeDossierFolder(target, [files[0]!], { force: true, texts });
    expect(forced.ok).toBe(true);
    expect(readdirSync(target)).toEqual(["plan.json"]);
    expect(readdirSync(dir)).toEqual(["dossier"]);
  });

  it("never replaces, even with force, a folder that is not a dossier", async () => {
    const dir = tempDir();
    const target = join(dir, "documents");
    mkdirSync(target);
    writeFileSync(join(target, "thèse.docx"), "précieux");
    const result = await writeDossierFolder(target, files, { force: true, texts });
    expect(result).toMatchObject({ ok: false, error: { code: "NOT_A_DOSSIER" } });
    expect(readFileSync(join(target, "thèse.docx"), "utf8")).toBe("précieux");
    writeFileSync(join(dir, "fichier"), "x");
    const onFile = await writeDossierFolder(join(dir, "fichier"), files, { force: true, texts });
    expect(onFile).toMatchObject({ ok: false, error: { code: "NOT_A_DOSSIER" } });
  });

  it("leaves nothing behind when interrupted", async () => {
    const dir = tempDir();
    const controller = new AbortController();
    controller.abort();
    const result = await writeDossierFolder(join(dir, "dossier"), files, {
      force: false,
      texts,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ ok: false, error: { code: "ABORTED" } });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("reports a folder it cannot write to, in French, and leaves nothing", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "plein"), "");
    const result = await writeDossierFolder(join(dir, "plein", "dossier"), files, { force: false, texts });
    expect(result).toMatchObject({ ok: false, error: { code: "WRITE_FAILED" } });
    expect(result.ok || result.error.message).toMatch(/Écriture impossible/);
  });
});

describe("writeDossierZip", () => {
  it("writes a deterministic archive, sorted, whatever the time zone", async () => {
    const tz = process.env.TZ;
    process.env.TZ = "UTC";
    const a = await zipDossier(files, stamp);
    process.env.TZ = "Pacific/Kiritimati";
    const b = await zipDossier([...files].reverse(), stamp);
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const names =
      Buffer.from(a)
        .toString("latin1")
        .match(/[a-z]+\.(pdf|json)/g) ?? [];
    expect(names.slice(0, 3)).toEqual(["a.pdf", "b.pdf", "plan.json"]);
  });

  it("refuses an existing archive without force", async () => {
    const dir = tempDir();
    const target = join(dir, "dossier.zip");
    expect((await writeDossierZip(target, files, stamp, { force: false, texts })).ok).toBe(true);
    const again = await writeDossierZip(target, files, stamp, { force: false, texts });
    expect(again).toMatchObject({ ok: false, error: { code: "EXISTS_ZIP" } });
    expect((await writeDossierZip(target, files, stamp, { force: true, texts })).ok).toBe(true);
    expect(readdirSync(dir)).toEqual(["dossier.zip"]);
  });
});
