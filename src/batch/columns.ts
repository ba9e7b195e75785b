import type { JsonSchema } from "../answers/messages.js";

/**
 * The spreadsheet columns of answers v1, read from the schema: one column per leaf field, the designees'
 * fields repeated per person (`designees.0.email`…). A column's header is its dotted path or its French
 * header, built from the schema titles (« Personne désignée n°1 : Adresse électronique »).
 */

export type LeafKind =
  | { type: "string"; fixedDigits?: number; phone?: true }
  | { type: "integer"; minimum?: number; maximum?: number }
  | { type: "boolean" }
  | { type: "enum"; values: string[]; titles: Record<string, string> }
  | { type: "const"; value: number };

/** One field of the answers, designee fields with `*` for the person's index (`designees.*.email`). */
export interface Leaf {
  pattern: string;
  title: string;
  description: string;
  kind: LeafKind;
  /** Required in its group (a designee's role is required for each designee). */
  required: boolean;
  /** Title of the top-level group, e.g. « Représentant légal de l'établissement ». */
  groupTitle: string;
}

/** A concrete column: a leaf with the designee's index filled in. */
export interface Column {
  path: string;
  header: string;
  leaf: Leaf;
  /** Designee index from 0, for designee columns. */
  designee?: number;
}

export const DESIGNEES = "designees";

/**
 * Fields whose text is a fixed number of digits that a spreadsheet turns into a number, losing the leading
 * zero: a FINESS of the départements 01 to 09, a postal code 01000. One missing zero is restored (warning).
 */
const FIXED_DIGITS: Record<string, number> = {
  "establishment.finessEJ": 9,
  "establishment.finessEG": 9,
  "establishment.address.postalCode": 5,
};

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** A schema and the schemas it references, referenced ones first (a person's name before the role). */
function withRefs(root: JsonSchema, schema: JsonSchema): JsonSchema[] {
  const ref = schema.$ref;
  if (typeof ref === "string" && ref.startsWith("#/$defs/")) {
    const target = asSchema(asSchema(root.$defs)?.[ref.slice("#/$defs/".length)]);
    if (target) return [...withRefs(root, target), schema];
  }
  return [schema];
}

function kindOf(schema: JsonSchema, path: string): LeafKind {
  if (Array.isArray(schema.enum)) {
    const titles = asSchema(schema["x-enumTitles"]) ?? {};
    return {
      type: "enum",
      values: schema.enum.map(String),
      titles: Object.fromEntries(Object.entries(titles).map(([k, v]) => [k, text(v)])),
    };
  }
  if (typeof schema.const === "number") return { type: "const", value: schema.const };
  if (schema.type === "boolean") return { type: "boolean" };
  if (schema.type === "integer") {
    return {
      type: "integer",
      ...(typeof schema.minimum === "number" ? { minimum: schema.minimum } : {}),
      ...(typeof schema.maximum === "number" ? { maximum: schema.maximum } : {}),
    };
  }
  const digits = FIXED_DIGITS[path];
  if (digits !== undefined) return { type: "string", fixedDigits: digits };
  // A French phone number (0474000001) that a spreadsheet took for a number loses its zero too.
  return path.endsWith(".phone") ? { type: "string", phone: true } : { type: "string" };
}

function collect(
  root: JsonSchema,
  schema: JsonSchema,
  pattern: string,
  required: boolean,
  groupTitle: string,
  out: Leaf[],
): void {
  const parts = withRefs(root, schema);
  const merged = Object.assign({}, ...parts) as JsonSchema;
  const properties = new Map<string, JsonSchema>();
  const requiredNames = new Set<string>();
  for (const part of parts) {
    for (const [name, value] of Object.entries(asSchema(part.properties) ?? {})) {
      const prop = asSchema(value);
      if (prop && !properties.has(name)) properties.set(name, prop);
    }
    if (Array.isArray(part.required)) for (const name of part.required) requiredNames.add(String(name));
  }
  const items = asSchema(merged.items);
  if (merged.type === "array" && items) {
    const itemTitle = text(withRefs(root, items).find((s) => typeof s.title === "string")?.title);
    collect(root, items, `${pattern}.*`, true, itemTitle, out);
    return;
  }
  if (properties.size > 0) {
    for (const [name, prop] of properties) {
      const path = pattern === "" ? name : `${pattern}.${name}`;
      const childTitle = pattern === "" ? text(prop.title) : groupTitle;
      collect(root, prop, path, required && requiredNames.has(name), childTitle, out);
    }
    return;
  }
  out.push({
    pattern,
    title: text(merged.title),
    description: text(merged.description),
    kind: kindOf(merged, pattern),
    required,
    groupTitle,
  });
}

/** Lower-case, no accent, no space, one kind of apostrophe: « Nom d’usage » and « nom d'usage » match. */
export function headerKey(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/º/g, "°")
    .replace(/[\s\u00a0\u202f]+/g, "");
}

