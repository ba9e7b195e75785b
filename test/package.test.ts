import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readmeForNpm, relativeTargets } from "../scripts/npm-readme.js";
import { ROOT } from "./helpers/answers.js";

/** The package as `npm pack` makes it: what it ships, and its README as the npm page shows it. */

const readme = readFileSync(join(ROOT, "README.md"), "utf8");

/** The files of the tarball, as `npm pack` lists them (its scripts skipped: dist/ is built by npm install). */
function packedFiles(): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
}

describe("the packed README", () => {
  it("points relative images and links to the same files of the published version", () => {
    const text = [
      "![Formulaire](docs/images/formulaire-413.png)",
      "[`examples/`](examples/README.md) et [la procédure](https://example.org/p.pdf), [plus bas](#limites)",
    ].join("\n");
    expect(readmeForNpm(text, { name: "diapason-dossier", version: "1.2.3" })).toBe(
      [
        "![Formulaire](https://cdn.jsdelivr.net/npm/diapason-dossier@1.2.3/docs/images/formulaire-413.png)",
        "[`examples/`](https://cdn.jsdelivr.net/npm/diapason-dossier@1.2.3/examples/README.md) et [la procédure](https://example.org/p.pdf), [plus bas](#limites)",
      ].join("\n"),
    );
  });

  it("leaves no relative path in the README's images once rewritten", () => {
    expect(relativeTargets(readme).some((t) => t.startsWith("docs/images/"))).toBe(true);
    expect(relativeTargets(readmeForNpm(readme, { name: "diapason-dossier", version: "0.1.0" }))).toEqual([]);
  });
});

describe("npm pack", () => {
  const files = packedFiles();

  it("ships the command, the licence and every file the README points to", () => {
    expect(files).toContain("dist/src/cli/bin.js");
    expect(files).toContain("LICENSE");
    for (const target of relativeTargets(readme)) expect(files, target).toContain(target);
  });

  it("ships no bench, script or test", () => {
    const extra = files.filter((f) =>
      /^(dist\/(bench|scripts|test)\/|bench\/|scripts\/|test\/|src\/)/.test(f),
    );
    expect(extra).toEqual([]);
  });
});
