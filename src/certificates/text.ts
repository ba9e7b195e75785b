/** French wording kept in handlebars templates under templates/text/certificates/ (the project's text compiler). */
import { loadTemplateSource, loadTexts } from "../assets/texts.js";
import { compileText } from "../templating/index.js";

const sources = new Map<string, string>();

export function renderText(name: string, data: object): string {
  let source = sources.get(name);
  if (source === undefined) {
    source = loadTemplateSource(`text/certificates/${name}.hbs`);
    sources.set(name, source);
  }
  return compileText(source, { strict: true })(data);
}

interface CertificateMessages {
  unreadable: Record<string, string>;
  bundle: Record<string, string>;
}

/** A message of templates/text/certificates/messages.fr.json, e.g. `message("bundle", "CHECK_FAILED", {…})`. */
export function message(group: keyof CertificateMessages, code: string, params: object = {}): string {
  const source = loadTexts<CertificateMessages>("text/certificates/messages.fr.json")[group][code];
  if (source === undefined) throw new Error(`message manquant : ${group}.${code}`);
  return compileText(source, { strict: true })(params);
}
