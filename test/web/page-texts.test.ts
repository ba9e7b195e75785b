import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadStaticFiles } from "../../src/web/index.js";
import { webTextModules } from "../../src/web/page-texts.js";
import { ROOT } from "../helpers/answers.js";
import { testApp } from "./helpers.js";

/**
 * The pages' wording is in templates/text/web.fr.json: the server answers /strings.js and /suivi-strings.js with
 * ES modules generated from it at start, served as the other files of web/ are.
 */

const { app } = testApp();
afterAll(() => app.close());

const catalogue = JSON.parse(readFileSync(join(ROOT, "templates/text/web.fr.json"), "utf8")) as {
  serverDown: string;
  questionnaire: Record<string, string>;
  suivi: Record<string, string>;
};

/** The module as the browser runs it. */
async function evaluate(source: string): Promise<Record<string, unknown>> {
  return import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
}

describe("les modules de textes des pages", () => {
  const expected = {
    "/strings.js": { STRINGS: { serverDown: catalogue.serverDown, ...catalogue.questionnaire } },
    "/suivi-strings.js": { SUIVI: { serverDown: catalogue.serverDown, ...catalogue.suivi } },
  };

  for (const [url, exports] of Object.entries(expected)) {
    it(`${url} est un module dont les valeurs sont celles de templates/text/web.fr.json`, async () => {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      const module = await evaluate(res.body);
      expect({ ...module }).toEqual(exports);
      for (const value of Object.values(module)) expect(Object.isFrozen(value)).toBe(true);
      const again = await app.inject({ url, headers: { "if-none-match": String(res.headers.etag) } });
      expect(again.statusCode).toBe(304);
    });
  }

  it("un texte avec guillemets, saut de ligne, gabarit ou </script> reste le même texte dans le module", async () => {
    const texts = {
      serverDown: 'Il a dit « non » : "\\n" </script>\n\u2028fin',
      questionnaire: { loadFailed: "`$\u007bx}`" },
      suivi: Object.fromEntries(Object.keys(catalogue.suivi).map((key) => [key, `${key} {{x}}`])),
    } as unknown as Parameters<typeof webTextModules>[0];
    const modules = webTextModules(texts);
    const strings = await evaluate(String(modules.get("/strings.js")?.body));
    expect(strings.STRINGS).toEqual({ serverDown: texts.serverDown, loadFailed: "`$\u007bx}`" });
  });

  it("ne sont plus écrits à la main dans web/, et aucun fichier de web/ ne peut les remplacer", () => {
    expect(existsSync(join(ROOT, "web/strings.js"))).toBe(false);
    expect(existsSync(join(ROOT, "web/suivi-strings.js"))).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), "diapason-web-"));
    writeFileSync(join(dir, "index.html"), "<!doctype html>");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "strings.js"), "export const STRINGS = {};");
    const generated = webTextModules({
      serverDown: "a",
      questionnaire: { loadFailed: "b" },
      suivi: catalogue.suivi,
    } as unknown as Parameters<typeof webTextModules>[0]);
    expect([...loadStaticFiles(dir, generated).keys()].sort()).toEqual([
      "/",
      "/strings.js",
      "/suivi-strings.js",
    ]);
    writeFileSync(join(dir, "strings.js"), "export const STRINGS = {};");
    expect(() => loadStaticFiles(dir, generated)).toThrow(/\/strings\.js/);
  });
});
