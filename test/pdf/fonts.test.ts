import { Encodings } from "@cantoo/pdf-lib/standard-fonts";
import { describe, expect, it } from "vitest";
import { cleanText, familyFor, glyphFindings } from "../../src/layout/text.js";
import {
  embedFonts,
  type FontStyle,
  fontMetrics,
  missingGlyphs,
  needsUnicodeFont,
  subsetTag,
} from "../../src/render/fonts.js";
import { PDFDocument, StandardFonts } from "../../src/render/pdf-lib.js";
import {
  cachingFontkit,
  unicodeFontBytes,
  unicodeFontkitFont,
  unicodeLayout,
} from "../../src/render/unicode-face.js";
import { fontNames, hasPoppler, hasQpdf, pdfText, tempDir, uncompressed, write } from "./tools.js";

describe("choix de la police", () => {
  it("Helvetica (WinAnsi) suffit pour tout le français courant", () => {
    for (const text of ["é è ê à ç œ Œ « » – ’ € æ ï ô ù", "Œuvray", "García", "Lefèvre Élodie", "N°413"]) {
      expect(needsUnicodeFont(text), text).toBe(false);
    }
  });

  it("l'espace fine insécable et les noms hors WinAnsi demandent la police embarquée", () => {
    for (const text of ["Diapason\u202f!", "Nguyễn", "Łukasz", "Dvořák", "Ελένη"]) {
      expect(needsUnicodeFont(text), text).toBe(true);
    }
  });

  it("décide pour chaque unité UTF-16 comme l'encodage WinAnsi de pdf-lib (sauts de ligne et tabulations admis)", () => {
    const breaks = new Set([0x09, 0x0a, 0x0d]);
    const wrong: string[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const expected = !breaks.has(unit) && !Encodings.WinAnsi.canEncodeUnicodeCodePoint(unit);
      if (needsUnicodeFont(`a${String.fromCharCode(unit)}b`) !== expected) wrong.push(unit.toString(16));
    }
    expect(wrong).toEqual([]);
    expect(needsUnicodeFont("Émoji \u{1F600} au milieu")).toBe(true);
    expect(needsUnicodeFont("")).toBe(false);
  });

  it("DejaVu Sans dessine tous les caractères WinAnsi, dans les deux graisses", () => {
    for (const style of ["regular", "bold"] as const) {
      const font = unicodeFontkitFont(style);
      const missing = Encodings.WinAnsi.supportedCodePoints.filter(
        (cp) => cp > 0x20 && cp !== 0xa0 && cp !== 0xad && !font.hasGlyphForCodePoint(cp),
      );
      expect(missing, style).toEqual([]);
    }
  });

  it("signale chaque caractère qu'aucune police ne dessine, jamais en silence", () => {
    expect(missingGlyphs("Société 中文 Nguyễn")).toEqual(["中", "文"]);
    expect(glyphFindings("Nguyễn Łukasz", "le champ « Nom »")).toEqual([]);
    const [finding] = glyphFindings("Société 中", "le champ « Société »");
    expect(finding).toMatchObject({ code: "PDF_GLYPH_MISSING", severity: "warning" });
    expect(finding?.message).toContain("« 中 » (U+4E2D)");
    expect(finding?.message).toContain("le champ « Société »");
  });

  it("une glyphe garde les caractères de chaque demande, quel que soit l'ordre des documents", () => {
    const font = unicodeFontkitFont("regular");
    // A subset asks a component glyph without characters; a later document asks it for « ŵ ».
    const id = font.glyphForCodePoint(0x175).id;
    const fresh = unicodeFontkitFont("bold");
    const boldId = fresh.glyphForCodePoint(0x177).id;
    for (const [f, gid, cp] of [
      [font, id, 0x175],
      [fresh, boldId, 0x177],
    ] as const) {
      f.getGlyph(gid, []);
      expect(f.getGlyph(gid, [cp]).codePoints).toEqual([cp]);
      expect(f.getGlyph(gid, [0x41, cp]).codePoints).toEqual([0x41, cp]);
      expect(f.getGlyph(gid, [cp]).codePoints).toEqual([cp]);
    }
  });

  it("la mise en forme mémorisée donne les glyphes de fontkit, positionnement aparté", () => {
    const texts = [
      "Nguyễn Văn Đức ẩ ố ờ ự ễ",
      "e\u0301 a\u0323\u0302 o\u031b\u0300",
      "ffi fl ﬁ Œuvray « x »",
      "Ελένη Łukasz Dvořák Şerban Ţăranu",
      "Ирина Ёлкина",
      "مرحبا بالعالم",
      "שלום",
      "x\u00a0y\u202fz\u200bw\u00ad",
    ];
    for (const style of ["regular", "bold"] as const) {
      const font = unicodeFontkitFont(style);
      const layout = unicodeLayout(style);
      for (const text of texts) {
        const ids = (run: { glyphs: { id: number }[] }) => run.glyphs.map((g) => g.id);
        expect(ids(layout(text)), text).toEqual(ids(font.layout(text)));
        // Asked twice, the same run.
        expect(layout(text)).toBe(layout(text));
      }
    }
  });

  it("nettoie le texte : NFC, fins de ligne, caractères invisibles", () => {
    expect(cleanText("Le\u0301ve\u0300que")).toBe("Lévèque");
    expect(cleanText("a\r\nb\rc\u2028d")).toBe("a\nb\nc\nd");
    expect(cleanText("a\r\nb", { multiline: false })).toBe("a b");
    expect(cleanText("in\u200bvi\u00adsi\ufeffble\u0007")).toBe("invisible");
    expect(cleanText("tab\tulé")).toBe("tab ulé");
  });

  it("un texte déjà propre (ASCII, Latin-1) ressort tel quel, sans autre copie", () => {
    const full = (text: string, multiline: boolean) => {
      let out = text
        .normalize("NFC")
        .replace(/\r\n?|[\u2028\u2029]/g, "\n")
        .replace(/\t/g, " ")
        .replace(
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters cleanText removes
          /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g,
          "",
        );
      if (!multiline) out = out.replace(/\n+/g, " ");
      return out;
    };
    const samples = ["Élodie Lefèvre", "Œuvray « x »", "a\u00adb", "e\u0301", "a\r\nb", "t\tx", "ÿ÷×"];
    for (let cp = 0; cp < 0x180; cp++) samples.push(`a${String.fromCharCode(cp)}b`);
    for (const text of samples) {
      for (const multiline of [true, false])
        expect(cleanText(text, { multiline }), text).toBe(full(text, multiline));
    }
  });

  it("mesure le texte avec les métriques de chaque police", () => {
    const helvetica = fontMetrics("standard", "regular");
    expect(helvetica.widthOfText("MM", 10)).toBeCloseTo(16.66, 1);
    expect(fontMetrics("standard", "bold").widthOfText("MM", 10)).toBeGreaterThan(
      helvetica.widthOfText("MM", 10) - 0.01,
    );
    expect(fontMetrics("unicode", "regular").widthOfText("Nguyễn", 10)).toBeGreaterThan(20);
  });
});

