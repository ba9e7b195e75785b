import { dnsSyntaxProblems } from "./dns.js";

/** Why an e-mail address is not valid, as a code of schemas/messages.fr.json `emailReasons`. */
export type EmailProblem =
  | "SPACE"
  | "NO_AT"
  | "SEVERAL_AT"
  | "NO_LOCAL_PART"
  | "NO_DOMAIN"
  | "LOCAL_PART_TOO_LONG"
  | "LOCAL_PART_CHARACTER"
  | "LOCAL_PART_DOT"
  | "DOMAIN_NO_EXTENSION"
  | "DOMAIN_INVALID";

/** Why an e-mail address is not valid, or undefined when it is. */
export function emailProblem(value: string): EmailProblem | undefined {
  if (/\s/.test(value)) return "SPACE";
  const at = value.lastIndexOf("@");
  if (at < 0) return "NO_AT";
  if (value.indexOf("@") !== at) return "SEVERAL_AT";
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local === "") return "NO_LOCAL_PART";
  if (domain === "") return "NO_DOMAIN";
  if (local.length > 64) return "LOCAL_PART_TOO_LONG";
  if (!/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/.test(local)) return "LOCAL_PART_CHARACTER";
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return "LOCAL_PART_DOT";
  if (!domain.includes(".")) return "DOMAIN_NO_EXTENSION";
  if (dnsSyntaxProblems(domain).length > 0) return "DOMAIN_INVALID";
  return undefined;
}
