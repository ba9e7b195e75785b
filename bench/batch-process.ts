import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { csvLine, ESTABLISHMENT_COLUMNS, establishmentCells } from "./establishments.js";

/** One `batch` run in its own process, measured as `npm run bench` and bench/devices.ts report it. */

/** The date every benchmarked dossier carries (29 November 2025), so that runs write the same bytes. */
export const EPOCH = "1764403200";

export const fr = (n: number, digits = 1) =>
  n.toLocaleString("fr-FR", { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const mo = (bytes: number) => `${fr(bytes / 1024 / 1024, 0)} Mo`;
/** The machine's load averages (1, 5, 15 minutes): it is shared, and the figures depend on it. */
export const loadText = () =>
  loadavg()
    .map((l) => fr(l, 2))
    .join(" / ");

export async function writeInput(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (chunk: string) =>
    new Promise<void>((resolve) => (out.write(chunk) ? resolve() : out.once("drain", () => resolve())));
  await write(`\ufeff${ESTABLISHMENT_COLUMNS.join(";")}\r\n`);
  for (let i = 0; i < rows; i++) await write(csvLine(establishmentCells(i), ESTABLISHMENT_COLUMNS));
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

export interface BatchFigures {
  seconds: number;
  cpuSeconds: number;
  /** Of which in the kernel (files created, memory mapped). */
  systemSeconds: number;
  maxRssBytes: number;
  rssAt: { done: number; rss: number }[];
  summary: { total: number; ok: number; rejected: number };
  forms: number;
}

/** Loaded into the measured process: at exit, its peak RSS and CPU time (worker threads included). */
const PRELOAD = `data:text/javascript,${encodeURIComponent(
  'process.on("exit", () => { const u = process.cpuUsage(); process.stderr.write("\\nBENCH " + process.resourceUsage().maxRSS + " " + (u.user + u.system) + " " + u.system + "\\n"); });',
)}`;

/** The first sample past each tenth of the rows (progress lines also come every 10 seconds). */
export function deciles(samples: BatchFigures["rssAt"], rows: number): BatchFigures["rssAt"] {
  const out: BatchFigures["rssAt"] = [];
  for (let tenth = 1; tenth <= 10; tenth++) {
    const sample = samples.find((s) => s.done >= (rows * tenth) / 10 && !out.includes(s));
    if (sample) out.push(sample);
  }
  return out;
}

function currentRss(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The real command, as a consultant runs it: its own process, its own peak RSS. `bin`: the CLI's compiled entry. */
export async function benchBatch(
  bin: string,
  input: string,
  out: string,
  jobs: number,
): Promise<BatchFigures> {
  const rssAt: BatchFigures["rssAt"] = [];
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ["--import", PRELOAD, bin, "batch", input, "-o", out, "--jobs", String(jobs)],
    { env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let err = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    err += chunk;
    // Plain progress lines (one per tenth of the rows): RSS is sampled at each.
    for (const m of chunk.matchAll(/^([\d\s\u202f\u00a0]+)\/[\d\s\u202f\u00a0]+ lignes/gm)) {
      const rss = child.pid === undefined ? undefined : currentRss(child.pid);
      if (rss !== undefined) rssAt.push({ done: Number((m[1] ?? "").replace(/\D/g, "")), rss });
    }
  });
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
  const seconds = (performance.now() - t0) / 1000;
  const bench = /BENCH (\d+) (\d+) (\d+)/.exec(err);
  if (code !== 0 || !bench) throw new Error(`batch a rendu le code ${code} :\n${err.slice(-2000)}`);
  const report = JSON.parse(readFileSync(join(out, "rapport.json"), "utf8")) as {
    summary: BatchFigures["summary"];
    rows: { forms: string[] }[];
  };
  const forms = report.rows.reduce((n, r) => n + r.forms.length, 0);
  return {
    seconds,
    cpuSeconds: Number(bench[2]) / 1e6,
    systemSeconds: Number(bench[3]) / 1e6,
    maxRssBytes: Number(bench[1]) * 1024,
    rssAt,
    summary: report.summary,
    forms,
  };
}

/**
 * What creating a file costs on this disk now, in ms: 1,100 small files in 100 folders, as a batch creates 11
 * entries per dossier. On this machine's ext4 (no journal) the kernel avoids reusing inodes freed in the last
 * minutes, and checks each one it passes over: after a large deletion (a previous run's output), creating a
 * file cost ~0.5 ms instead of ~0.05 (measured with perf: `recently_deleted`), and the batch's figures drop.
 */
export function fileCreationMs(dir: string): number {
  mkdirSync(dir);
  const bytes = new Uint8Array(1024);
  const t0 = performance.now();
  for (let d = 0; d < 100; d++) {
    const folder = join(dir, String(d));
    mkdirSync(folder);
    for (let f = 0; f < 10; f++) writeFileSync(join(folder, `${f}.pdf`), bytes, { flag: "wx" });
  }
  return (performance.now() - t0) / 1100;
}
