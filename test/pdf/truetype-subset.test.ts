import fontkit from "@pdf-lib/fontkit";
import { describe, expect, it } from "vitest";
import { GlyphSubset, unicodeFontBytes, unicodeFontProgram } from "../../src/render/unicode-face.js";

/** fontkit's own subset of the same glyphs, through its stream (the reference the subsets must equal). */
function fontkitSubset(font: fontkit.Font, glyphIds: readonly number[]): Promise<Buffer> {
  const subset = font.createSubset();
  for (const id of glyphIds) subset.includeGlyph(id);
  return new Promise((resolve) => {
    const parts: Uint8Array[] = [];
    subset
      .encodeStream()
      .on("data", (b: Uint8Array) => parts.push(b))
      .on("end", () => resolve(Buffer.concat(parts)));
  });
}

const TEXTS = [
  "Nguyễn",
  "Élodie Nguyễn – Văn Đức ẩ ố ờ ự",
  "Ελένη Łukasz Dvořák ffi",
  // Composite glyphs (Ǻ, ǅ…): their components join the subset after the glyphs asked for.
  "ǺǻǅǄ ḉ ŵŷ",
  "中文 ok",
  "",
];

describe("sous-ensembles TrueType écrits d'un coup", () => {
  for (const style of ["regular", "bold"] as const) {
    it(`mêmes octets que fontkit pour DejaVu Sans ${style}`, async () => {
      const font = fontkit.create(unicodeFontBytes(style));
      const program = unicodeFontProgram(style);
      for (const text of TEXTS) {
        const subset = new GlyphSubset(program);
        for (const glyph of font.layout(text).glyphs) subset.includeGlyph(glyph);
        const reference = await fontkitSubset(font, subset.glyphIds().slice(1));
        expect(Buffer.from(subset.encode()).equals(reference), text).toBe(true);
      }
    });
  }

  it("ajoute les composants des glyphes composés et renumérote leurs références", () => {
    const font = fontkit.create(unicodeFontBytes("regular"));
    const program = unicodeFontProgram("regular");
    const subset = new GlyphSubset(program);
    const ring = font.glyphForCodePoint("Ǻ".codePointAt(0) ?? 0);
    expect(subset.includeGlyph(ring)).toBe(1);
    const bytes = subset.encode();
    const parsed = fontkit.create(Buffer.from(bytes));
    // maxp counts glyph 0, « Ǻ » and its components (« A », the ring, the acute accent).
    expect(parsed.numGlyphs).toBeGreaterThan(2);
    const glyph = parsed.getGlyph(1) as unknown as { _decode(): { components?: { glyphID: number }[] } };
    const components = glyph._decode().components ?? [];
    expect(components.length).toBeGreaterThan(1);
    for (const c of components) expect(c.glyphID).toBeLessThan(parsed.numGlyphs);
    // The subset's outline of « Ǻ » is the original's.
    expect(parsed.getGlyph(1).path.toSVG()).toBe(ring.path.toSVG());
  });

  it("les ids du sous-ensemble : glyphe 0 d'abord, puis dans l'ordre d'inclusion, chacun une fois", () => {
    const subset = new GlyphSubset(unicodeFontProgram("regular"));
    expect(subset.includeGlyph(42)).toBe(1);
    expect(subset.includeGlyph({ id: 7 })).toBe(2);
    expect(subset.includeGlyph(42)).toBe(1);
    expect(subset.includeGlyph(0)).toBe(0);
    expect(subset.glyphIds()).toEqual([0, 42, 7]);
  });
});
