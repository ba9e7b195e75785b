import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { createServeCommand } from "../../src/cli/commands/serve.js";
import { isLoopbackHost } from "../../src/web/index.js";
import { fakeIo, run } from "../helpers/io.js";
import { exampleAnswers } from "./helpers.js";

/** Starts `serve` in-process on a free loopback port; resolves once it listens. */
async function startServe(
  args: Record<string, string | boolean> = {},
  openUrl: (url: string) => Promise<boolean> = async () => true,
) {
  const controller = new AbortController();
  const io = fakeIo({ signal: controller.signal });
  let resolveUrl: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => {
    resolveUrl = resolve;
  });
  const cmd = createServeCommand({ openUrl, onListening: (url) => resolveUrl(url) });
  const exit = cmd.run({ values: { port: "0", ...args }, positionals: [], io });
  const url = await Promise.race([
    listening,
    exit.then((code) => Promise.reject(new Error(`sortie ${code}: ${io.err()}`))),
  ]);
  return { url, io, exit, stop: () => controller.abort() };
}

function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : 0 });
    });
  });
}

describe("serve", () => {
  it("listens on 127.0.0.1, answers the page and the API, and stops on Ctrl-C", async () => {
    const { url, io, exit, stop } = await startServe();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/$/);
    expect(io.out()).toContain(`le questionnaire est ouvert à l'adresse ${url}`);
    expect(io.err()).toBe("");
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const plan = await fetch(new URL("/api/plan", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(exampleAnswers()),
    });
    expect((await plan.json()).plan.forms.length).toBe(4);
    stop();
    expect(await exit).toBe(130);
    expect(io.out()).toContain("Serveur arrêté.");
    await expect(fetch(url)).rejects.toThrow();
  });

  it("opens the browser with --open", async () => {
    const opened: string[] = [];
    const { url, exit, stop } = await startServe({ open: true }, async (u) => {
      opened.push(u);
      return true;
    });
    expect(opened).toEqual([url]);
    stop();
    await exit;
  });

  it("says in French when the browser cannot be opened", async () => {
    const { io, exit, stop } = await startServe({ open: true }, async () => false);
    expect(io.err()).toContain("Le navigateur n'a pas pu être ouvert automatiquement");
    stop();
    expect(await exit).toBe(130);
  });

  it("exits 2 with a French message when the port is in use", async () => {
    const { server, port } = await occupy();
    try {
      const result = await run(["serve", "--port", String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Le port ${port} est déjà utilisé sur 127.0.0.1`);
    } finally {
      server.close();
    }
  });

  it("refuses an invalid port with exit 2", async () => {
    for (const port of ["abc", "70000", "-1", "80.5"]) {
      const result = await run(["serve", `--port=${port}`]);
      expect(result.code, port).toBe(2);
      expect(result.stderr).toContain("n'est pas valide");
    }
  });

  it("warns in French before listening on an address other machines can reach", async () => {
    // 192.0.2.1 (TEST-NET-1) is assigned to no interface here: the warning is printed, then the bind fails.
    const result = await run(["serve", "--host", "192.0.2.1", "--port", "0"]);
    expect(result.stderr).toContain("une adresse joignable depuis d'autres machines");
    expect(result.stderr).toContain("n'est pas disponible sur cette machine");
    expect(result.code).toBe(2);
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("localhost")).toBe(true);
    expect(isLoopbackHost("::1")).toBe(true);
    expect(isLoopbackHost("0.0.0.0")).toBe(false);
  });

  it("is listed in the help, in French", async () => {
    const result = await run(["serve", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--port <port>");
    expect(result.stdout).toContain("127.0.0.1");
  });
});
