import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen } from "../../src/web/index.js";
import { patch } from "../helpers/answers.js";
import { exampleAnswers, testApp } from "./helpers.js";

/** 1,000 requests at once against 127.0.0.1 only, each on its own connection: none may fail. */

const { app } = testApp();
let port = 0;

beforeAll(async () => {
  const result = await listen(app, "127.0.0.1", 0);
  if (!result.ok) throw new Error(result.reason);
  port = result.port;
});
afterAll(() => app.close());

function send(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent: false,
        headers:
          body === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("1,000 concurrent requests on loopback", () => {
  it("answers every one correctly", async () => {
    const valid = JSON.stringify(exampleAnswers());
    const invalid = JSON.stringify(patch(exampleAnswers(), { establishment: { finessEJ: "010003813" } }));
    const total = 1000;
    const kinds = [
      () => send("GET", "/"),
      () => send("GET", "/api/schema"),
      () => send("POST", "/api/validate", invalid),
      () => send("POST", "/api/plan", valid),
      () => send("POST", "/api/validate", "{broken"),
    ];
    const expected = [200, 200, 200, 200, 400];
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: total }, (_v, i) => kinds[i % kinds.length]!()),
    );
    const elapsed = performance.now() - started;
    const failures = results.filter(
      (r, i) => r.status === "rejected" || r.value.status !== expected[i % expected.length],
    );
    console.info(
      `1000 requêtes simultanées sur 127.0.0.1 : ${Math.round(elapsed)} ms, ${failures.length} échec(s)`,
    );
    expect(failures).toEqual([]);
    const plan = results[3];
    expect(plan?.status === "fulfilled" && JSON.parse(plan.value.body).plan.forms.length).toBe(4);
  }, 120_000);
});
