import { readFileSync } from "node:fs";
import { assetPath, readJsonAsset } from "./root.js";

/**
 * The one loader of the wording users read: the files of templates/text (JSON catalogues and Handlebars
 * templates), templates/forms/messages.fr.json and schemas/messages.fr.json, each read once per process and
 * shared. Code holds no French; it names the file it needs here.
 */

const json = new Map<string, unknown>();
const sources = new Map<string, string>();

function readJson<T>(folder: "templates" | "schemas", path: string): T {
  const key = `${folder}/${path}`;
  let known = json.get(key);
  if (known === undefined) {
    known = readJsonAsset<T>(folder, ...path.split("/"));
    json.set(key, known);
  }
  return known as T;
}

/** A JSON wording file, by its path under templates/ (e.g. `text/cli.fr.json`). */
export function loadTexts<T>(path: string): T {
  return readJson<T>("templates", path);
}

/** A JSON wording file of schemas/ (`messages.fr.json`: the messages about the answers). */
export function loadSchemaTexts<T>(path: string): T {
  return readJson<T>("schemas", path);
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

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** Replaces each `{{name}}` by its value; an unknown name is left visible so a test can catch it. */
export function fill(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/**
 * What the code reads in a wording file: for each text, the names of the `{{placeholders}}` the code fills
 * (an empty list: none); for each section, an object of the same kind. Declared `as const` beside the code
 * that reads the file, it types that code's calls and checks the file when it is loaded.
 */
export type TextShape = { readonly [key: string]: readonly string[] | TextShape };

/** A text of a catalogue: called with the values of its placeholders, it gives the filled text. */
export type Text<P extends readonly string[]> = P extends readonly []
  ? () => string
  : (params: Readonly<Record<P[number], string | number>>) => string;

/** A wording file read through its shape: the same keys, each text a function that fills it (`filled`) or as written. */
type ReadTexts<S extends TextShape, Filled extends boolean> = {
  readonly [K in keyof S]: S[K] extends readonly string[]
    ? Filled extends true
      ? Text<S[K]>
      : string
    : S[K] extends TextShape
      ? ReadTexts<S[K], Filled>
      : never;
};

/** A wording file read through its shape, each text a function that fills it. */
export type Texts<S extends TextShape> = ReadTexts<S, true>;

export type TextsResult<S extends TextShape> =
  | { ok: true; texts: Texts<S> }
  | { ok: false; errors: string[] };

/** A wording file read through its shape, its texts as written (placeholders unfilled): for code that sends them on. */
export type TextData<S extends TextShape> = ReadTexts<S, false>;

export type TextDataResult<S extends TextShape> =
  | { ok: true; data: TextData<S> }
  | { ok: false; errors: string[] };

/** The wording of this loader's own errors (templates/text/texts.fr.json): what is wrong with a wording file. */
export const CHECK_TEXTS_SHAPE = {
  unreadable: ["file", "reason"],
  notSection: ["file", "key"],
  missing: ["file", "key"],
  notText: ["file", "key"],
  unknownText: ["file", "key"],
  unknownPlaceholder: ["file", "key", "placeholder", "known"],
  missingPlaceholder: ["file", "key", "placeholder"],
} as const;

function problem(code: keyof typeof CHECK_TEXTS_SHAPE, params: Readonly<Record<string, string>>): string {
  const template = loadTexts<Record<string, string>>("text/texts.fr.json")[code];
  if (template === undefined) throw new Error(`templates/text/texts.fr.json : ${code}`);
  return fill(template, params);
}

function isSection(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function placeholdersOf(text: string): Set<string> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string));
}

/**
 * What is wrong with a wording file's content against the shape the code reads it through, in French, each
 * naming the file and the text: a missing or extra text, a text that is not a string, a placeholder the code
 * does not fill or one it fills that the text forgets. Empty when the file is right.
 */
export function checkTexts(file: string, data: unknown, shape: TextShape, at = ""): string[] {
  if (!isSection(data)) return [problem("notSection", { file, key: at || "/" })];
  const errors: string[] = [];
  const keyOf = (name: string) => (at ? `${at}.${name}` : name);
  for (const [name, expected] of Object.entries(shape)) {
    const key = keyOf(name);
    const value = data[name];
    if (value === undefined) {
      errors.push(problem("missing", { file, key }));
    } else if (!Array.isArray(expected)) {
      errors.push(...checkTexts(file, value, expected as TextShape, key));
    } else if (typeof value !== "string") {
      errors.push(problem("notText", { file, key }));
    } else {
      const used = placeholdersOf(value);
      const filled = new Set(expected as readonly string[]);
      const known = [...filled].map((p) => `{{${p}}}`).join(", ") || "-";
      for (const p of used)
        if (!filled.has(p))
          errors.push(problem("unknownPlaceholder", { file, key, placeholder: `{{${p}}}`, known }));
      for (const p of filled)
        if (!used.has(p)) errors.push(problem("missingPlaceholder", { file, key, placeholder: `{{${p}}}` }));
    }
  }
  for (const name of Object.keys(data))
    if (!(name in shape) && name !== "$comment")
      errors.push(problem("unknownText", { file, key: keyOf(name) }));
  return errors;
}

/** The file's content as the shape reads it (what it does not read, such as `$comment`, left out), each text mapped. */
function mapTexts(
  data: Record<string, unknown>,
  shape: TextShape,
  text: (value: string) => unknown,
): unknown {
  const out: Record<string, unknown> = Object.create(null);
  for (const [name, expected] of Object.entries(shape)) {
    const value = data[name];
    out[name] = Array.isArray(expected)
      ? text(value as string)
      : mapTexts(value as Record<string, unknown>, expected as TextShape, text);
  }
  return out;
}

/**
 * A JSON wording file (path under templates/) checked against its shape, its texts as written: errors as values, in
 * French, naming the file, when it cannot be read or does not hold what the code reads.
 */
export function loadCheckedTextData<S extends TextShape>(path: string, shape: S): TextDataResult<S> {
  const file = `templates/${path}`;
  let data: unknown;
  try {
    data = loadTexts<unknown>(path);
  } catch (error) {
    return {
      ok: false,
      errors: [problem("unreadable", { file, reason: (error as Error)?.message ?? String(error) })],
    };
  }
  const errors = checkTexts(file, data, shape);
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, data: mapTexts(data as Record<string, unknown>, shape, (text) => text) as TextData<S> };
}

/** The same file, each text a function that fills it. */
export function loadCheckedTexts<S extends TextShape>(path: string, shape: S): TextsResult<S> {
  const loaded = loadCheckedTextData(path, shape);
  if (!loaded.ok) return loaded;
  const texts = mapTexts(
    loaded.data,
    shape,
    (text) => (params?: Readonly<Record<string, string | number>>) => fill(text, params),
  );
  return { ok: true, texts: texts as Texts<S> };
}

/**
 * The same for code that cannot go on without its wording: a damaged installation is a fault of the package,
 * reported as one (the CLI shows it as an internal error, with each problem named).
 */
export function catalogue<S extends TextShape>(path: string, shape: S): () => Texts<S> {
  let texts: Texts<S> | undefined;
  return () => {
    if (texts === undefined) {
      const loaded = loadCheckedTexts(path, shape);
      if (!loaded.ok) throw new Error(loaded.errors.join("\n"));
      texts = loaded.texts;
    }
    return texts;
  };
}
