import { compileText } from "../templating/index.js";

/** The French message catalog (schemas/messages.fr.json) and the schema titles that name fields. */
export interface MessageCatalog {
  fieldContext: Record<string, string>;
  root: string;
  schema: Record<string, string>;
  domain: Record<string, string>;
  input: Record<string, string>;
  syntaxReasons: Record<string, string>;
  /** How a value or a field is named inside a message (« Titre » de la personne désignée n°1, une liste…). */
  values: {
    null: string;
    list: string;
    group: string;
    emptyDocument: string;
    value: string;
    fieldTitle: string;
    itemTitle: string;
    fieldKey: string;
    enumValue: string;
    enumValueTitled: string;
    unknownFieldContext: string;
  };
  /** Why an e-mail address is not valid, by the code of src/answers/email.ts. */
  emailReasons: Record<string, string>;
}

export type JsonSchema = { [key: string]: unknown };

export type MessageParams = Record<string, string | number>;

export function renderMessage(template: string, params: MessageParams): string {
  return compileText(template, { strict: false })(params);
}

/** A user value as shown inside a message: one line, at most 60 characters. */
export function displayValue(value: unknown, catalog: MessageCatalog): string {
  if (typeof value === "string") return displayText(value);
  if (value === null) return displayText(catalog.values.null);
  if (Array.isArray(value)) return displayText(catalog.values.list);
  if (typeof value === "object") return displayText(catalog.values.group);
  return displayText(String(value));
}

/** A user text as shown inside a message: one line, at most 60 characters. */
export function displayText(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ");
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

/** Finds field schemas and French field names in the answers schema. */
export class FieldNames {
  constructor(
    private readonly root: JsonSchema,
    readonly catalog: MessageCatalog,
  ) {}

  private resolve(schema: JsonSchema): JsonSchema[] {
    const found: JsonSchema[] = [schema];
    const ref = schema.$ref;
    if (typeof ref === "string" && ref.startsWith("#/$defs/")) {
      const target = asSchema(asSchema(this.root.$defs)?.[ref.slice("#/$defs/".length)]);
      if (target) found.push(...this.resolve(target));
    }
    return found;
  }

  private child(schema: JsonSchema, segment: string): JsonSchema | undefined {
    for (const s of this.resolve(schema)) {
      if (/^[0-9]+$/.test(segment) && asSchema(s.items)) return asSchema(s.items);
      const prop = asSchema(asSchema(s.properties)?.[segment]);
      if (prop) return prop;
    }
    return undefined;
  }

  /** The schema of the field at a dotted path (merged with its $ref), or undefined. */
  schemaAt(path: string): JsonSchema | undefined {
    let schema: JsonSchema | undefined = this.root;
    for (const segment of path === "" ? [] : path.split(".")) {
      if (!schema) return undefined;
      schema = this.child(schema, segment);
    }
    if (!schema) return undefined;
    return Object.assign({}, ...this.resolve(schema).reverse()) as JsonSchema;
  }

  /** Names of the properties a field accepts. */
  propertyNames(path: string): string[] {
    const schema = path === "" ? this.root : this.schemaAt(path);
    if (!schema) return [];
    const names = new Set<string>();
    for (const s of this.resolve(schema))
      for (const k of Object.keys(asSchema(s.properties) ?? {})) names.add(k);
    return [...names];
  }

  /** Where a field stands, e.g. "de la personne désignée n°2"; empty at the top level. */
  context(path: string): string {
    const parent = path.split(".").slice(0, -1);
    const index = parent.find((s) => /^[0-9]+$/.test(s));
    const pattern = parent.filter((s) => !/^[0-9]+$/.test(s));
    for (let len = pattern.length; len > 0; len--) {
      const template = this.catalog.fieldContext[pattern.slice(0, len).join(".")];
      if (template !== undefined)
        return renderMessage(template, { n: index === undefined ? "" : Number(index) + 1 });
    }
    return "";
  }

  /** French name of the field for a message: « Titre » de la personne désignée n°1. */
  field(path: string): string {
    if (path === "") return this.catalog.root;
    const title = this.schemaAt(path)?.title;
    const last = path.split(".").pop() ?? "";
    const values = this.catalog.values;
    if (/^[0-9]+$/.test(last) && typeof title === "string")
      return renderMessage(values.itemTitle, { title, n: Number(last) + 1 });
    const name =
      typeof title === "string"
        ? renderMessage(values.fieldTitle, { title })
        : renderMessage(values.fieldKey, { key: last });
    return `${name} ${this.context(path)}`.trimEnd();
  }

  /** A field's own message for a code (x-messages in the schema), if it has one. */
  ownMessage(path: string, code: string): string | undefined {
    const messages = asSchema(this.schemaAt(path)?.["x-messages"]);
    const text = messages?.[code];
    return typeof text === "string" ? text : undefined;
  }

  /** "EJ (À l'entité juridique (EJ)), EG (…)" for an enum field. */
  allowedValues(path: string): string {
    const schema = this.schemaAt(path);
    const values = Array.isArray(schema?.enum) ? (schema.enum as unknown[]) : [];
    const titles = asSchema(schema?.["x-enumTitles"]) ?? {};
    const texts = this.catalog.values;
    return values
      .map((v) => {
        const title = titles[String(v)];
        return typeof title === "string"
          ? renderMessage(texts.enumValueTitled, { value: String(v), title })
          : renderMessage(texts.enumValue, { value: String(v) });
      })
      .join(", ");
  }
}

/** Upper-case first letter, for messages that start with a field name. */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}
