import Handlebars from "handlebars";
import { loadTexts } from "../assets/texts.js";

/** The questionnaire's interface texts (templates/text/questionnaire.fr.json), shared by the web page and the terminal. */
export interface QuestionnaireTexts {
  yes: string;
  no: string;
  noAnswer: string;
  optional: string;
  itemTitle: string;
  addItem: string;
  removeItem: string;
  itemAdded: string;
  itemRemoved: string;
  maxItemsReached: string;
  optionalGroup: string;
  why: {
    toggle: string;
    decides: string;
    reference: string;
    quote: string;
    decisions: Record<string, string>;
  };
  errors: Record<string, string>;
  resume: Record<string, string>;
  finish: Record<string, string>;
  plan: Record<string, string>;
  terminal: {
    intro: string;
    section: string;
    help: string;
    addAnother: string;
    fixIntro: string;
    keepDefault: string;
    written: string;
    interrupted: string;
    notInteractive: string;
    writeFailed: string;
    generating: string;
    generateUnavailable: string;
    confirmError: string;
    /** What the user types at a yes/no question, in the terminal. */
    confirmYes: string;
    confirmNo: string;
    resumed: string;
    unreadable: string;
    remaining: string;
  };
  fileHeader: string;
  inputHints: Record<string, Record<string, string>>;
}

export function loadQuestionnaireTexts(): QuestionnaireTexts {
  return loadTexts<QuestionnaireTexts>("text/questionnaire.fr.json");
}

const hbs = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Fills a text's {{placeholders}}; plain text out (the caller escapes for its medium). */
export function renderText(template: string, params: Record<string, string | number>): string {
  let fn = cache.get(template);
  if (!fn) {
    fn = hbs.compile(template, { noEscape: true, strict: false });
    cache.set(template, fn);
  }
  return fn(params);
}
