import YAML from "yaml";
import { READ_LIMITS } from "../io/limits.js";

/**
 * Limits on the shape of answers, checked without recursion before anything walks them recursively (the schema,
 * the domain checks, the YAML composer): answers nested thousands of levels deep would overflow the stack, and
 * an answers object with millions of values is not one. The format v1 is four levels deep (designees.0.habilitation.
 * sslServer) and holds a few hundred values at most (50 designees).
 */

/** Nesting levels of objects and lists, the top object included. */
export const MAX_ANSWERS_DEPTH = 16;
/** Values of any kind (objects, lists, texts, numbers...). */
export const MAX_ANSWERS_VALUES = 20_000;
/** Characters of answers text (a file, a JSON Lines line, a request body): an answers file's size limit. */
export const MAX_ANSWERS_TEXT: number = READ_LIMITS.answers;

/** A size in French units: « 1,5 Mo », « 12 Ko ». */
export function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1).replace(".", ",")} Mo`
    : `${Math.ceil(bytes / 1024)} Ko`;
}

export type ShapeProblem =
  | { code: "ANSWERS_TOO_DEEP"; limit: number }
  | { code: "ANSWERS_TOO_MANY_VALUES"; limit: number }
  | { code: "ANSWERS_TOO_LARGE"; size: string; limit: string };

/** Whether answers text is small enough to be parsed. */
export function textProblem(text: string): ShapeProblem | undefined {
  return text.length > MAX_ANSWERS_TEXT
    ? { code: "ANSWERS_TOO_LARGE", size: sizeLabel(text.length), limit: sizeLabel(MAX_ANSWERS_TEXT) }
    : undefined;
}

/** Whether `data` (parsed JSON or YAML) stays within the limits; walks it with an explicit stack. */
export function shapeProblem(data: unknown): ShapeProblem | undefined {
  const stack: [unknown, number][] = [[data, 1]];
  let values = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    values += 1;
    if (values > MAX_ANSWERS_VALUES) return { code: "ANSWERS_TOO_MANY_VALUES", limit: MAX_ANSWERS_VALUES };
    if (typeof value !== "object" || value === null) continue;
    if (depth > MAX_ANSWERS_DEPTH) return { code: "ANSWERS_TOO_DEEP", limit: MAX_ANSWERS_DEPTH };
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return undefined;
}

type CstNode = YAML.CST.Token | null | undefined;

/**
 * The same limits on YAML text, from its syntax tree (built without recursion) before the document is composed
 * (which recurses). Aliases are not followed: the composer bounds them (maxAliasCount).
 */
export function yamlShapeProblem(text: string): ShapeProblem | undefined {
  const stack: [CstNode, number][] = [];
  for (const token of new YAML.Parser().parse(text)) {
    if (token.type === "document") stack.push([token.value, 1]);
  }
  let values = 0;
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CstNode, number];
    if (!token) continue;
    values += 1;
    if (values > MAX_ANSWERS_VALUES) return { code: "ANSWERS_TOO_MANY_VALUES", limit: MAX_ANSWERS_VALUES };
    if (token.type !== "block-map" && token.type !== "block-seq" && token.type !== "flow-collection")
      continue;
    if (depth > MAX_ANSWERS_DEPTH) return { code: "ANSWERS_TOO_DEEP", limit: MAX_ANSWERS_DEPTH };
    for (const item of token.items) {
      if ("key" in item) stack.push([item.key, depth + 1]);
      stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}
