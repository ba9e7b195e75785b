import { writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ESTABLISHMENT_COLUMNS, establishmentCells } from "../../bench/establishments.js";
import { checkXlsxArchive } from "../../src/batch/input/xlsx-archive.js";
import { count } from "../../src/batch/messages.js";
import { READ_LIMITS } from "../../src/io/index.js";
import { batch, csvOf, goodRows, readReport, tempDir, writeInput } from "./helpers.js";
import {
  deflatedEntry,
  repeatedEntry,
  SHEET_END,
  SHEET_START,
  sheetRow,
  workbookParts,
  zipOf,
} from "./zip-fixtures.js";

const dir = tempDir();
let workbook: Buffer;

async function check(bytes: Buffer | string, name = "lot.xlsx") {
  writeInput(dir, name, bytes);
  const r = await batch(["--check", name, "-o", `sortie-${name}`, "--quiet"], { cwd: dir });
  return { ...r, all: `${r.stdout}${r.stderr}` };
}

function expectNoInternalError(all: string): void {
  expect(all).not.toMatch(
    /Erreur interne|FILE_ENDED|invalid distance|Cannot read|Invalid string length|at \//,
  );
}

beforeAll(async () => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Établissements");
  sheet.addRow([...ESTABLISHMENT_COLUMNS]);
  for (let i = 0; i < 3; i++) {
    const cells = establishmentCells(i);
    sheet.addRow(ESTABLISHMENT_COLUMNS.map((c) => cells[c] ?? null));
  }
  workbook = Buffer.from(await book.xlsx.writeBuffer());
});

const header = sheetRow(1, ["establishment.name"]);

describe("batch : classeur tronqué, endommagé, piégé ou démesuré (code 2, message français)", () => {
  it("le classeur intact passe la vérification de l'archive puis le lot", async () => {
    const r = await check(workbook, "intact.xlsx");
    expect(r.code, r.all).toBe(0);
  });

  it("tronqué : « incomplet », avec le nom du fichier", async () => {
    for (const cut of [0.2, 0.5, 0.9, 0.999]) {
      const r = await check(workbook.subarray(0, Math.floor(workbook.length * cut)), "tronque.xlsx");
      expect(r.code, r.all).toBe(2);
      expect(r.stderr).toContain("Le classeur tronque.xlsx est incomplet (fichier tronqué");
      expectNoInternalError(r.all);
    }
  });

  it("données compressées corrompues : « endommagé », la cause en français", async () => {
    const garbage = Buffer.alloc(4096, 0xff);
    const sheet = { name: "xl/worksheets/sheet1.xml", data: garbage, size: 100_000 };
    const r = await check(zipOf([...workbookParts(), sheet]), "corrompu.xlsx");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "Le classeur corrompu.xlsx est endommagé (une entrée n'est pas compressée de façon lisible)",
    );
    expectNoInternalError(r.all);
  });

  it("bombe de décompression : refusée dès que la limite est passée, même si sa taille déclarée ment", async () => {
    const bomb = repeatedEntry(
      "xl/worksheets/sheet1.xml",
      `${SHEET_START}${header}<row r="2"><c t="inlineStr"><is><t>`,
      "A".repeat(1 << 20),
      600,
      `</t></is></c></row>${SHEET_END}`,
    );
    for (const [name, entry] of [
      ["bombe.xlsx", bomb],
      ["bombe-menteuse.xlsx", { ...bomb, size: 1000 }],
    ] as const) {
      const r = await check(zipOf([...workbookParts(), entry]), name);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Le classeur ${name} se décompresse en plus de 512 Mo`);
      expectNoInternalError(r.all);
    }
  });

  it("un million de lignes : refusé à la lecture de l'archive, avec la limite", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => sheetRow(i + 2, ["x"])).join("");
    const sheet = repeatedEntry("xl/worksheets/sheet1.xml", `${SHEET_START}${header}`, rows, 1000, SHEET_END);
    const r = await check(zipOf([...workbookParts(), sheet]), "million.xlsx");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `million.xlsx compte plus de ${count(READ_LIMITS.batchRows)} lignes d'établissements`,
    );
    expectNoInternalError(r.all);
  });

  it("protégé par mot de passe (fichier OLE) : le dit", async () => {
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]);
    const r = await check(ole, "protege.xlsx");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("le classeur est protégé par un mot de passe");
  });

  it("octets du classeur modifiés au hasard ou coupés : toujours 0, 1 ou 2, jamais d'erreur interne", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (flips, cut) => {
          const bytes = Buffer.from(workbook);
          for (const [at, xor] of flips)
            bytes.writeUInt8((bytes.readUInt8(at % bytes.length) ^ xor) & 0xff, at % bytes.length);
          const input = cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length);
          const r = await check(input, "hasard.xlsx");
          expect([0, 1, 2]).toContain(r.code);
          expectNoInternalError(r.all);
        },
      ),
      { numRuns: 40, seed: 15 },
    );
  });
});

