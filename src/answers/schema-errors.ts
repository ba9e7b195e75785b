import type { ErrorObject } from "ajv";
import {
  capitalize,
  displayValue,
  type FieldNames,
  type MessageCatalog,
  type MessageParams,
  renderMessage,
} from "./messages.js";
import type { AnswerError } from "./types.js";

/** Dotted path from a JSON pointer: /designees/0/email → designees.0.email. */
export function pointerToPath(pointer: string): string {
  if (pointer === "") return "";
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

export function valueAt(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const segment of path === "" ? [] : path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function join(parent: string, child: string): string {
  return parent === "" ? child : `${parent}.${child}`;
}

interface Mapped {
  path: string;
  code: string;
  /** Key in the catalog's schema section, when it differs from the code. */
  template?: string;
  params: MessageParams;
}

function mapError(error: ErrorObject, data: unknown, names: FieldNames): Mapped | undefined {
  const at = pointerToPath(error.instancePath);
  const { catalog } = names;
  const value = displayValue(valueAt(data, at), catalog);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { path: join(at, String(p.missingProperty)), code: "REQUIRED", params: {} };
    case "type": {
      const expected = String(p.type).toUpperCase();
      return { path: at, code: "TYPE", template: `TYPE_${expected}`, params: { value } };
    }
    case "enum":
      return { path: at, code: "ENUM", params: { value, allowed: names.allowedValues(at) } };
    case "const":
      return { path: at, code: "CONST", params: { value, allowed: JSON.stringify(p.allowedValue) } };
    case "false schema":
      return { path: at, code: "FORBIDDEN", params: { value } };
    case "additionalProperties":
    case "unevaluatedProperties": {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      return {
        path: join(at, name),
        code: "UNKNOWN_FIELD",
        params: {
          name: displayValue(name, catalog),
          context:
            at === "" ? "" : renderMessage(catalog.values.unknownFieldContext, { field: names.field(at) }),
          allowed: names.propertyNames(at).join(", "),
        },
      };
    }
    case "minLength":
      return { path: at, code: "EMPTY", params: { value } };
    case "maxLength":
      return {
        path: at,
        code: "TOO_LONG",
        params: { value, actual: String(valueAt(data, at) ?? "").length, limit: Number(p.limit) },
      };
    case "minimum":
      return { path: at, code: "MINIMUM", params: { value, limit: Number(p.limit) } };
    case "maximum":
      return { path: at, code: "MAXIMUM", params: { value, limit: Number(p.limit) } };
    case "minItems":
      return { path: at, code: "MIN_ITEMS", params: { limit: Number(p.limit) } };
    case "maxItems":
      return { path: at, code: "MAX_ITEMS", params: { limit: Number(p.limit) } };
    case "pattern":
    case "format":
      return { path: at, code: "FORMAT", params: { value } };
    case "if":
      return undefined; // the failing branch reports its own errors
    default:
      throw new Error(`mot-clé de schéma sans message : ${error.keyword}`);
  }
}

/** ajv errors as French `{path, code, message}` values, one per field and code. */
export function schemaErrors(
  errors: readonly ErrorObject[],
  data: unknown,
  names: FieldNames,
  catalog: MessageCatalog,
): AnswerError[] {
  const out: AnswerError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const mapped = mapError(error, data, names);
    if (!mapped) continue;
    const key = `${mapped.path}\u0000${mapped.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const template =
      names.ownMessage(mapped.path, mapped.code) ??
      catalog.schema[mapped.template ?? mapped.code] ??
      catalog.schema[mapped.code];
    if (template === undefined) throw new Error(`message manquant pour ${mapped.code}`);
    const message = capitalize(
      renderMessage(template, { field: names.field(mapped.path), ...mapped.params }),
    );
    out.push({ path: mapped.path, code: mapped.code, message });
  }
  return out;
}
