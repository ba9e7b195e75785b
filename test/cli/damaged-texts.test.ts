import { describe, expect, it, vi } from "vitest";
import { run } from "../helpers/io.js";

/**
 * An installation whose templates/text/cli.fr.json is damaged: the command line cannot word its own messages, and
 * says what the loader found wrong (in French, naming the file), exit code 3, never a stack trace.
 */

const PROBLEM = "templates/text/cli.fr.json : le texte « commandsTitle » manque";

vi.mock("../../src/cli/texts.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/cli/texts.js")>();
  const damaged = () => {
    throw new Error(PROBLEM);
  };
  return { ...real, cliTexts: damaged, errorLine: damaged, missingArgument: damaged };
});

describe("les textes de la ligne de commande endommagés", () => {
  it("--help dit ce qui manque, code 3, sans trace de pile", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${PROBLEM}\n`);
  });

  it("une commande aussi : le même message, code 3, sans trace de pile", async () => {
    const r = await run(["validate"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`${PROBLEM}\n`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
