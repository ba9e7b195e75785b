import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LEGACY_MANIFEST_FILE, MANIFEST_FILE, withManifest } from "../../src/dossier/manifest.js";
import { loadDossierTexts } from "../../src/dossier/texts.js";
import { writeDossierFolder, writeDossierZip } from "../../src/dossier/write.js";
import { archiveMark, zipDossier } from "../../src/dossier/zip.js";

const texts = loadDossierTexts();
const enc = new TextEncoder();
const plain = [
  { name: "plan.json", bytes: enc.encode("{}\n") },
  { name: "b.pdf", bytes: enc.encode("%PDF-b") },
  { name: "a.pdf", bytes: enc.encode("%PDF-a") },
];
const files = withManifest(plain, texts.manifestNote);
const ALL = ["a.pdf", "b.pdf", MANIFEST_FILE, "plan.json"];
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
    expect(readdirSync(target).sort()).toEqual(ALL);
    expect(readdirSync(join(dir, "sub"))).toEqual(["dossier"]);
    const mark = JSON.parse(readFileSync(join(target, MANIFEST_FILE), "utf8"));
    expect(mark.note).toContain("diapason-dossier");
    expect(mark.files.map((f: { name: string }) => f.name)).toEqual(["plan.json", "b.pdf", "a.pdf"]);
  });

  it("never replaces a dossier without force, and replaces it whole with force", async () => {
    const dir = tempDir();
    const target = join(dir, "dossier");
    await writeDossierFolder(target, files, { force: false, texts });
    const one = withManifest([plain[0]!], texts.manifestNote);
    const again = await writeDossierFolder(target, one, { force: false, texts, shown: "dossier" });
    expect(again).toMatchObject({ ok: false, error: { code: "EXISTS", path: "dossier" } });
    expect(again.ok || again.error.message).toContain("--force");
    expect(readdirSync(target)).toHaveLength(4);
    const forced = await writeDossierFolder(target, one, { force: true, texts });
    expect(forced.ok).toBe(true);
    expect(readdirSync(target).sort()).toEqual([MANIFEST_FILE, "plan.json"]);
    expect(readdirSync(dir)).toEqual(["dossier"]);
  });

  it("never replaces, even with force, a folder that is not a dossier", async () => {
    const dir = tempDir();
    const target = join(dir, "documents");
    mkdirSync(target);
    writeFileSync(join(target, "thèse.docx"), "précieux");
    const result = await writeDossierFolder(target, files, { force: true, texts });
    expect(result).toMatchObject({ ok: false, error: { code: "NOT_A_DOSSIER" } });
    expect(result.ok || result.error.message).toContain(MANIFEST_FILE);
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
    expect(result.ok || result.error.message).toMatch(/Le système a refusé l'écriture dans/);
  });
});

