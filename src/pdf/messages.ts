import Handlebars from "handlebars";
import { loadTexts } from "../assets/texts.js";

/** French wording of the PDF layer (templates/forms/messages.fr.json): errors, findings, annex, `fields`. */
export interface PdfMessages {
  errors: Record<string, string>;
  findings: Record<string, string>;
  annex: {
    title: string;
    intro: string;
    entry: string;
    pointer: string;
    pointerAlone: string;
    footer: string;
  };
  places: { field: string; document: string };
  /** A character named in a message: itself and its code point. */
  character: string;
  metadata: { creator: string; keywords: string };
  fields: {
    types: Record<string, string>;
    flags: Record<string, string>;
    header: string;
    none: string;
    line: string;
    details: Record<string, string>;
    error: string;
    skeletonNote: string;
  };
}

export function pdfMessages(): PdfMessages {
  return loadTexts<PdfMessages>("forms/messages.fr.json");
}

const hbs = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Renders one catalog text; a missing text is a programmer fault. */
export function renderText(template: string | undefined, params: Record<string, string | number>): string {
  if (template === undefined) throw new Error("texte manquant dans templates/forms/messages.fr.json");
  let fn = compiled.get(template);
  if (!fn) {
    fn = hbs.compile(template, { noEscape: true, strict: true });
    compiled.set(template, fn);
  }
  return fn(params);
}

export function errorText(code: string, params: Record<string, string | number>): string {
  const template = pdfMessages().errors[code];
  if (template === undefined) throw new Error(`message d'erreur manquant : ${code}`);
  return renderText(template, params);
}

export function findingText(code: string, params: Record<string, string | number>): string {
  const template = pdfMessages().findings[code];
  if (template === undefined) throw new Error(`message de constat manquant : ${code}`);
  return renderText(template, params);
}

/** A character as shown in a message: itself and its code point, e.g. « 中 » (U+4E2D). */
export function describeChar(char: string): string {
  const cp = char.codePointAt(0) ?? 0;
  return renderText(pdfMessages().character, { char, code: cp.toString(16).toUpperCase().padStart(4, "0") });
}
