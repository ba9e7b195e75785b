import { open, readFile } from "node:fs/promises";
import { extname } from "node:path";
import ExcelJS from "exceljs";
import { parseAnswersText } from "../answers/parse.js";
import { loadAnswersValidator } from "../assets/load.js";
import { assetPath } from "../assets/root.js";
import { errnoText } from "../io/texts.js";
import { loadColumnCatalog } from "./catalog.js";
import type { Column, Leaf } from "./columns.js";
import { batchTexts } from "./messages.js";
import { csvField } from "./report.js";

/**
 * `batch --template modele.xlsx|modele.csv`: the spreadsheet to fill, one line per establishment. Its columns
 * (French headers from the schema titles, two designees), one example line (examples/ch-ville.yaml), and the
 * explanation of every column: a second sheet of the workbook, or for CSV a second file `<nom>-colonnes.csv`.
 * The workbook also offers drop-down lists for yes/no and choice columns, and keeps FINESS as text.
 */

/** Designees in the model; more are added by copying the columns with n°3, n°4… */
export const TEMPLATE_DESIGNEES = 2;
const EXAMPLE = ["examples", "ch-ville.yaml"];
/** Lines of the workbook that get the drop-down lists and the text format. */
const FORMATTED_ROWS = 5000;

const texts = () => batchTexts().template;

export const templateNotes = (maxDesignees: number): string[] => {
  const notes = texts().notes;
  return [
    notes.rows(),
    notes.empty(),
    notes.choices(),
    notes.designees({ max: maxDesignees }),
    notes.comments(),
  ];
};

export function allowedValues(leaf: Leaf): string {
  const kind = leaf.kind;
  const values = texts().values;
  switch (kind.type) {
    case "boolean":
      return values.boolean();
    case "integer":
      return values.integer({
        minimum: kind.minimum !== undefined ? values.minimum({ n: kind.minimum }) : "",
        maximum: kind.maximum !== undefined ? values.maximum({ n: kind.maximum }) : "",
      });
    case "const":
      return String(kind.value);
    case "enum":
      return kind.values
        .map((code) => values.choice({ title: kind.titles[code] ?? code, code }))
        .join(values.choiceSeparator());
    case "string":
      if (kind.fixedDigits) return values.digits({ n: kind.fixedDigits });
      return kind.phone ? values.phone() : values.text();
  }
}

/** What the model shows for a value: oui/non, a choice's title. */
function displayValue(value: unknown, leaf: Leaf): string | number {
  if (typeof value === "boolean") return value ? texts().yes() : texts().no();
  if (typeof value === "number") return value;
  const text = String(value ?? "");
  return leaf.kind.type === "enum" ? (leaf.kind.titles[text] ?? text) : text;
}

