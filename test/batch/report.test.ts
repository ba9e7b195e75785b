import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { csvField, csvLine, neutralise, type ReportRow, ReportWriter } from "../../src/batch/report.js";
import { nodeWritePort } from "../../src/dossier/write-port.js";
import { hasPython, runPython } from "../helpers/python.js";
import { batch, csvOf, goodRows, tempDir, writeInput } from "./helpers.js";

const row = (over: Partial<ReportRow>): ReportRow => ({
  line: 2,
  establishment: "Centre hospitalier",
  finessEG: "010003820",
  status: "ok",
  forms: [],
  warnings: [],
  errors: [],
  ...over,
});

describe("rapport du lot", () => {
  it("neutralise les cellules qu'un tableur exécuterait comme une formule", () => {
    for (const cell of ["=1+1", "+33 4 74", "-2", "@SOMME(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']) {
      expect(neutralise(cell)).toBe(`'${cell}`);
    }
    for (const cell of ["Centre hospitalier", "010003820", "a=b", " =x", ""])
      expect(neutralise(cell)).toBe(cell);
    expect(csvField('=HYPERLINK("x";"y")')).toBe(`"'=HYPERLINK(""x"";""y"")"`);
    expect(csvField("deux\nlignes")).toBe('"deux\nlignes"');
  });

  it("écrit chaque cellule issue des données neutralisée dans rapport.csv", () => {
    const line = csvLine(
      row({
        establishment: "=cmd|' /C calc'!A0",
        status: "erreur",
        errors: [{ column: "-Colonne", path: "gap.fqdn", code: "X", message: "+message" }],
      }),
      false,
    );
    const cells = line.trimEnd().split(";");
    expect(cells[2]).toBe("'=cmd|' /C calc'!A0");
    expect(line).toContain("« -Colonne » : +message");
    expect(line.endsWith("\r\n")).toBe(true);
  });

  it("donne un rapport.json valide et un rapport.csv UTF-8 avec BOM, une ligne par ligne d'entrée", async () => {
    const dir = tempDir();
    const meta = {
      input: "x.csv",
      toolVersion: "0.1.0",
      rulesVersion: "sha256:1",
      startedAt: "2026-01-01T00:00:00.000Z",
    };
    const empty = await ReportWriter.open(nodeWritePort, dir, meta, false);
    await empty.finish({ summary: { total: 0 } });
    expect(JSON.parse(readFileSync(join(dir, "rapport.json"), "utf8")).rows).toEqual([]);

    const writer = await ReportWriter.open(nodeWritePort, dir, meta, true);
    await writer.add(row({ line: 2, change: { kind: "nouveau", details: [] } }));
    await writer.add(
      row({
        line: 3,
        status: "erreur",
        errors: [
          {
            column: "Code postal",
            path: "establishment.address.postalCode",
            code: "FORMAT",
            message: "Cinq chiffres.",
          },
          {
            column: "Commune",
            columnMissing: true,
            path: "establishment.address.city",
            code: "REQUIRED",
            message: "Il manque la commune.",
          },
        ],
      }),
    );
    await writer.finish({ summary: { total: 2 }, interrupted: false });
    const json = JSON.parse(readFileSync(join(dir, "rapport.json"), "utf8"));
    expect(json.format).toBe("diapason-dossier/rapport-lot/1");
    expect(json.rows.map((r: ReportRow) => r.line)).toEqual([2, 3]);
    expect(json.summary).toEqual({ total: 2 });
    const csv = readFileSync(join(dir, "rapport.csv"), "utf8");
    expect(csv.startsWith("\ufeffLigne;Fichier;Établissement;FINESS EG;Statut;")).toBe(true);
    expect(csv).toContain("Changements depuis le lot précédent");
    expect(csv).toContain(
      '"« Code postal » : Cinq chiffres.\n« Commune » (colonne absente) : Il manque la commune."',
    );
    expect(csv.split("\r\n").filter((l) => l !== "")).toHaveLength(3);
  });

  it("écrit rapport.xlsx : FINESS en texte, une ligne par ligne d'entrée, filtres, erreurs lisibles ; et le nomme", async () => {
    const dir = tempDir();
    const rows = goodRows(3);
    const bad = {
      ...rows[1],
      "establishment.finessEG": "010003821",
      "legalRepresentative.email": "=direction",
    };
    const input = writeInput(dir, "lot.csv", csvOf([rows[0] ?? {}, bad, rows[2] ?? {}]));
    const out = join(dir, "out");
    const result = await batch([input, "-o", out, "--check", "--quiet"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `Rapport : ${join(out, "rapport.xlsx")} (pour Excel ou LibreOffice), ${join(out, "rapport.csv")} et ${join(out, "rapport.json")}.`,
    );

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(out, "rapport.xlsx"));
    const sheet = book.worksheets[0];
    expect(sheet?.rowCount).toBe(4);
    expect(sheet?.getRow(1).values).toEqual([
      undefined,
      ...["Ligne", "Fichier", "Établissement", "FINESS EG", "Statut", "Dossier", "Formulaires produits"],
      ...["Avertissements", "Erreurs", "Remarque"],
    ]);
    expect(sheet?.getColumn(4).values.slice(2)).toEqual([
      rows[0]?.["establishment.finessEG"],
      "010003821",
      rows[2]?.["establishment.finessEG"],
    ]);
    expect(sheet?.getRow(3).getCell(5).value).toBe("erreur");
    const errors = String(sheet?.getRow(3).getCell(9).value);
    expect(errors).toContain("« establishment.finessEG » : ");
    expect(errors.split("\n")).toHaveLength(2);
    // Text, not a formula, though it starts with « = ».
    expect(errors).toContain("=direction");
    expect(sheet?.getRow(3).getCell(9).formula).toBeUndefined();
  });

  it.skipIf(!hasPython("openpyxl"))(
    "rapport.xlsx se lit dans openpyxl : cellules texte, filtres, en-tête figé, retours à la ligne",
    async () => {
      const dir = tempDir();
      const input = writeInput(dir, "lot.csv", csvOf(goodRows(2)));
      const out = join(dir, "out");
      expect((await batch([input, "-o", out, "--check", "--quiet"])).code).toBe(0);
      const script = [
        "import sys, json, openpyxl",
        "ws = openpyxl.load_workbook(sys.stdin.readline().strip()).worksheets[0]",
        "print(json.dumps({'filter': ws.auto_filter.ref, 'freeze': ws.freeze_panes, 'rows': ws.max_row,",
        "  'finess': [[c.value, c.data_type, c.number_format] for c in ws['D'][1:]],",
        "  'wrap': ws['I2'].alignment.wrap_text}))",
      ].join("\n");
      const read = JSON.parse(runPython(["openpyxl"], script, `${join(out, "rapport.xlsx")}\n`));
      expect(read).toEqual({
        filter: "A1:J3",
        freeze: "A2",
        rows: 3,
        finess: goodRows(2).map((r) => [r["establishment.finessEG"], "s", "@"]),
        wrap: true,
      });
    },
  );
});
