import { readdir, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { assetPath, packageRoot } from "../assets/root.js";
import { readFileBounded } from "../io/index.js";
import { errorText, pdfMessages } from "../pdf/messages.js";
import { FORM_IDS, type FormId } from "../plan/types.js";
import { type FormTemplatePdf, readFormTemplate } from "../render/index.js";
import { type FormMapping, type MappingProblem, parseMapping } from "./mapping.js";

/**
 * The form templates of a process: the bundled ones (templates/forms), each replaceable by a user's
 * template with its own mapping (`--templates <dossier>`). Each PDF is read once by the fence (src/render);
 * filling never parses.
 */

export interface FormTemplate {
  form: FormId;
  origin: "bundled" | "user";
  /** The template and mapping files, as shown in messages. */
  pdfFile: string;
  mappingFile: string;
  mapping: FormMapping;
  /** The template's fields and pages, as the fence read them (given back to it to fill). */
  structure: FormTemplatePdf;
}

export interface FormTemplateSet {
  readonly templates: ReadonlyMap<FormId, FormTemplate>;
}

/** Problems of a template or mapping, all found at once: French `{path, code, message}` values. */
export class FormTemplateError extends Error {
  constructor(readonly errors: MappingProblem[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "FormTemplateError";
  }
}

function problem(path: string, code: string, params: Record<string, string | number>): MappingProblem {
  return { path, code, message: errorText(code, params) };
}

/** Mapping and template must name the same fields, each of the right kind. */
function crossCheck(t: Omit<FormTemplate, "form" | "origin">, problems: MappingProblem[]): void {
  const { mapping, structure, mappingFile: mfile, pdfFile: pfile } = t;
  const kinds = pdfMessages().fields.types;
  for (const name of [...mapping.fields.keys(), ...mapping.ignore]) {
    if (!structure.byName.has(name)) {
      problems.push(
        problem(mfile, "MAPPING_FIELD_UNKNOWN", { field: name, mapping: mfile, template: pfile }),
      );
    }
  }
  for (const field of structure.fields) {
    const source = mapping.fields.get(field.name);
    if (!source) {
      if (!mapping.ignore.has(field.name)) {
        problems.push(
          problem(mfile, "MAPPING_FIELD_UNMAPPED", { field: field.name, mapping: mfile, template: pfile }),
        );
      }
      continue;
    }
    const wantsCondition = field.kind === "checkbox";
    const mappable = field.kind !== "button" && field.kind !== "signature";
    if (!mappable || wantsCondition !== (source.kind === "checked")) {
      problems.push(
        problem(
          mfile,
          wantsCondition
            ? "MAPPING_FIELD_NEEDS_CONDITION"
            : mappable
              ? "MAPPING_FIELD_NOT_CHECKBOX"
              : "MAPPING_FIELD_NOT_FILLABLE",
          {
            field: field.name,
            mapping: mfile,
            template: pfile,
            kind: kinds[field.kind] ?? field.kind,
          },
        ),
      );
    }
  }
}

async function loadOne(
  form: FormId,
  dir: string,
  shownDir: string,
  origin: FormTemplate["origin"],
  problems: MappingProblem[],
): Promise<FormTemplate | undefined> {
  const mappingFile = join(shownDir, `${form}.mapping.json`);
  const mappingRead = await readFileBounded(join(dir, `${form}.mapping.json`), mappingFile, "mapping");
  if (!mappingRead.ok) {
    problems.push(
      mappingRead.problem.code === "FILE_NOT_FOUND"
        ? problem(mappingFile, "MAPPING_MISSING", { mapping: mappingFile, form })
        : { path: mappingFile, code: mappingRead.problem.code, message: mappingRead.problem.message },
    );
    return undefined;
  }
  const text = Buffer.from(mappingRead.bytes).toString("utf8");
  const mapping = parseMapping(text, mappingFile, `${form}.pdf`, problems);
  if (!mapping) return undefined;
  const pdfFile = join(shownDir, mapping.template);
  const pdfRead = await readFileBounded(join(dir, mapping.template), pdfFile, "pdfTemplate");
  if (!pdfRead.ok) {
    problems.push(
      pdfRead.problem.code === "FILE_NOT_FOUND"
        ? problem(pdfFile, "TEMPLATE_MISSING", { template: pdfFile, mapping: mappingFile })
        : { path: pdfFile, code: pdfRead.problem.code, message: pdfRead.problem.message },
    );
    return undefined;
  }
  const read = await readFormTemplate(pdfRead.bytes, { normalize: origin === "user" });
  if (!read.ok) {
    problems.push(problem(pdfFile, read.code, { file: pdfFile }));
    return undefined;
  }
  const template = { form, origin, pdfFile, mappingFile, mapping, structure: read.template };
  const before = problems.length;
  crossCheck(template, problems);
  return problems.length > before ? undefined : template;
}

/** The forms a user's folder replaces: one `<form>.mapping.json` each. */
async function userForms(dir: string, shownDir: string, problems: MappingProblem[]): Promise<FormId[]> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error("not a directory");
    names = await readdir(dir);
  } catch {
    problems.push(problem(shownDir, "TEMPLATES_DIR_MISSING", { dir: shownDir }));
    return [];
  }
  const forms: FormId[] = [];
  for (const name of names.sort()) {
    const id = /^(.*)\.mapping\.json$/.exec(name)?.[1];
    if (id === undefined) continue;
    if ((FORM_IDS as readonly string[]).includes(id)) forms.push(id as FormId);
    else
      problems.push(
        problem(join(shownDir, name), "MAPPING_UNKNOWN_FORM", {
          file: join(shownDir, name),
          forms: FORM_IDS.join(", "),
        }),
      );
  }
  for (const form of FORM_IDS) {
    if (names.includes(`${form}.pdf`) && !forms.includes(form)) {
      problems.push(
        problem(join(shownDir, `${form}.pdf`), "MAPPING_MISSING", {
          mapping: join(shownDir, `${form}.mapping.json`),
          form,
        }),
      );
    }
  }
  if (forms.length === 0 && problems.length === 0)
    problems.push(problem(shownDir, "TEMPLATES_DIR_EMPTY", { dir: shownDir }));
  return forms;
}

