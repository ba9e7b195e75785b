import type { JsonSchema } from "../answers/messages.js";

/**
 * The questionnaire, derived from schemas/answers.schema.json: one question per answer field, labelled with the
 * field's `title`, helped by its `description`, choices titled by `x-enumTitles`, and shown only when the
 * schema's if/then/else lets the field be answered. The web page and the terminal ask the same questions.
 */

export type Scalar = string | number | boolean;

/** When a field may be answered, from a sibling field's answer. */
export type Condition =
  /** The sibling field has this value. */
  | { field: string; equals: Scalar }
  /** The sibling field is answered, with another value. */
  | { field: string; answeredAndNot: Scalar };

/** A choice offered only when an item of a list (at the root of the answers) has a field with this value. */
export interface ChoiceRequirement {
  list: string;
  field: string;
  equals: Scalar;
}

export interface Choice {
  value: string;
  title: string;
  /** From `x-enumRequires`: e.g. « Le mandataire désigné » only once a designee is a mandataire. */
  requires?: ChoiceRequirement;
}

interface BaseNode {
  /** Property name in its object. */
  key: string;
  /** Dotted path, `*` standing for a list index: `designees.*.email`. */
  path: string;
  title: string;
  description: string;
  required: boolean;
  /** Every condition must hold for the question to be asked. */
  showWhen: Condition[];
}

export interface QuestionNode extends BaseNode {
  kind: "text" | "integer" | "boolean" | "choice";
  choices: Choice[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  /** The schema's examples (`examples`), e.g. « Centre hospitalier de Ville ». */
  examples?: string[];
}

export interface GroupNode extends BaseNode {
  kind: "group";
  children: QuestionnaireNode[];
}

export interface ListNode extends BaseNode {
  kind: "list";
  item: GroupNode;
  minItems: number;
  maxItems: number;
}

/** A value the answers always carry (the format version): never asked. */
export interface FixedNode extends BaseNode {
  kind: "fixed";
  value: Scalar;
}

export type QuestionnaireNode = QuestionNode | GroupNode | ListNode | FixedNode;

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function join(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}

class ModelBuilder {
  constructor(private readonly root: JsonSchema) {}

  /** The schema and, first, the schemas it references ($ref to #/$defs/…). */
  private layers(schema: JsonSchema): JsonSchema[] {
    const ref = schema.$ref;
    if (typeof ref !== "string") return [schema];
    const name = ref.startsWith("#/$defs/") ? ref.slice("#/$defs/".length) : undefined;
    const target = name === undefined ? undefined : asSchema(asSchema(this.root.$defs)?.[name]);
    if (!target) throw new Error(`référence de schéma non prise en charge : ${ref}`);
    return [...this.layers(target), schema];
  }

  /**
   * Visibility conditions of each property, from `if {F: const V} then/else {X: false}`; and the properties
   * required whenever they are shown (required by the branch in which they are allowed).
   */
  private conditions(layers: JsonSchema[]): { showWhen: Map<string, Condition[]>; required: Set<string> } {
    const out = new Map<string, Condition[]>();
    const required = new Set<string>();
    const add = (key: string, condition: Condition) => out.set(key, [...(out.get(key) ?? []), condition]);
    const branches = layers.flatMap((l) => [
      l,
      ...(Array.isArray(l.allOf) ? l.allOf.map(asSchema).filter((s) => s !== undefined) : []),
    ]);
    for (const s of branches) {
      const test = asSchema(s.if);
      if (!test) continue;
      const tested = Object.entries(asSchema(test.properties) ?? {});
      const [field, spec] = tested[0] ?? [];
      const value = asSchema(spec)?.const;
      if (tested.length !== 1 || field === undefined || !isScalar(value))
        throw new Error("condition de schéma non prise en charge : un seul champ comparé à une constante");
      for (const [branch, other, make] of [
        ["then", "else", (): Condition => ({ field, answeredAndNot: value })],
        ["else", "then", (): Condition => ({ field, equals: value })],
      ] as const) {
        for (const [key, prop] of Object.entries(asSchema(asSchema(s[branch])?.properties) ?? {})) {
          if (prop !== false) continue;
          add(key, make());
          const requiredElsewhere = asSchema(s[other])?.required;
          if (Array.isArray(requiredElsewhere) && requiredElsewhere.includes(key)) required.add(key);
        }
      }
    }
    return { showWhen: out, required };
  }

