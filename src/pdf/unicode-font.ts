import { PDFDict, PDFName, PDFNumber, PDFRawStream, type PDFRef, PDFString } from "@cantoo/pdf-lib";
import type fontkit from "@pdf-lib/fontkit";
import {
  type FontStyle,
  GlyphSubset,
  unicodeFontkitFont,
  unicodeFontProgram,
  unicodeLayout,
} from "./fonts.js";
import type { PdfUpdate } from "./pdf-update.js";

/**
 * The DejaVu Sans subset of one fill (one style): texts encoded as the subset's glyph ids, then the font
 * written into the update. The same objects and bytes as @cantoo/pdf-lib's CustomFontSubsetEmbedder (a
 * Type0 font, its CIDFontType2, descriptor, FontFile2 and ToUnicode map, numbered in that embedder's order),
 * with what costs most kept per process: the compressed font program per exact glyph list and the
 * compressed ToUnicode map per exact content (both bounded), and the face's constant metrics.
 */

/** Bounded memo: the oldest entry goes when full; a hit makes an entry the newest. */
class Memo<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string, make: () => V): V {
    let value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
    } else {
      value = make();
      if (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    this.entries.set(key, value);
    return value;
  }
}

/** Compressed font programs by style and glyph list; compressed ToUnicode maps by their text. */
const fontFiles = new Memo<Uint8Array>(128);
const toUnicodeMaps = new Memo<Uint8Array>(128);

interface FaceConstants {
  scale: number;
  flags: number;
  bbox: [number, number, number, number];
  italicAngle: number;
  ascent: number;
  descent: number;
  capHeight: number;
  xHeight: number;
}

const faces = new Map<FontStyle, FaceConstants>();

/** The descriptor's values, computed as pdf-lib's embedder does (its `deriveFontFlags` included). */
function faceConstants(style: FontStyle): FaceConstants {
  let face = faces.get(style);
  if (!face) {
    const font = unicodeFontkitFont(style);
    const scale = 1000 / font.unitsPerEm;
    const familyClass = font["OS/2"] ? font["OS/2"].sFamilyClass : 0;
    let flags = 1 << 2; // symbolic
    if (font.post?.isFixedPitch) flags |= 1 << 0;
    if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1; // serif
    if (familyClass === 10) flags |= 1 << 3; // script
    if (font.head?.macStyle?.italic) flags |= 1 << 6;
    const { minX, minY, maxX, maxY } = font.bbox;
    face = {
      scale,
      flags,
      bbox: [minX * scale, minY * scale, maxX * scale, maxY * scale],
      italicAngle: font.italicAngle,
      ascent: font.ascent * scale,
      descent: font.descent * scale,
      capHeight: (font.capHeight || font.ascent) * scale,
      xHeight: (font.xHeight || 0) * scale,
    };
    faces.set(style, face);
  }
  return face;
}

/** A glyph id or UTF-16 code unit as four upper-case hex digits. */
function hex4(n: number): string {
  return n.toString(16).padStart(4, "0").toUpperCase();
}

function codePointHex(cp: number): string {
  if (cp <= 0xffff) return hex4(cp);
  const offset = cp - 0x10000;
  return hex4(0xd800 + (offset >> 10)) + hex4(0xdc00 + (offset & 0x3ff));
}

function toUnicodeText(entries: readonly string[]): string {
  return `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo <<
  /Registry (Adobe)
  /Ordering (UCS)
  /Supplement 0
>> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000><ffff>
endcodespacerange
${entries.length} beginbfchar
${entries.join("\n")}
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end`;
}

export class UnicodeFontSubset {
  private readonly subset: GlyphSubset;
  private readonly layout: fontkit.Font["layout"];
  /** The glyph of each subset id (from 1), as last drawn: its characters go into the ToUnicode map. */
  private readonly glyphs: fontkit.Glyph[] = [];

  constructor(
    private readonly style: FontStyle,
    private readonly baseFont: string,
  ) {
    this.subset = new GlyphSubset(unicodeFontProgram(style));
    this.layout = unicodeLayout(style);
  }

  /** The text as a PDF string operand (`<…>`) of subset glyph ids. */
  encode(text: string): string {
    const { glyphs } = this.layout(text);
    let hex = "<";
    for (const glyph of glyphs) {
      const id = this.subset.includeGlyph(glyph);
      this.glyphs[id - 1] = glyph;
      hex += hex4(id);
    }
    return `${hex}>`;
  }

  /** Writes the font into the update, its Type0 dictionary as `ref`. */
  embed(update: PdfUpdate, ref: PDFRef): void {
    const context = update.context;
    const face = faceConstants(this.style);
    const glyphIds = this.subset.glyphIds();
    const fontFile = fontFiles.get(`${this.style} ${glyphIds.join(",")}`, () =>
      context.flateStream(this.subset.encode()).getContents(),
    );
    const fontFileRef = update.register(PDFRawStream.of(context.obj({ Filter: "FlateDecode" }), fontFile));
    const descriptorRef = update.register(
      context.obj({
        Type: "FontDescriptor",
        FontName: this.baseFont,
        Flags: face.flags,
        FontBBox: face.bbox,
        ItalicAngle: face.italicAngle,
        Ascent: face.ascent,
        Descent: face.descent,
        CapHeight: face.capHeight,
        XHeight: face.xHeight,
        StemV: 0,
        FontFile2: fontFileRef,
      }),
    );
    const cidFontRef = update.register(
      context.obj({
        Type: "Font",
        Subtype: "CIDFontType2",
        CIDToGIDMap: "Identity",
        BaseFont: this.baseFont,
        CIDSystemInfo: {
          Registry: PDFString.of("Adobe"),
          Ordering: PDFString.of("Identity"),
          Supplement: 0,
        },
        FontDescriptor: descriptorRef,
        W: this.widths(face.scale),
      }),
    );
    const entries = this.glyphs.map((glyph, i) => {
      return `<${hex4(i + 1)}> <${glyph.codePoints.map(codePointHex).join("")}>`;
    });
    const text = toUnicodeText(entries);
    const map = toUnicodeMaps.get(text, () => context.flateStream(text).getContents());
    const mapRef = update.register(PDFRawStream.of(context.obj({ Filter: "FlateDecode" }), map));
    const dict = PDFDict.withContext(context);
    dict.set(PDFName.of("Type"), PDFName.of("Font"));
    dict.set(PDFName.of("Subtype"), PDFName.of("Type0"));
    dict.set(PDFName.of("BaseFont"), PDFName.of(this.baseFont));
    dict.set(PDFName.of("Encoding"), PDFName.of("Identity-H"));
    dict.set(PDFName.of("DescendantFonts"), context.obj([cidFontRef]));
    dict.set(PDFName.of("ToUnicode"), mapRef);
    update.replace(ref, dict);
  }

  /** The /W array: subset ids from 1, then their widths in glyph space (1/1000 em). */
  private widths(scale: number): (number | PDFNumber[])[] {
    const widths = this.glyphs.map((glyph) => PDFNumber.of(glyph.advanceWidth * scale));
    return widths.length > 0 ? [1, widths] : [widths];
  }
}
