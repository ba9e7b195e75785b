import { type Block, type BlockKind, plainText } from "../dossier/markup.js";
import type { Finding } from "../plan/types.js";
import {
  type FontFamily,
  type FontStyle,
  type LaidOutPage,
  needsUnicodeFont,
  type PageMark,
  type Rgb,
} from "../render/index.js";
import { detached } from "../text/detached.js";
import { familyFor, glyphFindings } from "./text.js";
import { type Fonts, type Line, segmentsOf, wrap } from "./words.js";

/**
 * Lays out the blocks of a text document (the route sheet) on A4 pages: fonts, wrapping, page breaks, boxes,
 * footers, as plain marks that the fence writes (src/render: writeTextDocument). No wording here.
 */

/** A text document as plain data: its blocks, its footer. */
export interface TextDocument {
  /** The document's blocks (src/dossier/markup.ts: parseMarkup), in order. */
  blocks: readonly Block[];
  /** The footer of page `page` of `pages`; `footer(0, 0)` stands for the widest. */
  footer(page: number, pages: number): string;
  /** Also the markup's whole text: when WinAnsi covers it (the usual case), no block is looked at for findings. */
  markup: string;
  /** French, for the findings about characters no font draws, e.g. « la feuille de route ». */
  where: string;
}

/** Every text the layout may draw, with its style: the texts the findings about characters are about. */
function drawnTexts(blocks: readonly Block[], footer: string): { text: string; style: FontStyle }[] {
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

/** One finding per character no shipped font draws (each message once). */
function characterFindings(input: TextDocument): Finding[] {
  const widestFooter = input.footer(0, 0);
  if (!needsUnicodeFont(input.markup) && !needsUnicodeFont(widestFooter)) return [];
  const findings = new Map<string, Finding>();
  for (const { text, style } of drawnTexts(input.blocks, widestFooter)) {
    for (const f of glyphFindings(text, input.where, style)) findings.set(f.message, f);
  }
  return [...findings.values()];
}

const rgb = (red: number, green: number, blue: number): Rgb => ({ red, green, blue });

const A4: [number, number] = [595.28, 841.89];
const MARGIN = { left: 56, right: 56, top: 56, bottom: 66 };
const WIDTH = A4[0] - MARGIN.left - MARGIN.right;
const INK = rgb(0.1, 0.1, 0.12);
const GREY = rgb(0.38, 0.38, 0.42);
const NAVY = rgb(0.09, 0.2, 0.4);
const RULE = rgb(0.75, 0.77, 0.8);

/** Each family's two faces, made once: words of one face are told apart by identity (words.ts). */
const FONTS: Record<FontFamily, Fonts> = {
  standard: {
    regular: { family: "standard", style: "regular" },
    bold: { family: "standard", style: "bold" },
  },
  unicode: { regular: { family: "unicode", style: "regular" }, bold: { family: "unicode", style: "bold" } },
};

interface Style {
  size: number;
  bold: boolean;
  color: Rgb;
  /** Left indent of the text. */
  indent: number;
  before: number;
  after: number;
  marker?: string;
  markerIndent?: number;
  box?: { fill: Rgb; bar: Rgb };
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

/** How a block goes on the page: what `add` needs before drawing it. */
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

/** A block measured: `draw` puts it at `y` on the current page, line by line, and moves `y` below it. */
type Placed = Placement & { draw(): void };

/** A block drawn from y = 0, as the group of marks moved to wherever it lands. */
interface Group extends Placement {
  marks: readonly PageMark[];
  /** How far down the next block starts. */
  advance: number;
}

/** FNV-1a over the UTF-16 code units of `text`, from `h`. */
function hashOn(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return Math.imul(h, 0x01000193);
}

/**
 * Blocks already laid out, by kind, text and field value, replayed by the next documents: most of the route
 * sheet is the same wording in every dossier, and a block that fits on its page is the same group of marks
 * wherever it lands (the fence then writes a group it has written before without looking at it again). Only
 * blocks in Helvetica, and only from their second appearance: a block met once (an establishment's name, its
 * FINESS, its server) would only push out the ones that come back. The layout never depends on it: the same
 * blocks give the same pages with or without. Bounded; its keys and the marks it keeps are detached copies of
 * the texts, not slices of a whole document. Nested maps: a sheet looks up ~170 blocks, and a key built from
 * each would be a new string to copy and hash. Held by its caller (src/dossier/deps.ts: one per process or batch worker), not by this
 * module.
 */
export class BlockMemo {
  private readonly groups = new Map<BlockKind, Map<string, Map<string, Group>>>();
  private count = 0;
  /** Hashes of the blocks met once (a collision only remembers a block early). */
  private readonly metOnce = new Set<number>();

  constructor(
    private readonly capacity = 1024,
    private readonly metCapacity = 8192,
  ) {}

  get(block: Block): Group | undefined {
    return this.groups
      .get(block.kind)
      ?.get(block.text)
      ?.get(block.value ?? "");
  }

  /** Offers a block just laid out: remembered the second time it is met. */
  offer(block: Block, group: Group): void {
    const hash = hashOn(hashOn(hashOn(0x811c9dc5, block.kind), block.text), block.value ?? "") >>> 0;
    if (!this.metOnce.delete(hash)) {
      if (this.metOnce.size >= this.metCapacity) this.metOnce.clear();
      this.metOnce.add(hash);
      return;
    }
    if (this.count >= this.capacity) {
      this.groups.clear();
      this.count = 0;
    }
    let byText = this.groups.get(block.kind);
    if (!byText) {
      byText = new Map();
      this.groups.set(block.kind, byText);
    }
    let byValue = byText.get(block.text);
    if (!byValue) {
      byValue = new Map();
      byText.set(detached(block.text), byValue);
    }
    byValue.set(detached(block.value ?? ""), { ...group, marks: detachedMarks(group.marks) });
    this.count += 1;
  }
}

/**
 * The marks with their texts copied off the markup they were cut from: a remembered group would otherwise keep
 * its whole route sheet alive (measured: 450 markups of ~45 KB held by a worker after 600 dossiers).
 */
function detachedMarks(marks: readonly PageMark[]): PageMark[] {
  return marks.map((mark) =>
    mark.kind === "text"
      ? { ...mark, text: detached(mark.text) }
      : mark.kind === "group"
        ? { ...mark, marks: detachedMarks(mark.marks) }
        : mark,
  );
}

class PageLayout {
  readonly pages: LaidOutPage[] = [];
  /** Each page's marks, being added to. */
  private readonly pageMarks: PageMark[][] = [];
  private marks: PageMark[] = [];
  private y = 0;
  /** While a block is drawn as a group: no page breaks. */
  private grouping = false;

  constructor(private readonly memo: BlockMemo | undefined) {
    this.newPage();
  }

  private newPage(): void {
    this.marks = [];
    this.pageMarks.push(this.marks);
    this.pages.push({ width: A4[0], height: A4[1], marks: this.marks });
    this.y = A4[1] - MARGIN.top;
  }

  private get atTop(): boolean {
    return this.y === A4[1] - MARGIN.top;
  }

  /** Starts a new page unless `height` still fits on this one. */
  private ensure(height: number): void {
    if (!this.grouping && !this.atTop && this.y - height < MARGIN.bottom) this.newPage();
  }

  private text(text: string, x: number, y: number, size: number, font: Fonts["regular"], color: Rgb): void {
    this.marks.push({ kind: "text", text, x, y, size, font, color });
  }

  private line(x1: number, y1: number, x2: number, y2: number, thickness: number, color: Rgb): void {
    this.marks.push({ kind: "line", x1, y1, x2, y2, thickness, color });
  }

  private box(x: number, y: number, width: number, height: number, color: Rgb): void {
    this.marks.push({ kind: "box", x, y, width, height, color });
  }

  private drawLine(line: Line, fonts: Fonts, x: number, baseline: number, size: number, color: Rgb): void {
    for (const segment of segmentsOf(line, fonts, size)) {
      this.text(
        segment.text,
        x + segment.dx,
        baseline,
        size,
        segment.bold ? fonts.bold : fonts.regular,
        color,
      );
    }
  }

  add(block: Block): void {
    if (block.kind === "pagebreak") {
      if (!this.atTop) this.newPage();
      return;
    }
    const remembered = this.memo?.get(block);
    // A remembered block is in Helvetica (the font follows from the text): no need to look again.
    const family = remembered ? "standard" : familyFor(plainText(block));
    let fresh = remembered ? undefined : this.place(block, FONTS[family]);
    const placed: Placement = remembered ?? (fresh as Placed);
    if (placed.ensureFirst) this.ensure((this.atTop ? 0 : placed.before) + placed.keep);
    if (!this.atTop) this.y -= placed.before;
    if (this.y - placed.span < MARGIN.bottom) {
      // Broken across pages: drawn line by line.
      fresh ??= this.place(block, FONTS[family]);
      fresh.draw();
      return;
    }
    // Whole on this page: drawn from y = 0 as a group, moved to its place.
    const group = remembered ?? this.group(fresh as Placed);
    if (!remembered && family === "standard") this.memo?.offer(block, group);
    this.marks.push({ kind: "group", dy: this.y, marks: group.marks });
    this.y -= group.advance;
  }

  /** Draws the block from y = 0 into marks of its own. */
  private group(placed: Placed): Group {
    const marks = this.marks;
    const y = this.y;
    const group: PageMark[] = [];
    this.marks = group;
    this.y = 0;
    this.grouping = true;
    try {
      placed.draw();
    } finally {
      this.grouping = false;
    }
    const advance = -this.y;
    this.marks = marks;
    this.y = y;
    const { before, keep, ensureFirst, span } = placed;
    return { before, keep, ensureFirst, span, marks: group, advance };
  }

  /** The block measured, ready to draw. */
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
          this.line(MARGIN.left, this.y + 2, A4[0] - MARGIN.right, this.y + 2, 0.6, RULE);
          this.y -= 4;
        }
        if (style.box) {
          this.box(MARGIN.left, this.y - height, WIDTH, height, style.box.fill);
          this.box(MARGIN.left, this.y - height, 3, height, style.box.bar);
        }
        this.y -= inner;
        lines.forEach((line, i) => {
          this.ensure(lh);
          const baseline = this.y - style.size;
          if (i === 0 && style.marker) {
            const x = MARGIN.left + (style.markerIndent ?? 0);
            this.text(style.marker, x, baseline, style.size, fonts.regular, style.color);
          }
          this.drawLine(line, fonts, MARGIN.left + style.indent + inner, baseline, style.size, style.color);
          this.y -= lh;
        });
        this.y -= inner + style.after;
        if (block.kind === "title") {
          this.line(MARGIN.left, this.y + 2, A4[0] - MARGIN.right, this.y + 2, 1.2, NAVY);
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
    const total = this.pageMarks.length;
    this.pageMarks.forEach((marks, i) => {
      const text = footer(i + 1, total);
      const font = FONTS[familyFor(text)].regular;
      this.marks = marks;
      this.line(MARGIN.left, 46, A4[0] - MARGIN.right, 46, 0.5, RULE);
      // A long establishment name takes a second line rather than being cut.
      const fonts = { regular: font, bold: font };
      const lines = wrap(text, fonts, 8, WIDTH).slice(0, 2);
      lines.forEach((line, n) => {
        this.drawLine(line, fonts, MARGIN.left, 34 - n * 10, 8, GREY);
      });
    });
  }
}

/**
 * The document's pages, laid out, and the findings about characters no font draws. With a `memo`, blocks met
 * in earlier documents are replayed: the same pages, sooner.
 */
export function layoutTextDocument(
  input: TextDocument,
  memo?: BlockMemo,
): { pages: LaidOutPage[]; findings: Finding[] } {
  const layout = new PageLayout(memo);
  for (const block of input.blocks) layout.add(block);
  layout.finish(input.footer);
  return { pages: layout.pages, findings: characterFindings(input) };
}
