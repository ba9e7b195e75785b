import { createHash } from "node:crypto";
import { LENGTH } from "./names.js";
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFHexString,
  type PDFName,
  PDFNull,
  type PDFObject,
  type PDFRef,
  PDFStream,
  PDFString,
} from "./pdf-lib.js";

/**
 * An incremental update (ISO 32000-1 §7.5.6) appended to a template's bytes: only the new and changed
 * objects, a cross-reference section pointing back to the template's, and a trailer. No parsing of the
 * template per fill: its parsed objects are read once, cloned and changed here.
 */

export interface UpdateBase {
  bytes: Uint8Array;
  /** Trailer /Size of `bytes`. */
  size: number;
  /** Offset of the last cross-reference section of `bytes` (its `startxref`). */
  startXref: number;
  /** First element of the file identifier, kept across updates. */
  permanentId: PDFHexString;
}

/** Reads the `startxref` offset at the end of a PDF file. */
export function readStartXref(bytes: Uint8Array): number {
  const tail = new TextDecoder("latin1").decode(bytes.subarray(Math.max(0, bytes.length - 1024)));
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!match) throw new Error("startxref introuvable à la fin du fichier");
  return Number(match[1]);
}

/** The template's /ID first element, or one derived from its bytes when it has none. */
export function permanentIdOf(id: PDFObject | undefined, bytes: Uint8Array): PDFHexString {
  if (id instanceof PDFArray) {
    const first = id.get(0);
    if (first instanceof PDFHexString) return first;
  }
  return PDFHexString.of(createHash("md5").update(bytes).digest("hex").toUpperCase());
}

/** `PDFHexString.fromText`: UTF-16BE with its byte order mark, as upper-case hex. */
export function hexText(text: string): PDFHexString {
  const bytes = Buffer.from(text, "utf16le");
  bytes.swap16();
  return PDFHexString.of(`FEFF${bytes.toString("hex").toUpperCase()}`);
}

/**
 * A stream whose contents are text of one byte per character (appearance and page content streams): kept
 * as a string and written as such, never turned into an array of bytes first.
 */
export class TextStream extends PDFStream {
  constructor(
    dict: PDFDict,
    readonly text: string,
  ) {
    super(dict);
  }

  override getContents(): Uint8Array {
    return new Uint8Array(Buffer.from(this.text, "latin1"));
  }

  override getContentsString(): string {
    return this.text;
  }

  override getContentsSize(): number {
    return this.text.length;
  }

  override clone(context?: PDFContext): TextStream {
    return new TextStream(this.dict.clone(context), this.text);
  }
}

/** pdf-lib's own map of a dictionary's entries (private there): read in place rather than copied. */
function entryMap(dict: PDFDict): Map<PDFName, PDFObject> | undefined {
  const map = (dict as unknown as { dict?: unknown }).dict;
  return map instanceof Map ? (map as Map<PDFName, PDFObject>) : undefined;
}

/** Each entry of a dictionary in order, without an array per entry. */
function forEachEntry(dict: PDFDict, f: (value: PDFObject, key: PDFName) => void): void {
  const map = entryMap(dict);
  if (map) map.forEach(f);
  else for (const [key, value] of dict.entries()) f(value, key);
}

/** The context a dictionary or array was made in (pdf-lib keeps an array's private). */
function contextOf(object: PDFDict | PDFArray): unknown {
  return (object as unknown as { context?: unknown }).context;
}

const ASCII = {
  newline: 0x0a,
  space: 0x20,
  lt: 0x3c,
  gt: 0x3e,
  lparen: 0x28,
  rparen: 0x29,
} as const;

/**
 * PDF syntax written straight into bytes: one pass, where pdf-lib's `sizeInBytes` then `copyBytesInto` list
 * every dictionary's entries twice and build the file from many small arrays. Text is written one byte per
 * character (its low byte, as pdf-lib does).
 */
export class ByteWriter {
  bytes: Uint8Array;
  /** `bytes` as a Buffer, for its native latin1 writing of long texts. */
  private view: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
    this.view = Buffer.from(this.bytes.buffer);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = Buffer.from(grown.buffer);
  }

  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  text(s: string): void {
    const n = s.length;
    this.reserve(n);
    if (n > 32) {
      this.length += this.view.write(s, this.length, n, "latin1");
      return;
    }
    const { bytes } = this;
    let at = this.length;
    for (let i = 0; i < n; i++) bytes[at++] = s.charCodeAt(i);
    this.length = at;
  }

  /** Bytes `from` to `to` of `b`. */
  range(b: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    this.reserve(n);
    if (n < 64) {
      const { bytes } = this;
      let at = this.length;
      for (let i = from; i < to; i++) bytes[at++] = b[i] ?? 0;
      this.length = at;
    } else {
      this.bytes.set(b.subarray(from, to), this.length);
      this.length += n;
    }
  }

  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }

  /** A non-negative integer, zero-padded to `width` digits. */
  padded(n: number, width: number): void {
    this.reserve(width);
    for (let i = width - 1; i >= 0; i--) {
      this.bytes[this.length + i] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.length += width;
  }
}

