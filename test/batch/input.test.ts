import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { ESTABLISHMENT_COLUMNS, establishmentCells } from "../../bench/establishments.js";
import { loadColumnCatalog } from "../../src/batch/catalog.js";
import { batch, goodRows, readReport, tempDir, writeInput } from "./helpers.js";

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

const catalog = loadColumnCatalog();
/** The French headers of the columns, as the model writes them. */
const frenchHeaders = ESTABLISHMENT_COLUMNS.map((path) => catalog.column(path)?.header ?? path);

function csvText(rows: Record<string, string>[], delimiter: string, headers: readonly string[]): string {
  const quote = (v: string) => (v.includes(delimiter) || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [headers.map(quote).join(delimiter)];
  for (const row of rows) lines.push(ESTABLISHMENT_COLUMNS.map((c) => quote(row[c] ?? "")).join(delimiter));
  return `${lines.join("\r\n")}\r\n`;
}

async function check(input: string) {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const r = await batch([input, "-o", out, "--check", "--jobs", "0", "--quiet"]);
  return { ...r, out, report: r.code < 2 ? readReport(out) : undefined };
}

describe("batch : formats d'entrée", () => {
  it("lit un CSV Windows-1252 séparé par « ; » (Excel français), intitulés français", async () => {
    const rows = goodRows(3);
    const bytes = iconv.encode(csvText(rows, ";", frenchHeaders), "windows1252");
    expect(bytes.includes(0xe9)).toBe(true); // « é » as one Windows-1252 byte
    const r = await check(writeInput(dir, "cp1252.csv", bytes));
    expect(r.code, r.stderr).toBe(0);
    expect(r.report?.rows.map((row) => row.establishment)).toEqual(
      rows.map((row) => row["establishment.name"]),
    );
    expect(r.report?.rows[1]?.establishment).toBe("Centre hospitalier Mâcon n°2");
  });

  it("lit un CSV UTF-8 avec BOM séparé par « , », chemins techniques", async () => {
    const rows = goodRows(2);
    const r = await check(writeInput(dir, "bom.csv", `\ufeff${csvText(rows, ",", ESTABLISHMENT_COLUMNS)}`));
    expect(r.code, r.stderr).toBe(0);
    expect(r.report?.rows.map((row) => row.status)).toEqual(["ok", "ok"]);
    expect(r.report?.rows[0]?.forms).toContain("413-administrateur-technique-lefevre-elodie.pdf");
  });

  it("lit un classeur XLSX (première feuille), valeurs typées et cellules texte", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Établissements");
    sheet.addRow(frenchHeaders);
    for (const row of goodRows(3)) {
      sheet.addRow(
        ESTABLISHMENT_COLUMNS.map((c) => {
          const v = row[c];
          if (c === "establishment.geographicEntities") return Number(v);
          if (v === "oui" || v === "non") return v === "oui";
          return v ?? null;
        }),
      );
    }
    const finessEJ = ESTABLISHMENT_COLUMNS.indexOf("establishment.finessEJ");
    const fqdn = ESTABLISHMENT_COLUMNS.indexOf("gap.fqdn");
    const typed = sheet.getRow(3);
    typed.getCell(finessEJ + 1).value = Number(goodRows(2)[1]?.["establishment.finessEJ"]); // a number: lost its 0
    typed.commit();
    const broken = sheet.getRow(4);
    broken.getCell(fqdn + 1).value = { error: "#N/A" };
    broken.commit();
    book.addWorksheet("Colonnes").addRow(["ignorée"]);
    const path = join(dir, "etablissements.xlsx");
    await book.xlsx.writeFile(path);
    const r = await check(path);
    expect(r.code, r.stderr).toBe(1);
    expect(r.report?.rows.map((row) => [row.line, row.status])).toEqual([
      [2, "ok"],
      [3, "ok"],
      [4, "erreur"],
    ]);
    expect(r.report?.rows[1]?.warnings.map((w) => [w.code, w.column])).toEqual([
      ["LEADING_ZERO_RESTORED", "Numéro FINESS de l'entité juridique (EJ)"],
    ]);
    expect(r.report?.rows[2]?.errors.map((e) => [e.code, e.column])).toEqual([
      ["CELL_ERROR", "Nom complet (FQDN) du serveur GAP/Diapason"],
    ]);
  });

  it("rapporte les lignes CSV illisibles (guillemet jamais refermé, cellules en trop) sans arrêter le lot", async () => {
    const [a, b, c] = goodRows(3).map((row) => ESTABLISHMENT_COLUMNS.map((col) => row[col] ?? "").join(";"));
    const text = [ESTABLISHMENT_COLUMNS.join(";"), a, `${b};en trop`, `${c};"ouvert`, "fin"].join("\r\n");
    const r = await check(writeInput(dir, "casse.csv", text));
    expect(r.code).toBe(1);
    expect(r.report?.rows.map((row) => [row.line, row.status, row.errors[0]?.code])).toEqual([
      [2, "ok", undefined],
      [3, "erreur", "EXTRA_CELLS"],
      [4, "erreur", "CSV_SYNTAX"],
    ]);
    expect(r.report?.rows[2]?.errors[0]?.message).toContain(
      "un guillemet ouvert n'est jamais refermé : les lignes 4 à 5",
    );
  });

  it("lit du JSON Lines (une ligne de réponses par établissement), et signale une ligne illisible", async () => {
    const { baseAnswers } = await import("../helpers/answers.js");
    const text = [JSON.stringify(baseAnswers()), "", "{pas du json", JSON.stringify({ version: 1 })].join(
      "\n",
    );
    const r = await check(writeInput(dir, "etablissements.jsonl", text));
    expect(r.code).toBe(1);
    const rows = r.report?.rows ?? [];
    expect(rows.map((row) => [row.line, row.status])).toEqual([
      [1, "ok"],
      [3, "erreur"],
      [4, "erreur"],
    ]);
    expect(rows[1]?.errors[0]?.message).toContain("La ligne n'est pas un objet JSON de réponses.");
    expect(rows[2]?.errors.map((e) => e.column)).toContain("establishment");
  });

  it("une ligne ou un fichier imbriqué sur des milliers de niveaux est l'erreur de cette ligne, pas la fin du lot", async () => {
    const { baseAnswers } = await import("../helpers/answers.js");
    const deep = (n: number) =>
      JSON.stringify({ ...baseAnswers(), x: "§" }).replace('"§"', `${"[".repeat(n)}${"]".repeat(n)}`);
    const lines = [JSON.stringify(baseAnswers()), deep(100_000), JSON.stringify(baseAnswers())];
    for (const mode of ["--check", "--jobs"]) {
      const out = join(dir, `profond${mode}`);
      const input = writeInput(dir, "profond.jsonl", lines.join("\n"));
      const r = await batch([
        input,
        "-o",
        out,
        ...(mode === "--check" ? ["--check", "--jobs", "0"] : ["--jobs", "1"]),
        "-q",
      ]);
      expect(r.code, r.stderr).toBe(1);
      const rows = readReport(out).rows;
      expect(rows.map((row) => [row.line, row.status])).toEqual([
        [1, "ok"],
        [2, "erreur"],
        [3, "ok"],
      ]);
      expect(rows[1]?.errors[0]?.message).toContain("imbriquées sur plus de 16 niveaux");
    }
    const folder = join(dir, "profonds");
    mkdirSync(folder);
    writeFileSync(
      join(folder, "a.yaml"),
      `${YAML.stringify(baseAnswers())}x: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`,
    );
    writeFileSync(join(folder, "b.json"), JSON.stringify(baseAnswers()));
    const r = await check(folder);
    expect(r.report?.rows.map((row) => [row.file, row.status])).toEqual([
      ["a.yaml", "erreur"],
      ["b.json", "ok"],
    ]);
    expect(r.report?.rows[0]?.errors[0]?.message).toContain("imbriquées sur plus de 16 niveaux");
  });

  it("lit un dossier de fichiers de réponses, par ordre de nom", async () => {
    const folder = join(dir, "reponses");
    mkdirSync(folder);
    const { baseAnswers } = await import("../helpers/answers.js");
    writeFileSync(join(folder, "b.yaml"), YAML.stringify(baseAnswers()));
    writeFileSync(join(folder, "a.json"), JSON.stringify(baseAnswers()));
    writeFileSync(join(folder, "c.yml"), "version: [");
    writeFileSync(join(folder, "notes.txt"), "ignoré");
    const r = await check(folder);
    expect(r.code).toBe(1);
    expect(r.report?.rows.map((row) => [row.line, row.file, row.status])).toEqual([
      [1, "a.json", "ok"],
      [2, "b.yaml", "ok"],
      [3, "c.yml", "erreur"],
    ]);
  });

  it("un fichier vide est une erreur d'utilisation (code 2), sans rapport", async () => {
    for (const name of ["vide.csv", "vide.xlsx", "vide.jsonl"]) {
      const r = await check(writeInput(dir, name, ""));
      expect(r.code, name).toBe(2);
      expect(r.stderr).toContain("est vide");
    }
  });

  it("un fichier avec seulement l'en-tête donne un rapport vide (code 0)", async () => {
    const r = await check(writeInput(dir, "entete.csv", `${frenchHeaders.join(";")}\r\n\r\n;;;\r\n`));
    expect(r.code).toBe(0);
    expect(r.report?.rows).toEqual([]);
    expect(r.report?.summary.total).toBe(0);
    expect(r.stdout).toContain("Aucune ligne d'établissement");
  });

  it("refuse une extension inconnue, un fichier absent, un en-tête faux (code 2, message français)", async () => {
    expect((await check(writeInput(dir, "x.pdf", "%PDF"))).stderr).toContain("Format de « ");
    expect((await check(join(dir, "absent.csv"))).stderr).toContain("est introuvable");
    const bad = await check(writeInput(dir, "entete-faux.csv", "Raison sociale;FINESS\r\nA;B\r\n"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("La colonne B « FINESS » ne correspond à aucun champ");
    const xlsx = await check(writeInput(dir, "faux.xlsx", "PK\u0003\u0004 pas un classeur"));
    expect(xlsx.code).toBe(2);
    expect(xlsx.stderr).toContain("est incomplet (fichier tronqué");
    expect(establishmentCells(0)["establishment.name"]).toBeDefined();
  });
});
