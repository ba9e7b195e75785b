import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ROOT } from "../helpers/answers.js";
import { run } from "../helpers/io.js";

/** The program's help answers without loading any command: a command's module is imported when it runs. */

const loaded = vi.hoisted(() => [] as string[]);

vi.mock("../../src/cli/commands/index.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/cli/commands/index.js")>();
  return {
    commands: real.commands.map((entry) => ({
      name: entry.name,
      load: () => {
        loaded.push(entry.name);
        return entry.load();
      },
    })),
  };
});

const texts = JSON.parse(readFileSync(join(ROOT, "templates/text/cli.fr.json"), "utf8")) as Record<
  string,
  string
>;
const { commands } = await import("../../src/cli/commands/index.js");

beforeEach(() => {
  loaded.length = 0;
});

describe("the program's help", () => {
  it("lists every command with its summary from the texts, and loads none", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const { name } of commands) {
      const summary = texts[`summary.${name}`];
      expect(summary, name).toBeTruthy();
      const line = r.stdout.split("\n").find((l) => l.startsWith(`  ${name} `));
      expect(line?.slice(2 + name.length).trim(), name).toBe(summary);
    }
    expect(loaded).toEqual([]);
  });

  it("without a command: the help on stderr, still loading none", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Commandes :");
    expect(loaded).toEqual([]);
  });

  it("a command's help loads that command alone and shows the same summary", async () => {
    const r = await run(["help", "csr"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(texts["summary.csr"]);
    expect(loaded).toEqual(["csr"]);
  });
});