/** The written bytes of template objects (shared by every fill, never changed: see `edit`), by object. */
const templateBytes = new WeakMap<PDFObject, Uint8Array>();

/**
 * Writes an object: the same bytes as pdf-lib's `copyBytesInto`. With `owner`, the dictionaries and arrays
 * of another context (the template's) are written once per process, then copied.
 */
export function writeObject(w: ByteWriter, object: PDFObject, owner: PDFContext | undefined): void {
  if (object instanceof PDFDict || object instanceof PDFArray) {
    const shared = owner !== undefined && contextOf(object) !== owner;
    if (shared) {
      let known = templateBytes.get(object);
      if (!known) {
        const own = new ByteWriter(256);
        writeComposite(own, object, owner);
        known = own.bytes.slice(0, own.length);
        templateBytes.set(object, known);
      }
      w.raw(known);
      return;
    }
    writeComposite(w, object, owner);
    return;
  }
  if (object instanceof TextStream && !entryMap(object.dict)?.has(LENGTH)) {
    // pdf-lib would add /Length last (`updateDict`): written here without changing the dictionary.
    writeDict(w, object.dict, owner, `${LENGTH.toString()} ${object.text.length}\n`);
    w.text("\nstream\n");
    w.text(object.text);
    w.text("\nendstream");
    return;
  }
  if (object instanceof PDFStream) {
    object.updateDict();
    writeComposite(w, object.dict, owner);
    w.text("\nstream\n");
    if (object instanceof TextStream) w.text(object.text);
    else w.raw(object.getContents());
    w.text("\nendstream");
    return;
  }
  if (object instanceof PDFHexString) {
    w.byte(ASCII.lt);
    w.text(object.asString());
    w.byte(ASCII.gt);
    return;
  }
  if (object instanceof PDFString) {
    w.byte(ASCII.lparen);
    w.text(object.asString());
    w.byte(ASCII.rparen);
    return;
  }
  w.text(object.toString());
}

/**
 * A template dictionary's new version (see `PdfUpdate.edit`): a copy of its entries, the original, and the
 * keys set since (in order; `undefined` once a key was deleted: the dictionary is then written in full).
 */
class EditedDict extends PDFDict {
  changed: PDFName[] | undefined = [];

  constructor(
    readonly original: PDFDict,
    context: PDFContext,
  ) {
    const map = new Map<PDFName, PDFObject>();
    forEachEntry(original, (value, key) => map.set(key, value));
    super(map, context);
  }

  override set(key: PDFName, value: PDFObject): void {
    super.set(key, value);
    if (this.changed && !this.changed.includes(key)) this.changed.push(key);
  }

  override delete(key: PDFName): boolean {
    this.changed = undefined;
    return super.delete(key);
  }
}

/** A template dictionary's entries as written, one after the other: `/Key value\n` from `starts[i]`. */
interface WrittenEntries {
  keys: PDFName[];
  starts: number[];
  bytes: Uint8Array;
}

const templateEntries = new WeakMap<PDFDict, WrittenEntries>();

function entriesOf(original: PDFDict, owner: PDFContext | undefined): WrittenEntries {
  let entries = templateEntries.get(original);
  if (!entries) {
    const own = new ByteWriter(512);
    const keys: PDFName[] = [];
    const starts: number[] = [];
    forEachEntry(original, (value, key) => {
      keys.push(key);
      starts.push(own.length);
      writeEntry(own, key, value, owner);
    });
    starts.push(own.length);
    entries = { keys, starts, bytes: own.bytes.slice(0, own.length) };
    templateEntries.set(original, entries);
  }
  return entries;
}

function writeEntry(w: ByteWriter, key: PDFName, value: PDFObject, owner: PDFContext | undefined): void {
  w.text(key.toString());
  w.byte(ASCII.space);
  writeObject(w, value, owner);
  w.byte(ASCII.newline);
}

/**
 * A dictionary. An edited template dictionary is written as its original's entries, copied as first written
 * in runs, with the entries set since written anew (in place, or after them for new keys).
 */
