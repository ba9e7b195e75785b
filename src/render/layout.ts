import { type Block, type BlockKind, plainText } from "../dossier/markup.js";
import { detached } from "../text/detached.js";
import { type Fonts, type Line, segmentsOf, wrap } from "./line-wrap.js";
import { PageContent } from "./page-content.js";
import { appendPage } from "./pdf-file.js";
import { type PDFDict, type PDFDocument, type PDFFont, type RGB, rgb } from "./pdf-lib.js";
import { standardText } from "./standard-text.js";

/** Lays out the blocks of a text document on A4 pages: wrapping, page breaks, boxes, footers. No wording here. */

export type FontStyle = "regular" | "bold";

export interface TextFonts {
  /** The font for a block whose whole text is `text`: standard when WinAnsi covers it, embedded otherwise. */
  font(text: string, style: FontStyle): PDFFont;
}

/** Every text the layout will ask a font for, with its style: announced before embedding the fonts. */
export function announcedTexts(
  blocks: readonly Block[],
  footer: string,
): { text: string; style: FontStyle }[] {
  const out: { text: string; style: FontStyle }[] = [{ text: footer, style: "regular" }];
  for (const block of blocks) {
    if (block.kind === "pagebreak") continue;
    const text = plainText(block);
    const boldBlock = block.kind === "title" || block.kind === "section" || block.kind === "subsection";
    out.push({ text, style: "regular" });
    if (boldBlock || block.kind === "field" || block.text.includes("**")) out.push({ text, style: "bold" });
  }
  return out;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = { left: 56, right: 56, top: 56, bottom: 66 };
const WIDTH = A4[0] - MARGIN.left - MARGIN.right;
const INK = rgb(0.1, 0.1, 0.12);
const GREY = rgb(0.38, 0.38, 0.42);
const NAVY = rgb(0.09, 0.2, 0.4);
const RULE = rgb(0.75, 0.77, 0.8);

interface Style {
  size: number;
  bold: boolean;
  color: RGB;
  /** Left indent of the text. */
  indent: number;
  before: number;
  after: number;
  marker?: string;
  markerIndent?: number;
  box?: { fill: RGB; bar: RGB };
}

const STYLES: Record<Exclude<BlockKind, "pagebreak" | "field">, Style> = {
  title: { size: 17, bold: true, color: NAVY, indent: 0, before: 0, after: 6 },
  section: { size: 13, bold: true, color: NAVY, indent: 0, before: 16, after: 6 },
  subsection: { size: 10.5, bold: true, color: INK, indent: 0, before: 9, after: 3 },
  paragraph: { size: 10, bold: false, color: INK, indent: 0, before: 2, after: 4 },
  bullet: {
    size: 10,
    bold: false,
    color: INK,
    indent: 16,
    before: 1,
    after: 2,
    marker: "•",
    markerIndent: 5,
  },
  subbullet: {
    size: 9.5,
    bold: false,
    color: INK,
    indent: 32,
    before: 0,
    after: 2,
    marker: "–",
    markerIndent: 22,
  },
  quote: { size: 8.5, bold: false, color: GREY, indent: 16, before: 0, after: 3 },
  small: { size: 8.5, bold: false, color: GREY, indent: 0, before: 1, after: 2 },
  warning: {
    size: 10,
    bold: false,
    color: INK,
    indent: 12,
    before: 6,
    after: 4,
    box: { fill: rgb(1, 0.95, 0.86), bar: rgb(0.85, 0.47, 0.05) },
  },
  info: {
    size: 10,
    bold: false,
    color: INK,
    indent: 12,
    before: 6,
    after: 4,
    box: { fill: rgb(0.92, 0.95, 1), bar: rgb(0.2, 0.4, 0.75) },
  },
};
const FIELD = { label: 9, value: 10, labelWidth: 190, before: 1, after: 2 };
const BOX_PAD = 6;

const lineHeight = (size: number) => size * 1.32;

/** How a block goes on the page: what `add` needs before drawing it, and the drawing itself. */
interface Placement {
  /** Space above the block, except at the top of a page. */
  before: number;
  /** Height that must fit below `before` for the block to start on this page (headings keep with what follows). */
  keep: number;
  /** False for a block taller than a page: it starts where it is and breaks between lines. */
  ensureFirst: boolean;
  /** From the block's top to the bottom of its last line: it fits unbroken when that is above the margin. */
  span: number;
}

type Placed = Placement & { draw(): void };

/** A block drawn once, at y = 0, on no page: its operators and what drawing them takes. */
interface Recording extends Placement {
  ops: string;
  /** Which of the block's faces its operators draw with. */
  regular: boolean;
  bold: boolean;
  /** How far down the next block starts. */
  advance: number;
}

/**
 * Blocks already drawn, by kind, text and field value: most of the route sheet is the same wording in every
 * dossier, and a block that fits on its page is the same operators wherever it lands, translated. Only blocks
 * in the standard faces (whose resource names are fixed), and only from their second appearance: a block met
 * once (an establishment's name, its FINESS, its server) would only push out the ones that come back.
 * Bounded; keyed by detached copies of the texts, not slices of a whole document. Nested maps: a sheet looks
 * up ~170 blocks, and a key built from each would be a new string to copy and hash.
 */
const recordings = new Map<BlockKind, Map<string, Map<string, Recording>>>();
let recorded = 0;
const MAX_RECORDINGS = 1024;
/** Hashes of the blocks met once (a collision only records a block early). */
const metOnce = new Set<number>();
const MAX_MET_ONCE = 8192;

function recordingOf(block: Block): Recording | undefined {
  return recordings
    .get(block.kind)
    ?.get(block.text)
    ?.get(block.value ?? "");
}

function remember(block: Block, recording: Recording): void {
  if (recorded >= MAX_RECORDINGS) {
    recordings.clear();
    recorded = 0;
  }
  let byText = recordings.get(block.kind);
  if (!byText) {
    byText = new Map();
    recordings.set(block.kind, byText);
  }
  let byValue = byText.get(block.text);
  if (!byValue) {
    byValue = new Map();
    byText.set(detached(block.text), byValue);
  }
  byValue.set(detached(block.value ?? ""), recording);
  recorded += 1;
}

/** FNV-1a over the UTF-16 code units of `text`, from `h`. */
function hashOn(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return Math.imul(h, 0x01000193);
}

/** True the second time a block is met: worth recording. */
function metBefore(block: Block): boolean {
  const hash = hashOn(hashOn(hashOn(0x811c9dc5, block.kind), block.text), block.value ?? "") >>> 0;
  if (metOnce.delete(hash)) return true;
  if (metOnce.size >= MAX_MET_ONCE) metOnce.clear();
  metOnce.add(hash);
  return false;
}

export class PageWriter {
  readonly pages: PDFDict[] = [];
  private readonly contents: PageContent[] = [];
  private readonly fontKeys = new Map<PDFFont, string>();
  private page!: PageContent;
  private y = 0;
  /** While a block is recorded: no page breaks. */
  private recording = false;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: TextFonts,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.pages.push(appendPage(this.doc, A4));
    this.page = new PageContent(this.fontKeys);
    this.contents.push(this.page);
    this.y = A4[1] - MARGIN.top;
  }

  private get atTop(): boolean {
    return this.y === A4[1] - MARGIN.top;
  }

  /** Starts a new page unless `height` still fits on this one. */
  private ensure(height: number): void {
    if (!this.recording && !this.atTop && this.y - height < MARGIN.bottom) this.newPage();
  }

  private drawLine(
    line: Line,
    fonts: Fonts,
    x: number,
    baseline: number,
    size: number,
    color: RGB,
    page: PageContent = this.page,
  ): void {
    for (const segment of segmentsOf(line, fonts, size)) {
      const font = segment.bold ? fonts.bold : fonts.regular;
      page.text(segment.text, x + segment.dx, baseline, size, font, color, segment.encoded);
    }
  }

  private fontsFor(text: string): Fonts {
    return { regular: this.fonts.font(text, "regular"), bold: this.fonts.font(text, "bold") };
  }

  private standard: Fonts | undefined;
  /** The document's Helvetica faces. */
  private standardFonts(): Fonts {
    this.standard ??= this.fontsFor("");
    return this.standard;
  }

  add(block: Block): void {
    if (block.kind === "pagebreak") {
      if (!this.atTop) this.newPage();
      return;
    }
    const recorded = recordingOf(block);
    // A recorded block is in the standard faces (the font follows from the text): no need to look again.
    const fonts = recorded ? this.standardFonts() : this.fontsFor(plainText(block));
    const cacheable = recorded !== undefined || (standardText(fonts.regular) && standardText(fonts.bold));
    let fresh = recorded ? undefined : this.place(block, fonts);
    const placed: Placement = recorded ?? (fresh as Placed);
    if (placed.ensureFirst) this.ensure((this.atTop ? 0 : placed.before) + placed.keep);
    if (!this.atTop) this.y -= placed.before;
    if (this.y - placed.span < MARGIN.bottom) {
      // Broken across pages: drawn line by line.
      fresh ??= this.place(block, fonts);
      fresh.draw();
      return;
    }
    // Drawn the same way whether recorded now or before: the bytes never depend on earlier dossiers.
    const recording = recorded ?? this.record(fresh as Placed, fonts);
    if (cacheable && !recorded && metBefore(block)) remember(block, recording);
    this.page.raw(
      recording.ops,
      this.y,
      recording.regular ? fonts.regular : undefined,
      recording.bold ? fonts.bold : undefined,
    );
    this.y -= recording.advance;
  }

  /** Draws the block at y = 0 on a page of its own (the document's font names). */
  private record(placed: Placed, fonts: Fonts): Recording {
    const page = this.page;
    const y = this.y;
    const into = new PageContent(this.fontKeys);
    this.page = into;
    this.y = 0;
    this.recording = true;
    try {
      placed.draw();
    } finally {
      this.recording = false;
    }
    const recording: Recording = {
      before: placed.before,
      keep: placed.keep,
      ensureFirst: placed.ensureFirst,
      span: placed.span,
      ops: into.take(),
      regular: into.usedFontNames.includes(fonts.regular.name),
      bold: into.usedFontNames.includes(fonts.bold.name),
      advance: -this.y,
    };
    this.page = page;
    this.y = y;
    return recording;
  }

  /** The block measured; `draw` puts it at `this.y` on `this.page`, line by line, and moves `this.y` below it. */
  private place(block: Block, fonts: Fonts): Placed {
    if (block.kind === "field") return this.placeField(block, fonts);
    const style = STYLES[block.kind as keyof typeof STYLES];
    const text = style.bold ? `**${block.text.replaceAll("**", "")}**` : block.text;
    const inner = style.box ? BOX_PAD : 0;
    const width = WIDTH - style.indent - inner * 2;
    const lines = wrap(text, fonts, style.size, width);
    const lh = lineHeight(style.size);
    const height = lines.length * lh + inner * 2;
    const section = block.kind === "section";
    return {
      before: style.before,
      // Headings keep with what follows; boxes and short blocks are not split.
      keep: section || block.kind === "subsection" ? height + 48 : height,
      ensureFirst: height < A4[1] - MARGIN.top - MARGIN.bottom,
      span: (section ? 4 : 0) + inner + lines.length * lh,
      draw: () => {
        if (section) {
          this.page.line(MARGIN.left, this.y + 2, A4[0] - MARGIN.right, this.y + 2, 0.6, RULE);
          this.y -= 4;
        }
        if (style.box) {
          this.page.rectangle(MARGIN.left, this.y - height, WIDTH, height, style.box.fill);
          this.page.rectangle(MARGIN.left, this.y - height, 3, height, style.box.bar);
        }
        this.y -= inner;
        lines.forEach((line, i) => {
          this.ensure(lh);
          const baseline = this.y - style.size;
          if (i === 0 && style.marker) {
            this.page.text(
              style.marker,
              MARGIN.left + (style.markerIndent ?? 0),
              baseline,
              style.size,
              fonts.regular,
              style.color,
            );
          }
          this.drawLine(line, fonts, MARGIN.left + style.indent + inner, baseline, style.size, style.color);
          this.y -= lh;
        });
        this.y -= inner + style.after;
        if (block.kind === "title") {
          this.page.line(MARGIN.left, this.y + 2, A4[0] - MARGIN.right, this.y + 2, 1.2, NAVY);
          this.y -= 6;
        }
      },
    };
  }

  private placeField(block: Block, fonts: Fonts): Placed {
    const labelLines = wrap(`**${block.text}**`, fonts, FIELD.label, FIELD.labelWidth - 8);
    const valueLines = wrap(block.value ?? "", fonts, FIELD.value, WIDTH - FIELD.labelWidth);
    const lh = lineHeight(FIELD.value);
    const rows = Math.max(labelLines.length, valueLines.length);
    return {
      before: FIELD.before,
      keep: rows * lh,
      ensureFirst: true,
      span: rows * lh,
      draw: () => {
        for (let i = 0; i < rows; i++) {
          this.ensure(lh);
          const baseline = this.y - FIELD.value;
          const l = labelLines[i];
          const v = valueLines[i];
          if (l) this.drawLine(l, fonts, MARGIN.left, baseline, FIELD.label, GREY);
          if (v) this.drawLine(v, fonts, MARGIN.left + FIELD.labelWidth, baseline, FIELD.value, INK);
          this.y -= lh;
        }
        this.y -= FIELD.after;
      },
    };
  }

  /** Draws `footer(page, pages)` at the bottom of every page. */
  finish(footer: (page: number, pages: number) => string): void {
    const total = this.pages.length;
    this.contents.forEach((page, i) => {
      const text = footer(i + 1, total);
      const font = this.fonts.font(text, "regular");
      page.line(MARGIN.left, 46, A4[0] - MARGIN.right, 46, 0.5, RULE);
      // A long establishment name takes a second line rather than being cut.
      const fonts = { regular: font, bold: font };
      const lines = wrap(text, fonts, 8, WIDTH).slice(0, 2);
      lines.forEach((line, n) => {
        this.drawLine(line, fonts, MARGIN.left, 34 - n * 10, 8, GREY, page);
      });
    });
    this.contents.forEach((content, i) => {
      const page = this.pages[i];
      if (page) content.writeTo(this.doc, page);
    });
  }
}

/** Lays out all blocks and the footers; returns the number of pages. */
export function layoutBlocks(
  doc: PDFDocument,
  blocks: readonly Block[],
  fonts: TextFonts,
  footer: (page: number, pages: number) => string,
): number {
  const writer = new PageWriter(doc, fonts);
  for (const block of blocks) writer.add(block);
  writer.finish(footer);
  return writer.pages.length;
}
