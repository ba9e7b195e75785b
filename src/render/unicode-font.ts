import type fontkit from "@pdf-lib/fontkit";
import {
  CustomFontEmbedder,
  type PDFContext,
  PDFDict,
  type PDFDocument,
  PDFFont,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  type PDFRef,
  PDFString,
} from "./pdf-lib.js";
import {
  type FontStyle,
  GlyphSubset,
  pdfLibUnicodeFont,
  unicodeFontBytes,
  unicodeFontkitFont,
  unicodeFontProgram,
  unicodeLayout,
} from "./unicode-face.js";

/**
 * The DejaVu Sans subset of one document (one style): texts encoded as the subset's glyph ids, then the font
 * written, into a fill's incremental update (the forms) or a pdf-lib document (the route sheet, through
 * `embedUnicodeFont`). The same objects and bytes as @cantoo/pdf-lib's CustomFontSubsetEmbedder (a Type0
 * font, its CIDFontType2, descriptor, FontFile2 and ToUnicode map, numbered in that embedder's order), with
 * what costs most kept per process: the compressed font program per exact glyph list and the compressed
 * ToUnicode map per exact content (both bounded), and the face's constant metrics.
 */

/** Where the font's objects go: a fill's `PdfUpdate`, or a pdf-lib document's context. */
export interface FontObjects {
  readonly context: PDFContext;
  /** A new object. */
  register(object: PDFObject): PDFRef;
  /** The object of a number reserved earlier. */
  replace(ref: PDFRef, object: PDFObject): void;
}

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
    return `<${this.hex(text)}>`;
  }

  /** The text's subset glyph ids, four hex digits each (the operand without its brackets). */
  hex(text: string): string {
    const { glyphs } = this.layout(text);
    let hex = "";
    for (const glyph of glyphs) {
      const id = this.subset.includeGlyph(glyph);
      this.glyphs[id - 1] = glyph;
      hex += hex4(id);
    }
    return hex;
  }

  /** Writes the font, its Type0 dictionary as `ref` (reserved beforehand). */
  embed(update: FontObjects, ref: PDFRef): void {
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

/**
 * The subset behind a pdf-lib `PDFFont`: measured and encoded as pdf-lib's CustomFontSubsetEmbedder does (the
 * same shaping, glyph ids and widths), written by `UnicodeFontSubset` when the document is saved.
 */
class UnicodeFontEmbedder extends CustomFontEmbedder {
  private readonly subset: UnicodeFontSubset;
  private readonly layout: fontkit.Font["layout"];

  constructor(style: FontStyle, baseFont: string) {
    super(pdfLibUnicodeFont(style), unicodeFontBytes(style), baseFont);
    this.subset = new UnicodeFontSubset(style, baseFont);
    this.layout = unicodeLayout(style);
  }

  override encodeText(text: string): PDFHexString {
    return PDFHexString.of(this.subset.hex(text));
  }

  override glyphCountOfText(text: string): number {
    return this.layout(text).glyphs.length;
  }

  override widthOfTextAtSize(text: string, size: number): number {
    // pdf-lib's sum, in its order: the same floating-point result.
    const { glyphs } = this.layout(text);
    let total = 0;
    for (const glyph of glyphs) total += glyph.advanceWidth * this.scale;
    return total * (size / 1000);
  }

  override embedIntoContext(context: PDFContext, ref?: PDFRef): Promise<PDFRef> {
    const target = ref ?? context.nextRef();
    const objects: FontObjects = {
      context,
      register: (object) => context.register(object),
      replace: (at, object) => context.assign(at, object),
    };
    this.subset.embed(objects, target);
    return Promise.resolve(target);
  }
}

/** pdf-lib's list of a document's fonts, written when it is saved (private there). */
function documentFonts(doc: PDFDocument): PDFFont[] {
  const fonts = (doc as unknown as { fonts?: unknown }).fonts;
  if (!Array.isArray(fonts)) throw new Error("pdf-lib : liste des polices du document introuvable");
  return fonts as PDFFont[];
}

/**
 * A DejaVu Sans subset in a pdf-lib document, named `baseFont` (« ABCDEF+DejaVuSans »): what
 * `doc.embedFont(bytes, { subset: true, customName: baseFont })` does (its number reserved now, its objects
 * written by `doc.save`), with the forms' subset writer instead of pdf-lib's embedder.
 */
export function embedUnicodeFont(doc: PDFDocument, style: FontStyle, baseFont: string): PDFFont {
  const font = PDFFont.of(doc.context.nextRef(), doc, new UnicodeFontEmbedder(style, baseFont));
  documentFonts(doc).push(font);
  return font;
}