function valueAt(data: unknown, path: string): unknown {
  let node: unknown = data;
  for (const segment of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

interface Model {
  notes: string[];
  columns: Column[];
  example: (string | number)[];
}

async function model(): Promise<Model> {
  const catalog = loadColumnCatalog();
  const columns = catalog.columns(TEMPLATE_DESIGNEES).filter((c) => c.path !== "version");
  const parsed = parseAnswersText(
    await readFile(assetPath(...EXAMPLE), "utf8"),
    "ch-ville.yaml",
    loadAnswersValidator().catalog,
  );
  if (!parsed.ok) throw new Error("exemple illisible : examples/ch-ville.yaml");
  const example = columns.map((c) => {
    const value = valueAt(parsed.data, c.path);
    return value === undefined ? "" : displayValue(value, c.leaf);
  });
  return { notes: templateNotes(catalog.maxDesignees), columns, example };
}

function explanationRows(columns: Column[]): string[][] {
  return columns.map((c) => [
    c.header,
    c.path,
    c.leaf.required ? (c.designee === undefined ? texts().yes() : texts().yesPerDesignee()) : texts().no(),
    allowedValues(c.leaf),
    c.leaf.description,
  ]);
}

function explanationHeaders(): string[] {
  const h = texts().explanationHeaders;
  return [h.column(), h.path(), h.required(), h.values(), h.description()];
}

async function workbook(m: Model): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  book.creator = "diapason-dossier";
  book.created = new Date(0);
  book.modified = new Date(0);
  const sheets = texts().sheets;
  const rows = book.addWorksheet(sheets.rows(), { views: [{ state: "frozen", ySplit: 1 }] });
  const explain = book.addWorksheet(sheets.columns());
  const lists = book.addWorksheet(sheets.lists(), { state: "hidden" });

  rows.addRow(m.columns.map((c) => c.header));
  rows.addRow(m.example);
  rows.getRow(1).font = { bold: true };
  rows.getRow(1).alignment = { wrapText: true, vertical: "top" };
  const validations = (
    rows as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }
  ).dataValidations;
  let listColumn = 0;
  m.columns.forEach((c, i) => {
    const column = rows.getColumn(i + 1);
    column.width = 26;
    const kind = c.leaf.kind;
    const letter = column.letter;
    if (kind.type === "string" && (kind.fixedDigits || kind.phone)) column.numFmt = "@";
    const choices =
      kind.type === "boolean"
        ? [texts().yes(), texts().no()]
        : kind.type === "enum"
          ? kind.values.map((v) => kind.titles[v] ?? v)
          : [];
    if (choices.length === 0) return;
    listColumn += 1;
    const listLetter = lists.getColumn(listColumn).letter;
    choices.forEach((choice, r) => {
      lists.getCell(`${listLetter}${r + 1}`).value = choice;
    });
    validations.add(`${letter}2:${letter}${FORMATTED_ROWS}`, {
      type: "list",
      allowBlank: true,
      formulae: [`${sheets.lists()}!$${listLetter}$1:$${listLetter}$${choices.length}`],
      showErrorMessage: false,
    });
  });

  for (const note of m.notes) explain.addRow([note]);
  explain.addRow([]);
  const head = explain.addRow(explanationHeaders());
  head.font = { bold: true };
  for (const line of explanationRows(m.columns))
    explain.addRow(line).alignment = { wrapText: true, vertical: "top" };
  [46, 36, 16, 48, 90].forEach((width, i) => {
    explain.getColumn(i + 1).width = width;
  });
  return book;
}

function csvText(lines: (string | number)[][]): string {
  return `\ufeff${lines.map((l) => `${l.map((c) => csvField(String(c))).join(";")}\r\n`).join("")}`;
}

async function writeNew(path: string, data: Uint8Array | string, shown: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "wx", 0o644);
  } catch (error) {
    throw new Error(
      (error as NodeJS.ErrnoException).code === "EEXIST"
        ? batchTexts().output.templateExists({ file: shown })
        : batchTexts().output.writeFailed({ path: shown, reason: errnoText(error) }),
    );
  }
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

export type TemplateResult = { ok: true; files: string[] } | { ok: false; message: string };

/** Writes the model at `path` (never over an existing file); `shown` is the path as typed. */
export async function writeTemplate(path: string, shown: string): Promise<TemplateResult> {
  const ext = extname(path).toLowerCase();
  if (ext !== ".xlsx" && ext !== ".csv")
    return { ok: false, message: batchTexts().output.templateFormat({ file: shown }) };
  const m = await model();
  try {
    if (ext === ".xlsx") {
      const buffer = await (await workbook(m)).xlsx.writeBuffer();
      await writeNew(path, new Uint8Array(buffer as ArrayBuffer), shown);
      return { ok: true, files: [shown] };
    }
    const companion = path.replace(/\.csv$/i, () => texts().columnsFile());
    const companionShown = shown.replace(/\.csv$/i, () => texts().columnsFile());
    const explanation = csvText([
      ...m.notes.map((n) => [n]),
      [],
      explanationHeaders(),
      ...explanationRows(m.columns),
    ]);
    await writeNew(path, csvText([m.columns.map((c) => c.header), m.example]), shown);
    await writeNew(companion, explanation, companionShown);
    return { ok: true, files: [shown, companionShown] };
  } catch (error) {
    return { ok: false, message: String((error as Error).message) };
  }
}
