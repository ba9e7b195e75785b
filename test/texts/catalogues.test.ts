import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CHECK_TEXTS_SHAPE,
  checkTexts,
  fill,
  loadCheckedTextData,
  loadCheckedTexts,
  type TextShape,
} from "../../src/assets/texts.js";
import { BATCH_TEXTS_SHAPE } from "../../src/batch/messages.js";
import { DEPARTEMENT_CODES, departementByCode } from "../../src/certificates/departement.js";
import { CERTIFICATE_TEXTS_SHAPE } from "../../src/certificates/text.js";
import { commands } from "../../src/cli/commands/index.js";
import { commandHelp } from "../../src/cli/main.js";
import { CLI_TEXTS_SHAPE } from "../../src/cli/texts.js";
import { WEB_TEXTS_SHAPE } from "../../src/web/page-texts.js";
import { ROOT } from "../helpers/answers.js";

/**
 * Every text the code asks for is in its file, with the placeholders the code fills: the shapes declared beside the
 * code (which type its calls) are checked against the files as shipped, and a damaged file is reported, as values,
 * in French, naming the file and the text.
 */

const SHAPED: readonly [string, TextShape][] = [
  ["text/batch.fr.json", BATCH_TEXTS_SHAPE],
  ["text/cli.fr.json", CLI_TEXTS_SHAPE],
  ["text/certificates/messages.fr.json", CERTIFICATE_TEXTS_SHAPE],
  ["text/texts.fr.json", CHECK_TEXTS_SHAPE],
  ["text/web.fr.json", WEB_TEXTS_SHAPE],
];

describe("les fichiers de textes lus à travers leur forme", () => {
  for (const [path, shape] of SHAPED) {
    it(`templates/${path} contient chaque texte que le code lit, avec ses {{repères}}, et rien de plus`, () => {
      const loaded = loadCheckedTexts(path, shape);
      expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    });
  }

  it("chaque département a son nom (templates/text/departements.fr.json)", () => {
    expect(DEPARTEMENT_CODES).toHaveLength(108);
    for (const code of DEPARTEMENT_CODES) expect(departementByCode(code)?.name, code).toMatch(/^\p{Lu}/u);
    expect(departementByCode("20")).toBeUndefined();
  });

  it("l'aide de chaque commande est complète : aucun {{repère}} laissé, un résumé pour chacune", async () => {
    const described = Object.keys(loadJson("templates/text/cli.fr.json").commands as object);
    for (const entry of commands) {
      const help = commandHelp(await entry.load());
      expect(help, entry.name).not.toMatch(/\{\{|\}\}/);
      expect(help.split("\n")[2], entry.name).not.toBe("");
    }
    // Each command's own texts belong to a command that exists (track's are in track.fr.json).
    const names = commands.map((c) => c.name);
    expect(described.filter((name) => !names.includes(name))).toEqual([]);
  });
});

describe("un fichier de textes endommagé : des erreurs en français qui nomment le fichier", () => {
  const file = "templates/text/exemple.fr.json";
  const shape = { title: ["name"], section: { line: [] } } as const;

  it("texte manquant, section absente, texte qui n'en est pas un, texte en trop", () => {
    expect(checkTexts(file, { section: "x", extra: "y" }, shape)).toEqual([
      `${file} : le texte « title » manque`,
      `${file} : « section » doit être une section (un objet JSON)`,
      `${file} : « extra » n'est lu par aucune partie de l'outil (texte en trop ou mal nommé)`,
    ]);
    expect(checkTexts(file, { title: "{{name}}", section: { line: 3 } }, shape)).toEqual([
      `${file} : « section.line » doit être un texte`,
    ]);
    expect(checkTexts(file, [], shape)).toEqual([`${file} : « / » doit être une section (un objet JSON)`]);
  });

  it("repère que l'outil ne remplit pas, repère oublié", () => {
    expect(checkTexts(file, { title: "Bonjour {{nom}}", section: { line: "ok" } }, shape)).toEqual([
      `${file} : le texte « title » emploie {{nom}}, que l'outil ne remplit pas (il remplit : {{name}})`,
      `${file} : le texte « title » n'emploie pas {{name}}, que l'outil remplit`,
    ]);
  });

  it("un fichier absent ou illisible est une erreur, pas une exception", () => {
    const loaded = loadCheckedTexts("text/absent.fr.json", shape);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok)
      expect(loaded.errors[0]).toMatch(
        /^templates\/text\/absent\.fr\.json ne peut pas être lu \(.+\) : réinstallez diapason-dossier$/,
      );
  });

  it("un fichier juste donne ses textes, remplis par la seule fonction fill", () => {
    const loaded = loadCheckedTexts("text/batch.fr.json", BATCH_TEXTS_SHAPE);
    expect(loaded.ok).toBe(true);
    if (loaded.ok)
      expect(loaded.texts.input.notFound({ file: "a.csv" })).toBe(
        "« a.csv » est introuvable. Vérifiez le chemin.",
      );
    expect(fill("{{a}} et {{b}}", { a: 1 })).toBe("1 et {{b}}");
  });

  it("ou, pour le code qui les transmet, ses textes tels qu'écrits, sans ce que la forme ne lit pas ($comment)", () => {
    const loaded = loadCheckedTextData("text/batch.fr.json", BATCH_TEXTS_SHAPE);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const file = loadJson("templates/text/batch.fr.json");
    expect(file.$comment).toBeDefined();
    expect(loaded.data.input.notFound).toBe((file.input as Record<string, unknown>).notFound);
    expect(loaded.data.input.notFound).toContain("{{file}}");
    expect(JSON.parse(JSON.stringify(loaded.data))).toEqual(stripComments(file));
    const absent = loadCheckedTextData("text/absent.fr.json", shape);
    expect(absent.ok ? [] : absent.errors).toEqual([
      expect.stringMatching(/^templates\/text\/absent\.fr\.json /),
    ]);
  });
});

function loadJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, path), "utf8")) as Record<string, unknown>;
}

function stripComments(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "$comment")
      .map(([key, child]) => [key, stripComments(child)]),
  );
}

function jsonFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".json"))
    .map((name) => `${dir}/${name}`);
}

function strings(value: unknown, at = ""): [string, string][] {
  if (typeof value === "string") return [[at, value]];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => strings(child, at ? `${at}.${key}` : key));
}

describe("tous les fichiers de textes", () => {
  const files = [
    ...jsonFiles("templates/text"),
    "templates/forms/messages.fr.json",
    "schemas/messages.fr.json",
  ];

  it("se lisent, et chaque {{ y est refermé", () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    const broken: string[] = [];
    for (const file of files) {
      for (const [key, text] of strings(loadJson(file))) {
        const opened = text.split("{{").length - 1;
        const closed = text.split("}}").length - 1;
        if (opened !== closed || /\{\{\s*\}\}/.test(text)) broken.push(`${file} ${key}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
