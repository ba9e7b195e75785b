import { createHash } from "node:crypto";
import {
  PDFArray,
  PDFContext,
  type PDFDict,
  PDFHexString,
  type PDFObject,
  type PDFRef,
} from "@cantoo/pdf-lib";

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

const encoder = new TextEncoder();

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

function objectBytes(object: PDFObject): Uint8Array {
  const buffer = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return buffer;
}

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
    const clone = original.clone(this.context);
    this.edits.set(ref, clone);
    this.context.assign(ref, clone);
    return clone;
  }

  /** The template's bytes followed by the update. */
  serialize(trailer: { root: PDFRef; info: PDFRef }): Uint8Array {
    const objects = this.context.enumerateIndirectObjects();
    const chunks: Uint8Array[] = [this.base.bytes];
    let offset = this.base.bytes.length;
    const push = (chunk: Uint8Array) => {
      chunks.push(chunk);
      offset += chunk.length;
    };
    const last = this.base.bytes[this.base.bytes.length - 1];
    if (last !== 0x0a && last !== 0x0d) push(encoder.encode("\n"));
    const entries: { num: number; gen: number; offset: number }[] = [];
    const digest = createHash("md5");
    for (const [ref, object] of objects) {
      entries.push({ num: ref.objectNumber, gen: ref.generationNumber, offset });
      const body = objectBytes(object);
      digest.update(body);
      push(encoder.encode(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
      push(body);
      push(encoder.encode("\nendobj\n"));
    }
    entries.sort((a, b) => a.num - b.num);
    let xref = "xref\n";
    for (let i = 0; i < entries.length; ) {
      let j = i;
      while (j + 1 < entries.length && entries[j + 1]!.num === entries[j]!.num + 1) j++;
      xref += `${entries[i]!.num} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++) {
        const e = entries[k]!;
        xref += `${String(e.offset).padStart(10, "0")} ${String(e.gen).padStart(5, "0")} n \n`;
      }
      i = j + 1;
    }
    const xrefOffset = offset;
    const changingId = digest.digest("hex").toUpperCase();
    const size = Math.max(this.base.size, this.context.largestObjectNumber + 1);
    push(
      encoder.encode(
        `${xref}trailer\n<<\n/Size ${size}\n/Root ${trailer.root}\n/Info ${trailer.info}\n/Prev ${this.base.startXref}\n` +
          `/ID [${this.base.permanentId} <${changingId}>]\n>>\nstartxref\n${xrefOffset}\n%%EOF\n`,
      ),
    );
    const out = new Uint8Array(offset);
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}
