import YAML from "yaml";
import { displayValue, type MessageCatalog, renderMessage } from "./messages.js";
import { type ShapeProblem, shapeProblem, textProblem, yamlShapeProblem } from "./shape.js";
import type { AnswerError } from "./types.js";

export type ParseResult = { ok: true; data: unknown } | { ok: false; errors: AnswerError[] };

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function syntaxError(
  catalog: MessageCatalog,
  code: "JSON_SYNTAX" | "YAML_SYNTAX",
  reasonKey: string,
  params: Record<string, string | number>,
): AnswerError {
  const reasons = catalog.syntaxReasons;
  const reason = renderMessage(
    reasons[reasonKey] ?? reasons[code === "JSON_SYNTAX" ? "JSON_OTHER" : "YAML_OTHER"] ?? "",
    params,
  );
  const template = catalog.input[code];
  if (template === undefined) throw new Error(`message manquant pour ${code}`);
  return { path: "", code, message: renderMessage(template, { ...params, reason }) };
}

function parseJson(text: string, catalog: MessageCatalog): ParseResult {
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const token = /Unexpected token '?(.)'?/.exec(message)?.[1] ?? text.charAt(offset);
    const end = /Unexpected end|end of JSON/i.test(message);
    return {
      ok: false,
      errors: [
        syntaxError(catalog, "JSON_SYNTAX", end ? "JSON_UNEXPECTED_END" : "JSON_UNEXPECTED_TOKEN", {
          token: displayValue(token, catalog),
          ...lineColumn(text, offset),
        }),
      ],
    };
  }
}

/**
 * YAML 1.2 would read an unquoted 010003812 as the number 10003812 and lose the FINESS's leading zero:
 * plain numbers written with a leading zero or another notation, and 9-digit numbers (a FINESS), stay text.
 */
function keepNumberLikeText(doc: YAML.Document): void {
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== "number" || node.type !== "PLAIN") return;
      const source = (node as YAML.Scalar & { source?: string }).source;
      if (
        typeof source === "string" &&
        (/^0[0-9]/.test(source) || /^[0-9]{9}$/.test(source) || String(node.value) !== source)
      ) {
        node.value = source;
      }
    },
  });
}

/** The line of the last `open` bracket before `offset` that no `close` bracket matches (quotes skipped). */
function unclosedBracketLine(text: string, offset: number, open: string, close: string): number | undefined {
  const opened: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\n") quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") while (i < text.length && text[i] !== "\n") i++;
    else if (c === open) opened.push(i);
    else if (c === close) opened.pop();
  }
  const at = opened.at(-1);
  return at === undefined ? undefined : lineColumn(text, at).line;
}

/**
 * The reason of a YAML error: a flow sequence or map left open is reported by the yaml library as an
 * indentation error (BAD_INDENT); it is named as what it is, with the line where the bracket opens.
 */
function yamlReason(
  text: string,
  e: YAML.YAMLError,
): { key: string; params: Record<string, string | number> } {
  const flow = e.code === "BAD_INDENT" ? /^Flow (sequence|map)/.exec(e.message)?.[1] : undefined;
  if (!flow) return { key: e.code, params: {} };
  const [open, close] = flow === "sequence" ? ["[", "]"] : ["{", "}"];
  const openLine = unclosedBracketLine(text, e.pos[0], open, close);
  return openLine === undefined
    ? { key: "FLOW_NOT_CLOSED", params: { open, close } }
    : { key: "FLOW_NOT_CLOSED_AT", params: { open, close, openLine } };
}

/** A shape problem as the answers' one error (a French message of the catalog's `input`). */
export function shapeError(problem: ShapeProblem, catalog: MessageCatalog): AnswerError {
  const { code, ...params } = problem;
  const template = catalog.input[code];
  if (template === undefined) throw new Error(`message manquant pour ${code}`);
  return { path: "", code, message: renderMessage(template, params) };
}

function parseYaml(text: string, catalog: MessageCatalog): ParseResult {
  // Before composing the document, which recurses: nesting thousands deep would overflow the stack.
  const problem = yamlShapeProblem(text);
  if (problem) return { ok: false, errors: [shapeError(problem, catalog)] };
  const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.slice(0, 5).map((e) => {
        const pos = e.linePos?.[0] ?? lineColumn(text, e.pos[0]);
        const line = "line" in pos ? pos.line : 1;
        const column = "col" in pos ? pos.col : 1;
        const reason = yamlReason(text, e);
        return syntaxError(catalog, "YAML_SYNTAX", reason.key, { line, column, ...reason.params });
      }),
    };
  }
  keepNumberLikeText(doc);
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: 50 }) };
  } catch {
    return {
      ok: false,
      errors: [syntaxError(catalog, "YAML_SYNTAX", "RESOURCE_EXHAUSTION", { line: 1, column: 1 })],
    };
  }
}

/** Answers text (JSON or YAML, chosen by the file name, else by the first character) as data. Pure. */
export function parseAnswersText(text: string, fileName: string, catalog: MessageCatalog): ParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const tooLarge = textProblem(body);
  if (tooLarge) return { ok: false, errors: [shapeError(tooLarge, catalog)] };
  const isJson = /\.json$/i.test(fileName) || (!/\.ya?ml$/i.test(fileName) && /^\s*[{[]/.test(body));
  const result = isJson ? parseJson(body, catalog) : parseYaml(body, catalog);
  if (!result.ok) return result;
  const data = result.data;
  const problem = shapeProblem(data);
  if (problem) return { ok: false, errors: [shapeError(problem, catalog)] };
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const kind =
      data === null || data === undefined
        ? catalog.values.emptyDocument
        : Array.isArray(data)
          ? catalog.values.list
          : renderMessage(catalog.values.value, { value: displayValue(data, catalog) });
    const template = catalog.input.NOT_AN_OBJECT ?? "";
    return {
      ok: false,
      errors: [{ path: "", code: "NOT_AN_OBJECT", message: renderMessage(template, { kind }) }],
    };
  }
  return result;
}
