import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { SourceItem } from "../../src/batch/input/source.js";
import { openXlsx, readingOrder } from "../../src/batch/input/xlsx.js";
import { checkXlsxArchive, relaidArchive } from "../../src/batch/input/xlsx-archive.js";
import { writeTemplate } from "../../src/batch/template.js";
import { hasPython, runPython } from "../helpers/python.js";
import { tempDir, writeInput } from "./helpers.js";
import { deflatedEntry, entriesOf, storedCopy, zipOf } from "./zip-fixtures.js";

/**
 * exceljs's streaming reader loses the last entries of an archive when its unzipper gets ahead of it (exceljs
 * issue #3064), and exceljs stores xl/workbook.xml last: a valid workbook then failed now and then with
 * « Cannot read properties of undefined (reading 'sheets') ». Each workbook here is read many times in a row.
 */

const READS = 50;
const dir = tempDir("diapason-xlsx-");

async function readAll(path: string, shown: string): Promise<SourceItem[]> {
  const opened = await openXlsx(path, shown);
  if (!opened.ok) throw new Error(opened.problem.message);
  const items: SourceItem[] = [];
  for await (const item of opened.source.read()) items.push(item);
  return items;
}

/** Reads the workbook `READS` times; the failures, counted, with the first message. */
async function readRepeatedly(path: string, expected: SourceItem[]): Promise<string[]> {
  const failures: string[] = [];
  for (let i = 0; i < READS; i++) {
    try {
      expect(await readAll(path, "classeur.xlsx")).toEqual(expected);
    } catch (error) {
      failures.push(String((error as Error).message ?? error).split("\n")[0] ?? "");
    }
  }
  return failures;
}

/** The workbook of the issue: two small sheets, written by exceljs. */
let issueWorkbook: Buffer;

beforeAll(async () => {
  const book = new ExcelJS.Workbook();
  const first = book.addWorksheet("Établissements");
  first.addRow(["establishment.name", "establishment.finess"]);
  first.addRow(["Centre hospitalier", "750000001"]);
  book.addWorksheet("Colonnes").addRow(["explications"]);
  issueWorkbook = Buffer.from(await book.xlsx.writeBuffer());
});

const issueItems: SourceItem[] = [
  { kind: "header", cells: ["establishment.name", "establishment.finess"] },
  { kind: "cells", line: 2, cells: ["Centre hospitalier", "750000001"] },
];

describe("classeur écrit par exceljs (xl/workbook.xml rangé en dernier) : lu entier à chaque lecture", () => {
  it("l'archive d'exceljs range bien xl/workbook.xml après les feuilles", () => {
    const names = entriesOf(issueWorkbook).map((e) => e.name);
    expect(names.indexOf("xl/workbook.xml")).toBeGreaterThan(names.indexOf("xl/worksheets/sheet1.xml"));
    expect(names.at(-1)).toBe("xl/workbook.xml");
  });

  it(`tel qu'exceljs l'écrit (compressé) : ${READS} lectures sans échec`, async () => {
    const path = writeInput(dir, "exceljs.xlsx", issueWorkbook);
    const failures = await readRepeatedly(path, issueItems);
    expect(failures, `${failures.length}/${READS} lectures en échec : ${failures[0]}`).toEqual([]);
  });

  it(`mêmes entrées, même ordre, non compressées : ${READS} lectures sans échec`, async () => {
    // Without inflating, exceljs's unzipper runs far ahead of the reader: the race is lost most of the time.
    const path = writeInput(dir, "exceljs-stocke.xlsx", storedCopy(issueWorkbook));
    const failures = await readRepeatedly(path, issueItems);
    expect(failures, `${failures.length}/${READS} lectures en échec : ${failures[0]}`).toEqual([]);
  });

  it(`le modèle de batch --template, non compressé : ${READS} lectures sans échec`, async () => {
    const model = join(dir, "modele.xlsx");
    expect((await writeTemplate(model, "modele.xlsx")).ok).toBe(true);
    const expected = await readAll(model, "classeur.xlsx");
    expect(expected.filter((item) => item.kind === "cells")).toHaveLength(1);
    const path = writeInput(dir, "modele-stocke.xlsx", storedCopy(readFileSync(model)));
    const failures = await readRepeatedly(path, expected);
    expect(failures, `${failures.length}/${READS} lectures en échec : ${failures[0]}`).toEqual([]);
  });
});

/** The archive exceljs is given: the checked entries, re-laid in reading order. */
async function relaid(bytes: Buffer): Promise<Buffer> {
  const checked = await checkXlsxArchive(bytes, "classeur.xlsx", { uncompressed: 1 << 30, rows: 1 << 20 });
  if (!checked.ok) throw new Error(checked.problem.message);
  return Buffer.concat(relaidArchive(bytes, readingOrder(checked.entries)));
}