describe("embedFonts (documents pdf-lib : feuille de route)", () => {
  /** The fonts of texts chosen as the layout chooses them (src/layout/text.ts), and the findings about them. */
  async function fontsFor(doc: PDFDocument, texts: { text: string; style: FontStyle }[]) {
    const unicode: Record<FontStyle, string[]> = { regular: [], bold: [] };
    for (const { text, style } of texts) if (needsUnicodeFont(text)) unicode[style].push(text);
    const fonts = await embedFonts(doc, unicode);
    return {
      font: (text: string, style: FontStyle) => fonts.font({ family: familyFor(text), style }),
      findings: texts.flatMap(({ text, style }) => glyphFindings(text, "le document", style)),
    };
  }

  async function draw(texts: string[]): Promise<{ bytes: Uint8Array; findings: number }> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const page = doc.addPage();
    const styleOf = (i: number): FontStyle => (i === 0 ? "bold" : "regular");
    const fonts = await fontsFor(
      doc,
      texts.map((text, i) => ({ text, style: styleOf(i) })),
    );
    texts.forEach((text, i) => {
      page.drawText(text, {
        x: 40,
        y: 700 - 20 * i,
        size: 12,
        font: fonts.font(text, styleOf(i)),
      });
    });
    return { bytes: await doc.save(), findings: fonts.findings.length };
  }

  it("sans caractère hors WinAnsi, n'embarque aucune police", async () => {
    const { bytes } = await draw(["Élodie Lefèvre", "« Centre hospitalier » – 2 €"]);
    expect(Buffer.from(bytes).includes("DejaVu")).toBe(false);
  });

  it.skipIf(!hasPoppler)(
    "embarque un sous-ensemble DejaVu Sans et le texte se relit à l'identique",
    async () => {
      const texts = ["Łukasz García", "Nguyễn Văn An", "Diapason\u202f!", "Œuvray « Saint-Gaël »"];
      const { bytes, findings } = await draw(texts);
      expect(findings).toBe(0);
      const path = write(tempDir(), "polices.pdf", bytes);
      const text = pdfText(path);
      for (const t of ["Łukasz García", "Nguyễn Văn An", "Œuvray « Saint-Gaël »"]) expect(text).toContain(t);
      // poppler prints U+202F as a plain space; the font's ToUnicode map keeps it.
      expect(text).toContain("Diapason !");
      if (hasQpdf) expect(uncompressed(path)).toContain("<202F>");
      const fonts = fontNames(path);
      expect(fonts.some((f) => /^[A-Z]{6}\+DejaVuSans-Bold$/.test(f))).toBe(true);
      expect(fonts.some((f) => /^[A-Z]{6}\+DejaVuSans$/.test(f))).toBe(true);
    },
  );

  it("mêmes textes, mêmes octets ; le nom du sous-ensemble dépend des textes", async () => {
    const a = await draw(["Łukasz", "Nguyễn"]);
    const b = await draw(["Łukasz", "Nguyễn"]);
    const c = await draw(["Łukasz", "Nguyễn Văn"]);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(Buffer.from(a.bytes).equals(Buffer.from(c.bytes))).toBe(false);
  });

  it("les mêmes octets que pdf-lib (doc.embedFont), programme et ToUnicode repris en mémoire ou non", async () => {
    // As `draw`: the first text in bold, the others regular.
    async function withPdfLib(texts: string[]): Promise<Uint8Array> {
      const doc = await PDFDocument.create({ updateMetadata: false });
      const page = doc.addPage();
      doc.registerFontkit(cachingFontkit);
      await doc.embedFont(StandardFonts.Helvetica);
      await doc.embedFont(StandardFonts.HelveticaBold);
      const embed = (style: "regular" | "bold", announced: string[]) =>
        doc.embedFont(unicodeFontBytes(style), {
          subset: true,
          customName: `${subsetTag(announced)}+${style === "bold" ? "DejaVuSans-Bold" : "DejaVuSans"}`,
        });
      const regular = await embed("regular", texts.slice(1));
      const bold = await embed("bold", texts.slice(0, 1));
      texts.forEach((text, i) => {
        page.drawText(text, { x: 40, y: 700 - 20 * i, size: 12, font: i === 0 ? bold : regular });
      });
      return doc.save();
    }
    for (const texts of [
      ["Łukasz García", "Nguyễn Văn An", "Diapason\u202f!"],
      ["Dvořák", "Văn Đức ẩ ố ờ ự ễ", "x\u00a0y\u202fz"],
    ]) {
      const expected = Buffer.from(await withPdfLib(texts));
      for (let i = 0; i < 2; i++) expect(Buffer.from((await draw(texts)).bytes).equals(expected)).toBe(true);
    }
  });

  it.skipIf(!hasPoppler)(
    "ce que le processus a dessiné avant ne change ni les octets ni le texte relu",
    async () => {
      // A Vietnamese subset adds the « e », « a », « o » glyphs as components of « ễ », « ẩ », « ố »…
      const before = await draw(["Łukasz", "Léa et Théo, un an"]);
      await draw(["Nguyễn", "Văn Đức ẩ ố ờ ự ễ", "x\u00a0y\u202fz"]);
      const after = await draw(["Łukasz", "Léa et Théo, un an"]);
      expect(Buffer.from(after.bytes).equals(Buffer.from(before.bytes))).toBe(true);
      expect(pdfText(write(tempDir(), "apres.pdf", after.bytes))).toContain("Léa et Théo, un an");
    },
  );

  it("le sous-ensemble s'écrit sans attendre de minuterie (fontkit passait par un setTimeout)", async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const fonts = await fontsFor(doc, [
      { text: "Nguyễn Văn An", style: "regular" },
      { text: "Łukasz", style: "bold" },
    ]);
    const page = doc.addPage();
    page.drawText("Nguyễn Văn An", { x: 40, y: 700, size: 12, font: fonts.font("Nguyễn Văn An", "regular") });
    page.drawText("Łukasz", { x: 40, y: 680, size: 12, font: fonts.font("Łukasz", "bold") });
    let saved: Uint8Array | undefined;
    const saving = doc.save({ objectsPerTick: Number.POSITIVE_INFINITY }).then((bytes) => {
      saved = bytes;
    });
    // A setImmediate runs before the next timers phase: a setTimeout on the way would not have fired yet.
    await new Promise((resolve) => setImmediate(resolve));
    expect(saved).toBeDefined();
    await saving;
    expect(Buffer.from(saved ?? []).includes("DejaVuSans-Bold")).toBe(true);
  });

  it("refuse un texte Unicode non annoncé (faute de programmation, pas un « ? » silencieux)", async () => {
    const doc = await PDFDocument.create();
    const fonts = await fontsFor(doc, [{ text: "Élodie", style: "regular" }]);
    expect(() => fonts.font("Łukasz", "regular")).toThrow(/non annoncé/);
  });
});
