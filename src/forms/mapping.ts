import Handlebars from "handlebars";
import type { Answers, Designee } from "../answers/types.js";
import { errorText } from "../pdf/messages.js";
import type { Labels } from "../plan/labels.js";
import type { Plan, PlanCertificate, PlanForm, Profile } from "../plan/types.js";

/**
 * A template's mapping (templates/forms/<form>.mapping.json): PDF field name → a path into the plan and
 * the answers, a handlebars expression over them, for a checkbox a condition on a path, or a text (path or
 * expression) given only when such a condition holds. Only paths:
 * every decision is made by the rules and the plan, never here.
 */

/** What a mapping reads: the plan, the plan form being filled, the answers and convenient views of them. */
export interface MappingContext {
  plan: Plan;
  form: PlanForm;
  answers: Answers;
  /** The answers' record of the form's designee (phone, position…), when the form has one. */
  designee?: Designee;
  /** The plan's certificates by profile: `certificates.SSL_SERVEUR.usage`. */
  certificates: Partial<Record<Profile, PlanCertificate>>;
  labels: Labels;
}

export const MAPPING_ROOTS = ["plan", "form", "answers", "designee", "certificates", "labels"] as const;

/** A condition on a path: it holds when the value contains, or equals, the given one (or, alone, is set). */
export interface Condition {
  path: string[];
  contains?: unknown;
  equals?: unknown;
}

export type FieldSource =
  | { kind: "path"; source: string; path: string[] }
  | { kind: "template"; source: string; render: Handlebars.TemplateDelegate }
  | ({ kind: "checked"; source: string } & Condition)
  | { kind: "when"; source: string; text: FieldSource; when: Condition };

export interface FormMapping {
  /** The mapping file, as shown in messages. */
  file: string;
  /** The template PDF's file name, next to the mapping. */
  template: string;
  fields: ReadonlyMap<string, FieldSource>;
  ignore: ReadonlySet<string>;
}

export interface MappingProblem {
  path: string;
  code: string;
  message: string;
}

const hbs = Handlebars.create();
/**
 * The helpers a mapping's expression may call: Handlebars' own, but neither `log` (it writes to the console) nor
 * the missing-helper hooks. A call to any other is refused when the mapping is loaded, so a wrong name never
 * reaches a dossier (it would fail every one of them).
 */
const MAPPING_HELPERS = ["if", "unless", "each", "with", "lookup"] as const;
const COMPILE_OPTIONS = {
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: { log: false, helperMissing: false, blockHelperMissing: false },
} satisfies Parameters<typeof Handlebars.precompile>[1];
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type HbsNode = { type: string; [key: string]: unknown };

/** Root names of the value paths in a handlebars expression (helper names excluded). */
function templateRoots(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) templateRoots(n, out);
    return;
  }
  if (!isRecord(node) || typeof node.type !== "string") return;
  const n = node as HbsNode;
  if (n.type === "PathExpression") {
    const parts = n.parts as string[];
    if (!n.data && n.depth === 0 && !/^this\b|^\./.test(String(n.original)) && parts[0]) out.push(parts[0]);
    return;
  }
  const params = (n.params as unknown[] | undefined) ?? [];
  const hashPairs = ((n.hash as { pairs?: { value: unknown }[] } | undefined)?.pairs ?? []).map(
    (p) => p.value,
  );
  const isCall = n.type === "BlockStatement" || params.length > 0 || hashPairs.length > 0;
  if (!isCall && n.path) templateRoots(n.path, out);
  templateRoots(params, out);
  templateRoots(hashPairs, out);
  for (const key of ["body", "program", "inverse"]) {
    const child = n[key];
    if (isRecord(child) && Array.isArray(child.body)) templateRoots(child.body, out);
    else if (Array.isArray(child)) templateRoots(child, out);
  }
}

