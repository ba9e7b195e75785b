/**
 * A shortcut for the plan's text templates, which only insert values (`{{gap.fqdn}}`, `{{fullName}}`): rendering
 * them through the Handlebars runtime costs a few microseconds of set-up per call, a hundred times per plan. A
 * template qualifies when its only Handlebars syntax is `{{name}}` or `{{a.b}}` mustaches of plain segments (never
 * a built-in helper, a literal, `this` or `@data`), with no other brace and no backslash anywhere (no `{{{`, no
 * `\{{` escapes). The shortcut then answers only when every value it reads is an own property holding a string, a
 * number or a boolean, which strict, non-escaping Handlebars inserts as they are; in any other case (a missing,
 * null or undefined value, an object, a function) it answers `undefined` and the caller renders with Handlebars,
 * whose text or error stays the reference. The project registers no helper of its own on its Handlebars instance;
 * test/plan.property.test.ts compares both renderings on every template of the rules and labels.
 */
export type Interpolation = (context: object) => string | undefined;

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names Handlebars reads as syntax; names of Object.prototype members go through its access checks instead. */
const RESERVED = new Set(["this", "true", "false", "null", "undefined", "else"]);
/** Handlebars' built-in helpers: a one-segment mustache naming one calls it. */
const HELPERS = new Set([
  "blockHelperMissing",
  "each",
  "helperMissing",
  "if",
  "log",
  "lookup",
  "unless",
  "with",
]);

const hasOwn = Object.prototype.hasOwnProperty;

/** JavaScript's `+` on strings, numbers and booleans, as Handlebars' generated code applies it. */
function plus(a: unknown, b: unknown): unknown {
  return (a as number) + (b as number);
}

/** Text between mustaches: no brace at all (a stray `}` after `}}` would be Handlebars syntax). */
function plainText(text: string): boolean {
  return !/[{}\\]/.test(text);
}

/** The shortcut for a template, or undefined when the template does not qualify. */
export function interpolation(template: string): Interpolation | undefined {
  if (template.includes("\\")) return undefined;
  const literals: string[] = [];
  const paths: string[][] = [];
  let rest = template;
  for (;;) {
    const open = rest.indexOf("{{");
    if (open < 0) break;
    const close = rest.indexOf("}}", open + 2);
    if (close < 0) return undefined;
    const before = rest.slice(0, open);
    if (!plainText(before)) return undefined;
    const segments = rest.slice(open + 2, close).split(".");
    if (segments.length > 2 || (segments.length === 1 && HELPERS.has(segments[0] as string)))
      return undefined;
    for (const s of segments)
      if (!SEGMENT.test(s) || RESERVED.has(s) || s in Object.prototype) return undefined;
    literals.push(before);
    paths.push(segments);
    rest = rest.slice(close + 2);
  }
  if (!plainText(rest)) return undefined;
  literals.push(rest);
  const count = paths.length;
  return (context: object): string | undefined => {
    // Handlebars joins the parts with `+` from the first one on: values in a row at the start add up when they are
    // numbers or booleans (`{{a.x}}{{a.y}}` gives "3" for 1 and 2). The same operator gives the same text.
    let out: unknown = literals[0];
    let started = literals[0] !== "";
    for (let i = 0; i < count; i++) {
      const path = paths[i] as string[];
      let value: unknown = context;
      for (const segment of path) {
        if (typeof value !== "object" || value === null || !hasOwn.call(value, segment)) return undefined;
        value = (value as Record<string, unknown>)[segment];
      }
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
        return undefined;
      out = started ? plus(out, value) : value;
      started = true;
      const literal = literals[i + 1] as string;
      if (literal !== "") out = plus(out, literal);
    }
    return String(out);
  };
}