function writeDict(w: ByteWriter, dict: PDFDict, owner: PDFContext | undefined, last = ""): void {
  w.text("<<\n");
  const changed = dict instanceof EditedDict ? dict.changed : undefined;
  if (owner !== undefined && changed && dict instanceof EditedDict) {
    const entries = entriesOf(dict.original, owner);
    let run = 0;
    entries.keys.forEach((key, i) => {
      if (!changed.includes(key)) return;
      w.range(entries.bytes, run, entries.starts[i] ?? 0);
      writeEntry(w, key, dict.get(key, true) ?? PDFNull, owner);
      run = entries.starts[i + 1] ?? 0;
    });
    w.range(entries.bytes, run, entries.bytes.length);
    for (const key of changed) {
      if (!entries.keys.includes(key)) writeEntry(w, key, dict.get(key, true) ?? PDFNull, owner);
    }
  } else {
    forEachEntry(dict, (value, key) => writeEntry(w, key, value, owner));
  }
  w.text(last);
  w.text(">>");
}

function writeComposite(w: ByteWriter, object: PDFDict | PDFArray, owner: PDFContext | undefined): void {
  if (object instanceof PDFDict) {
    writeDict(w, object, owner);
    return;
  }
  w.text("[ ");
  for (let i = 0, n = object.size(); i < n; i++) {
    writeObject(w, object.get(i), owner);
    w.byte(ASCII.space);
  }
  w.byte(0x5d); // ]
}

/** An object's bytes, as pdf-lib writes them. */
export function objectBytes(object: PDFObject): Uint8Array {
  const w = new ByteWriter(256);
  writeObject(w, object, undefined);
  return w.bytes.slice(0, w.length);
}

/** The update being written, reused by every fill of the thread (grown to the largest update). */
let scratch: ByteWriter | undefined;

export class PdfUpdate {
  readonly context: PDFContext;
  private readonly edits = new Map<PDFRef, PDFDict>();

  constructor(private readonly base: UpdateBase) {
    this.context = PDFContext.create();
    this.context.largestObjectNumber = base.size - 1;
  }

  /** A new object. */
  register(object: PDFObject): PDFRef {
    return this.context.register(object);
  }

  /** A number for an object written later with `replace`. */
  reserve(): PDFRef {
    return this.context.nextRef();
  }

  /** The new version of a template object (or of a reserved one). */
  replace(ref: PDFRef, object: PDFObject): void {
    this.context.assign(ref, object);
  }

  /**
   * The new version of a template dictionary, cloned on first call (later calls return the same clone).
   * Only its own entries may be changed: nested dictionaries are shared with the template.
   */
  edit(ref: PDFRef, original: PDFDict): PDFDict {
    const existing = this.edits.get(ref);
    if (existing) return existing;
    const clone = new EditedDict(original, this.context);
    this.edits.set(ref, clone);
    this.context.assign(ref, clone);
    return clone;
  }

  /** The template's bytes followed by the update. */
  serialize(trailer: { root: PDFRef; info: PDFRef }): Uint8Array {
    const objects = this.context.enumerateIndirectObjects();
    const baseLength = this.base.bytes.length;
    const last = this.base.bytes[baseLength - 1];
    scratch ??= new ByteWriter(64 * 1024);
    const w = scratch;
    w.length = 0;
    if (last !== 0x0a && last !== 0x0d) w.byte(ASCII.newline);
    const entries: { num: number; gen: number; offset: number }[] = [];
    const digest = createHash("md5");
    for (const [ref, object] of objects) {
      entries.push({ num: ref.objectNumber, gen: ref.generationNumber, offset: baseLength + w.length });
      w.text(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
      const start = w.length;
      writeObject(w, object, this.context);
      // The changing identifier: a digest of the new objects' bodies.
      digest.update(w.bytes.subarray(start, w.length));
      w.text("\nendobj\n");
    }
    entries.sort((a, b) => a.num - b.num);
    const xrefOffset = baseLength + w.length;
    w.text("xref\n");
    for (let i = 0; i < entries.length; ) {
      let j = i;
      while (j + 1 < entries.length && entries[j + 1]!.num === entries[j]!.num + 1) j++;
      w.text(`${entries[i]!.num} ${j - i + 1}\n`);
      for (let k = i; k <= j; k++) {
        const e = entries[k]!;
        w.padded(e.offset, 10);
        w.byte(ASCII.space);
        w.padded(e.gen, 5);
        w.text(" n \n");
      }
      i = j + 1;
    }
    const size = Math.max(this.base.size, this.context.largestObjectNumber + 1);
    w.text(
      `trailer\n<<\n/Size ${size}\n/Root ${trailer.root}\n/Info ${trailer.info}\n/Prev ${this.base.startXref}\n` +
        `/ID [${this.base.permanentId} <${digest.digest("hex").toUpperCase()}>]\n>>\nstartxref\n${xrefOffset}\n%%EOF\n`,
    );
    const out = new Uint8Array(baseLength + w.length);
    out.set(this.base.bytes, 0);
    out.set(w.bytes.subarray(0, w.length), baseLength);
    return out;
  }
}