function checkPath(file: string, field: string, source: string, problems: MappingProblem[]): string[] {
  if (!PATH.test(source)) {
    problems.push({
      path: file,
      code: "MAPPING_PATH_SYNTAX",
      message: errorText("MAPPING_PATH_SYNTAX", { file, field, source }),
    });
    return [];
  }
  const path = source.split(".");
  if (!(MAPPING_ROOTS as readonly string[]).includes(path[0] ?? "")) {
    problems.push({
      path: file,
      code: "MAPPING_PATH_ROOT",
      message: errorText("MAPPING_PATH_ROOT", { file, field, source, roots: MAPPING_ROOTS.join(", ") }),
    });
  }
  return path;
}

/** The condition of an object source: its path under `key`, at most one of `contains` and `equals`. */
function parseCondition(
  file: string,
  field: string,
  value: Record<string, unknown>,
  key: "checked" | "when",
  others: string[],
  problems: MappingProblem[],
): Condition | undefined {
  const allowed = [key, "contains", "equals", ...others];
  if (Object.keys(value).some((k) => !allowed.includes(k)) || ("contains" in value && "equals" in value))
    return undefined;
  return {
    path: checkPath(file, field, String(value[key]), problems),
    ...("contains" in value ? { contains: value.contains } : {}),
    ...("equals" in value ? { equals: value.equals } : {}),
  };
}

function parseSource(
  file: string,
  field: string,
  value: unknown,
  problems: MappingProblem[],
): FieldSource | undefined {
  if (typeof value === "string") {
    if (!value.includes("{{"))
      return { kind: "path", source: value, path: checkPath(file, field, value, problems) };
    try {
      const roots: string[] = [];
      templateRoots(hbs.parse(value), roots);
      for (const root of roots) {
        if (!(MAPPING_ROOTS as readonly string[]).includes(root)) {
          problems.push({
            path: file,
            code: "MAPPING_PATH_ROOT",
            message: errorText("MAPPING_PATH_ROOT", {
              file,
              field,
              source: root,
              roots: MAPPING_ROOTS.join(", "),
            }),
          });
        }
      }
      // Compiled now (compile alone waits for the first use): an unknown helper is found here, not per dossier.
      hbs.precompile(value, COMPILE_OPTIONS);
      return { kind: "template", source: value, render: hbs.compile(value, COMPILE_OPTIONS) };
    } catch (error) {
      const reason = ((error as Error).message.split("\n")[0] ?? "").slice(0, 120);
      const helper = /unknown helper (\S+)/.exec(reason)?.[1];
      if (helper !== undefined) {
        const helpers = MAPPING_HELPERS.join(", ");
        problems.push({
          path: file,
          code: "MAPPING_UNKNOWN_HELPER",
          message: errorText("MAPPING_UNKNOWN_HELPER", { file, field, helper, helpers }),
        });
        return undefined;
      }
      problems.push({
        path: file,
        code: "MAPPING_TEMPLATE_SYNTAX",
        message: errorText("MAPPING_TEMPLATE_SYNTAX", { file, field, reason }),
      });
      return undefined;
    }
  }
  if (isRecord(value) && typeof value.checked === "string") {
    const condition = parseCondition(file, field, value, "checked", [], problems);
    if (condition) return { kind: "checked", source: value.checked, ...condition };
  }
  // A text only when a condition holds, empty otherwise: { "text": …, "when": path, "contains"|"equals": … }.
  if (isRecord(value) && typeof value.text === "string" && typeof value.when === "string") {
    const condition = parseCondition(file, field, value, "when", ["text"], problems);
    const text = parseSource(file, field, value.text, problems);
    if (condition && text) return { kind: "when", source: value.when, text, when: condition };
    if (condition) return undefined;
  }
  problems.push({
    path: file,
    code: "MAPPING_SOURCE_INVALID",
    message: errorText("MAPPING_SOURCE_INVALID", { file, field }),
  });
  return undefined;
}

