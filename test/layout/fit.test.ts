import { describe, expect, it } from "vitest";
import { blockHeight, fitText, headThatFits, MIN_FONT_SIZE, wrapLines } from "../../src/layout/fit.js";
import { fontMetrics } from "../../src/render/fonts.js";

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

describe("mesure par mots", () => {
  /** The wrapping as first written: each candidate line measured whole. */
  function wrapReference(text: string, metrics: typeof helvetica, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split("\n")) {
      let line = "";
      for (const word of paragraph.split(" ")) {
        const candidate = line === "" ? word : `${line} ${word}`;
        if (metrics.widthOfText(candidate, size) <= width) {
          line = candidate;
          continue;
        }
        if (line !== "") lines.push(line);
        if (metrics.widthOfText(word, size) <= width) {
          line = word;
          continue;
        }
        let current = "";
        for (const char of word) {
          if (current !== "" && metrics.widthOfText(current + char, size) > width) {
            lines.push(current);
            current = char;
          } else current += char;
        }
        line = current;
      }
      lines.push(line);
    }
    return lines;
  }

  it("coupe exactement comme en mesurant chaque ligne entière, dans les deux polices", () => {
    const words = [
      "Nguyễn",
      "Łukasz",
      "é",
      "l'établissement",
      "—",
      "",
      "anticonstitutionnellement",
      "n°413",
      "𝄞",
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const family of ["standard", "unicode"] as const) {
      const metrics = fontMetrics(family, "regular");
      for (let i = 0; i < 300; i++) {
        const count = 1 + Math.floor(random() * 30);
        const text = Array.from({ length: count }, () => {
          const word = words[Math.floor(random() * words.length)] ?? "";
          return random() < 0.1 ? `${word}\n` : word;
        }).join(" ");
        const size = 6 + Math.floor(random() * 12) / 2;
        const width = 20 + random() * 300;
        expect(wrapLines(text, metrics, size, width), text).toEqual(
          wrapReference(text, metrics, size, width),
        );
      }
    }
  });

  it("la largeur d'un texte est la somme exacte de celles de ses morceaux", () => {
    for (const family of ["standard", "unicode"] as const) {
      const metrics = fontMetrics(family, "bold");
      const parts = ["Centre ", "hospitalier ", "Nguyễn ", "« Saint-Gaël »", " 𝄞"];
      const whole = metrics.unitsOfText(parts.join(""));
      expect(parts.reduce((sum, p) => sum + metrics.unitsOfText(p), 0)).toBe(whole);
      expect(metrics.widthOfText(parts.join(""), 9.5)).toBe((whole * 9.5) / 1000);
    }
  });
});
