import Handlebars from "handlebars";

/**
 * Text templates (messages, labels, rules' wording, text views), compiled once and cached. Never HTML-escaped
 * (`noEscape`): they produce plain text and PDF text. Only the project's own templates are compiled, never a
 * user-supplied one. `strict` makes a missing variable a programmer fault.
 */
const hbs = Handlebars.create();
const caches = {
  strict: new Map<string, Handlebars.TemplateDelegate>(),
  loose: new Map<string, Handlebars.TemplateDelegate>(),
};

export function compileText(source: string, options: { strict: boolean }): Handlebars.TemplateDelegate {
  const cache = options.strict ? caches.strict : caches.loose;
  let fn = cache.get(source);
  if (!fn) {
    fn = hbs.compile(source, { noEscape: true, strict: options.strict });
    cache.set(source, fn);
  }
  return fn;
}
