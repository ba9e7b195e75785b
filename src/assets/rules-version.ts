import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PUBLIC_SUFFIX_PACKAGE } from "../answers/public-suffix-package.js";

/**
 * The rules' version: a hash of rules/*.json and of the data the decisions rest on besides them. The Public
 * Suffix List (which domains are refused) comes with an npm package: its name and version are hashed too, so a
 * list update is a new rules version, as a rule change is.
 */

export interface DataPackage {
  name: string;
  version: string;
}

/** The version of rule files (name and text, in the given order) and of the data packages. Pure. */
export function rulesVersion(
  files: readonly { name: string; text: string }[],
  packages: readonly DataPackage[],
): string {
  const hash = createHash("sha256");
  for (const f of files) hash.update(f.name).update("\0").update(f.text).update("\0");
  for (const p of packages) hash.update(`${p.name}@${p.version}`).update("\0");
  return `sha256:${hash.digest("hex").slice(0, 16)}`;
}

/** The installed package that carries the Public Suffix List, with its version. */
export function publicSuffixPackage(): DataPackage {
  const require = createRequire(import.meta.url);
  const manifest = JSON.parse(
    readFileSync(require.resolve(`${PUBLIC_SUFFIX_PACKAGE}/package.json`), "utf8"),
  ) as {
    version: string;
  };
  return { name: PUBLIC_SUFFIX_PACKAGE, version: manifest.version };
}
