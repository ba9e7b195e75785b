import { describe, expect, it } from "vitest";
import { parseMarkup } from "../../src/dossier/markup.js";
import { BlockMemo, layoutTextDocument, type TextDocument } from "../../src/layout/text-document.js";
import { segmentsOf, wrap } from "../../src/layout/words.js";
import { fontMetrics, type LaidOutPage, type PageMark } from "../../src/render/index.js";

/**
 * The route sheet's layout, outside the fence and tested as plain data: pages of marks (text runs with their
 * font, rules, boxes, groups moved into place), line breaking, page breaks, footers, font choice, findings. The
 * bytes the fence writes from it are judged by test/dossier (pdftotext, qpdf, same bytes for the same answers).
 */

const A4 = { width: 595.28, height: 841.89 };
const LEFT = 56;
const RIGHT = A4.width - 56;
const BOTTOM = 66;

function documentOf(markup: string, where = "la feuille de route"): TextDocument {
  return {
    blocks: parseMarkup(markup),
    markup,
    footer: (page, pages) => `Centre hospitalier de Ville – page ${page}/${pages}`,
    where,
  };
}

/** Every text mark of a page, in page coordinates (groups moved by their dy). */
function texts(page: LaidOutPage): Extract<PageMark, { kind: "text" }>[] {
  const out: Extract<PageMark, { kind: "text" }>[] = [];
  const visit = (marks: readonly PageMark[], dy: number) => {
    for (const mark of marks) {
      if (mark.kind === "group") visit(mark.marks, dy + mark.dy);
      else if (mark.kind === "text") out.push({ ...mark, y: mark.y + dy });
    }
  };
  visit(page.marks, 0);
  return out;
}

const right = (mark: Extract<PageMark, { kind: "text" }>) =>
  mark.x + fontMetrics(mark.font.family, mark.font.style).kernedWidth(mark.text, mark.size);

const LONG = Array.from(
  { length: 90 },
  (_, i) => `Phrase ${i + 1} d'un paragraphe assez long pour occuper plusieurs lignes de la page.`,
).join(" ");