/** Parses a mapping file's JSON text. Problems are collected, not thrown. */
export function parseMapping(
  text: string,
  file: string,
  defaultTemplate: string,
  problems: MappingProblem[],
): FormMapping | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.slice(0, 160);
    problems.push({ path: file, code: "MAPPING_JSON", message: errorText("MAPPING_JSON", { file, reason }) });
    return undefined;
  }
  const before = problems.length;
  if (!isRecord(data) || !isRecord(data.fields)) {
    problems.push({ path: file, code: "MAPPING_SHAPE", message: errorText("MAPPING_SHAPE", { file }) });
    return undefined;
  }
  for (const key of Object.keys(data)) {
    if (!["$comment", "template", "fields", "ignore"].includes(key)) {
      problems.push({
        path: file,
        code: "MAPPING_KEY_UNKNOWN",
        message: errorText("MAPPING_KEY_UNKNOWN", { file, key }),
      });
    }
  }
  const template = data.template === undefined ? defaultTemplate : data.template;
  const ignoreList = data.ignore === undefined ? [] : data.ignore;
  if (
    typeof template !== "string" ||
    !/^[^/\\]+\.pdf$/i.test(template) ||
    !Array.isArray(ignoreList) ||
    !ignoreList.every((x) => typeof x === "string")
  ) {
    problems.push({ path: file, code: "MAPPING_SHAPE", message: errorText("MAPPING_SHAPE", { file }) });
    return undefined;
  }
  const fields = new Map<string, FieldSource>();
  for (const [field, value] of Object.entries(data.fields)) {
    const source = parseSource(file, field, value, problems);
    if (source) fields.set(field, source);
  }
  const ignore = new Set<string>(ignoreList as string[]);
  for (const field of ignore) {
    if (fields.has(field)) {
      problems.push({
        path: file,
        code: "MAPPING_FIELD_TWICE",
        message: errorText("MAPPING_FIELD_TWICE", { file, field }),
      });
    }
  }
  return problems.length > before ? undefined : { file, template, fields, ignore };
}

export function resolvePath(context: MappingContext, path: readonly string[]): unknown {
  let value: unknown = context;
  for (const segment of path) {
    if (Array.isArray(value) && /^\d+$/.test(segment)) value = value[Number(segment)];
    else if (isRecord(value) && Object.hasOwn(value, segment)) value = value[segment];
    else return undefined;
  }
  return value;
}

/** A mapped value as the text of a field; `undefined` for a value that is not text (an object). */
export function valueAsText(value: unknown, labels: Labels): string | undefined {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? labels.yes : labels.no;
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    return value.map((v) => valueAsText(v, labels) ?? "").join(", ");
  }
  return undefined;
}

export type MappedValue = { kind: "text"; text: string | undefined } | { kind: "checked"; checked: boolean };

export function evaluateSource(source: FieldSource, context: MappingContext): MappedValue {
  switch (source.kind) {
    case "path":
      return { kind: "text", text: valueAsText(resolvePath(context, source.path), context.labels) };
    case "template":
      return { kind: "text", text: source.render(context) };
    case "checked":
      return { kind: "checked", checked: holds(source, context) };
    case "when": {
      if (!holds(source.when, context)) return { kind: "text", text: "" };
      const inner = evaluateSource(source.text, context);
      return inner.kind === "text" ? inner : { kind: "text", text: undefined };
    }
  }
}

function holds(condition: Condition, context: MappingContext): boolean {
  const value = resolvePath(context, condition.path);
  if (condition.contains !== undefined) return Array.isArray(value) && value.includes(condition.contains);
  if (condition.equals !== undefined) return value === condition.equals;
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

export function mappingContext(plan: Plan, form: PlanForm, answers: Answers, labels: Labels): MappingContext {
  const certificates: Partial<Record<Profile, PlanCertificate>> = {};
  for (const c of plan.certificates) certificates[c.profile] = c;
  const designee = form.designee ? answers.designees[form.designee.index] : undefined;
  return { plan, form, answers, certificates, labels, ...(designee ? { designee } : {}) };
}
