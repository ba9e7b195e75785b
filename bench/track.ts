import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { chromium } from "playwright-core";
import { loadAnswersValidator, loadPlanner } from "../src/assets/load.js";
import { loadColumnCatalog } from "../src/batch/catalog.js";
import { addMonthsUtc, isoDay } from "../src/certificates/dates.js";
import { runMain } from "../src/cli/main.js";
import {
  certificatesOf,
  certificateTimeline,
  listEstablishments,
  loadTrackTexts,
  markDone,
  openStore,
  parisDay,
  type RegisterDeps,
  type StoreConfig,
  searchKey,
  type TrackEvent,
  timelinePage,
  timelinePreview,
} from "../src/track/index.js";
import { TIMELINE_PAGE, TIMELINE_PREVIEW } from "../src/web/index.js";
import { establishmentData } from "./establishments.js";

/**
 * `npm run bench:track`: the register with 10 000 establishments, on SQLite and (when DIAPASON_DATABASE_URL or
 * DIAPASON_TEST_DATABASE_URL names a server) PostgreSQL: `track add` of a batch output, the list's first page and
 * filtered queries, marking a step done, the timeline of certificate expiries (two certificates per
 * establishment: what the page's API reads, and the terminal's full read), the « Suivi » page's first render in
 * Chromium (list and timeline). Figures are printed.
 */

const COUNT = Number(process.env.BENCH_TRACK_COUNT ?? 10_000);
const NOW = new Date();

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function makeBatchOutput(dir: string): Promise<void> {
  const validator = loadAnswersValidator();
  const planner = loadPlanner();
  const catalog = loadColumnCatalog();
  const rows = [];
  for (let i = 0; i < COUNT; i++) {
    const result = validator.validate(establishmentData(i, catalog));
    if (!result.ok) throw new Error(`établissement ${i} invalide`);
    const plan = await planner.plan(result.answers, result.warnings);
    const folder = `${String(i + 1).padStart(5, "0")}-${plan.establishment.finessEG}`;
    mkdirSync(join(dir, folder));
    writeFileSync(join(dir, folder, "reponses.json"), JSON.stringify(result.answers, null, 2));
    writeFileSync(join(dir, folder, "plan.json"), JSON.stringify(plan, null, 2));
    rows.push({ line: i + 2, status: "ok", folder, finessEG: plan.establishment.finessEG });
  }
  writeFileSync(
    join(dir, "rapport.json"),
    JSON.stringify({ format: "diapason-dossier/rapport-lot/1", rows }),
  );
}

/**
 * Two certificates per establishment, expiring over the next three years, as `track certificate` records them.
 * Written in bulk: what is measured is reading them (recording one is a write like `track done`).
 */
async function addCertificates(deps: RegisterDeps): Promise<number> {
  const { rows } = await listEstablishments(deps, {
    sort: "finess",
    descending: false,
    limit: COUNT,
    offset: 0,
  });
  const events: Omit<TrackEvent, "id">[] = rows.flatMap((row, i) =>
    (["ORG_AUTH_CLI", "SSL_SERVEUR"] as const).map((profile, k) => {
      const expiry = new Date(NOW.getTime() + ((i * (k + 3)) % 1095) * 86_400_000);
      const serialNumber = `${k}${String(i).padStart(7, "0")}`;
      return {
        finessEG: row.finessEG,
        at: NOW.toISOString(),
        by: "bench",
        kind: "certificate",
        target: profile,
        day: null,
        note: null,
        before: JSON.stringify({ inService: null }),
        after: JSON.stringify({
          profile,
          serialNumber,
          fingerprint: `${row.finessEG}-${serialNumber}`,
          commonName: profile === "SSL_SERVEUR" ? `gap.${row.finessEG}.fr` : row.finessEG,
          notBefore: addMonthsUtc(expiry, -36).toISOString(),
          notAfter: expiry.toISOString(),
          renewal: isoDay(addMonthsUtc(expiry, -1)),
          chain: "IGC-Santé (production)",
        }),
        undoes: null,
      };
    }),
  );
  // The register's table of certificates, as recording each one would have written it.
  const table = certificatesOf(events.map((e, i) => ({ ...e, id: i + 1 })));
  await deps.store.write(async (q) => {
    await q.appendEvents(events);
    await q.insertCertificates(table);
  });
  return events.length;
}