describe("checkXlsxArchive : limites passées en paramètre", () => {
  it("compte le décompressé de toutes les entrées et les lignes de chaque feuille", async () => {
    const sheet = deflatedEntry(
      "xl/worksheets/sheet1.xml",
      `${SHEET_START}${header}${sheetRow(2, ["a"])}${SHEET_END}`,
    );
    const archive = zipOf([...workbookParts(), sheet]);
    const ok = await checkXlsxArchive(archive, "a.xlsx", { uncompressed: 1 << 20, rows: 2 });
    expect(ok.ok).toBe(true);
    const rows = await checkXlsxArchive(archive, "a.xlsx", { uncompressed: 1 << 20, rows: 1 });
    expect(rows).toMatchObject({ ok: false, problem: { code: "TOO_MANY_ROWS" } });
    const size = await checkXlsxArchive(archive, "a.xlsx", { uncompressed: 200, rows: 2 });
    expect(size).toMatchObject({ ok: false, problem: { code: "XLSX_TOO_LARGE_UNCOMPRESSED" } });
  });

  it("plus de 65 535 entrées sans ZIP64 : refusé (son répertoire central ne pourrait pas les compter)", async () => {
    const empty = (i: number) => ({ name: `e${i}`, data: Buffer.alloc(0), size: 0, method: 0 as const });
    const limits = { uncompressed: 1 << 20, rows: 2 };
    const most = Array.from({ length: 0xffff }, (_, i) => empty(i));
    expect(await checkXlsxArchive(zipOf(most), "a.xlsx", limits)).toMatchObject({ ok: true });
    const many = await checkXlsxArchive(zipOf([...most, empty(0xffff)]), "a.xlsx", limits);
    expect(many).toMatchObject({ ok: false, problem: { code: "XLSX_UNSUPPORTED" } });
    expect(many.ok || many.problem.message).toContain("archive ZIP64");
  });
});

describe("batch : CSV et JSON Lines démesurés", () => {
  it(`CSV de plus de ${READ_LIMITS.batchRows} lignes : refusé avant tout travail (code 2)`, async () => {
    const lines = "x\r\n".repeat(READ_LIMITS.batchRows + 1);
    const r = await check(`establishment.name\r\n${lines}`, "enorme.csv");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`enorme.csv compte plus de ${count(READ_LIMITS.batchRows)} lignes`);
  });

  it("une ligne CSV de plusieurs Mo : refusée en nommant la ligne et la limite", async () => {
    const text = `${csvOf(goodRows(1))}"${"x".repeat(READ_LIMITS.batchLine + 10)}"\r\n`;
    const r = await check(text, "ligne-longue.csv");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("La ligne 3 de ligne-longue.csv dépasse 1 Mo");
    expectNoInternalError(r.all);
  });

  it("une ligne JSON Lines démesurée est une ligne rejetée ; les autres sont traitées", async () => {
    const good = JSON.stringify({ version: 1 });
    writeFileSync(join(dir, "long.jsonl"), `${good}\n${"[".repeat(READ_LIMITS.batchLine + 5)}\n${good}\n`);
    const out = join(dir, "sortie-long");
    const r = await batch(["--check", "long.jsonl", "-o", out, "--quiet"], { cwd: dir });
    expect(r.code).toBe(1);
    const rows = readReport(out).rows;
    expect(rows.map((row) => row.line)).toEqual([1, 2, 3]);
    expect(rows[1]?.errors[0]).toMatchObject({ code: "LINE_TOO_LONG" });
    expect(rows[1]?.errors[0]?.message).toContain("La ligne 2 de long.jsonl dépasse 1 Mo");
  });
});
