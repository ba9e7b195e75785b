import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The installed package's folder (holding rules/, schemas/, templates/), found from this file's place. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string };
      if (pkg.name === "diapason-dossier") return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("dossier du paquet diapason-dossier introuvable");
    dir = parent;
  }
}

export const packageRoot: string = findPackageRoot();

export function assetPath(...parts: string[]): string {
  return join(packageRoot, ...parts);
}

export function readJsonAsset<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(assetPath(...parts), "utf8")) as T;
}

let version: string | undefined;

/** The tool's version (package.json), read once: plans, PDFs, reports and the CLI all name this one. */
export function toolVersion(): string {
  version ??= readJsonAsset<{ version: string }>("package.json").version;
  return version;
}
