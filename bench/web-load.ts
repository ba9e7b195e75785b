/**
 * `npx tsx bench/web-load.ts [--requests 1000]`: starts `serve` in its own process, sends that many /api/dossier
 * requests at once (each on its own connection) and prints the replies by status and the server's peak RSS
 * (VmHWM, Linux). The dossier route bounds its work in flight (DOSSIER_WORK_LIMITS): the peak must stay under
 * 500 Mo whatever the number of requests. Figures are printed, never asserted.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import YAML from "yaml";
import { packageRoot } from "../src/assets/root.js";

const { values } = parseArgs({ options: { requests: { type: "string", default: "1000" } } });
const total = Number(values.requests);
const body = JSON.stringify(YAML.parse(readFileSync(join(packageRoot, "examples", "ch-ville.yaml"), "utf8")));

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function post(port: number): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/dossier",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] }));
      },
    );
    req.on("error", () => resolve({ status: 0 }));
    req.end(body);
  });
}

const server = spawn(
  process.execPath,
  ["--import", "tsx", join(packageRoot, "src/cli/bin.ts"), "serve", "--port", "0"],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const pid = server.pid ?? 0;
const port = await new Promise<number>((resolve, reject) => {
  let out = "";
  server.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    if (match) resolve(Number(match[1]));
  });
  server.on("exit", () => reject(new Error("le serveur s'est arrêté")));
});
// One dossier first, so that the idle figure includes the loaded code and assets.
await post(port);
const idle = peakRss(pid);
const started = performance.now();
const replies = await Promise.all(Array.from({ length: total }, () => post(port)));
const seconds = (performance.now() - started) / 1000;
const byStatus = new Map<number, number>();
for (const reply of replies) byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
const peak = peakRss(pid);
server.kill("SIGINT");
console.log(`${total} requêtes /api/dossier simultanées en ${seconds.toFixed(1)} s`);
for (const [status, count] of [...byStatus].sort()) console.log(`  HTTP ${status} : ${count}`);
console.log(
  `  Retry-After des 503 : ${[...new Set(replies.filter((r) => r.status === 503).map((r) => r.retryAfter))].join(", ") || "—"}`,
);
console.log(
  `RSS maximal du serveur : ${peak.toFixed(0)} Mo (après un premier dossier : ${idle.toFixed(0)} Mo) ; objectif < 500 Mo`,
);
