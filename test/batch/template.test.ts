import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { loadAnswersValidator } from "../../src/assets/load.js";
import { loadColumnCatalog } from "../../src/batch/catalog.js";
import { openInput } from "../../src/batch/input/open.js";
import { scanInput } from "../../src/batch/input/scan.js";
import { prepareItem } from "../../src/batch/prepare.js";
import { writeTemplate } from "../../src/batch/template.js";
import { tempDir } from "./helpers.js";

/** Reads a model back as batch input: the example line must be valid. */
async function readBack(dir: string, name: string) {
  const validator = loadAnswersValidator();
  const catalog = loadColumnCatalog();
  const opened = await openInput(name, dir, validator);
  if (!opened.ok) throw new Error(opened.problem.message);
  const scan = await scanInput(opened.source, catalog, name);
  const items = [];
  for await (const item of opened.source.read()) {
    if (item.kind !== "header") items.push(prepareItem(item, scan.layout, catalog, validator));
  }
  return { scan, items };
}

describe("batch --template", () => {
  it("écrit un classeur : en-têtes, une ligne d'exemple valide, la feuille d'explication, des listes", async () => {
    const dir = tempDir();
    const written = await writeTemplate(join(dir, "modele.xlsx"), "modele.xlsx");
    expect(written).toEqual({ ok: true, files: ["modele.xlsx"] });
    const { scan, items } = await readBack(dir, "modele.xlsx");
    expect(scan.total).toBe(1);
    expect(items[0]?.kind, JSON.stringify(items[0])).toBe("valid");
    expect(items[0]?.establishment).toBe("Centre hospitalier de Ville");
    // The GHT column, from the schema like the others, carries the example's GHT into the answers.
    expect(items[0]?.kind === "valid" && items[0].answers.establishment.ght).toBe("GHT Bresse Haut-Bugey");

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, "modele.xlsx"));
    const [rows, columns, lists] = book.worksheets;
    expect(rows?.name).toBe("Établissements");
    expect(rows?.getRow(1).getCell(1).value).toBe("Raison sociale de l'établissement");
    expect(columns?.name).toBe("Colonnes");
    const headers = ((rows?.getRow(1).values ?? []) as unknown[]).map(String);
    expect(headers).toContain("Groupement hospitalier de territoire (GHT)");
    const explained = columns?.getColumn(2).values.map(String) ?? [];
    expect(explained).toContain("designees.1.habilitation.sslServer");
    const allowed = columns?.getColumn(4).values.map(String) ?? [];
    expect(allowed).toContain("Administrateur technique (technicalAdministrator) ; Mandataire (mandatary)");
    expect(lists?.state).toBe("hidden");
    expect((await writeTemplate(join(dir, "modele.xlsx"), "modele.xlsx")).ok).toBe(false);
  });

  it("met au format Texte les colonnes de FINESS, de code postal et de téléphone, et elles seules", async () => {
    const dir = tempDir();
    await writeTemplate(join(dir, "modele.xlsx"), "modele.xlsx");
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, "modele.xlsx"));
    const rows = book.worksheets[0];
    const text: string[] = [];
    const phones: string[] = [];
    rows?.getRow(1).eachCell((cell, col) => {
      const path = loadColumnCatalog().match(String(cell.value))?.path ?? "";
      if (path.endsWith(".phone")) phones.push(path);
      if (rows.getColumn(col).numFmt === "@") text.push(path);
    });
    expect(phones.length).toBeGreaterThan(1);
    expect(text.filter((p) => !/^designees\.[1-9]/.test(p))).toEqual([
      "establishment.finessEJ",
      "establishment.finessEG",
      "establishment.address.postalCode",
      "legalRepresentative.phone",
      "designees.0.phone",
    ]);
    expect(text.filter((p) => p.endsWith(".phone"))).toEqual(phones);
  });

  it("écrit un CSV (UTF-8 avec BOM, « ; ») et son fichier d'explication, relisibles", async () => {
    const dir = tempDir();
    const written = await writeTemplate(join(dir, "modele.csv"), "modele.csv");
    expect(written).toEqual({ ok: true, files: ["modele.csv", "modele-colonnes.csv"] });
    expect(
      readFileSync(join(dir, "modele.csv"), "utf8").startsWith("\ufeffRaison sociale de l'établissement;"),
    ).toBe(true);
    expect(existsSync(join(dir, "modele-colonnes.csv"))).toBe(true);
    const { items } = await readBack(dir, "modele.csv");
    expect(items.map((i) => i.kind)).toEqual(["valid"]);
    expect((await writeTemplate(join(dir, "modele.ods"), "modele.ods")).ok).toBe(false);
  });
});
