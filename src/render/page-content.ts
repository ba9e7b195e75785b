import { CONTENTS } from "./names.js";
import { setPageFont } from "./pdf-file.js";
import { PDFDict, type PDFDocument, type PDFFont, PDFName, PDFRawStream } from "./pdf-lib.js";
import { standardText } from "./standard-text.js";

/**
 * A page's content stream written as PDF operators, directly: the same marks as pdf-lib's `drawText`,
 * `drawLine` and `drawRectangle` (fill colour, stroke colour, line width, text position), without their
 * per-call option checks and operator objects. Written into the page by `writeTo`.
 */

/** A number as a PDF operand: three decimals (a thousandth of a point) are far below what prints. */
function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return r === 0 ? "0" : String(r);
}

/** A colour, each component from 0 to 1. */
export interface Rgb {
  red: number;
  green: number;
  blue: number;
}

const color = (c: Rgb) => `${num(c.red)} ${num(c.green)} ${num(c.blue)}`;

/** As pdf-lib draws a text: tabs and other breaks as spaces, backspaces and vertical tabs dropped. */
function cleanText(text: string): string {
  if (!/[\t\u0085\u2028\u2029\b\v\n\f\r]/.test(text)) return text;
  return text
    .replace(/\t|\u0085|\u2028|\u2029/g, "    ")
    .replace(/[\b\v]/g, "")
    .replace(/[\n\f\r]/g, " ");
}

/** The text as a literal string for a standard font, cleaned as drawn; undefined for an embedded font. */
function standardLiteral(text: string, font: PDFFont): string | undefined {
  return standardText(font)?.literal(cleanText(text));
}

/**
 * Resource names of the standard faces, the same in every document: content recorded in one document (see
 * `PageWriter`'s recorded blocks) names them the same way in the next. An embedded font gets F3, F4…
 */
const STANDARD_KEYS: Record<string, string> = { Helvetica: "F1", "Helvetica-Bold": "F2" };

export class PageContent {
  private ops: string[] = [];

  /** @param fontKeys the document's font resource names, shared by its pages. */
  constructor(private readonly fontKeys: Map<PDFFont, string>) {}

  private readonly used = new Set<PDFFont>();

  private key(font: PDFFont): string {
    let key = this.fontKeys.get(font);
    if (key === undefined) {
      key = STANDARD_KEYS[font.name] ?? `F${this.fontKeys.size + 3}`;
      this.fontKeys.set(font, key);
    }
    this.used.add(font);
    return key;
  }

  /** The fonts drawn with so far, in the order first used. */
  get usedFonts(): PDFFont[] {
    return [...this.used];
  }

  /** The operators written so far, closed (for a recording: see `raw`). */
  take(): string {
    this.endText();
    return this.ops.join("\n");
  }

  /** Names a font in the page's resources (for operators given to `raw` that draw with it). */
  useFont(font: PDFFont): void {
    this.key(font);
  }

  /**
   * Operators written by another `PageContent` of the document (a group of marks; its fonts given to
   * `useFont`): self-contained (their own text object and colours), translated by `dy` in their own graphics
   * state.
   */
  raw(ops: string, dy: number): void {
    this.endText();
    this.ops.push(`q\n1 0 0 1 0 ${num(dy)} cm\n${ops}\nQ`);
  }

  /** Inside a text object (BT … ET), with the fill colour and font last set there. */
  private inText = false;
  private fill = "";
  private font = "";

  private endText(): void {
    if (this.inText) this.ops.push("ET");
    this.inText = false;
  }

  /** Consecutive texts share one text object, and set the colour and font only when they change. */
  text(text: string, x: number, y: number, size: number, font: PDFFont, fill: Rgb): void {
    const encoded = this.encode(text, font);
    if (!this.inText) {
      this.ops.push("BT");
      this.inText = true;
      this.font = "";
    }
    const rg = `${color(fill)} rg`;
    if (rg !== this.fill) {
      this.ops.push(rg);
      this.fill = rg;
    }
    const tf = `/${this.key(font)} ${num(size)} Tf`;
    if (tf !== this.font) {
      this.ops.push(tf);
      this.font = tf;
    }
    this.ops.push(`1 0 0 1 ${num(x)} ${num(y)} Tm`, `${encoded} Tj`);
  }

  private encode(text: string, font: PDFFont): string {
    return standardLiteral(text, font) ?? font.encodeText(cleanText(text)).toString();
  }

  line(x1: number, y1: number, x2: number, y2: number, thickness: number, stroke: Rgb): void {
    this.endText();
    this.ops.push(
      `q\n${color(stroke)} RG\n${num(thickness)} w\n${num(x1)} ${num(y1)} m\n${num(x2)} ${num(y2)} l\nS\nQ`,
    );
  }

  rectangle(x: number, y: number, width: number, height: number, fill: Rgb): void {
    // Its colour is set between q and Q: the text's fill colour is back after it.
    this.endText();
    this.ops.push(`q\n${color(fill)} rg\n${num(x)} ${num(y)} ${num(width)} ${num(height)} re\nf\nQ`);
  }

  /**
   * Sets the page's content stream and font resources. The operators are written as they are, not deflated:
   * deflating a route sheet's ~45 KB of operators (eight zlib streams, one per page) was ~1.1 ms of its ~5.8 ms
   * (measured side by side in one process, 300 sheets, 6 rounds: 5.85 → 4.75 ms a sheet), for a file of 23 KB
   * instead of 52 KB. A batch writes thousands of sheets; 29 KB more each is nothing to a reader or a disk.
   */
  writeTo(doc: PDFDocument, page: PDFDict): void {
    this.endText();
    for (const font of this.used) {
      setPageFont(page, PDFName.of(this.fontKeys.get(font) ?? ""), font.ref);
    }
    const bytes = Buffer.from(this.ops.join("\n"), "latin1");
    const dict = PDFDict.fromMapWithContext(new Map(), doc.context);
    const stream = PDFRawStream.of(dict, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    page.set(CONTENTS, doc.context.register(stream));
  }
}
