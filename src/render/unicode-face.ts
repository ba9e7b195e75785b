import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type fontkit from "@pdf-lib/fontkit";
import { assetPath } from "../assets/root.js";
import { detached } from "../text/detached.js";
import type { PDFDocument } from "./pdf-lib.js";
import { TrueTypeFont } from "./truetype-subset.js";

/**
 * The shipped DejaVu Sans faces: their bytes, fontkit's parse of them (read lazily, once per process), their
 * tables for the subsets, and the face as pdf-lib's embedders take it. Apart from fonts.ts, which chooses
 * fonts and embeds them, so that unicode-font.ts (the subset writer) and fonts.ts both build on it.
 */

export type FontStyle = "regular" | "bold";
export const FONT_STYLES: readonly FontStyle[] = ["regular", "bold"];

const UNICODE_FILE: Record<FontStyle, string> = { regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf" };

const unicodeBytes = new Map<FontStyle, Uint8Array>();
const unicodeFonts = new Map<FontStyle, fontkit.Font>();

export function unicodeFontBytes(style: FontStyle): Uint8Array {
  let bytes = unicodeBytes.get(style);
  if (!bytes) {
    bytes = new Uint8Array(readFileSync(assetPath("templates", "fonts", UNICODE_FILE[style])));
    unicodeBytes.set(style, bytes);
  }
  return bytes;
}

function sameCodePoints(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((cp, i) => cp === b[i]);
}

/**
 * fontkit caches one glyph object per glyph id, with the characters of its first request: a component
 * glyph added by a subset (the « e » of « ễ ») has none, a space first asked as U+00A0 keeps U+00A0. A
 * later document would then map that glyph to the wrong text, or to none, in its ToUnicode map: the text
 * would not be searchable and the bytes would depend on what the process drew before. Each request for
 * other characters gets its own view of the glyph, with exactly those characters.
 */
function exactCodePoints(font: fontkit.Font): fontkit.Font {
  const cached = font.getGlyph.bind(font);
  font.getGlyph = (id: number, codePoints: number[] = []) => {
    const glyph = cached(id, codePoints);
    if (codePoints.length === 0 || sameCodePoints(glyph.codePoints, codePoints)) return glyph;
    const view = Object.assign(Object.create(Object.getPrototypeOf(glyph) as object), glyph) as fontkit.Glyph;
    const text = String.fromCodePoint(...codePoints);
    Object.assign(view, { codePoints, isLigature: codePoints.length > 1, isMark: /^\p{M}+$/u.test(text) });
    return view;
  };
  return font;
}

/**
 * @pdf-lib/fontkit (a 1.5 MB CommonJS bundle), loaded when a Unicode face is first needed, and with `require`:
 * imported, Node would first scan the whole bundle for its exports (measured ~0.2 s CPU per thread).
 */
let fontkitModule: typeof fontkit | undefined;
function loadFontkit(): typeof fontkit {
  fontkitModule ??= createRequire(import.meta.url)("@pdf-lib/fontkit") as typeof fontkit;
  return fontkitModule;
}

/** The parsed DejaVu Sans face, shared by every document of the process (fontkit reads it lazily). */
export function unicodeFontkitFont(style: FontStyle): fontkit.Font {
  let font = unicodeFonts.get(style);
  if (!font) {
    font = exactCodePoints(loadFontkit().create(unicodeFontBytes(style)));
    unicodeFonts.set(style, font);
  }
  return font;
}

type Fontkit = Parameters<PDFDocument["registerFontkit"]>[0];
/** A face as pdf-lib's embedders take it. */
export type PdfLibFont = Exclude<Awaited<ReturnType<Fontkit["create"]>>, null | { fonts: unknown }>;

const unicodePrograms = new Map<FontStyle, TrueTypeFont>();

/** The shipped DejaVu Sans file's tables, read once per process: the subsets are written from them. */
export function unicodeFontProgram(style: FontStyle): TrueTypeFont {
  let program = unicodePrograms.get(style);
  if (!program) {
    program = new TrueTypeFont(unicodeFontBytes(style));
    unicodePrograms.set(style, program);
  }
  return program;
}

/**
 * A subset of a shipped font, as pdf-lib drives it: `includeGlyph` gives each glyph its id in the subset
 * (glyph 0 first, then in order of inclusion, as fontkit's `Subset`), `encode` writes the font program at
 * once (synchronously: @cantoo/pdf-lib prefers `encode()` to fontkit's timer-driven `encodeStream()`).
 */
export class GlyphSubset {
  private readonly glyphs: number[] = [0];
  private readonly ids = new Map<number, number>([[0, 0]]);

  constructor(private readonly program: TrueTypeFont) {}

  includeGlyph(glyph: number | { id: number }): number {
    const gid = typeof glyph === "number" ? glyph : glyph.id;
    let id = this.ids.get(gid);
    if (id === undefined) {
      id = this.glyphs.length;
      this.glyphs.push(gid);
      this.ids.set(gid, id);
    }
    return id;
  }

  /** The font's glyph ids, by subset id (composite glyphs' components not yet added). */
  glyphIds(): readonly number[] {
    return this.glyphs;
  }

  encode(): Uint8Array {
    return this.program.subset([...this.glyphs]);
  }
}

/**
 * The face as pdf-lib uses it: shaping cached per text, and for the shipped files (`program`) subsets written
 * by `GlyphSubset`. Another font keeps fontkit's subset, handed over with `encodeStream` only: @cantoo/pdf-lib
 * calls `subset.encode()` without arguments when the method exists, and @pdf-lib/fontkit's needs a stream.
 */
function forPdfLib(font: fontkit.Font, program?: TrueTypeFont, layout = cachedLayout(font)): PdfLibFont {
  return new Proxy(font, {
    get(target, prop) {
      if (prop === "layout") return layout;
      if (prop === "createSubset") {
        if (program) return () => new GlyphSubset(program);
        return () => {
          const subset = target.createSubset();
          return {
            includeGlyph: (glyph: number | fontkit.Glyph) => subset.includeGlyph(glyph),
            encodeStream: () => subset.encodeStream(),
          };
        };
      }
      return Reflect.get(target, prop, target);
    },
  }) as unknown as PdfLibFont;
}

/**
 * The GPOS features (and the legacy kern table) turned off when no feature is asked: they only move glyphs,
 * never change them, and no reader of these runs looks at positions (pdf-lib encodes the glyph ids and sums
 * the glyphs' own advance widths). Shaping a new text costs about 40% less.
 */
const GLYPHS_ONLY = { kern: false, mark: false, mkmk: false, curs: false, dist: false } as const;

/**
 * fontkit's `layout` (shaping: substitutions; positions without kerning, see GLYPHS_ONLY), remembered per
 * text and features: pdf-lib shapes every text it measures or draws, and the same texts come back. The run
 * only reads the font, so the same text gives the same run. Bounded, and keyed by `detached` copies: a text
 * is often a slice of its whole document.
 */
function cachedLayout(font: fontkit.Font): fontkit.Font["layout"] {
  const runs = new Map<string, fontkit.GlyphRun>();
  return (text: string, features?: Parameters<fontkit.Font["layout"]>[1]) => {
    const key = `${features === undefined ? "" : JSON.stringify(features)}\u0000${text}`;
    let run = runs.get(key);
    if (!run) {
      run = font.layout(text, features ?? { ...GLYPHS_ONLY });
      if (runs.size >= 2048) runs.clear();
      runs.set(detached(key), run);
    }
    return run;
  };
}

const pdfLibFonts = new Map<FontStyle, PdfLibFont>();
const unicodeLayouts = new Map<FontStyle, fontkit.Font["layout"]>();

/** Shaping with the shipped DejaVu Sans (its glyph runs cached per text), shared by every document. */
export function unicodeLayout(style: FontStyle): fontkit.Font["layout"] {
  let layout = unicodeLayouts.get(style);
  if (!layout) {
    layout = cachedLayout(unicodeFontkitFont(style));
    unicodeLayouts.set(style, layout);
  }
  return layout;
}

/** The shipped DejaVu Sans as pdf-lib uses it (shaping cached, subsets by `GlyphSubset`), once per process. */
export function pdfLibUnicodeFont(style: FontStyle): PdfLibFont {
  let font = pdfLibFonts.get(style);
  if (!font) {
    font = forPdfLib(unicodeFontkitFont(style), unicodeFontProgram(style), unicodeLayout(style));
    pdfLibFonts.set(style, font);
  }
  return font;
}

/** A fontkit for pdf-lib that parses the shipped DejaVu Sans files once per process. */
export const cachingFontkit: Fontkit = {
  create(buffer: Uint8Array, postscriptName?: string) {
    for (const style of FONT_STYLES) {
      if (buffer === unicodeBytes.get(style)) return pdfLibUnicodeFont(style);
    }
    return forPdfLib(loadFontkit().create(buffer, postscriptName));
  },
};
