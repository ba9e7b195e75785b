/**
 * Hand-made workbook archives for the hostile-input tests: a minimal valid workbook around any sheet, a sheet
 * given as pre-compressed deflate blocks (so a bomb of hundreds of megabytes costs the test almost nothing).
 */
import { crc32, deflateRawSync, constants as zlib } from "node:zlib";

export interface ZipEntry {
  name: string;
  /** Stored as deflate: raw deflate data, with the size it inflates to. */
  deflated: Buffer;
  size: number;
  crc?: number;
}

export function deflatedEntry(name: string, text: string): ZipEntry {
  const data = Buffer.from(text, "utf8");
  return { name, deflated: deflateRawSync(data), size: data.length, crc: crc32(data) };
}

/** A deflate stream of `prefix`, then `block` repeated `times`, then `suffix`, compressed block by block. */
export function repeatedEntry(
  name: string,
  prefix: string,
  block: string,
  times: number,
  suffix: string,
): ZipEntry {
  const flush = { finishFlush: zlib.Z_SYNC_FLUSH };
  const middle = deflateRawSync(Buffer.from(block), flush);
  const parts = [deflateRawSync(Buffer.from(prefix), flush)];
  for (let i = 0; i < times; i++) parts.push(middle);
  parts.push(deflateRawSync(Buffer.from(suffix)));
  return {
    name,
    deflated: Buffer.concat(parts),
    size: prefix.length + block.length * times + suffix.length,
  };
}

/** A ZIP archive (local headers, central directory, end record) of deflated entries. */
export function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.crc ?? 0, 14);
    local.writeUInt32LE(entry.deflated.length, 18);
    local.writeUInt32LE(entry.size % 2 ** 32, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc ?? 0, 16);
    central.writeUInt32LE(entry.deflated.length, 20);
    central.writeUInt32LE(entry.size % 2 ** 32, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.deflated);
    centrals.push(central, name);
    offset += 30 + name.length + entry.deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The parts of a workbook around its one sheet. */
export function workbookParts(): ZipEntry[] {
  return [
    deflatedEntry(
      "[Content_Types].xml",
      `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ),
    deflatedEntry(
      "_rels/.rels",
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    deflatedEntry(
      "xl/workbook.xml",
      `<?xml version="1.0"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Établissements" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    deflatedEntry(
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
  ];
}

export const SHEET_START = `<?xml version="1.0"?><worksheet xmlns="${MAIN}"><sheetData>`;
export const SHEET_END = "</sheetData></worksheet>";

/** One row of inline-string cells. */
export function sheetRow(line: number, cells: readonly string[]): string {
  const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return `<row r="${line}">${cells.map((c) => `<c t="inlineStr"><is><t>${xml(c)}</t></is></c>`).join("")}</row>`;
}
