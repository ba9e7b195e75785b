import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { assetPath } from "../src/assets/root.js";
import { defaultJobs } from "../src/batch/run.js";
import { benchBatch, fileCreationMs, fr, loadText, mo, writeInput } from "./batch-process.js";

/**
 * `node dist/bench/devices.js`: what each speed device of the batch is worth. The same `batch` command runs on the
 * same generated input (10 000 lines by default), as compiled (« tel quel ») and with one device switched off, the
 * variants taking turns round after round (the order rotates, so no variant always follows the same one) on this
 * shared machine; then each device's gain: the median throughput as compiled over the median with the device off.
 *
 * A variant is a copy of the compiled package (dist/) in a temporary folder, beside links to the package's assets
 * and node_modules, where one textual patch of the compiled JavaScript switches the device off (each patch must
 * apply exactly once, or the bench stops): the source tree carries no switch. `--reference <dist>` adds another
 * version's compiled package to the turns (before and after a change). `--only <name,…>` keeps some variants.
 * Figures are printed, never asserted.
 */

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "10000" },
    rounds: { type: "string", default: "2" },
    jobs: { type: "string" },
    only: { type: "string" },
    reference: { type: "string" },
  },
});
const ROWS = Number(values.rows);
const ROUNDS = Number(values.rounds);
const JOBS = values.jobs === undefined ? defaultJobs() : Number(values.jobs);

interface Patch {
  /** Relative to dist/. */
  file: string;
  from: string;
  to: string;
}

interface Variant {
  name: string;
  /** The compiled package it copies: this package's dist/ unless given (`--reference`). */
  dist?: string;
  /** What the variant changes; empty for the package as compiled. */
  patches: Patch[];
}

const VARIANTS: Variant[] = [
  { name: "tel quel", patches: [] },
  {
    name: "sans mémo des décisions",
    patches: [{ file: "src/rules/decider.js", from: "new Lru(options.memo ?? 256)", to: "new Lru(0)" }],
  },
  {
    name: "sans interpolation compilée",
    patches: [
      {
        file: "src/plan/labels.js",
        from: "shortcut = interpolation(template) ?? null;",
        to: "shortcut = null;",
      },
    ],
  },
];

const ASSETS = ["data", "rules", "schemas", "templates", "web", "node_modules"];

/** The package as compiled, in its own folder, with the variant's patches applied; its CLI entry. */
function prepare(root: string, variant: Variant): string {
  cpSync(variant.dist ?? assetPath("dist"), join(root, "dist"), { recursive: true });
  cpSync(assetPath("package.json"), join(root, "package.json"));
  for (const name of ASSETS) symlinkSync(assetPath(name), join(root, name));
  for (const patch of variant.patches) {
    const file = join(root, "dist", patch.file);
    const text = readFileSync(file, "utf8");
    const count = text.split(patch.from).length - 1;
    if (count !== 1)
      throw new Error(`${variant.name} : ${patch.file} contient ${count} fois « ${patch.from} » (1 attendu)`);
    writeFileSync(file, text.replace(patch.from, patch.to));
  }
  return join(root, "dist", "src", "cli", "bin.js");
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const line = (text = "") => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "diapason-devices-"));
  const variants = values.only
    ? VARIANTS.filter((v, i) => i === 0 || (values.only as string).split(",").includes(v.name))
    : [...VARIANTS];
  // Another version's compiled package (e.g. dist/ as built before a change), measured as a device off.
  if (values.reference) variants.push({ name: "référence", dist: values.reference, patches: [] });
  const cpu = cpus();
  line(`Dispositifs de vitesse de batch, ${new Date().toISOString()}`);
  line(
    `Machine : ${cpu.length} cœur(s), Node ${process.version} (V8 ${process.versions.v8}), ` +
      `${ROWS.toLocaleString("fr-FR")} lignes, ${JOBS} fil(s), ${ROUNDS} tour(s) ; charge au départ ${loadText()}`,
  );
  const input = join(work, "etablissements.csv");
  await writeInput(input, ROWS);
  const bins = variants.map((v, i) => prepare(join(work, `variante-${i}`), v));
  const rates: number[][] = variants.map(() => []);
  const rss: number[][] = variants.map(() => []);
  const cpuMs: number[][] = variants.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + round) % variants.length;
      const variant = variants[i] as Variant;
      const probe = fileCreationMs(join(work, `sonde-${round}-${i}`));
      const before = loadText();
      const out = join(work, "lot");
      const b = await benchBatch(bins[i] as string, input, out, JOBS);
      const rate = b.summary.ok / b.seconds;
      rates[i]?.push(rate);
      rss[i]?.push(b.maxRssBytes);
      cpuMs[i]?.push((b.cpuSeconds * 1000) / Math.max(b.summary.ok, 1));
      line(
        `tour ${round + 1} · ${variant.name.padEnd(28)} ${fr(rate).padStart(6)} dossiers/s · ` +
          `${fr(cpuMs[i]?.at(-1) ?? 0, 2)} ms CPU/dossier · RSS max ${mo(b.maxRssBytes)} · ` +
          `disque ${fr(probe, 3)} ms/fichier · charge ${before} → ${loadText()}`,
      );
      rmSync(out, { recursive: true, force: true });
    }
  }
  line();
  const base = median(rates[0] as number[]);
  const baseCpu = median(cpuMs[0] as number[]);
  line(
    `Médianes (tel quel : ${fr(base)} dossiers/s, ${fr(baseCpu, 2)} ms CPU/dossier, RSS max ${mo(median(rss[0] as number[]))}) :`,
  );
  for (let i = 1; i < variants.length; i++) {
    const off = median(rates[i] as number[]);
    const offCpu = median(cpuMs[i] as number[]);
    const name = (variants[i] as Variant).name;
    // For the reference, the gain is the package as compiled over it.
    const gain = base / off - 1;
    const cpuGain = offCpu / baseCpu - 1;
    line(
      `  ${name.padEnd(28)} ${fr(off).padStart(6)} dossiers/s, ${fr(offCpu, 2)} ms CPU/dossier, RSS max ${mo(median(rss[i] as number[]))} → ` +
        `gain ${fr(100 * gain)} % en débit, ${fr(100 * cpuGain)} % en CPU par dossier`,
    );
  }
  line(`charge à la fin ${loadText()}`);
  rmSync(work, { recursive: true, force: true });
}

await main();
