import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/answers.js";
import { frenchLiterals, frenchReason } from "./french-literals.js";

/**
 * House rule: the wording users read lives in templates/text and schemas/, never in code. This guard fails when a
 * French string or template literal appears in src/**\/*.ts or in the pages' scripts, web/*.js (their wording comes
 * from templates/text/web.fr.json through the modules serve generates, or from the API); the few that must stay are listed here, each with its
 * reason, and an entry that no longer matches anything fails too, so that the list stays short and true.
 */
const ALLOWED: readonly { file: string; text: string; why: string }[] = [
  // Values of rapport.json's `change.kind` (format diapason-dossier/rapport-lot/1), read back by --compare: codes of
  // a file format, shown to users through batch.fr.json's report.changes.
  { file: "src/batch/compare.ts", text: "inchangé", why: "code du format rapport.json" },
  { file: "src/batch/compare.ts", text: "modifié", why: "code du format rapport.json" },
  // The layout check of `npm run build:forms` (templates/forms/src/*.layout.json): problems gathered for the Error it
  // throws, read by the developer who edits a layout, never by a user.
  { file: "src/render/form-layout.ts", text: "champ « … » en double", why: "faute de développement" },
  {
    file: "src/render/form-layout.ts",
    text: "caractère « … » hors WinAnsi dans « … »",
    why: "faute de développement",
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

/** The pages' scripts: web/ has no sub-folder (the server serves none). */
function webScripts(): string[] {
  return readdirSync(join(ROOT, "web"))
    .filter((name) => name.endsWith(".js"))
    .map((name) => `web/${name}`)
    .sort();
}

describe("aucun texte français dans le code (src/**/*.ts, web/*.js)", () => {
  const scripts = webScripts();
  const files = [...sourceFiles(join(ROOT, "src")), ...scripts];
  const found = files.flatMap((file) =>
    // A page shows the message of the Error it catches (web/app.js): there, no Error is a programmer's fault only.
    frenchLiterals(file, readFileSync(join(ROOT, file), "utf8"), {
      errorsShown: file.startsWith("web/"),
    }).map((literal) => ({ file, ...literal })),
  );
  const allowed = (f: { file: string; text: string }) =>
    ALLOWED.some((a) => a.file === f.file && a.text === f.text);

  it("tout texte lu par l'utilisateur est dans templates/text ou schemas/", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(scripts).toEqual(expect.arrayContaining(["web/app.js", "web/api.js", "web/suivi.js"]));
    const offending = found
      .filter((f) => !allowed(f))
      .map((f) => `${f.file}:${f.line} ${JSON.stringify(f.text)} (${f.reason})`);
    expect(offending, "à déplacer dans templates/text ou schemas/, lu par src/assets/texts.ts").toEqual([]);
  });

  it("chaque exception de la liste sert encore", () => {
    const unused = ALLOWED.filter((a) => !found.some((f) => f.file === a.file && f.text === a.text));
    expect(unused).toEqual([]);
  });
});

describe("le détecteur de texte français", () => {
  const source = `
    // Un commentaire en français : « ignoré ».
    /** La documentation non plus. */
    type Kind = "inchangé" | "modifié";
    const a = "Le fichier est illisible.";
    const b = \`\${file} ne contient pas de clé\`;
    const c = "l'option --force";
    const d = { "légende": "value/path" };
    const e = "Content-Transfer-Encoding: base64";
    const f = "select name from sqlite_master where type = 'table'";
    function g() { throw new Error(\`règle inconnue \${name}\`); }
    class Stop extends Error { constructor() { super("questionnaire interrompu"); } }
    class Shown { constructor() { say("Vérifiez le chemin."); } }
  `;
  const texts = frenchLiterals("exemple.ts", source).map((l) => l.text);

  it("trouve les chaînes et gabarits français, ailleurs que dans les commentaires", () => {
    expect(texts).toEqual([
      "Le fichier est illisible.",
      "… ne contient pas de clé",
      "l'option --force",
      "Vérifiez le chemin.",
    ]);
  });

  it("lit aussi les scripts des pages, en JavaScript (JSDoc compris, jamais comme du texte)", () => {
    const script = `
      /** Le statut. @param {string} x */
      export function show(x) {
        status.textContent = "Le serveur ne répond pas.";
        if (!x) throw new Error("Le questionnaire n'a pas pu être chargé.");
        return /** @type {HTMLElement} */ (document.getElementById(x));
      }
    `;
    const shown = (options: { errorsShown?: boolean }) =>
      frenchLiterals("page.js", script, options).map((l) => l.text);
    expect(shown({ errorsShown: true })).toEqual([
      "Le serveur ne répond pas.",
      "Le questionnaire n'a pas pu être chargé.",
    ]);
    expect(shown({})).toEqual(["Le serveur ne répond pas."]);
  });

  it("laisse les types, les noms de propriétés, l'anglais, le SQL et les fautes de programmation (Error)", () => {
    for (const skipped of ["inchangé", "légende", "règle inconnue …", "questionnaire interrompu"])
      expect(texts).not.toContain(skipped);
    expect(frenchReason("Content-Transfer-Encoding: base64")).toBeUndefined();
    expect(frenchReason("application/json; charset=utf-8")).toBeUndefined();
    expect(frenchReason("« ; »")).toBe("guillemets « »");
    expect(frenchReason("dossier de réponses")).toBe("lettre accentuée");
    expect(frenchReason("le rapport du lot")).toBe("mots français (le, du)");
  });
});
