import { loadCheckedTextData, type TextData, type TextDataResult } from "../assets/texts.js";
import { type StaticFile, staticFile } from "./static-files.js";

/**
 * The wording the browser pages carry with their scripts (templates/text/web.fr.json): what a page shows before the
 * server answers, or when it cannot. The page fills the {{placeholders}} named here; the file is checked against
 * this shape when the server starts.
 */
export const WEB_TEXTS_SHAPE = {
  serverDown: [],
  questionnaire: {
    loadFailed: [],
  },
  suivi: {
    caption: ["total", "page", "pages"],
    empty: [],
    summary: ["phase", "next", "actor"],
    markDone: ["number"],
    doneOn: ["day", "by"],
    waitsFor: ["what"],
    after: ["steps"],
    readySince: ["days"],
    received: ["day"],
    expected: ["days"],
    later: [],
    noCertificate: [],
    certificate: ["profile", "serial", "expiry", "renewal", "status", "days"],
    marked: ["number"],
    markReceived: ["label"],
    receivedNoted: ["label"],
    dateLabel: [],
    noteLabel: [],
    byLabel: [],
    finess: ["finess"],
    conflict: ["message"],
  },
} as const;

export type WebTexts = TextData<typeof WEB_TEXTS_SHAPE>;

/** Read and checked once, at start; a damaged file gives its problems, in French, naming it. */
export function loadWebTexts(): TextDataResult<typeof WEB_TEXTS_SHAPE> {
  return loadCheckedTextData("text/web.fr.json", WEB_TEXTS_SHAPE);
}

/**
 * The modules the page scripts import their wording from, as URL → file: `/strings.js` (STRINGS, for index.html's
 * scripts) and `/suivi-strings.js` (SUIVI, for suivi.html's), each an ES module exporting one frozen object.
 */
export function webTextModules(texts: WebTexts): Map<string, StaticFile> {
  const modules: Record<string, [string, Record<string, string>]> = {
    "/strings.js": ["STRINGS", { serverDown: texts.serverDown, ...texts.questionnaire }],
    "/suivi-strings.js": ["SUIVI", { serverDown: texts.serverDown, ...texts.suivi }],
  };
  return new Map(
    Object.entries(modules).map(([url, [name, values]]) => [
      url,
      staticFile(
        Buffer.from(
          `// templates/text/web.fr.json\nexport const ${name} = Object.freeze(${JSON.stringify(values, null, 2)});\n`,
        ),
        ".js",
      ),
    ]),
  );
}
