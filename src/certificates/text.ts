/** French wording kept in handlebars templates under templates/text/certificates/ (compiled with noEscape). */
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { assetPath } from "../assets/root.js";

const handlebars = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function renderText(name: string, data: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(assetPath("templates", "text", "certificates", `${name}.hbs`), "utf8");
    template = handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(data);
}
