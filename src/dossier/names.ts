import type { PlanForm } from "../plan/types.js";

/** File names of a dossier: readable, ASCII, and unable to leave the output folder whatever the user typed. */

/** Longest slug built from user text (a name part), in characters. */
export const MAX_SLUG_LENGTH = 48;
/** Longest file name of a dossier, extension included. */
export const MAX_FILE_NAME_LENGTH = 120;

/** Letters that Unicode decomposition does not fold to ASCII. */
const EXTRA_FOLDS: Record<string, string> = {
  æ: "ae",
  œ: "oe",
  ø: "o",
  ß: "ss",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ŧ: "t",
  ħ: "h",
  ŋ: "n",
};

/** Lower-case ASCII, accents folded, anything else a single '-', at most `max` characters, cut at a '-'. */
export function slugify(text: string, max = MAX_SLUG_LENGTH): string {
  const folded = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^ -~]/g, (c) => EXTRA_FOLDS[c] ?? "-");
  let slug = folded
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/-{2,}/g, "-");
  if (slug.length > max) {
    const cut = slug.slice(0, max + 1);
    const lastDash = cut.lastIndexOf("-");
    slug = (lastDash >= max / 2 ? cut.slice(0, lastDash) : slug.slice(0, max)).replace(/-+$/, "");
  }
  return slug;
}

/** True when `name` is a plain file name in the dossier folder: no separator, no dot-only or hidden name. */
export function isSafeFileName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= MAX_FILE_NAME_LENGTH &&
    /^[a-z0-9][a-z0-9._-]*$/.test(name) &&
    !name.includes("..")
  );
}

/** Throws (a programmer fault) when a built name could leave the folder: slugs make that impossible. */
export function assertSafeFileName(name: string): string {
  if (!isSafeFileName(name)) throw new Error(`nom de fichier de dossier non sûr : ${JSON.stringify(name)}`);
  return name;
}

export interface FormNameLabels {
  /** Slug source for each form id, e.g. "Contrat de structure". */
  forms: Record<string, string>;
  /** Slug source for each role, e.g. "administrateur technique". */
  roles: Record<string, string>;
}

/** The person a form is about: its designee, else (forms 101 and the contract) its signatory. */
function personOf(form: PlanForm): { role: string; lastName: string; firstName: string } {
  if (form.designee) return form.designee;
  return form.signatory;
}

/** `contrat-de-structure`, `101-representant-legal-durand-marie`, `413-administrateur-technique-lefevre-elodie`. */
export function formBaseName(form: PlanForm, labels: FormNameLabels): string {
  if (form.form === "contrat-structure") {
    return slugify(labels.forms[form.form] ?? form.form) || "contrat";
  }
  const person = personOf(form);
  const role = slugify(labels.roles[person.role] ?? person.role);
  const name = slugify(`${person.lastName} ${person.firstName}`) || "sans-nom";
  return [slugify(form.form), role, name].filter((part) => part !== "").join("-");
}

/**
 * One distinct, safe file name per form, in plan order: a second form with the same base name gets `-2`,
 * then `-3`... Names reserved for the other dossier files are never reused.
 */
export function formFileNames(
  forms: readonly PlanForm[],
  labels: FormNameLabels,
  reserved: readonly string[] = [],
): Map<string, string> {
  const taken = new Set(reserved);
  const names = new Map<string, string>();
  for (const form of forms) {
    const base = formBaseName(form, labels)
      .slice(0, MAX_FILE_NAME_LENGTH - 8)
      .replace(/-+$/, "");
    let name = `${base}.pdf`;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}.pdf`;
    taken.add(name);
    names.set(form.id, assertSafeFileName(name));
  }
  return names;
}