let bundled: Promise<Map<FormId, FormTemplate>> | undefined;
const userSets = new Map<string, Promise<FormTemplateSet>>();

async function loadBundled(): Promise<Map<FormId, FormTemplate>> {
  const dir = assetPath("templates", "forms");
  const shown = relative(packageRoot, dir) || dir;
  const problems: MappingProblem[] = [];
  const map = new Map<FormId, FormTemplate>();
  for (const form of FORM_IDS) {
    const t = await loadOne(form, dir, shown, "bundled", problems);
    if (t) map.set(form, t);
  }
  if (problems.length > 0) throw new FormTemplateError(problems);
  return map;
}

async function folderSignature(dir: string): Promise<string> {
  try {
    const names = (await readdir(dir)).sort();
    const parts = await Promise.all(
      names.map(async (n) => {
        const s = await stat(join(dir, n));
        return `${n}:${s.size}:${s.mtimeMs}`;
      }),
    );
    return `${dir}\0${parts.join("\0")}`;
  } catch {
    return `${dir}\0?`;
  }
}

/**
 * The bundled templates, or with `dir` (a user's --templates folder) those it holds in their place.
 * Loaded once per process (a user folder again when its files change); throws FormTemplateError.
 */
export async function loadFormTemplates(options: { dir?: string } = {}): Promise<FormTemplateSet> {
  if (!bundled) {
    const loading = loadBundled();
    bundled = loading;
    loading.catch(() => {
      if (bundled === loading) bundled = undefined;
    });
  }
  if (options.dir === undefined) return { templates: await bundled };
  const dir = resolve(options.dir);
  const key = await folderSignature(dir);
  let set = userSets.get(key);
  if (!set) {
    const shownDir = options.dir;
    set = (async () => {
      const problems: MappingProblem[] = [];
      const templates = new Map(await bundled);
      for (const form of await userForms(dir, shownDir, problems)) {
        const t = await loadOne(form, dir, shownDir, "user", problems);
        if (t) templates.set(form, t);
      }
      if (problems.length > 0) throw new FormTemplateError(problems);
      return { templates };
    })();
    userSets.set(key, set);
    set.catch(() => userSets.delete(key));
  }
  return set;
}
