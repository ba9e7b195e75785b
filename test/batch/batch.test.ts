import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ESTABLISHMENT_COLUMNS, establishmentCells } from "../../bench/establishments.js";
import { MANIFEST_FILE } from "../../src/dossier/manifest.js";
import {
  batch,
  csvOf,
  dossierFolders,
  goodRows,
  readCsvReport,
  readReport,
  tempDir,
  writeInput,
} from "./helpers.js";

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

/** Every dossier folder is complete: its marker lists files that are all there, nothing temporary is left. */
function expectCompleteDossiers(out: string): void {
  for (const name of readdirSync(out)) {
    expect(name.includes(".tmp-"), name).toBe(false);
    if (name.startsWith("rapport.")) continue;
    const marker = JSON.parse(readFileSync(join(out, name, MANIFEST_FILE), "utf8")) as {
      files: { name: string; size: number }[];
    };
    expect(marker.files.length).toBeGreaterThanOrEqual(5);
    expect(readdirSync(join(out, name)).sort()).toEqual(
      [...marker.files.map((f) => f.name), MANIFEST_FILE].sort(),
    );
  }
}

const bad = (i: number, change: Record<string, string>) => ({ ...establishmentCells(i), ...change });

describe("batch : lignes valides, lignes en erreur, doublons", () => {
  it("produit un dossier par ligne valide, rejette les autres sans s'arrêter, et le rapport compte chaque ligne", async () => {
    const rows = [
      establishmentCells(0), // line 2
      bad(1, { "establishment.finessEJ": "010003813" }), // 3: FINESS key
      bad(2, { "contract.exists": "peut-être" }), // 4: not a yes/no
      bad(3, { "establishment.geographicEntities": "trois" }), // 5: not an integer
      bad(4, { keyGeneration: "papier" }), // 6: not a choice
      bad(5, { "legalRepresentative.email": "" }), // 7: missing
      bad(6, { "gap.fqdn": "gap01.autre-domaine.fr" }), // 8: FQDN outside the domain
      establishmentCells(3), // 9
      establishmentCells(0), // 10: same establishment as line 2
      bad(7, { "establishment.name": '=HYPERLINK("http://x")' }), // 11: valid, a formula-like name
    ];
    const input = writeInput(dir, "lot.csv", csvOf(rows));
    const out = join(dir, "lot");
    const r = await batch([input, "-o", out, "--jobs", "2"]);
    expect(r.code, r.stderr).toBe(1);
    const report = readReport(out);
    expect(report.rows.map((row) => [row.line, row.status])).toEqual([
      [2, "ok"],
      [3, "erreur"],
      [4, "erreur"],
      [5, "erreur"],
      [6, "erreur"],
      [7, "erreur"],
      [8, "erreur"],
      [9, "ok"],
      [10, "ok"],
      [11, "ok"],
    ]);
    expect(report.summary).toEqual({
      total: 10,
      ok: 4,
      rejected: 6,
      interrupted: 0,
      notWritten: 0,
      resumed: 0,
    });
    const errorsOf = (line: number) => report.rows.find((row) => row.line === line)?.errors ?? [];
    expect(errorsOf(3).map((e) => [e.column, e.code])).toEqual([["establishment.finessEJ", "FINESS_KEY"]]);
    const message = (line: number, code: string) => errorsOf(line).find((e) => e.code === code)?.message;
    expect(message(4, "TYPE")).toContain("attend une réponse oui ou non (true ou false), pas « peut-être »");
    expect(errorsOf(5).map((e) => [e.column, e.code])).toEqual([
      ["establishment.geographicEntities", "TYPE"],
    ]);
    expect(message(6, "ENUM")).toContain("« papier »");
    expect(errorsOf(7).map((e) => [e.column, e.code])).toEqual([["legalRepresentative.email", "REQUIRED"]]);
    expect(errorsOf(8)[0]?.code).toBe("FQDN_OUTSIDE_DOMAIN");

    const first = report.rows[0];
    const duplicate = report.rows[8];
    expect(first?.folder).toBe("010000016-centre-hospitalier-bourg-en-bresse-n-1");
    expect(duplicate?.folder).toBe("010000016-centre-hospitalier-bourg-en-bresse-n-1-ligne-10");
    expect(duplicate?.warnings.map((w) => w.code)).toContain("DUPLICATE_ESTABLISHMENT");
    expect(first?.forms).toEqual([
      "contrat-de-structure.pdf",
      "101-representant-legal-oster-hugo.pdf",
      "301-administrateur-technique-lefevre-elodie.pdf",
      "413-administrateur-technique-lefevre-elodie.pdf",
    ]);
    expect(dossierFolders(out)).toEqual(
      report.rows
        .filter((row) => row.status === "ok")
        .map((row) => row.folder)
        .sort(),
    );
    expectCompleteDossiers(out);

    const csv = readCsvReport(out);
    expect(csv).toContain(';"\'=HYPERLINK(""http://x"")";');
    expect(csv).toContain("« contract.exists » : « L'établissement a-t-il déjà un contrat");
    expect(r.stdout).toContain("Lot terminé : 10 lignes, 4 dossiers prêts, 6 lignes rejetées.");
  });

  it("un dossier de sortie déjà utilisé est refusé sans --resume ni --force (code 2)", async () => {
    const input = writeInput(dir, "un.csv", csvOf(goodRows(1)));
    const out = join(dir, "occupe");
    expect((await batch([input, "-o", out, "--check", "--jobs", "0"])).code).toBe(0);
    // A folder holding only a report (here of a --check run) may be reused.
    expect((await batch([input, "-o", out, "--check", "--jobs", "0", "-q"])).code).toBe(0);
    writeInput(out, "autre.txt", "x");
    const refused = await batch([input, "-o", out, "--jobs", "0"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("n'est pas vide");
    expect((await batch([input, "-o", out, "--resume", "--force"])).code).toBe(2);
    expect((await batch([input])).stderr).toContain("-o <dossier>");
  });
});

describe("batch --force : ne supprime que ce que l'outil a écrit", () => {
  it("garde les fichiers de l'utilisateur, dans le dossier de sortie comme dans un dossier d'établissement", async () => {
    const input = writeInput(dir, "force.csv", csvOf(goodRows(2)));
    const out = join(dir, "force");
    expect((await batch([input, "-o", out, "--jobs", "0", "-q"])).code).toBe(0);
    const [first, second] = dossierFolders(out);
    writeInput(out, "notes.txt", "à garder");
    writeInput(join(out, first ?? "?"), "devis.pdf", "x");
    // A stale set-aside copy of an interrupted run: only what its mark lists goes.
    const setAside = join(out, `.${second}.tmp-0123456789ab.old`);
    mkdirSync(setAside);
    writeInput(setAside, "plan.json", "{}");
    writeInput(
      setAside,
      "empreinte.json",
      JSON.stringify({ format: "diapason-dossier/empreinte/1", files: [] }),
    );
    writeInput(setAside, "signé.pdf", "y");
    const r = await batch([input, "-o", out, "--force", "--jobs", "0", "-q"]);
    expect(r.code, r.stdout).toBe(1);
    const report = readReport(out);
    expect(report.rows.map((row) => row.status)).toEqual(["erreur", "ok"]);
    expect(report.rows[0]?.errors[0]?.message).toContain("« devis.pdf »");
    expect(readFileSync(join(out, "notes.txt"), "utf8")).toBe("à garder");
    expect(readFileSync(join(out, first ?? "?", "devis.pdf"), "utf8")).toBe("x");
    expect(readdirSync(setAside).sort()).toEqual(["plan.json", "signé.pdf"]);
  });

  it("ne remplace pas un rapport.csv qu'il n'a pas écrit (code 2)", async () => {
    const input = writeInput(dir, "rapport-autre.csv", csvOf(goodRows(1)));
    const out = join(dir, "rapport-autre");
    mkdirSync(out);
    writeInput(out, "rapport.csv", "mes notes");
    const r = await batch([input, "-o", out, "--force", "--jobs", "0", "-q"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("n'est pas un rapport écrit par diapason-dossier");
    expect(readdirSync(out)).toEqual(["rapport.csv"]);
    expect(readFileSync(join(out, "rapport.csv"), "utf8")).toBe("mes notes");
  });
});

describe("batch : 2 000 lignes", () => {
  it("rend compte de chaque ligne, dans l'ordre, avec --check", async () => {
    const kinds: Record<string, string>[] = [
      { "establishment.finessEG": "010003821" },
      { "designees.0.hasActiveCard": "bof" },
      { "gap.domain": "*etab.fr" },
      { "designees.0.email": "pas-une-adresse" },
      { "establishment.geographicEntities": "0" },
    ];
    const rows = Array.from({ length: 2000 }, (_, i) =>
      i % 20 === 0 ? establishmentCells(i) : { ...establishmentCells(i), ...kinds[i % kinds.length] },
    );
    const input = writeInput(dir, "deux-mille.csv", csvOf(rows, ESTABLISHMENT_COLUMNS));
    const out = join(dir, "deux-mille");
    const r = await batch([input, "-o", out, "--check", "--jobs", "0", "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const report = readReport(out);
    expect(report.rows).toHaveLength(2000);
    expect(report.rows.map((row) => row.line)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 2));
    expect(report.summary).toEqual({
      total: 2000,
      ok: 100,
      rejected: 1900,
      interrupted: 0,
      notWritten: 0,
      resumed: 0,
    });
    for (const row of report.rows) {
      if (row.status === "erreur") expect(row.errors.length).toBeGreaterThan(0);
      else expect(row.forms.length).toBeGreaterThan(0);
    }
    expect(
      readCsvReport(out)
        .split("\r\n")
        .filter((l) => /^\d+;/.test(l)),
    ).toHaveLength(2000);
    expect(dossierFolders(out)).toEqual([]);
  });
});

describe("batch : progression", () => {
  it("affiche une barre sur un terminal, des lignes sinon, seulement le bilan avec --quiet", async () => {
    const input = writeInput(dir, "progression.csv", csvOf(goodRows(3)));
    const plain = await batch([input, "-o", join(dir, "p1"), "--check", "--jobs", "0"]);
    expect(plain.stderr).toContain("Lecture de « ");
    expect(plain.stderr).toContain("3/3 lignes (100 %)");
    const quiet = await batch([input, "-o", join(dir, "p2"), "--check", "--jobs", "0", "--quiet"]);
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toContain("Vérification terminée : 3 lignes, 3 lignes valides, 0 ligne rejetée.");
    let tty = "";
    const { fakeIo } = await import("../helpers/io.js");
    const { runMain } = await import("../../src/cli/main.js");
    const io = fakeIo();
    io.stderr = { isTTY: true, columns: 100, write: (s: string) => (tty += s) };
    expect(await runMain(["batch", input, "-o", join(dir, "p3"), "--check", "--jobs", "0"], io)).toBe(0);
    expect(tty).toContain("Lot |");
    expect(tty).toContain("3/3 lignes");
  });
});

describe("batch --template", () => {
  it("écrit un modèle relu comme entrée : la ligne d'exemple donne un dossier complet", async () => {
    const model = join(dir, "modele.xlsx");
    const written = await batch(["--template", model]);
    expect(written.code).toBe(0);
    expect(existsSync(model)).toBe(true);
    const out = join(dir, "depuis-modele");
    const r = await batch([model, "-o", out, "--jobs", "0", "--quiet"]);
    expect(r.code, r.stdout).toBe(0);
    expect(dossierFolders(out)).toEqual(["010003820-centre-hospitalier-de-ville"]);
    expectCompleteDossiers(out);
    expect((await batch(["--template", join(dir, "modele.ods")])).code).toBe(2);
  });
});