  node(
    schema: JsonSchema,
    key: string,
    path: string,
    required: boolean,
    showWhen: Condition[],
  ): QuestionnaireNode {
    const layers = this.layers(schema);
    const merged = Object.assign({}, ...layers) as JsonSchema;
    const base = {
      key,
      path,
      title: typeof merged.title === "string" ? merged.title : key,
      description: typeof merged.description === "string" ? merged.description : "",
      required,
      showWhen,
    };
    if (isScalar(merged.const)) return { ...base, kind: "fixed", value: merged.const } satisfies FixedNode;
    if (Array.isArray(merged.enum)) {
      const titles = asSchema(merged["x-enumTitles"]) ?? {};
      const requirements = asSchema(merged["x-enumRequires"]) ?? {};
      const choices = merged.enum.map((v): Choice => {
        const title = titles[String(v)];
        const requires = asSchema(requirements[String(v)]);
        return {
          value: String(v),
          title: typeof title === "string" ? title : String(v),
          ...(requires ? { requires: requires as unknown as ChoiceRequirement } : {}),
        };
      });
      return { ...base, kind: "choice", choices } satisfies QuestionNode;
    }
    switch (merged.type) {
      case "object":
        return this.group(layers, base);
      case "array": {
        const items = asSchema(merged.items);
        if (!items) throw new Error(`liste sans schéma d'élément : ${path}`);
        const item = this.node(items, "*", join(path, "*"), true, []);
        if (item.kind !== "group")
          throw new Error(`liste dont les éléments ne sont pas des objets : ${path}`);
        const minItems = typeof merged.minItems === "number" ? merged.minItems : 0;
        const maxItems = typeof merged.maxItems === "number" ? merged.maxItems : 1000;
        return { ...base, kind: "list", item, minItems, maxItems } satisfies ListNode;
      }
      case "boolean":
        return { ...base, kind: "boolean", choices: [] } satisfies QuestionNode;
      case "integer":
        return {
          ...base,
          kind: "integer",
          choices: [],
          ...(typeof merged.minimum === "number" ? { minimum: merged.minimum } : {}),
          ...(typeof merged.maximum === "number" ? { maximum: merged.maximum } : {}),
        } satisfies QuestionNode;
      case "string":
        return {
          ...base,
          kind: "text",
          choices: [],
          ...(typeof merged.maxLength === "number" ? { maxLength: merged.maxLength } : {}),
          ...(Array.isArray(merged.examples)
            ? { examples: merged.examples.filter((e): e is string => typeof e === "string") }
            : {}),
        } satisfies QuestionNode;
      default:
        throw new Error(`type de champ non pris en charge dans le questionnaire : ${path}`);
    }
  }

  private group(layers: JsonSchema[], base: Omit<GroupNode, "kind" | "children">): GroupNode {
    const required = new Set<string>();
    const properties: [string, JsonSchema][] = [];
    for (const layer of layers) {
      if (Array.isArray(layer.required)) for (const r of layer.required) required.add(String(r));
      for (const [k, v] of Object.entries(asSchema(layer.properties) ?? {})) {
        const prop = asSchema(v);
        if (prop && !properties.some(([name]) => name === k)) properties.push([k, prop]);
      }
    }
    const conditions = this.conditions(layers);
    const children = properties.map(([k, prop]) =>
      this.node(
        prop,
        k,
        join(base.path, k),
        required.has(k) || conditions.required.has(k),
        conditions.showWhen.get(k) ?? [],
      ),
    );
    return { ...base, kind: "group", children };
  }
}

/** The questionnaire of an answers schema. Pure; throws on a schema construct it cannot ask (a programmer fault). */
export function buildQuestionnaire(schema: JsonSchema): GroupNode {
  const root = new ModelBuilder(schema).node(schema, "", "", true, []);
  if (root.kind !== "group") throw new Error("le schéma des réponses doit décrire un objet");
  return root;
}

/** Every node of the questionnaire, depth first. */
export function* walkNodes(node: QuestionnaireNode): Generator<QuestionnaireNode> {
  yield node;
  if (node.kind === "group") for (const child of node.children) yield* walkNodes(child);
  if (node.kind === "list") yield* walkNodes(node.item);
}
