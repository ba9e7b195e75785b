/** French wording kept in handlebars templates under templates/text/certificates/ (the project's text compiler). */
import { readFileSync } from "node:fs";
import { assetPath, readJsonAsset } from "../assets/root.js";
import { compileText } from "../templating/index.js";

const sources = new Map<string, string>();

export function renderText(name: string, data: object): string {
  let source = sources.get(name);
  if (source === undefined) {
    source = readFileSync(assetPath("templates", "text", "certificates", `${name}.hbs`), "utf8");
    sources.set(name, source);
  }
  return compileText(source, { strict: true })(data);
}

interface CertificateMessages {
  unreadable: Record<string, string>;
  bundle: Record<string, string>;
}

let messages: CertificateMessages | undefined;

/** A message of templates/text/certificates/messages.fr.json, e.g. `message("bundle", "CHECK_FAILED", {…})`. */
export function message(group: keyof CertificateMessages, code: string, params: object = {}): string {
  messages ??= readJsonAsset<CertificateMessages>("templates", "text", "certificates", "messages.fr.json");
  const source = messages[group][code];
  if (source === undefined) throw new Error(`message manquant : ${group}.${code}`);
  return compileText(source, { strict: true })(params);
}
