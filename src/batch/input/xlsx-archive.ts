/**
 * A workbook is a ZIP archive. Before exceljs sees it, its entries are walked in the order exceljs's unzipper reads
 * them (local headers one after the other; an entry of unknown size ends at the data-descriptor signature) and
 * each is inflated once, counting what comes out: a truncated or damaged archive, an encrypted or ZIP64 one, or
 * one that would decompress past the limit (a "zip bomb") is refused with a French message before any parsing.
 * Memory stays bounded: the archive itself (within its own limit) and one inflate chunk at a time.
 *
 * The entries it walked are returned, so that the archive can be handed on with its entries in another order
 * (`relaidArchive`): their stored bytes are copied as they are, only the central directory is new.
 */
import { createInflateRaw } from "node:zlib";
import { type ReadProblem, readProblem } from "../../io/bounded-read.js";
import { detailText, sizeText } from "../../io/texts.js";
import { count } from "../messages.js";

const LOCAL_FILE = 0x04034b50;
const CENTRAL_FILE = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const DATA_DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const END_SIGNATURE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const ZIP64_MARK = 0xffffffff;
/** Past this many entries, an archive must be ZIP64 (its end record counts them on 16 bits). */
const MAX_ENTRIES = 0xffff;

/** One entry as stored: its local header at `start`, its data up to `dataEnd`, its data descriptor up to `end`. */
export interface ArchiveEntry {
  name: string;
  start: number;
  dataEnd: number;
  end: number;
}

type Verdict =
  | { ok: true; uncompressed: number; entries: ArchiveEntry[] }
  | { ok: false; problem: ReadProblem };

class Refusal {
  constructor(readonly problem: ReadProblem) {}
}

/** Counts a sheet's rows (`<row …>` elements, with or without a namespace prefix) chunk by chunk. */
class RowCounter {
  rows = 0;
  private carry = "";
  add(chunk: Buffer): void {
    const text = this.carry + chunk.toString("latin1");
    const pattern = /<(?:[A-Za-z_][\w.-]*:)?row[\s>/]/g;
    let end = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      this.rows += 1;
      end = pattern.lastIndex;
    }
    // Keep the end of the text (a tag cut between two chunks), never a part already counted.
    this.carry = text.slice(Math.max(end, text.length - 64));
  }
}

/** Inflates one entry, stopping as soon as more than `budget` bytes came out or `onChunk` says stop. */
function inflatedSize(
  data: Buffer,
  budget: number,
  onChunk: (chunk: Buffer) => boolean,
): Promise<number | "over" | "corrupt" | "stopped"> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let produced = 0;
    let settled = false;
    const settle = (value: number | "over" | "corrupt" | "stopped") => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    inflate.on("data", (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > budget) {
        settle("over");
        inflate.destroy();
      } else if (!onChunk(chunk)) {
        settle("stopped");
        inflate.destroy();
      }
    });
    inflate.on("error", () => settle("corrupt"));
    inflate.on("end", () => settle(produced));
    inflate.end(data);
  });
}

/** The worksheets, named as exceljs recognises them; the sheet's number captured. */
export const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;

export interface ArchiveLimits {
  /** Total of the entries once decompressed, in bytes. */
  uncompressed: number;
  /** Rows of any one worksheet (the header line included). */
  rows: number;
}

