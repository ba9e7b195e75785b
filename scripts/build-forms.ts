import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { assetPath } from "../src/assets/root.js";
import { buildFormTemplate, type FormLayout } from "../src/render/index.js";

/**
 * Builds templates/forms/<form>.pdf from templates/forms/src/<form>.layout.json (npm run build:forms).
 * `--out <dossier>` writes elsewhere, e.g. to compare a rebuild with the committed files.
 */

const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const outDir =
  outIndex >= 0 && args[outIndex + 1] ? resolve(args[outIndex + 1]!) : assetPath("templates", "forms");
const srcDir = assetPath("templates", "forms", "src");
mkdirSync(outDir, { recursive: true });
for (const name of readdirSync(srcDir)
  .filter((n) => n.endsWith(".layout.json"))
  .sort()) {
  const layout = JSON.parse(readFileSync(join(srcDir, name), "utf8")) as FormLayout;
  const bytes = await buildFormTemplate(layout, name);
  writeFileSync(join(outDir, layout.file), bytes);
  process.stdout.write(`${layout.file} : ${bytes.length} octets\n`);
}
