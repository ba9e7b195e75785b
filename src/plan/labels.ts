import Handlebars from "handlebars";

/** French labels of the plan (templates/text/labels.fr.json). */
export interface Labels {
  forms: Record<string, { title: string; short: string }>;
  roles: Record<string, string>;
  profiles: Record<string, string>;
  offers: Record<string, string>;
  sslHabilitation: Record<string, string>;
  habilitation: string;
  yes: string;
  no: string;
  phases: Record<string, string>;
  severities: Record<string, string>;
  entities: Record<string, string>;
  keyGeneration: Record<string, string>;
  actors: Record<string, string>;
  explanation: { fired: string; notFired: string };
}

export function label(table: Record<string, string>, key: string): string {
  const value = table[key];
  if (value === undefined) throw new Error(`libellé manquant : ${key}`);
  return value;
}

const hbs = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Renders a text template of the rules or labels; a missing variable is a programmer fault. */
export function render(template: string, context: object): string {
  let fn = cache.get(template);
  if (!fn) {
    fn = hbs.compile(template, { noEscape: true, strict: true });
    cache.set(template, fn);
  }
  return fn(context);
}