/** Checks a workbook's archive, refusing it as soon as it passes one of the limits. */
export async function checkXlsxArchive(bytes: Buffer, file: string, limits: ArchiveLimits): Promise<Verdict> {
  const limit = limits.uncompressed;
  const truncated = () => new Refusal(readProblem("XLSX_TRUNCATED", file));
  const corrupt = (detail: string) =>
    new Refusal(readProblem("XLSX_CORRUPT", file, { detail: detailText(detail) }));
  const unsupported = (detail: string, params: Record<string, string> = {}) =>
    new Refusal(readProblem("XLSX_UNSUPPORTED", file, { detail: detailText(detail, params) }));
  const need = (end: number) => {
    if (end > bytes.length) throw truncated();
  };
  let offset = 0;
  let total = 0;
  const entries: ArchiveEntry[] = [];
  let reachedCentral = false;
  try {
    for (;;) {
      need(offset + 4);
      const signature = bytes.readUInt32LE(offset);
      if (signature === LOCAL_FILE && !reachedCentral) {
        const offset0 = offset;
        need(offset + 30);
        const flags = bytes.readUInt16LE(offset + 6);
        const method = bytes.readUInt16LE(offset + 8);
        const compressedSize = bytes.readUInt32LE(offset + 18);
        const uncompressedSize = bytes.readUInt32LE(offset + 22);
        const dataStart = offset + 30 + bytes.readUInt16LE(offset + 26) + bytes.readUInt16LE(offset + 28);
        need(dataStart);
        if (compressedSize === ZIP64_MARK || uncompressedSize === ZIP64_MARK) throw unsupported("zip64");
        if (flags & 0x1) throw unsupported("encrypted");
        if (entries.length === MAX_ENTRIES) throw unsupported("zip64");
        if (method !== 0 && method !== 8) throw unsupported("method", { method: String(method) });
        let dataEnd: number;
        if (!(flags & 0x8) || compressedSize > 0) {
          dataEnd = dataStart + compressedSize;
          need(dataEnd);
          offset = dataEnd;
        } else {
          dataEnd = bytes.indexOf(DATA_DESCRIPTOR, dataStart);
          if (dataEnd === -1) throw truncated();
          offset = dataEnd + 16;
          need(offset);
        }
        const budget = limit - total;
        const tooLarge = () =>
          new Refusal(readProblem("XLSX_TOO_LARGE_UNCOMPRESSED", file, { limit: sizeText(limit) }));
        // A declared size past the limit is refused at once; a smaller one is not trusted (inflated below).
        if (!(flags & 0x8) && uncompressedSize > budget) throw tooLarge();
        const name = bytes
          .subarray(offset0 + 30, offset0 + 30 + bytes.readUInt16LE(offset0 + 26))
          .toString("utf8");
        const counter = WORKSHEET.test(name) ? new RowCounter() : undefined;
        const keepGoing = (chunk: Buffer) => {
          counter?.add(chunk);
          return (counter?.rows ?? 0) <= limits.rows;
        };
        const data = bytes.subarray(dataStart, dataEnd);
        const produced =
          method === 0
            ? keepGoing(data)
              ? data.length
              : "stopped"
            : await inflatedSize(data, budget, keepGoing);
        if (produced === "stopped") {
          throw new Refusal(readProblem("TOO_MANY_ROWS", file, { limit: count(limits.rows - 1) }));
        }
        if (produced === "corrupt") throw corrupt("badCompression");
        if (produced === "over" || produced > budget) throw tooLarge();
        total += produced;
        entries.push({ name, start: offset0, dataEnd, end: offset });
      } else if (signature === CENTRAL_FILE) {
        reachedCentral = true;
        need(offset + 46);
        offset +=
          46 +
          bytes.readUInt16LE(offset + 28) +
          bytes.readUInt16LE(offset + 30) +
          bytes.readUInt16LE(offset + 32);
      } else if (signature === END_OF_CENTRAL) {
        need(offset + 22);
        need(offset + 22 + bytes.readUInt16LE(offset + 20));
        break;
      } else if (reachedCentral) {
        const end = bytes.indexOf(END_SIGNATURE, offset);
        if (end === -1) throw truncated();
        offset = end;
      } else {
        throw corrupt("badSignature");
      }
    }
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problem: error.problem };
    throw error;
  }
  if (entries.length === 0)
    return { ok: false, problem: readProblem("XLSX_CORRUPT", file, { detail: detailText("noWorkbook") }) };
  return { ok: true, uncompressed: total, entries };
}

/**
 * A checked archive with its entries in the given order: each entry's local header, data and data descriptor
 * are the very bytes of `bytes` (views, neither copied nor recompressed), followed by a new central directory
 * pointing at their new offsets and its end record. The chunks, in order, make the archive.
 */
export function relaidArchive(bytes: Buffer, entries: readonly ArchiveEntry[]): Buffer[] {
  const chunks: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const local = bytes.subarray(entry.start, entry.end);
    const name = local.subarray(30, 30 + local.readUInt16LE(26));
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_FILE, 0);
    // Made by and needed: the version the local header asks for.
    central.writeUInt16LE(local.readUInt16LE(4), 4);
    // Version needed, flags, method, time, date, CRC and sizes: as in the local header…
    local.copy(central, 6, 4, 26);
    // …or, when the header leaves them to a data descriptor, as the descriptor gives them.
    if (entry.end > entry.dataEnd) bytes.copy(central, 16, entry.dataEnd + 4, entry.dataEnd + 16);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    chunks.push(local);
    centrals.push(central, name);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  chunks.push(directory, end);
  return chunks;
}