async function timeIt(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * The « Suivi » page's first render as a user meets it, several times over: `serve` just started in its own process
 * (nothing warm), a browser already open (a first tab has shown a page), the page opened in a new tab; then the
 * same tab opens it again. Each render is counted by the page itself, from its navigation's start to the table and
 * the timeline drawn (the browser's own start is not in it).
 */
async function suiviRenders(
  config: StoreConfig,
  env: Record<string, string>,
): Promise<{ first: number[]; again: number[] }> {
  const first: number[] = [];
  const again: number[] = [];
  const bin = fileURLToPath(new URL("../src/cli/bin.js", import.meta.url));
  for (let round = 0; round < 5; round++) {
    const server = spawn(
      process.execPath,
      [bin, "serve", "--port", "0", ...(config.kind === "sqlite" ? ["--db", config.file] : [])],
      { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = once(server, "exit");
    const profile = mkdtempSync(join(tmpdir(), "bench-chromium-"));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        server.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (found) resolve(found[0]);
        });
        server.on("exit", (code) => reject(new Error(`serve s'est arrêté (code ${code}) : ${out}`)));
      });
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: "/usr/bin/chromium",
        headless: true,
        args: ["--headless", "--no-sandbox", "--disable-gpu"],
      });
      try {
        await (context.pages()[0] ?? (await context.newPage())).goto(
          "data:text/html,<p>navigateur ouvert</p>",
        );
        const page = await context.newPage();
        for (let visit = 0; visit < 4; visit++) {
          await page.goto(`${url}suivi.html`);
          await page.waitForSelector("body[data-ready=true]");
          const t = await page.evaluate(() => performance.now());
          (visit === 0 ? first : again).push(t);
        }
      } finally {
        await context.close();
      }
    } finally {
      server.kill("SIGINT");
      await exited;
      rmSync(profile, { recursive: true, force: true });
    }
  }
  return { first, again };
}

