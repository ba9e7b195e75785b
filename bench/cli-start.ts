import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { assetPath } from "../src/assets/root.js";
import { fr, loadText } from "./batch-process.js";

/**
 * `node dist/bench/cli-start.js [--runs 20]`: how long the CLI takes to answer `--help` (target: under 0.3 s),
 * measured as a user feels it: wall time of a whole process, repeated, beside Node's own start-up (an empty
 * script) and `--version`, which load nothing. Runs alternate between the three, so the machine's load falls
 * on each alike. Figures are printed, never asserted.
 */

const { values } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
const RUNS = Number(values.runs);
const BIN = assetPath("dist", "src", "cli", "bin.js");

const cases: { name: string; args: string[] }[] = [
  { name: "node (script vide)", args: ["-e", ""] },
  { name: "diapason-dossier --version", args: [BIN, "--version"] },
  { name: "diapason-dossier --help", args: [BIN, "--help"] },
];

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} : code ${r.status}\n${r.stderr}`);
  return ms;
}

const times = cases.map(() => [] as number[]);
const before = loadText();
for (const c of cases) wallMs(c.args); // warm the file system cache
for (let run = 0; run < RUNS; run++) for (const [i, c] of cases.entries()) times[i]?.push(wallMs(c.args));
process.stdout.write(
  `Node ${process.version}, ${RUNS} passages alternés, charge ${before} → ${loadText()}\n`,
);
for (const [i, c] of cases.entries()) {
  const sorted = [...(times[i] as number[])].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  process.stdout.write(
    `  ${c.name.padEnd(28)} min ${fr(at(0), 0)} ms · médiane ${fr(at(0.5), 0)} ms · 90 % ${fr(at(0.9), 0)} ms · max ${fr(at(1), 0)} ms\n`,
  );
}
