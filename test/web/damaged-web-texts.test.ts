import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { run } from "../helpers/io.js";

/**
 * An installation whose templates/text/web.fr.json is damaged: `serve` does not start with pages missing their
 * wording; it says what the loader found wrong, in French, naming the file and the text, exit code 3.
 */

vi.mock("../../src/assets/root.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/assets/root.js")>();
  return {
    ...real,
    readJsonAsset: <T>(...parts: string[]): T => {
      const data = real.readJsonAsset<Record<string, Record<string, unknown>>>(...parts);
      if (parts.join("/") !== "templates/text/web.fr.json") return data as T;
      const { caption: _, ...suivi } = data.suivi ?? {};
      return { ...data, suivi: { ...suivi, extra: "de trop" } } as T;
    },
  };
});

describe("les textes des pages endommagés", () => {
  it("serve le dit en français, en nommant le fichier et le texte, code 3, sans trace de pile", async () => {
    const r = await run(["serve", "--port", "0"], { cwd: mkdtempSync(join(tmpdir(), "diapason-serve-")) });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("templates/text/web.fr.json : le texte « suivi.caption » manque");
    expect(r.stderr).toContain("templates/text/web.fr.json : « suivi.extra » n'est lu par aucune partie");
    expect(r.stderr).toMatch(/^Erreur interne inattendue/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
