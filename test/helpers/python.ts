import { spawnSync } from "node:child_process";

/**
 * Python 3 as an outside judge of the files we write (its email package, icalendar). The first of `python3`
 * on the PATH and Debian's /usr/bin/python3 (where apt installs python3-icalendar) that has the modules.
 */

const CANDIDATES = ["python3", "/usr/bin/python3"];

function imports(modules: readonly string[]): string {
  return modules.map((m) => `import ${m}`).join("; ") || "pass";
}

/** The Python that can import these modules, if any. */
export function pythonWith(...modules: string[]): string | undefined {
  return CANDIDATES.find(
    (python) => spawnSync(python, ["-c", imports(modules)], { encoding: "utf8" }).status === 0,
  );
}

export function hasPython(...modules: string[]): boolean {
  return pythonWith(...modules) !== undefined;
}

/** Runs a script with `input` on its standard input, in a Python having `modules`; its standard output. */
export function runPython(modules: readonly string[], script: string, input: Uint8Array | string): string {
  const python = pythonWith(...modules);
  if (python === undefined) throw new Error(`python3 sans ${modules.join(", ")}`);
  const r = spawnSync(python, ["-c", script], { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python3 : ${r.stderr}`);
  return r.stdout;
}
