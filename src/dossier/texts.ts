import Handlebars from "handlebars";
import { loadTemplateSource, loadTexts } from "../assets/texts.js";

/** The French wording of the dossier (templates/text/*.hbs), compiled once per process. */

export type TextTemplate = (view: object) => string;

export interface DossierTexts {
  routeSheet: TextTemplate;
  routeSheetFooter: TextTemplate;
  emailSubject: TextTemplate;
  emailBody: TextTemplate;
  formTitle: TextTemplate;
  routeSheetTitle: TextTemplate;
  subject: TextTemplate;
  routeSheetPlace: string;
  files: DossierFileNames;
  /** What the dossier's mark (empreinte.json) says of itself, for whoever opens it. */
  manifestNote: string;
  /** A French message by code; an unknown code is a programmer fault. */
  message(code: string, params?: object): string;
  /** Why a file operation failed, in French, from its error code. */
  reason(errorCode: string | undefined): string;
}

/** Fixed names of the dossier's files (templates/text/dossier.fr.json). */
export interface DossierFileNames {
  routeSheet: string;
  email: string;
  plan: string;
  answers: string;
}

type TemplateFiles = "routeSheet" | "routeSheetFooter" | "emailSubject" | "emailBody";

/** What templates/text/dossier.fr.json holds. */
export interface DossierStrings {
  formTitle: string;
  routeSheetTitle: string;
  subject: string;
  /** Where a character no font draws was found, in the glyph finding: « la feuille de route ». */
  routeSheetPlace: string;
  files: DossierFileNames;
  manifestNote: string;
  /** Messages of the generate command and the writer, by code. */
  messages: Record<string, string>;
  /** Readable reasons of file-system error codes (EACCES...). */
  reasons: Record<string, string>;
}

export type DossierTextSources = Record<TemplateFiles, string> & { strings: DossierStrings };

export const DOSSIER_TEXT_FILES: Record<TemplateFiles, string> = {
  routeSheet: "feuille-de-route.hbs",
  routeSheetFooter: "feuille-de-route.footer.hbs",
  emailSubject: "courriel-413.subject.hbs",
  emailBody: "courriel-413.body.hbs",
};

const hbs = Handlebars.create();
const HELPERS = { eq: true, capitalize: true };
hbs.registerHelper("eq", (a: unknown, b: unknown) => a === b);
hbs.registerHelper("capitalize", (value: unknown) =>
  typeof value === "string" ? value.charAt(0).toUpperCase() + value.slice(1) : value,
);

/** Compiles wording from source text: the templates of the package or, in tests, others. */
export function compileDossierTexts(sources: DossierTextSources): DossierTexts {
  const compile = (source: string): TextTemplate => {
    // Only our helpers: calls compiled direct, not looked up in the view at each use (~15% of a route sheet's
    // rendering), and a template naming an unknown helper fails when compiled.
    const fn = hbs.compile(source, {
      noEscape: true,
      strict: true,
      knownHelpers: HELPERS,
      knownHelpersOnly: true,
    });
    return (view) => fn(view);
  };
  const messages = new Map<string, Handlebars.TemplateDelegate>();
  return {
    routeSheet: compile(sources.routeSheet),
    routeSheetFooter: compile(sources.routeSheetFooter),
    emailSubject: compile(sources.emailSubject),
    emailBody: compile(sources.emailBody),
    formTitle: compile(sources.strings.formTitle),
    routeSheetTitle: compile(sources.strings.routeSheetTitle),
    subject: compile(sources.strings.subject),
    routeSheetPlace: sources.strings.routeSheetPlace,
    files: sources.strings.files,
    manifestNote: sources.strings.manifestNote,
    message(code, params = {}) {
      let fn = messages.get(code);
      if (!fn) {
        const source = sources.strings.messages[code];
        if (source === undefined) throw new Error(`message manquant : ${code}`);
        fn = hbs.compile(source, { noEscape: true, strict: false });
        messages.set(code, fn);
      }
      return fn(params);
    },
    // No code at all: UNKNOWN, the system's own name for an unknown error.
    reason: (errorCode) => sources.strings.reasons[errorCode ?? "UNKNOWN"] ?? errorCode ?? "",
  };
}

let texts: DossierTexts | undefined;

/** The package's templates, read and compiled on first use. */
export function loadDossierTexts(): DossierTexts {
  if (!texts) {
    const read = (file: string) => loadTemplateSource(`text/${file}`);
    texts = compileDossierTexts({
      routeSheet: read(DOSSIER_TEXT_FILES.routeSheet),
      routeSheetFooter: read(DOSSIER_TEXT_FILES.routeSheetFooter),
      emailSubject: read(DOSSIER_TEXT_FILES.emailSubject),
      emailBody: read(DOSSIER_TEXT_FILES.emailBody),
      strings: loadTexts<DossierStrings>("text/dossier.fr.json"),
    });
  }
  return texts;
}