describe("writeDossierFolder --force: only what the tool wrote", () => {
  it("keeps a user's file beside a plan.json and says why (issue 15 : mkdir u; plan.json; devis.pdf)", async () => {
    const dir = tempDir();
    const target = join(dir, "u");
    mkdirSync(target);
    writeFileSync(join(target, "plan.json"), "{}\n");
    writeFileSync(join(target, "devis.pdf"), "x\n");
    const result = await writeDossierFolder(target, files, { force: true, texts, shown: "u" });
    expect(result).toMatchObject({ ok: false, error: { code: "OLD_DOSSIER", path: "u" } });
    expect(result.ok || result.error.message).toMatch(/version précédente.*supprimez ce dossier vous-même/s);
    expect(readdirSync(target).sort()).toEqual(["devis.pdf", "plan.json"]);
    expect(readFileSync(join(target, "devis.pdf"), "utf8")).toBe("x\n");
    expect(readdirSync(dir)).toEqual(["u"]);
  });

  it("refuses a dossier it wrote once something else was put in, naming the foreign entries", async () => {
    const dir = tempDir();
    const target = join(dir, "dossier");
    expect((await writeDossierFolder(target, files, { force: false, texts })).ok).toBe(true);
    writeFileSync(join(target, "devis.pdf"), "x");
    mkdirSync(join(target, "signés"));
    const result = await writeDossierFolder(target, files, { force: true, texts, shown: "dossier" });
    expect(result).toMatchObject({ ok: false, error: { code: "FOREIGN_FILES" } });
    expect(result.ok || result.error.message).toContain("« devis.pdf », « signés/ »");
    expect(readdirSync(target).sort()).toEqual([...ALL, "devis.pdf", "signés"].sort());
    // Without --force, the foreign entries are still what the user hears about.
    const plainRun = await writeDossierFolder(target, files, { force: false, texts });
    expect(plainRun).toMatchObject({ ok: false, error: { code: "FOREIGN_FILES" } });
  });

  it("refuses a file it wrote but the user changed since (a signed form), unless told damaged files are redone", async () => {
    const dir = tempDir();
    const target = join(dir, "dossier");
    await writeDossierFolder(target, files, { force: false, texts });
    writeFileSync(join(target, "a.pdf"), "%PDF-a signé");
    const result = await writeDossierFolder(target, files, { force: true, texts });
    expect(result).toMatchObject({ ok: false, error: { code: "MODIFIED_FILES" } });
    expect(result.ok || result.error.message).toContain("« a.pdf »");
    expect(readFileSync(join(target, "a.pdf"), "utf8")).toBe("%PDF-a signé");
    // A batch's --resume/--force redo a file damaged by a power cut.
    const redone = await writeDossierFolder(target, files, { force: true, texts, replaceChanged: true });
    expect(redone.ok).toBe(true);
    expect(readFileSync(join(target, "a.pdf"), "utf8")).toBe("%PDF-a");
  });

  it("replaces a dossier whose listed files were moved away, and fills an empty folder without --force", async () => {
    const dir = tempDir();
    const target = join(dir, "dossier");
    await writeDossierFolder(target, files, { force: false, texts });
    renameSync(join(target, "a.pdf"), join(dir, "a-signé.pdf"));
    expect((await writeDossierFolder(target, files, { force: true, texts })).ok).toBe(true);
    expect(readdirSync(target).sort()).toEqual(ALL);
    const empty = join(dir, "vide");
    mkdirSync(empty);
    expect((await writeDossierFolder(empty, files, { force: false, texts })).ok).toBe(true);
    expect(readdirSync(empty).sort()).toEqual(ALL);
    expect(readdirSync(dir).sort()).toEqual(["a-signé.pdf", "dossier", "vide"]);
  });

  it("recognises the mark earlier batches wrote (empreinte-lot.json)", async () => {
    const dir = tempDir();
    const target = join(dir, "lot");
    await writeDossierFolder(target, files, { force: false, texts });
    const mark = JSON.parse(readFileSync(join(target, MANIFEST_FILE), "utf8"));
    writeFileSync(
      join(target, LEGACY_MANIFEST_FILE),
      JSON.stringify({ ...mark, format: "diapason-dossier/empreinte-lot/1" }),
    );
    renameSync(join(target, MANIFEST_FILE), join(dir, "ignored.json"));
    expect((await writeDossierFolder(target, files, { force: true, texts })).ok).toBe(true);
    expect(readdirSync(target).sort()).toEqual(ALL);
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
    expect(names.slice(0, 4)).toEqual(ALL);
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

  it("marks its archive, and with --force never overwrites one it did not write or that changed since", async () => {
    const dir = tempDir();
    const ours = Buffer.from(await zipDossier(files, stamp));
    expect(archiveMark(ours)).toBe("ours");
    expect(ours.subarray(-100).toString("latin1")).toMatch(
      /diapason-dossier\/archive\/1 sha256:[0-9a-f]{64}$/,
    );
    // Another program's archive: the same entries, no comment.
    const commentLength = "diapason-dossier/archive/1 sha256:".length + 64;
    const unmarked = Buffer.from(ours.subarray(0, ours.length - commentLength));
    unmarked.writeUInt16LE(0, unmarked.length - 2);
    expect(archiveMark(unmarked)).toBe("unmarked");
    // Ours, one byte of an entry changed since (a form replaced by its signed copy, say).
    const changed = Buffer.from(ours);
    changed[40] = (changed[40] ?? 0) ^ 1;
    expect(archiveMark(changed)).toBe("changed");
    expect(archiveMark(Buffer.from("pas une archive"))).toBe("unmarked");
    for (const [bytes, code] of [
      [unmarked, "ZIP_UNMARKED"],
      [changed, "ZIP_CHANGED"],
    ] as const) {
      const target = join(dir, `${code}.zip`);
      writeFileSync(target, bytes);
      const result = await writeDossierZip(target, files, stamp, { force: true, texts });
      expect(result).toMatchObject({ ok: false, error: { code } });
      expect(result.ok || result.error.message).toContain("même avec --force");
      expect(readFileSync(target).equals(bytes)).toBe(true);
    }
    const target = join(dir, "nôtre.zip");
    writeFileSync(target, ours);
    expect((await writeDossierZip(target, files, stamp, { force: true, texts })).ok).toBe(true);
  });
});
