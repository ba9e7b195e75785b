import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands/index.js";
import { toolVersion } from "../../src/cli/version.js";
import { ROOT } from "../helpers/answers.js";
import { run } from "../helpers/io.js";

/** The command line as npm tools behave: suggestions, where usage goes, version, serve's exit code. */

/** The command the error's « Aide : … » line names, as words. */
function helpLine(stderr: string): string[] {
  return (/^Aide : diapason-dossier (.*)$/m.exec(stderr)?.[1] ?? "").trim().split(/\s+/);
}

describe("unknown command", () => {
  it.each([
    ["generat", "generate"],
    ["genrate", "generate"],
    ["valdiate", "validate"],
    ["serv", "serve"],
    ["remind", "reminders"],
    ["--verison", "--version"],
  ])("« %s » suggests « %s », and the help it names works", async (typed, nearest) => {
    const r = await run([typed, "--help"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`Commande inconnue « ${typed} ». Vouliez-vous dire « ${nearest} » ?`);
    // The help line never repeats the unknown command: following it succeeds.
    const help = helpLine(r.stderr);
    expect(help).not.toContain(typed);
    expect((await run(help)).code).toBe(0);
    // Nor does the suggestion fail again.
    const suggested = await run(nearest.startsWith("-") ? [nearest] : [nearest, "--help"]);
    expect(suggested.code).toBe(0);
  });

  it("lists the commands when nothing is near", async () => {
    const r = await run(["xyzzy"]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("Vouliez-vous dire");
    for (const c of commands) expect(r.stderr).toContain(c.name);
  });
});

describe("where help and usage go", () => {
  it("--help, -h and help: the program's help on stdout, exit 0", async () => {
    for (const flag of ["--help", "-h", "help"]) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain("Commandes :");
    }
  });

  it("help <command>: that command's help", async () => {
    const r = await run(["help", "batch"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Utilisation : diapason-dossier batch");
  });

  it("a usage error: message and help hint on stderr, nothing on stdout, exit 2", async () => {
    for (const args of [["plan", "--jsonn", "x"], ["validate"], ["serve", "extra"], ["serve", "--port"]]) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout, args.join(" ")).toBe("");
      expect(r.stderr).toMatch(/^Erreur : /);
      expect(helpLine(r.stderr)).toEqual([args[0], "--help"]);
    }
  });

  it("an unknown option suggests the nearest one", async () => {
    const r = await run(["serve", "--prot", "9000"]);
    expect(r.stderr).toContain(
      "Option inconnue « --prot » pour la commande serve. Vouliez-vous dire « --port » ?",
    );
  });

  it("-V, -v and --version print the version on stdout", async () => {
    for (const flag of ["-V", "-v", "--version"]) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${toolVersion}\n`);
    }
  });
});

describe("serve's exit code", () => {
  it("stopped by Ctrl-C in a real process: exit 130, as its help says", async () => {
    const help = (await run(["serve", "--help"])).stdout;
    expect(help).toContain("130 à l'arrêt par Ctrl-C");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src/cli/bin.ts"), "serve", "--port", "0"],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("Arrêt : Ctrl-C")) child.kill("SIGINT");
      });
      child.once("error", reject);
      child.once("exit", (c) => resolve(c));
    });
    expect(err).toBe("");
    expect(out).toContain("Serveur arrêté.");
    expect(code).toBe(130);
  }, 60_000);
});

describe("a reader that stops reading (… | head)", () => {
  it("ends the output quietly: no stack trace, the shells' SIGPIPE exit code", async () => {
    const child = spawn(
      process.execPath,
      // One plan per file, each its own write, far more than a pipe holds: writes go on after the reader left.
      [
        "--import",
        "tsx",
        join(ROOT, "src/cli/bin.ts"),
        "plan",
        "--explain",
        ...Array.from({ length: 40 }, () => "examples/ch-ville.yaml"),
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    // Like `head -1`: read the first chunk, then close the pipe while the command is still writing.
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (c) => resolve(c));
    });
    expect(err).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect([0, 141]).toContain(code);
  }, 60_000);
});
