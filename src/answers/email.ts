import { dnsSyntaxProblems } from "./dns.js";

/** Why an e-mail address is not valid (French, lower-case start), or undefined when it is. */
export function emailProblem(value: string): string | undefined {
  if (/\s/.test(value)) return "elle contient une espace";
  const at = value.lastIndexOf("@");
  if (at < 0) return "il manque le « @ »";
  if (value.indexOf("@") !== at) return "elle contient plusieurs « @ »";
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local === "") return "il manque la partie avant le « @ »";
  if (domain === "") return "il manque le domaine après le « @ »";
  if (local.length > 64) return "la partie avant le « @ » dépasse 64 caractères";
  if (!/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/.test(local))
    return "la partie avant le « @ » contient un caractère non permis";
  if (local.startsWith(".") || local.endsWith(".") || local.includes(".."))
    return "un point est mal placé avant le « @ »";
  if (!domain.includes(".")) return "le domaine après le « @ » n'a pas d'extension (par exemple .fr)";
  if (dnsSyntaxProblems(domain).length > 0)
    return "le domaine après le « @ » n'est pas un nom de domaine valide";
  return undefined;
}
