import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect } from "vitest";
import { loadAnswersValidator, loadPlanner } from "../../src/assets/load.js";
import { answersHash } from "../../src/dossier/canonical.js";
import {
  type CertificateInput,
  type DossierInput,
  openStore,
  type RegisterDeps,
  recordCertificate,
  type TrackStore,
} from "../../src/track/index.js";
import { baseAnswers, patch } from "../helpers/answers.js";
import { run } from "../helpers/io.js";

/**
 * The register's tests run twice: against a SQLite file and against the PostgreSQL server named by
 * DIAPASON_TEST_DATABASE_URL (each test in a schema of its own). Without that variable the PostgreSQL half is
 * skipped, and says so.
 */

export const PG_URL = process.env.DIAPASON_TEST_DATABASE_URL;
export const DAY = 86_400_000;
export const T0 = new Date("2026-03-02T09:00:00Z");
export const at = (days: number): Date => new Date(T0.getTime() + days * DAY);

export interface Register {
  kind: "sqlite" | "postgres";
  dir: string;
  env: Record<string, string>;
  /** Runs `diapason-dossier track …` against this register on day `day` (0 = T0). */
  track(args: string[], day?: number): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

let counter = 0;

async function pgSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const url = new URL(PG_URL ?? "");
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

export async function newRegister(kind: "sqlite" | "postgres"): Promise<Register> {
  const dir = mkdtempSync(join(tmpdir(), "diapason-track-"));
  let env: Record<string, string> = { USER: "claire.conseil" };
  let drop = async () => {};
  if (kind === "postgres") {
    const s = await pgSchema();
    env = { ...env, DIAPASON_DATABASE_URL: s.url };
    drop = s.drop;
  }
  return {
    kind,
    dir,
    env,
    track: (args, day = 0) => run(["track", ...args], { cwd: dir, env, now: at(day) }),
    close: () => drop(),
  };
}

/** The register's whole export (`track export`), as text. */
export async function exportOf(reg: Register): Promise<string> {
  const out = join(reg.dir, `export-${Math.random()}.json`);
  const r = await reg.track(["export", "-o", out]);
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(out, "utf8");
}

/** `describe` once per database; the PostgreSQL one is skipped, with the reason, when no server is given. */
export function forEachDatabase(name: string, body: (kind: "sqlite" | "postgres") => void): void {
  describe(`${name} (SQLite)`, () => body("sqlite"));
  if (PG_URL) describe(`${name} (PostgreSQL)`, () => body("postgres"));
  else
    describe.skip(`${name} (PostgreSQL) : NON EXÉCUTÉ, DIAPASON_TEST_DATABASE_URL n'est pas défini (voir .ci/run)`, () =>
      body("postgres"));
}

/** A valid FINESS: 8 digits and the Luhn key. */
export function finess(base: number): string {
  const digits = String(base).padStart(8, "0");
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    let d = Number(digits[7 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

/** Writes a dossier folder as `generate` does (its plan.json and reponses.json only). */
export async function writeDossier(dir: string, name: string, change: unknown = {}): Promise<string> {
  const answers = patch(baseAnswers(), change);
  const result = loadAnswersValidator().validate(answers);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const plan = await loadPlanner().plan(result.answers, result.warnings);
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "reponses.json"), `${JSON.stringify(result.answers, null, 2)}\n`);
  writeFileSync(join(folder, "plan.json"), `${JSON.stringify(plan, null, 2)}\n`);
  return folder;
}

/** What `track add` reads of a dossier, built in memory from the base answers patched with `change`. */
export async function dossierInput(change: unknown = {}): Promise<DossierInput> {
  const result = loadAnswersValidator().validate(patch(baseAnswers(), change));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const plan = await loadPlanner().plan(result.answers, result.warnings);
  return {
    dossier: plan.establishment.finessEG,
    plan,
    answers: result.answers,
    answersHash: answersHash(result.answers),
  };
}

/** The register's store itself (its SQLite file in the test folder, or the test's PostgreSQL schema). */
export async function openRegisterStore(reg: Register): Promise<TrackStore> {
  const opened = await openStore(
    reg.kind === "postgres"
      ? { kind: "postgres", url: reg.env.DIAPASON_DATABASE_URL ?? "" }
      : { kind: "sqlite", file: join(reg.dir, "suivi.sqlite"), create: true },
  );
  if (!opened.ok) throw new Error(opened.code);
  return opened.store;
}

/**
 * An issued certificate as `track certificate` records it after its checks (here made up: the register's own
 * function is what is tested), expiring at noon UTC on `expiry`, with the renewal day `renewal`.
 */
export function certificate(
  finessEG: string,
  profile: "ORG_AUTH_CLI" | "SSL_SERVEUR",
  serial: string,
  expiry: string,
  renewal: string,
  fqdn = "gap01.ch-ville.fr",
): CertificateInput {
  return {
    finess: finessEG,
    by: "Claire",
    finessInCertificate: finessEG,
    names: [fqdn],
    certificate: {
      profile,
      serialNumber: serial,
      fingerprint: `${finessEG}-${serial}`,
      commonName: profile === "SSL_SERVEUR" ? fqdn : `${finessEG}-client`,
      notBefore: "2023-01-01T00:00:00.000Z",
      notAfter: `${expiry}T12:00:00.000Z`,
      renewal,
      chain: "IGC-Santé (essai)",
    },
  };
}

export async function record(deps: RegisterDeps, input: CertificateInput): Promise<void> {
  const result = await recordCertificate(deps, input);
  if (!result.ok) throw new Error(`${result.code} ${JSON.stringify(result.params)}`);
}
