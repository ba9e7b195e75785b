/**
 * Hand-made workbook archives for the hostile-input tests: a minimal valid workbook around any sheet, a sheet
 * given as pre-compressed deflate blocks (so a bomb of hundreds of megabytes costs the test almost nothing).
 */
import { crc32, deflateRawSync, inflateRawSync, constants as zlib } from "node:zlib";

export interface ZipEntry {
  name: string;
  /** The entry's data as stored: raw deflate data (method 8, the default) or the bytes themselves (method 0). */
  data: Buffer;
  /** The size it inflates to. */
  size: number;
  crc?: number;
  method?: 0 | 8;
  /** CRC and sizes in a data descriptor after the data (flag 3), zeros in the local header. */
  descriptor?: boolean;
}

export function deflatedEntry(name: string, text: string): ZipEntry {
  const data = Buffer.from(text, "utf8");
  return { name, data: deflateRawSync(data), size: data.length, crc: crc32(data) };
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
    data: Buffer.concat(parts),
    size: prefix.length + block.length * times + suffix.length,
  };
}

/** A ZIP archive (local headers, central directory, end record) of deflated or stored entries. */
export function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const flags = 0x800 | (entry.descriptor ? 0x8 : 0);
    const method = entry.method ?? 8;
    const crc = entry.crc ?? 0;
    const size = entry.size % 2 ** 32;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    if (!entry.descriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(entry.data.length, 18);
      local.writeUInt32LE(size, 22);
    }
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(entry.descriptor ? 16 : 0);
    if (entry.descriptor) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(entry.data.length, 8);
      descriptor.writeUInt32LE(size, 12);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data, descriptor);
    centrals.push(central, name);
    offset += 30 + name.length + entry.data.length + descriptor.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  // Past 65,535 entries the count would need ZIP64: the end record then says 0xffff.
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * The entries of an archive whose local headers give the sizes (as exceljs's Workbook writes them), in stored
 * order, each as it is stored.
 */
export function entriesOf(zip: Buffer): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let offset = 0;
  while (zip.readUInt32LE(offset) === 0x04034b50) {
    if (zip.readUInt16LE(offset + 6) & 0x8) throw new Error("entriesOf: data descriptors not handled");
    const method = zip.readUInt16LE(offset + 8);
    if (method !== 0 && method !== 8) throw new Error(`entriesOf: method ${method}`);
    const compressed = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const start = offset + 30 + nameLength + zip.readUInt16LE(offset + 28);
    entries.push({
      name: zip.subarray(offset + 30, offset + 30 + nameLength).toString("utf8"),
      data: zip.subarray(start, start + compressed),
      size: zip.readUInt32LE(offset + 22),
      crc: zip.readUInt32LE(offset + 14),
      method,
    });
    offset = start + compressed;
  }
  return entries;
}

/** The entry's bytes once decompressed. */
export function contentOf(entry: ZipEntry): Buffer {
  return (entry.method ?? 8) === 0 ? entry.data : inflateRawSync(entry.data);
}

/** The same archive, same entries in the same order, each stored without compression. */
export function storedCopy(zip: Buffer): Buffer {
  return zipOf(entriesOf(zip).map((entry) => ({ ...entry, data: contentOf(entry), method: 0 })));
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