describe("mise en page d'un document texte (données simples)", () => {
  it("titre, sections, champs, puces : des marques dans les marges, un pied de page sur chaque page", () => {
    const markup = [
      "# Feuille de route",
      "## 1. Établissement",
      "= Raison sociale :: Centre hospitalier de Ville",
      "= FINESS juridique :: 010003812",
      "- une puce avec du **gras** au milieu",
      "  - une sous-puce",
      "!! Un avertissement encadré.",
      LONG,
    ].join("\n");
    const { pages, findings } = layoutTextDocument(documentOf(markup));
    expect(findings).toEqual([]);
    expect(pages.length).toBeGreaterThan(1);
    // Plain data: it survives a JSON round trip.
    expect(JSON.parse(JSON.stringify(pages))).toEqual(pages);
    pages.forEach((page, i) => {
      expect(page).toMatchObject(A4);
      const marks = texts(page);
      for (const mark of marks) {
        expect(mark.x).toBeGreaterThanOrEqual(LEFT);
        expect(right(mark)).toBeLessThanOrEqual(RIGHT + 1e-6);
        expect(mark.font.family).toBe("standard");
      }
      const footer = marks.filter((m) => m.y < BOTTOM);
      expect(footer.map((m) => m.text).join(" ")).toBe(
        `Centre hospitalier de Ville – page ${i + 1}/${pages.length}`,
      );
      // Above the footer, the page's text stays above the bottom margin.
      for (const mark of marks.filter((m) => !footer.includes(m)))
        expect(mark.y).toBeGreaterThanOrEqual(BOTTOM - 12);
    });
    const first = texts(pages[0] as LaidOutPage);
    expect(first[0]).toMatchObject({ text: "Feuille de route", size: 17, font: { style: "bold" } });
    // A field: its label in bold on the left, its value on the same baseline at the value column.
    const label = first.find((m) => m.text === "Raison sociale");
    const value = first.find((m) => m.text === "Centre hospitalier de Ville");
    expect(label?.font.style).toBe("bold");
    expect(value?.font.style).toBe("regular");
    expect(value?.y).toBe(label?.y);
    expect(value?.x).toBe(LEFT + 190);
    expect(first.find((m) => m.text === "gras")?.font.style).toBe("bold");
    // The warning's box: a filled rectangle and its bar.
    const boxes = (pages[0]?.marks ?? [])
      .flatMap((m) => (m.kind === "group" ? m.marks : [m]))
      .filter((m) => m.kind === "box");
    expect(boxes).toHaveLength(2);
    // The long paragraph is whole, in order, across pages.
    const all = pages.flatMap((p) =>
      texts(p)
        .filter((m) => m.y >= BOTTOM)
        .map((m) => m.text),
    );
    expect(all.join(" ")).toContain(LONG);
  });

  it("un saut de page commence une page ; un intertitre ne reste pas seul en bas de page", () => {
    const { pages } = layoutTextDocument(documentOf("Avant\n---page---\nAprès"));
    expect(texts(pages[0] as LaidOutPage).some((m) => m.text === "Avant")).toBe(true);
    expect(texts(pages[1] as LaidOutPage)[0]?.text).toBe("Après");
    // Wherever the filler ends, the heading starts the page its text is on.
    let broke = 0;
    for (let n = 30; n <= 80; n++) {
      const filler = Array.from({ length: n }, (_, i) => `Ligne ${i + 1}`).join("\n");
      const laid = layoutTextDocument(documentOf(`${filler}\n## Section\nSuite`)).pages;
      const page = laid.find((p) => texts(p).some((m) => m.text === "Section")) as LaidOutPage;
      expect(
        texts(page).some((m) => m.text === "Suite"),
        `${n} lignes`,
      ).toBe(true);
      if (laid.indexOf(page) > 0) broke += 1;
    }
    expect(broke).toBeGreaterThan(0);
  });

  it("un bloc hors WinAnsi : DejaVu Sans pour tout le bloc, Helvetica ailleurs ; un caractère qu'aucune police ne dessine donne un constat", () => {
    const { pages, findings } = layoutTextDocument(
      documentOf("= Nom :: Nguyễn Văn An\n= Ville :: Bourg\nSociété 中文"),
    );
    const marks = texts(pages[0] as LaidOutPage);
    expect(
      marks.filter((m) => m.text === "Nom" || m.text === "Nguyễn Văn An").map((m) => m.font.family),
    ).toEqual(["unicode", "unicode"]);
    expect(marks.find((m) => m.text === "Bourg")?.font.family).toBe("standard");
    expect(findings.map((f) => f.code)).toEqual(["PDF_GLYPH_MISSING"]);
    expect(findings[0]?.message).toContain("U+4E2D");
    expect(findings[0]?.message).toContain("la feuille de route");
  });

  it("avec une mémoire des blocs : les mêmes pages, les blocs revenus donnés tels quels (même objet)", () => {
    const markup =
      "# Feuille de route\n## Section\nUn paragraphe qui revient dans chaque dossier.\n= Nom :: Lefèvre";
    const memo = new BlockMemo();
    const without = layoutTextDocument(documentOf(markup)).pages;
    const runs = [1, 2, 3, 4].map(() => layoutTextDocument(documentOf(markup), memo).pages);
    for (const pages of runs) expect(pages).toEqual(without);
    const groups = (pages: LaidOutPage[]) =>
      (pages[0]?.marks ?? []).flatMap((m) => (m.kind === "group" ? [m.marks] : []));
    const [first, second, third, fourth] = runs.map((pages) => groups(pages as LaidOutPage[]));
    // Met twice, remembered (a copy, so that it keeps nothing of the second document's markup alive): the third
    // and fourth documents get the same groups, equal to the second's without being them.
    expect(third?.length).toBeGreaterThan(0);
    third?.forEach((marks, i) => {
      expect(marks).toBe(fourth?.[i]);
      expect(marks).not.toBe(second?.[i]);
      expect(marks).toEqual(second?.[i]);
    });
    expect(second?.[0]).not.toBe(first?.[0]);
  });
});

describe("coupure des lignes en mots", () => {
  const fonts = {
    regular: { family: "standard", style: "regular" },
    bold: { family: "standard", style: "bold" },
  } as const;

  it("chaque ligne tient dans sa largeur, le gras suit les mots, un mot trop long est coupé", () => {
    const text =
      "Un **texte en gras** puis https://exemple.fr/un/chemin/tres/long/qui/ne/tient/sur/aucune/ligne fin";
    const lines = wrap(text, fonts, 10, 120);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      const segments = segmentsOf(line, fonts, 10);
      const last = segments.at(-1);
      const font = last?.bold ? fonts.bold : fonts.regular;
      const end = (last?.dx ?? 0) + fontMetrics(font.family, font.style).kernedWidth(last?.text ?? "", 10);
      expect(end).toBeLessThanOrEqual(120 + 1e-6);
    }
    const words = lines.flat();
    expect(words.filter((w) => w.bold).map((w) => w.text)).toEqual(["texte", "en", "gras"]);
    expect(words.map((w) => w.text).join("")).toContain("https://exemple.fr/un/chemin/tres/long");
    // Words of one font make one segment, spaces kept.
    const [first] = lines;
    expect(segmentsOf(first ?? [], fonts, 10).map((s) => [s.text, s.bold])[0]).toEqual(["Un", false]);
  });
});
