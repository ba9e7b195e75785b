import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseInline, parseMarkup } from "../../src/dossier/markup.js";
import { DOSSIER_TEXT_FILES, plainQuote } from "../../src/dossier/texts.js";
import { ROOT } from "../helpers/answers.js";

const procedure = plainQuote(readFileSync(join(ROOT, "docs", "procedure-certificats-diapason.txt"), "utf8"))
  .replaceAll("**", "")
  .replace(/\s+/g, " ");

describe("route sheet wording", () => {
  const source = readFileSync(join(ROOT, "templates", "text", DOSSIER_TEXT_FILES.routeSheet), "utf8");

  it("quotes the procedure word for word", () => {
    const quotes = [...source.matchAll(/^> [^«\n]*« (.+) »$/gm)]
      .map((m) => m[1] ?? "")
      .filter((q) => !q.includes("{{"));
    expect(quotes.length).toBeGreaterThan(8);
    for (const quote of quotes) expect(procedure, quote).toContain(quote.replace(/\s+/g, " "));
  });
});

describe("markup", () => {
  it("reads one block per line, by prefix", () => {
    const blocks = parseMarkup(
      "# Titre\n\n## Section\n### Sous\ntexte\n- puce\n  - sous\n= Nom :: *ch-ville.fr\n> §1 : « x »\n!! alerte\n!i info\n~ petit\n---page---\n",
    );
    expect(blocks.map((b) => b.kind)).toEqual([
      "title",
      "section",
      "subsection",
      "paragraph",
      "bullet",
      "subbullet",
      "field",
      "quote",
      "warning",
      "info",
      "small",
      "pagebreak",
    ]);
    expect(blocks[6]).toEqual({ kind: "field", text: "Nom", value: "*ch-ville.fr" });
  });

  it("keeps an unpaired ** as typed", () => {
    expect(parseInline("a **b** c")).toEqual([
      { text: "a ", bold: false },
      { text: "b", bold: true },
      { text: " c", bold: false },
    ]);
    expect(parseInline("du type **<nom de domaine>* (ne")).toEqual([
      { text: "du type **<nom de domaine>* (ne", bold: false },
    ]);
  });
});
