import { describe, expect, it } from "vitest";
import { parseAnswersText } from "../../src/answers/parse.js";
import { loadAnswersValidator } from "../../src/assets/load.js";

/** A YAML error names its real cause. */

const catalog = loadAnswersValidator().catalog;

function message(text: string): string {
  const result = parseAnswersText(text, "reponses.yaml", catalog);
  if (result.ok) throw new Error("ce YAML devait être refusé");
  return result.errors.map((e) => e.message).join("\n");
}

describe("YAML errors", () => {
  it("an unclosed [ or { is named as such, with the line it opens on, not as indentation", () => {
    const list = message("version: 1\nestablishment:\n  name: CH\ndesignees: [a, b\ngap: x\n");
    expect(list).toContain("« [ » ouvert ligne 4 n'est jamais refermé par « ] »");
    expect(list).not.toContain("indentation");
    const map = message("version: 1\ncontract: {exists: true\nkeyGeneration: online\n");
    expect(map).toContain("« { » ouvert ligne 2 n'est jamais refermé par « } »");
    // A bracket inside quotes or a comment does not count.
    const quoted = message('version: 1 # [\nname: "a [ b"\ndesignees: [a\ngap: x\n');
    expect(quoted).toContain("ouvert ligne 3");
  });

  it("keeps the other causes: a missing quote, a real indentation error", () => {
    expect(message('a: "abc\nb: 2\n')).toContain("un caractère fermant manque");
    expect(message("a:\n  b: 1\n c: 2\n")).not.toContain("refermé");
  });
});
