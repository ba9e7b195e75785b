import { compileText } from "../templating/index.js";
import { type Interpolation, interpolation } from "./interpolate.js";

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
  explanation: { fired: string; notFired: string; waits: string };
  /** What the steps wait for (plan.awaited), by kind. */
  awaited: Record<string, string>;
  /** « de Marie », « d'Élodie »: `vowel` before a name starting with a vowel sound. */
  of: { vowel: string; other: string };
  /** The « Quand » of a step. */
  when: {
    now: string;
    after: string;
    waits: string;
    afterAndWaits: string;
    stepOne: string;
    stepMany: string;
    and: string;
    or: string;
    list: string;
  };
}

export function label(table: Record<string, string>, key: string): string {
  const value = table[key];
  if (value === undefined) throw new Error(`libellé manquant : ${key}`);
  return value;
}

/** The shortcut of each template met (rules' and labels' wording: a fixed, small set), or null when it has none. */
const shortcuts = new Map<string, Interpolation | null>();

/** Renders a text template of the rules or labels; a missing variable is a programmer fault. */
export function render(template: string, context: object): string {
  let shortcut = shortcuts.get(template);
  if (shortcut === undefined) {
    shortcut = interpolation(template) ?? null;
    shortcuts.set(template, shortcut);
  }
  return shortcut?.(context) ?? renderWithHandlebars(template, context);
}

/** The reference rendering, which `render` gives the same text as (test/plan.property.test.ts). */
export function renderWithHandlebars(template: string, context: object): string {
  return compileText(template, { strict: true })(context);
}

/** « de Marie Durand », « d'Élodie Lefèvre »: the labels' two forms, by the name's first letter. */
export function ofName(labels: Labels, name: string): string {
  const vowel = /^[aeiouyàâäéèêëîïôöùûüœæ]/i.test(name.normalize("NFC"));
  return render(vowel ? labels.of.vowel : labels.of.other, { name });
}
