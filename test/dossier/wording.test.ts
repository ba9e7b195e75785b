import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../src/assets/index.js";
import { inlineMarkup, parseInline, parseMarkup } from "../../src/dossier/markup.js";
import { DOSSIER_TEXT_FILES } from "../../src/dossier/texts.js";
import { quoteRuns, quoteText } from "../../src/rules/quote.js";
import { ROOT } from "../helpers/answers.js";

const procedure = quoteText(readFileSync(join(ROOT, "docs", "procedure-certificats-diapason.txt"), "utf8"))
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

describe("the procedure's quotes, as every view shows them", () => {
  // Every quote of the rules and of the parameters (rules/parametres.json).
  const cited = (value: unknown): string[] =>
    typeof value !== "object" || value === null
      ? []
      : Object.entries(value).flatMap(([k, v]) => (k === "quote" && typeof v === "string" ? [v] : cited(v)));
  const ruleSet = loadRuleSet();
  const quotes = [
    ...ruleSet.files.flatMap((f) => f.rules.rules.map((r) => r.event.params.quote)),
    ...cited(ruleSet.parameters),
  ];

  it("no rule's quote keeps a stray mark: no **, no * but the wildcard of *<nom de domaine>, no <https://…>", () => {
    expect(quotes.length).toBeGreaterThan(30);
    expect(quotes.filter((q) => q.includes("*")).length).toBeGreaterThan(10);
    for (const quote of quotes) {
      const text = quoteText(quote);
      expect(text, quote).not.toContain("**");
      expect(text.replaceAll("*<nom de domaine>", ""), quote).not.toContain("*");
      expect(text, quote).not.toMatch(/<https?:|<\/?[a-z]+>/);
      // Only marks go: the words stay, in order.
      expect(text.replaceAll("*", ""), quote).toBe(
        quote.replaceAll("*", "").replace(/<(https?:\/\/[^>\s]+)>/g, "$1"),
      );
      // The route sheet's markup reads back as the same runs.
      expect(parseInline(inlineMarkup(quoteRuns(quote))), quote).toEqual(quoteRuns(quote));
    }
  });

  it("keeps the procedure's bold, and reads « du type **<nom de domaine>* » as a bold *<nom de domaine>", () => {
    expect(quoteRuns("une **validité de 3 ans**.")).toEqual([
      { text: "une ", bold: false },
      { text: "validité de 3 ans", bold: true },
      { text: ".", bold: false },
    ]);
    const domain = quotes.find((q) => q.includes("du type **<nom de domaine>*"));
    expect(quoteRuns(domain ?? "")).toContainEqual({ text: "*<nom de domaine>", bold: true });
    expect(quoteText(domain ?? "")).toContain("du type *<nom de domaine> (ne pas mentionner");
    expect(quoteText("indiquer « **<nom de serveur>.<nom de domaine>** ». *Le serveur mentionné.*")).toBe(
      "indiquer « <nom de serveur>.<nom de domaine> ». Le serveur mentionné.",
    );
    expect(quoteText("à l'adresse <https://tom.eservices.esante.gouv.fr/tom/> afin")).toBe(
      "à l'adresse https://tom.eservices.esante.gouv.fr/tom/ afin",
    );
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
