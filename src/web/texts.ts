import { loadTexts } from "../assets/texts.js";
import { renderText } from "../questionnaire/texts.js";

/** Messages of the local server (templates/text/serve.fr.json). */
export interface ServeTexts {
  http: Record<string, string>;
  uploadName: string;
  cli: Record<string, string>;
}

export function loadServeTexts(): ServeTexts {
  return loadTexts<ServeTexts>("text/serve.fr.json");
}

/** A message of a section, filled; a missing message is a programmer fault. */
export function serveMessage(
  table: Record<string, string>,
  code: string,
  params: Record<string, string | number> = {},
): string {
  const template = table[code];
  if (template === undefined) throw new Error(`message du serveur manquant : ${code}`);
  return renderText(template, params);
}