async function bench(
  name: string,
  config: StoreConfig,
  env: Record<string, string>,
  lot: string,
  cwd: string,
) {
  console.log(`\n== ${name} ==`);
  let err = "";
  const io = {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (err += s) },
    stdin: new PassThrough(),
    env,
    cwd,
    now: () => NOW,
    signal: new AbortController().signal,
  };
  const start = performance.now();
  const code = await runMain(
    ["track", "add", lot, ...(config.kind === "sqlite" ? ["--db", config.file] : [])],
    io,
  );
  const addSeconds = (performance.now() - start) / 1000;
  if (code !== 0) throw new Error(err);
  console.log(
    `track add (sortie de lot de ${COUNT} dossiers) : ${addSeconds.toFixed(1)} s (objectif < 30 s)`,
  );

  const opened = await openStore(config);
  if (!opened.ok) throw new Error(opened.code);
  const deps: RegisterDeps = {
    store: opened.store,
    texts: loadTrackTexts(),
    now: () => NOW,
    toolVersion: "bench",
  };
  const base = { sort: "finess" as const, descending: false, limit: 50, offset: 0 };
  const queries: [string, Parameters<typeof listEstablishments>[1]][] = [
    ["première page de 50", base],
    ["page 100", { ...base, offset: 99 * 50 }],
    ["filtre phase", { ...base, phase: "prerequisites" }],
    ["filtre personne", { ...base, person: searchKey("Lefèvre") }],
    ["filtre en retard", { ...base, sinceOnOrBefore: "2000-01-01" }],
    ["filtre département, tri par attente", { ...base, department: "01", sort: "since" }],
  ];
  for (const [label, query] of queries) {
    const samples = await timeIt(() => listEstablishments(deps, query), 40);
    console.log(`liste, ${label} : p95 ${ms(p95(samples))} (objectif < 100 ms)`);
  }
  const { rows } = await listEstablishments(deps, { ...base, limit: 300 });
  let i = 0;
  const done = await timeIt(async () => {
    const row = rows[i++];
    const result = await markDone(deps, "documentation", { finess: row?.finessEG ?? "", by: "bench" });
    if (!result.ok) throw new Error(result.code);
  }, rows.length);
  console.log(`track done (${rows.length} établissements) : p95 ${ms(p95(done))} (objectif < 10 ms)`);

  const certificates = await addCertificates(deps);
  const today = parisDay(NOW);
  for (const [label, filter] of [
    ["tout le registre", {}],
    ["filtre département", { department: "01" }],
  ] as const) {
    // What the page's API reads: the counts and each period's first entries, then one crowded period's next page.
    const preview = await timeIt(() => timelinePreview(deps, filter, today, TIMELINE_PREVIEW), 20);
    const shown = await timelinePreview(deps, filter, today, TIMELINE_PREVIEW);
    const crowded = [...shown.periods].sort((a, b) => b.count - a.count)[0];
    const page = await timeIt(
      () => timelinePage(deps, filter, today, crowded?.key ?? "", TIMELINE_PREVIEW, TIMELINE_PAGE),
      20,
    );
    // The terminal's (`track expiries`): every certificate read and folded.
    const full = await timeIt(() => certificateTimeline(deps, filter, today), 20);
    console.log(
      `frise des échéances (${certificates} certificats), ${label} : premier affichage p95 ${ms(p95(preview))}, page de ${TIMELINE_PAGE} d'une période (${crowded?.count ?? 0} échéances) p95 ${ms(p95(page))} ; lecture complète (terminal) p95 ${ms(p95(full))}`,
    );
  }

  const renders = await suiviRenders(config, env);
  console.log(
    `page « Suivi », premier affichage (navigation → tableau de 50 lignes et frise des échéances) : première visite après le démarrage de serve, médiane ${ms(median(renders.first))} (de ${ms(Math.min(...renders.first))} à ${ms(Math.max(...renders.first))} sur ${renders.first.length} démarrages) ; visites suivantes, médiane ${ms(median(renders.again))} (objectif < 300 ms)`,
  );
  await opened.store.close();
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "bench-track-"));
  const lot = join(dir, "lot");
  mkdirSync(lot);
  console.log(
    `Registre de suivi : ${COUNT} établissements ; ${cpus().length} cœurs ; charge ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} ; ${NOW.toISOString()}`,
  );
  const t = performance.now();
  await makeBatchOutput(lot);
  console.log(
    `(préparation : ${COUNT} dossiers plan.json + reponses.json en ${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  try {
    await bench("SQLite", { kind: "sqlite", file: join(dir, "suivi.sqlite"), create: true }, {}, lot, dir);
    const url = process.env.DIAPASON_DATABASE_URL ?? process.env.DIAPASON_TEST_DATABASE_URL;
    if (!url) console.log("\nPostgreSQL : non mesuré (DIAPASON_DATABASE_URL n'est pas défini).");
    else {
      const schema = `bench_${process.pid}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`create schema ${schema}`);
      const u = new URL(url);
      u.searchParams.set("options", `-c search_path=${schema}`);
      try {
        await bench(
          "PostgreSQL",
          { kind: "postgres", url: u.toString() },
          { DIAPASON_DATABASE_URL: u.toString() },
          lot,
          dir,
        );
      } finally {
        await client.query(`drop schema ${schema} cascade`);
        await client.end();
      }
    }
    console.log(
      `\ncharge en fin de mesure : ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
