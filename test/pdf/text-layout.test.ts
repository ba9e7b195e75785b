import { describe, expect, it } from "vitest";
import { fontMetrics } from "../../src/pdf/fonts.js";
import { blockHeight, fitText, headThatFits, MIN_FONT_SIZE, wrapLines } from "../../src/pdf/text-layout.js";

const helvetica = fontMetrics("standard", "regular");

describe("mise en lignes", () => {
  it("coupe entre les mots, respecte les retours à la ligne, coupe un mot trop long", () => {
    const lines = wrapLines("un deux trois quatre\ncinq", helvetica, 10, 60);
    expect(lines).toEqual(["un deux trois", "quatre", "cinq"]);
    for (const line of lines) expect(helvetica.widthOfText(line, 10)).toBeLessThanOrEqual(60);
    const long = wrapLines("anticonstitutionnellement", helvetica, 10, 50);
    expect(long.length).toBeGreaterThan(1);
    expect(long.join("")).toBe("anticonstitutionnellement");
  });
});

describe("ajustement à la case", () => {
  const oneLine = { width: 100, height: 18, multiline: false, padding: 2 };
  const block = { width: 200, height: 40, multiline: true, padding: 2 };

  it("garde la taille demandée quand le texte tient", () => {
    expect(fitText("court", helvetica, oneLine, 10, MIN_FONT_SIZE)).toMatchObject({ size: 10, fits: true });
  });

  it("réduit la taille jusqu'au minimum, puis signale que le texte ne tient pas", () => {
    const medium = fitText("Responsable informatique", helvetica, oneLine, 10, MIN_FONT_SIZE);
    expect(medium.fits).toBe(true);
    expect(medium.size).toBeLessThan(10);
    expect(medium.size).toBeGreaterThanOrEqual(MIN_FONT_SIZE);
    expect(helvetica.widthOfText(medium.lines[0] ?? "", medium.size)).toBeLessThanOrEqual(96);
    const long = fitText(
      "Responsable du service informatique et des réseaux",
      helvetica,
      oneLine,
      10,
      MIN_FONT_SIZE,
    );
    expect(long).toMatchObject({ fits: false, size: MIN_FONT_SIZE });
  });

  it("en multiligne, réduit par demi-points tant que les lignes débordent", () => {
    const text = "Projet Diapason – usage authentification TLS mutuelle pour répondre au cas d’usage";
    const fit = fitText(text, helvetica, block, 10, MIN_FONT_SIZE);
    expect(fit.fits).toBe(true);
    expect(blockHeight(fit.lines.length, helvetica, fit.size)).toBeLessThanOrEqual(36);
    expect(fit.lines.join(" ")).toBe(text);
  });

  it("donne le plus long début qui tient avec le renvoi à l'annexe", () => {
    const text = "Responsable du service informatique et des réseaux de l'établissement";
    const pointer = (head: string) => `${head}… (suite en annexe, p. 3)`;
    const { head, fit } = headThatFits(text, pointer, helvetica, { ...oneLine, width: 200 }, MIN_FONT_SIZE);
    expect(text.startsWith(head)).toBe(true);
    expect(head.length).toBeGreaterThan(5);
    expect(fit.fits).toBe(true);
    const next = text.slice(0, text.indexOf(" ", head.length + 1));
    expect(
      fitText(pointer(next), helvetica, { ...oneLine, width: 200 }, MIN_FONT_SIZE, MIN_FONT_SIZE).fits,
    ).toBe(false);
  });
});
