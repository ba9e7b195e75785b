import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadAnswersValidator, loadLabels, loadPlanner } from "../../src/assets/load.js";
import type { Planner } from "../../src/plan/planner.js";
import { createDossierBuilder } from "../../src/web/index.js";
import { patch, ROOT } from "../helpers/answers.js";
import { run } from "../helpers/io.js";
import { exampleAnswers, exampleText, testApp } from "./helpers.js";
import { readZip } from "./zip.js";

const { app } = testApp();
afterAll(() => app.close());

const json = { "content-type": "application/json" };

function post(url: string, body: unknown) {
  return app.inject({ method: "POST", url, headers: json, payload: JSON.stringify(body) });
}

/** No error reply may leak a stack trace or a server path. */
function expectFrenchError(body: string, code: string) {
  const parsed = JSON.parse(body) as { error: { code: string; message: string } };
  expect(parsed.error.code).toBe(code);
  expect(parsed.error.message).toMatch(/[éèàç]|Cette|La |Le |Les /);
  expect(body).not.toMatch(/\n\s+at |node_modules|\/work\/|Error:/);
}

describe("page and files", () => {
  it("serves the page in French with a strict content security policy", async () => {
    const res = await app.inject({ url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body).toContain('<html lang="fr">');
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    const script = await app.inject({ url: "/app.js" });
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    const again = await app.inject({
      url: "/app.js",
      headers: { "if-none-match": String(script.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it("never turns a URL into a file path", async () => {
    for (const url of [
      "/../package.json",
      "/%2e%2e/package.json",
      "/web/app.js",
      "/app.js/../../package.json",
      "/.env",
      "/%00",
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body).not.toContain('"name": "diapason-dossier"');
    }
  });

  it("answers an unknown address or method with a French 404", async () => {
    const res = await app.inject({ url: "/api/nope" });
    expect(res.statusCode).toBe(404);
    expectFrenchError(res.body, "NOT_FOUND");
    const get = await app.inject({ url: "/api/validate" });
    expect(get.statusCode).toBe(404);
    expectFrenchError(get.body, "NOT_FOUND");
  });
});

describe("GET /api/schema", () => {
  it("gives the answers schema, the questionnaire built from it, « pourquoi » and the French texts", async () => {
    const res = await app.inject({ url: "/api/schema" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const body = res.json();
    expect(body.schema.title).toBe("Réponses au questionnaire diapason-dossier (format v1)");
    expect(body.questionnaire.kind).toBe("group");
    expect(body.why["contract.exists"].decisions.length).toBeGreaterThan(0);
    expect(body.texts.why.toggle).toBe("Pourquoi cette question ?");
  });
});

describe("POST /api/validate", () => {
  it("accepts valid answers and returns the validator's warnings", async () => {
    const res = await post("/api/validate", exampleAnswers());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it("gives the same French errors as the CLI validator", async () => {
    const data = patch(exampleAnswers(), {
      establishment: { finessEJ: "010003813" },
      contract: { exists: true },
    });
    const res = await post("/api/validate", data);
    const expected = loadAnswersValidator().validate(data);
    expect(expected.ok).toBe(false);
    expect(res.json()).toEqual({
      ok: false,
      errors: expected.ok ? [] : expected.errors,
      warnings: expected.warnings,
    });
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["establishment.finessEJ", "contract.signedAt"]),
    );
  });

  it("validates anything JSON without failing: null, a list, a number", async () => {
    for (const body of [null, [], 3, "texte"]) {
      const res = await post("/api/validate", body);
      expect(res.statusCode).toBe(200);
      expect(res.json().ok).toBe(false);
    }
  });
});

describe("POST /api/plan", () => {
  it("summarises the forms, for whom and why, the contract and the findings", async () => {
    const res = await post("/api/plan", exampleAnswers());
    expect(res.statusCode).toBe(200);
    const { plan } = res.json();
    expect(plan.forms.map((f: { form: string }) => f.form)).toEqual([
      "contrat-structure",
      "101",
      "301",
      "413",
    ]);
    const form301 = plan.forms.find((f: { form: string }) => f.form === "301");
    expect(form301.for).toEqual({ name: "Élodie Lefèvre", role: "administrateur technique", index: 0 });
    expect(form301.signatory).toBe("Marie Durand, représentant légal");
    expect(form301.reasons[0]).toContain("n'a pas de carte CPx");
    expect(form301.sections).toEqual(["§1"]);
    expect(plan.contract.signatory).toBe("entité juridique (EJ)");
    expect(plan.findings.map((f: { code: string }) => f.code)).toContain("CONTRACT_SIGNATORY_DEFAULTED");
    expect(plan.findings[0].severityLabel).toBe("Information");
    // What to do now and what to wait for, as the CLI says it.
    expect(plan.now[0]).toMatchObject({ number: 1, actor: "Marie Durand, représentant légal" });
    expect(plan.awaited.map((a: { label: string }) => a.label)).toContain("la carte CPx d'Élodie Lefèvre");
    expect(
      plan.awaited.find((a: { label: string }) => a.label.startsWith("l'enregistrement du contrat")),
    ).toEqual({
      label: "l'enregistrement du contrat de structure par l'ANS",
      receivedBy: "Marie Durand",
      steps: "5",
    });
  });

  it("answers 422 with the errors when the answers are not valid", async () => {
    const res = await post("/api/plan", { version: 1 });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.ok).toBe(false);
    expect(body.errors.length).toBeGreaterThan(0);
    expect(body.error.code).toBe("ANSWERS_INVALID");
  });

  it("reports a server fault as a French 500, without detail, and logs it", async () => {
    const failing: Planner = {
      rulesVersion: "x",
      plan: () => Promise.reject(new Error("panne simulée /secret/path")),
    };
    const { app: broken, errors } = testApp({ planner: failing });
    const res = await broken.inject({
      method: "POST",
      url: "/api/plan",
      headers: json,
      payload: exampleAnswers(),
    });
    expect(res.statusCode).toBe(500);
    expectFrenchError(res.body, "INTERNAL");
    expect(res.body).not.toContain("secret");
    expect(errors).toHaveLength(1);
    await broken.close();
  });
});

describe("POST /api/plan/draft", () => {
  it("gives what is decided for incomplete answers, naming people not yet named by their place", async () => {
    const answers = patch(exampleAnswers(), {
      legalRepresentative: { firstName: null, lastName: null, hasActiveCard: null },
    }) as { designees: Record<string, unknown>[] };
    const [designee] = answers.designees;
    delete designee?.firstName;
    delete designee?.email;
    delete designee?.hasActiveCard;
    const res = await post("/api/plan/draft", answers);
    expect(res.statusCode).toBe(200);
    const { draft } = res.json();
    // No contract: the contract and the form n°101 whatever the answers to come; a card to request depends on one.
    expect(draft.decided.map((f: { form: string }) => f.form)).toEqual(["contrat-structure", "101", "413"]);
    expect(draft.open.map((f: { form: string }) => f.form)).toEqual(["301"]);
    const form301 = draft.open.find((f: { form: string }) => f.form === "301");
    expect(form301.for.name).toBe("personne désignée n°1");
    expect(form301.signatory).toBe("représentant légal");
    // The examples that completed the names never show.
    expect(JSON.stringify(draft)).not.toMatch(/Marie|Durand/);
  });

  it("says nothing (null) when too little is answered", async () => {
    const res = await post("/api/plan/draft", { version: 1, designees: [{}, {}, {}] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ draft: null });
  });
});

describe("POST /api/answers/load", () => {
  function load(payload: string | Buffer) {
    return app.inject({
      method: "POST",
      url: "/api/answers/load",
      headers: { "content-type": "application/octet-stream" },
      payload,
    });
  }

  it("reads a YAML or JSON answers file, keeping a FINESS's leading zero", async () => {
    const yaml = await load(exampleText());
    expect(yaml.statusCode).toBe(200);
    expect(yaml.json()).toMatchObject({
      ok: true,
      valid: true,
      data: { establishment: { finessEJ: "010003812" } },
    });
    const fromJson = await load(JSON.stringify(exampleAnswers()));
    expect(fromJson.json().data).toEqual(yaml.json().data);
  });

  it("returns the data with its errors when the file reads but does not validate", async () => {
    const res = await load("version: 1\nestablishment:\n  name: CH\n  couleur: bleu\n");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.valid).toBe(false);
    expect(body.errors.some((e: { code: string }) => e.code === "UNKNOWN_FIELD")).toBe(true);
  });

  it("refuses syntax errors, binary and empty files with French messages naming no path", async () => {
    const cases: [string | Buffer, string][] = [
      ['{ "version": 1,', "JSON_SYNTAX"],
      ["version: 1\n  bad: [", "YAML_SYNTAX"],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]), "FILE_BINARY"],
      ["", "FILE_EMPTY"],
      [Buffer.from([0x76, 0xe9, 0x0a]), "FILE_ENCODING"],
      ["- une\n- liste\n", "NOT_AN_OBJECT"],
    ];
    for (const [payload, code] of cases) {
      const res = await load(payload);
      expect(res.statusCode, code).toBe(422);
      const body = res.json();
      expect(body.errors[0].code).toBe(code);
      expect(body.errors[0].message).not.toMatch(/\/work|\/tmp|node_modules|\\/);
    }
  });
});

describe("malformed requests", () => {
  it("answers broken JSON, a wrong content type and an oversized body with French 4xx", async () => {
    const broken = await app.inject({ method: "POST", url: "/api/validate", headers: json, payload: "{bad" });
    expect(broken.statusCode).toBe(400);
    expectFrenchError(broken.body, "INVALID_JSON");

    const empty = await app.inject({ method: "POST", url: "/api/validate", headers: json, payload: "" });
    expect(empty.statusCode).toBe(400);
    expectFrenchError(empty.body, "EMPTY_BODY");

    const text = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: { "content-type": "text/plain" },
      payload: "{}",
    });
    expect(text.statusCode).toBe(415);
    expectFrenchError(text.body, "UNSUPPORTED_MEDIA_TYPE");

    const huge = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: json,
      payload: JSON.stringify({ version: 1, padding: "x".repeat(300 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expectFrenchError(huge.body, "BODY_TOO_LARGE");
    expect(huge.json().error.message).toContain("256 Ko");

    const poisoned = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: json,
      payload: '{"__proto__": {"polluted": true}}',
    });
    expect(poisoned.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses requests addressed to another host name or posted from another origin", async () => {
    const rebinding = await app.inject({ url: "/api/schema", headers: { host: "evil.example:8080" } });
    expect(rebinding.statusCode).toBe(403);
    expectFrenchError(rebinding.body, "FORBIDDEN_HOST");
    const crossSite = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: { ...json, origin: "https://evil.example" },
      payload: "{}",
    });
    expect(crossSite.statusCode).toBe(403);
    for (const host of ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"]) {
      const ok = await app.inject({ url: "/api/schema", headers: { host, origin: `http://${host}` } });
      expect(ok.statusCode, host).toBe(200);
    }
    const { app: open } = testApp({ loopbackOnly: false });
    const anyHost = await open.inject({ url: "/", headers: { host: "poste-42.ch-ville.fr:8080" } });
    expect(anyHost.statusCode).toBe(200);
    const otherSite = await open.inject({
      url: "/api/schema",
      headers: { host: "poste-42.ch-ville.fr:8080", origin: "https://evil.example" },
    });
    expect(otherSite.statusCode).toBe(403);
    await open.close();
  });

  it("accepts only the server's own origin: not another local site, not another port, not « null »", async () => {
    const host = "127.0.0.1:8080";
    for (const origin of [
      "http://localhost:3000",
      "http://127.0.0.1:3000",
      "http://localhost:8080",
      "null",
    ]) {
      const res = await app.inject({
        method: "POST",
        url: "/api/plan",
        headers: { ...json, host, origin },
        payload: exampleAnswers(),
      });
      expect(res.statusCode, origin).toBe(403);
      expectFrenchError(res.body, "FORBIDDEN_ORIGIN");
      expect(res.json().error.message).toContain(`une page d'un autre site (${origin})`);
    }
    const own = await app.inject({
      method: "POST",
      url: "/api/plan",
      headers: { ...json, host, origin: `http://${host}` },
      payload: exampleAnswers(),
    });
    expect(own.statusCode).toBe(200);
    const noOrigin = await app.inject({
      method: "POST",
      url: "/api/plan",
      headers: { ...json, host },
      payload: exampleAnswers(),
    });
    expect(noOrigin.statusCode).toBe(200);
  });
});

/** The application with the dossier builder of generate, dated by SOURCE_DATE_EPOCH. */
function realBuilderApp() {
  const env = { SOURCE_DATE_EPOCH: "1741900000" };
  const { app: real } = testApp({
    buildDossier: createDossierBuilder({
      planner: loadPlanner(),
      labels: loadLabels(),
      env,
      now: () => new Date(),
    }),
  });
  return { app: real, env };
}

describe("POST /api/dossier", () => {
  it("answers a clean French 503 while the dossier builder is not available", async () => {
    const { app: noBuilder } = testApp({ buildDossier: undefined });
    const res = await noBuilder.inject({
      method: "POST",
      url: "/api/dossier",
      headers: json,
      payload: exampleAnswers(),
    });
    expect(res.statusCode).toBe(503);
    expectFrenchError(res.body, "DOSSIER_UNAVAILABLE");
    expect(res.json().error.message).toBe("La génération du dossier n'est pas encore disponible.");
    await noBuilder.close();
  });

  it("bounds the work in flight: past the queue, a French 503 with Retry-After; places come back", async () => {
    const releases: (() => void)[] = [];
    let started = 0;
    const { app: busy } = testApp({
      dossierWork: { concurrency: 1, queue: 1, retryAfterSeconds: 7 },
      buildDossier: async () => {
        started += 1;
        await new Promise<void>((resolve) => releases.push(resolve));
        return { fileName: "dossier.zip", bytes: new Uint8Array([1, 2, 3]), findings: [], next: [] };
      },
    });
    const send = () =>
      busy.inject({ method: "POST", url: "/api/dossier", headers: json, payload: exampleAnswers() });
    const first = send();
    const second = send();
    while (started < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const refused = await send();
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["retry-after"]).toBe("7");
    expectFrenchError(refused.body, "BUSY");
    expect(refused.json().error.message).toBe(
      "Le serveur prépare déjà plusieurs dossiers : réessayez dans 7 secondes. Vos réponses sont conservées dans la page.",
    );
    expect(started).toBe(1);
    releases.shift()?.();
    while (started < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    releases.shift()?.();
    expect((await first).statusCode).toBe(200);
    expect((await second).statusCode).toBe(200);
    const again = send();
    while (started < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    releases.shift()?.();
    expect((await again).statusCode).toBe(200);
    await busy.close();
  });

  it("refuses invalid answers with their errors", async () => {
    const res = await post("/api/dossier", { version: 1 });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.length).toBeGreaterThan(0);
  });

  it("sends the same archive as generate --zip, byte for byte, with the forms as PDF", async () => {
    const { app: real, env } = realBuilderApp();
    const res = await real.inject({
      method: "POST",
      url: "/api/dossier",
      headers: json,
      payload: exampleAnswers(),
    });
    await real.close();
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-disposition"]).toBe('attachment; filename="dossier-diapason-010003812.zip"');
    const entries = readZip(res.rawPayload);
    expect([...entries.keys()].sort()).toEqual([
      "101-representant-legal-durand-marie.pdf",
      "301-administrateur-technique-lefevre-elodie.pdf",
      "413-administrateur-technique-lefevre-elodie.pdf",
      "contrat-de-structure.pdf",
      "courriel-413.eml",
      "empreinte.json",
      "feuille-de-route.pdf",
      "plan.json",
      "reponses.json",
    ]);
    for (const [name, bytes] of entries)
      if (name.endsWith(".pdf")) expect(bytes.subarray(0, 5).toString("latin1"), name).toBe("%PDF-");

    const dir = mkdtempSync(join(tmpdir(), "web-dossier-"));
    const generated = await run(["generate", join(ROOT, "examples", "ch-ville.yaml"), "-o", "d", "--zip"], {
      cwd: dir,
      env,
    });
    expect(generated.code, generated.stderr).toBe(0);
    expect(res.rawPayload.equals(readFileSync(join(dir, "d.zip")))).toBe(true);
  });

  it("sends the builder's archive as a download with a safe file name", async () => {
    const { app: withBuilder } = testApp({
      buildDossier: async (answers) => ({
        fileName: `dossier "${answers.establishment.finessEJ}"/x.zip`,
        bytes: new Uint8Array([0x50, 0x4b, 0x05, 0x06]),
        findings: [],
        next: ["Ouvrez feuille-de-route.pdf."],
      }),
    });
    const res = await withBuilder.inject({
      method: "POST",
      url: "/api/dossier",
      headers: json,
      payload: exampleAnswers(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/zip");
    expect(res.headers["content-disposition"]).toBe('attachment; filename="dossier__010003812__x.zip"');
    expect(res.rawPayload).toEqual(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    await withBuilder.close();
  });

  it("says what generate says after the dossier: the same warnings (an emoji in a name) and the next step", async () => {
    const { app: real, env } = realBuilderApp();
    const answers = patch(exampleAnswers(), { legalRepresentative: { firstName: "Marie 🏥" } });
    const res = await real.inject({
      method: "POST",
      url: "/api/dossier",
      headers: json,
      payload: answers as object,
    });
    await real.close();
    expect(res.statusCode).toBe(200);
    const notes = JSON.parse(decodeURIComponent(String(res.headers["x-dossier-notes"])));

    const dir = mkdtempSync(join(tmpdir(), "web-notes-"));
    const file = join(dir, "r.json");
    writeFileSync(file, JSON.stringify(answers));
    const generated = await run(["generate", file, "-o", "d"], { cwd: dir, env });
    expect(generated.code, generated.stderr).toBe(0);
    const printed = generated.stdout.split("\n");
    expect(notes.findings.length).toBeGreaterThanOrEqual(1);
    for (const line of notes.findings) expect(printed).toContain(line);
    expect(notes.findings.join("\n")).toContain("🏥");
    // The route sheet, then what to do now and what to wait for, line for line as generate prints them.
    expect(notes.next[0]).toBe("Ouvrez feuille-de-route.pdf et suivez les étapes dans l'ordre.");
    expect(notes.next).toContain("Dès maintenant :");
    const trimmed = printed.map((line) => line.trim());
    for (const line of notes.next) expect(trimmed).toContain(line);
  });
});