/** A workbook streamed by exceljs's WorkbookWriter: its entries carry data descriptors. */
async function streamedWorkbook(path: string): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = book.addWorksheet("Établissements");
  sheet.addRow(["establishment.name", "establishment.finess"]).commit();
  for (let i = 0; i < 300; i++) sheet.addRow([`Établissement ${i}`, String(750000000 + i)]).commit();
  sheet.commit();
  book.addWorksheet("Colonnes").addRow(["explications"]).commit();
  await book.commit();
}

describe("l'archive remise à exceljs : mêmes entrées, dans l'ordre où il les lit", () => {
  it("les parties du classeur d'abord, les feuilles par numéro, le reste ensuite, chacune gardant son rang", () => {
    const entry = (name: string) => ({ name, start: 0, dataEnd: 0, end: 0 });
    const stored = [
      "[Content_Types].xml",
      "_rels/.rels",
      "xl/worksheets/sheet10.xml",
      "xl/worksheets/sheet2.xml",
      "xl/worksheets/_rels/sheet2.xml.rels",
      "xl/theme/theme1.xml",
      "xl/sharedStrings.xml",
      "xl/styles.xml",
      "docProps/core.xml",
      "xl/_rels/workbook.xml.rels",
      "xl/workbook.xml",
    ].map(entry);
    expect(readingOrder(stored).map((e) => e.name)).toEqual([
      "[Content_Types].xml",
      "_rels/.rels",
      "xl/_rels/workbook.xml.rels",
      "xl/workbook.xml",
      "xl/sharedStrings.xml",
      "xl/styles.xml",
      "xl/worksheets/sheet2.xml",
      "xl/worksheets/sheet10.xml",
      "xl/worksheets/_rels/sheet2.xml.rels",
      "xl/theme/theme1.xml",
      "docProps/core.xml",
    ]);
  });

  it("données décrites après coup (WorkbookWriter) : le répertoire central reprend le CRC et les tailles du descripteur", async () => {
    const sheet = { ...deflatedEntry("xl/worksheets/sheet1.xml", "<worksheet/>"), descriptor: true };
    const book = { ...deflatedEntry("xl/workbook.xml", "<workbook/>"), descriptor: true };
    const original = zipOf([sheet, book]);
    const archive = await relaid(original);
    // The same records, the workbook's first, then the central directory written knowing the CRC and sizes.
    expect(archive).toEqual(zipOf([book, sheet]));
  });

  it.skipIf(!hasPython("zipfile", "openpyxl"))(
    "Python (zipfile, openpyxl) lit l'archive re-rangée : CRC justes, entrées copiées sans recompression",
    async () => {
      const streamed = join(dir, "ecrit-en-flux.xlsx");
      await streamedWorkbook(streamed);
      const model = join(dir, "modele-python.xlsx");
      expect((await writeTemplate(model, "modele.xlsx")).ok).toBe(true);
      const script = [
        "import sys, io, json, zipfile, openpyxl",
        "out = []",
        "for path in sys.stdin.read().split():",
        "  data = open(path, 'rb').read()",
        "  z = zipfile.ZipFile(io.BytesIO(data))",
        "  entries = sorted([i.filename, i.compress_type, i.compress_size, i.CRC, i.file_size] for i in z.infolist())",
        "  ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]",
        "  out.append({'names': z.namelist(), 'bad': z.testzip(), 'entries': entries,",
        "    'first': [list(r) for r in ws.iter_rows(min_row=1, max_row=2, values_only=True)]})",
        "print(json.dumps(out))",
      ].join("\n");
      for (const path of [streamed, model]) {
        const original = readFileSync(path);
        const copy = writeInput(dir, "re-range.xlsx", await relaid(original));
        const [before, after] = JSON.parse(runPython(["zipfile", "openpyxl"], script, `${path}\n${copy}\n`));
        expect(after.bad).toBeNull();
        expect(after.entries).toEqual(before.entries);
        expect(after.first).toEqual(before.first);
        expect(after.names.slice(0, 4)).toEqual([
          "[Content_Types].xml",
          "_rels/.rels",
          "xl/_rels/workbook.xml.rels",
          "xl/workbook.xml",
        ]);
        expect(after.names.indexOf("xl/worksheets/sheet1.xml")).toBeLessThan(
          after.names.indexOf("xl/theme/theme1.xml"),
        );
      }
    },
  );

  it(`écrit en flux par exceljs (descripteurs de données) : ${READS} lectures sans échec, toutes les lignes`, async () => {
    const path = join(dir, "flux.xlsx");
    await streamedWorkbook(path);
    const expected: SourceItem[] = [
      { kind: "header", cells: ["establishment.name", "establishment.finess"] },
      ...Array.from(
        { length: 300 },
        (_, i): SourceItem => ({
          kind: "cells",
          line: i + 2,
          cells: [`Établissement ${i}`, String(750000000 + i)],
        }),
      ),
    ];
    const failures = await readRepeatedly(path, expected);
    expect(failures, `${failures.length}/${READS} lectures en échec : ${failures[0]}`).toEqual([]);
  });
});
