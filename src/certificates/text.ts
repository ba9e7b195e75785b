/** French wording kept in handlebars templates under templates/text/certificates/ (the project's text compiler). */
import { readFileSync } from "node:fs";
import { assetPath } from "../assets/root.js";
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