export interface ColumnCatalog {
  leaves: readonly Leaf[];
  /** The column a header names (dotted path or French header), or undefined. */
  match(header: string): Column | undefined;
  /** Every column for that many designees, in schema order (the template's columns). */
  columns(designees: number): Column[];
  /** The column of a concrete path, or undefined when the path is not a leaf. */
  column(path: string): Column | undefined;
  maxDesignees: number;
}

/** Builds the catalog from the answers schema (schemas/answers.schema.json). */
export function createColumnCatalog(schema: JsonSchema): ColumnCatalog {
  const leaves: Leaf[] = [];
  collect(schema, schema, "", true, "", leaves);
  const designeeSchema = asSchema(asSchema(schema.properties)?.[DESIGNEES]);
  const maxDesignees = typeof designeeSchema?.maxItems === "number" ? designeeSchema.maxItems : 50;
  const designeePrefix = leaves.find((l) => l.pattern.startsWith(`${DESIGNEES}.*.`))?.groupTitle ?? "";

  const titleCount = new Map<string, number>();
  for (const leaf of leaves) titleCount.set(leaf.title, (titleCount.get(leaf.title) ?? 0) + 1);

  const headerOf = (leaf: Leaf, designee?: number): string => {
    if (designee !== undefined) return `${designeePrefix} n°${designee + 1} : ${leaf.title}`;
    return (titleCount.get(leaf.title) ?? 0) > 1 && leaf.groupTitle !== ""
      ? `${leaf.groupTitle} : ${leaf.title}`
      : leaf.title;
  };
  const concrete = (leaf: Leaf, designee?: number): Column => ({
    path: designee === undefined ? leaf.pattern : leaf.pattern.replace("*", String(designee)),
    header: headerOf(leaf, designee),
    leaf,
    ...(designee === undefined ? {} : { designee }),
  });

  const plainByKey = new Map<string, Leaf>();
  const designeeByKey = new Map<string, Leaf>();
  const byPattern = new Map<string, Leaf>();
  for (const leaf of leaves) {
    byPattern.set(leaf.pattern.toLowerCase(), leaf);
    if (leaf.pattern.includes("*")) designeeByKey.set(headerKey(leaf.title), leaf);
    else plainByKey.set(headerKey(headerOf(leaf)), leaf);
  }
  const designeeHeader = new RegExp(`^${headerKey(designeePrefix)}(?:n°|no|n)?([0-9]{1,3}):(.+)$`);
  const validIndex = (n: number) => Number.isInteger(n) && n >= 0 && n < maxDesignees;

  const column = (path: string): Column | undefined => {
    const dotted = /^designees\.([0-9]{1,3})\.(.+)$/i.exec(path);
    if (dotted) {
      const index = Number(dotted[1]);
      const leaf = byPattern.get(`${DESIGNEES}.*.${dotted[2]}`.toLowerCase());
      return leaf && validIndex(index) && String(index) === dotted[1] ? concrete(leaf, index) : undefined;
    }
    const leaf = byPattern.get(path.toLowerCase());
    return leaf && !leaf.pattern.includes("*") ? concrete(leaf) : undefined;
  };

  return {
    leaves,
    maxDesignees,
    column,
    match(header) {
      const trimmed = header.trim();
      const byPath = column(trimmed);
      if (byPath) return byPath;
      const key = headerKey(trimmed);
      const plain = plainByKey.get(key);
      if (plain) return concrete(plain);
      const m = designeeHeader.exec(key);
      if (m) {
        const index = Number(m[1]) - 1;
        const leaf = designeeByKey.get(m[2] ?? "");
        if (leaf && validIndex(index)) return concrete(leaf, index);
      }
      return undefined;
    },
    columns(designees) {
      const out: Column[] = [];
      for (const leaf of leaves) {
        if (!leaf.pattern.includes("*")) out.push(concrete(leaf));
        else if (!out.some((c) => c.designee !== undefined)) {
          for (let i = 0; i < designees; i++)
            for (const l of leaves) if (l.pattern.includes("*")) out.push(concrete(l, i));
        }
      }
      return out;
    },
  };
}
