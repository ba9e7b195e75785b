import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The README as the package's npm page shows it. npmjs.com resolves a README's relative paths only against a
 * declared repository, and this package declares none: on its page, `docs/images/formulaire-413.png` would be a
 * broken image. So the packed README (`npm pack`, `npm publish`) points each relative image and link to the same
 * file of the same published version, which the package ships (`files` lists docs/images) and jsDelivr serves from
 * the npm registry; the repository's README keeps its relative paths, which work there and in an installed package.
 *
 * `tsx scripts/npm-readme.ts pack` (prepack) rewrites README.md and keeps the original in .scratch/;
 * `tsx scripts/npm-readme.ts restore` (postpack) puts it back.
 */

/** Markdown links and images whose target is a relative path (not a URL, an anchor or an absolute path). */
const RELATIVE_TARGET = /(!?\[[^\]]*\]\()(?![a-z][a-z0-9+.-]*:|#|\/)([^)\s]+)\)/gi;

export function readmeForNpm(text: string, pkg: { name: string; version: string }): string {
  return text.replace(
    RELATIVE_TARGET,
    (_m, head: string, path: string) =>
      `${head}https://cdn.jsdelivr.net/npm/${pkg.name}@${pkg.version}/${path})`,
  );
}

/** The relative targets of the README's links and images, as written. */
export function relativeTargets(text: string): string[] {
  return [...text.matchAll(RELATIVE_TARGET)].map((m) => m[2] as string);
}

function main(action: string | undefined): void {
  const root = join(fileURLToPath(import.meta.url), "..", "..");
  const readme = join(root, "README.md");
  const kept = join(root, ".scratch", "README.before-pack.md");
  if (action === "pack") {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      name: string;
      version: string;
    };
    // A pack that stopped before its postpack left the rewritten README: the kept original comes back first.
    if (existsSync(kept)) renameSync(kept, readme);
    mkdirSync(join(root, ".scratch"), { recursive: true });
    copyFileSync(readme, kept);
    writeFileSync(readme, readmeForNpm(readFileSync(readme, "utf8"), pkg));
  } else if (action === "restore") {
    if (existsSync(kept)) renameSync(kept, readme);
  } else {
    throw new Error("usage : tsx scripts/npm-readme.ts pack|restore");
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv[2]);
