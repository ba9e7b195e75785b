import { readFileSync } from "node:fs";
import { assetPath, readJsonAsset } from "./root.js";

/**
 * The one loader of the wording users read: the files of templates/text (JSON catalogues and Handlebars
 * templates) and templates/forms/messages.fr.json, each read once per process and shared. Code holds no French;
 * it names the file it needs here.
 */

const json = new Map<string, unknown>();
const sources = new Map<string, string>();

/** A JSON wording file, by its path under templates/ (e.g. `text/cli.fr.json`). */
export function loadTexts<T>(path: string): T {
  let known = json.get(path);
  if (known === undefined) {
    known = readJsonAsset<T>("templates", ...path.split("/"));
    json.set(path, known);
  }
  return known as T;
}

/** The source of a Handlebars template, by its path under templates/ (e.g. `text/plan.txt.hbs`). */
export function loadTemplateSource(path: string): string {
  let known = sources.get(path);
  if (known === undefined) {
    known = readFileSync(assetPath("templates", ...path.split("/")), "utf8");
    sources.set(path, known);
  }
  return known;
}
