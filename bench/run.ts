import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { assetPath } from "../src/assets/root.js";
import { defaultJobs } from "../src/batch/run.js";
import { dossierDates } from "../src/dossier/dates.js";
import { describePdfFields } from "../src/render/index.js";
import { benchBatch, deciles, EPOCH, fileCreationMs, fr, loadText, mo, writeInput } from "./batch-process.js";
import { measureParts } from "./parts.js";

/**
 * `npm run bench`: one run of the `batch` command (its own process, as a consultant runs it: its peak RSS and
 * CPU time are reported at its exit) on a generated input (10 000 lines by default); then, side by side, the naive alternative (one `generate` process per
 * establishment, sampled) and pdftk `fill_form` per form (sampled, where pdftk is installed); then where a
 * dossier's time goes, part by part. Figures are printed, never asserted.
 */

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "10000" },
    naive: { type: "string", default: "50" },
    pdftk: { type: "string", default: "20" },
    parts: { type: "string", default: "100" },
    jobs: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const ROWS = Number(values.rows);
const NAIVE = Number(values.naive);
const PDFTK = Number(values.pdftk);
const PARTS = Number(values.parts);
const JOBS = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
const BIN = assetPath("dist", "src", "cli", "bin.js");

const line = (text = "") => process.stdout.write(`${text}\n`);

/** One `generate` process per establishment, one after the other, as a shell loop would. */
function benchNaive(out: string, folders: string[], work: string): { seconds: number; count: number } {
  const t0 = performance.now();
  let count = 0;
  for (const [i, folder] of folders.entries()) {
    const r = spawnSync(
      process.execPath,
      [BIN, "generate", join(out, folder, "reponses.json"), "-o", join(work, "naif", String(i))],
      { env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH }, stdio: "ignore" },
    );
    if (r.status === 0) count += 1;
  }
  return { seconds: (performance.now() - t0) / 1000, count };
}

function xmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The XFDF of a filled form's values (nested by the dotted field names), for pdftk fill_form. */
async function xfdfOf(pdf: Uint8Array): Promise<string> {
  const described = await describePdfFields(pdf, "formulaire");
  if (!described.ok) throw new Error(described.error.message);
  type Node = { value?: string; kids: Map<string, Node> };
  const root: Node = { kids: new Map() };
  for (const field of described.fields) {
    let value: string | undefined;
    if (field.type === "text") value = field.value;
    else if (field.type === "checkbox")
      value = field.value === undefined || field.value === "Off" ? "Off" : "Yes";
    if (value === undefined) continue;
    let node = root;
    for (const part of field.name.split(".")) {
      let next = node.kids.get(part);
      if (!next) {
        next = { kids: new Map() };
        node.kids.set(part, next);
      }
      node = next;
    }
    node.value = value;
  }
  const render = (node: Node): string =>
    [...node.kids]
      .map(
        ([name, kid]) =>
          `<field name="${xmlText(name)}">${kid.value === undefined ? "" : `<value>${xmlText(kid.value)}</value>`}${render(kid)}</field>`,
      )
      .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve"><fields>${render(root)}</fields></xfdf>\n`;
}

const FORM_OF_FILE: [RegExp, string][] = [
  [/^contrat-de-structure/, "contrat-structure"],
  [/^101-/, "101"],
  [/^301-/, "301"],
  [/^502-/, "502"],
  [/^413-/, "413"],
];

async function benchPdftk(
  out: string,
  folders: string[],
  work: string,
): Promise<{ perFormMs: number; count: number } | undefined> {
  if (!existsSync("/usr/bin/pdftk")) return undefined;
  const samples: { template: string; pdf: string }[] = [];
  for (const folder of folders) {
    for (const file of readdirSync(join(out, folder))) {
      const form = FORM_OF_FILE.find(([re]) => re.test(file))?.[1];
      if (form)
        samples.push({
          template: assetPath("templates", "forms", `${form}.pdf`),
          pdf: join(out, folder, file),
        });
      if (samples.length >= PDFTK) break;
    }
    if (samples.length >= PDFTK) break;
  }
  const jobs = [];
  for (const [i, s] of samples.entries()) {
    const xfdf = join(work, `pdftk-${i}.xfdf`);
    writeFileSync(xfdf, await xfdfOf(readFileSync(s.pdf)));
    jobs.push({ template: s.template, xfdf, output: join(work, `pdftk-${i}.pdf`) });
  }
  const t0 = performance.now();
  let count = 0;
  for (const job of jobs) {
    const r = spawnSync("/usr/bin/pdftk", [job.template, "fill_form", job.xfdf, "output", job.output], {
      stdio: "ignore",
    });
    if (r.status === 0) count += 1;
  }
  return { perFormMs: (performance.now() - t0) / Math.max(count, 1), count };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "diapason-bench-"));
  const input = join(work, "etablissements.csv");
  const out = join(work, "lot");
  const cpu = cpus();
  line(`Banc d'essai de diapason-dossier batch, ${new Date().toISOString()}`);
  line(
    `Machine : ${cpu.length} cœur(s) ${cpu[0]?.model ?? "?"}, Node ${process.version}, ` +
      `charge moyenne au départ ${loadText()} (machine partagée)`,
  );
  await writeInput(input, ROWS);
  const creation = fileCreationMs(join(work, "sonde"));
  line(
    `Disque : créer un fichier coûte ${fr(creation, 3)} ms (sonde de 1 100 fichiers)` +
      (creation > 0.15
        ? " : LENT, sans doute après une suppression massive récente (ext4 sans journal évite pendant quelques minutes les inodes libérés) ; les chiffres du lot en pâtissent."
        : "."),
  );
  line(
    `Entrée : ${ROWS.toLocaleString("fr-FR")} lignes CSV générées (4 formes de dossier), ${JOBS} fil(s) de calcul.`,
  );
  line();

  const b = await benchBatch(BIN, input, out, JOBS);
  const rate = b.summary.ok / b.seconds;
  line(`batch : ${b.summary.ok.toLocaleString("fr-FR")} dossiers complets en ${fr(b.seconds)} s`);
  line(`  → ${fr(rate)} dossiers/s (objectif ≥ 150 : ${rate >= 150 ? "atteint" : "NON atteint"})`);
  line(
    `  → RSS maximal ${mo(b.maxRssBytes)} (objectif < 400 Mo : ${b.maxRssBytes < 400 * 1024 * 1024 ? "atteint" : "NON atteint"}) ; ` +
      `RSS pendant le lot : ${deciles(b.rssAt, ROWS)
        .map((s) => `${mo(s.rss)} à ${s.done.toLocaleString("fr-FR")}`)
        .join(", ")}`,
  );
  line(
    `  → ${fr(b.forms / Math.max(b.summary.ok, 1), 2)} formulaires par dossier ; CPU consommé ${fr(b.cpuSeconds)} s ` +
      `(dont ${fr((100 * b.systemSeconds) / Math.max(b.cpuSeconds, 0.001), 0)} % dans le noyau), ` +
      `soit ${fr((b.cpuSeconds * 1000) / Math.max(b.summary.ok, 1))} ms de CPU par dossier ` +
      `(plafond sur ${cpu.length} cœurs libres ≈ ${fr((cpu.length * b.summary.ok) / Math.max(b.cpuSeconds, 0.001))} dossiers/s)`,
  );
  line(`  charge moyenne à la fin ${loadText()}`);
  line();

  const folders = readdirSync(out)
    .filter((n) => !n.startsWith("rapport."))
    .sort()
    .slice(0, Math.max(NAIVE, 1));
  if (NAIVE > 0) {
    const n = benchNaive(out, folders.slice(0, NAIVE), work);
    const naiveRate = n.count / n.seconds;
    line(
      `Alternative naïve (un processus generate par établissement, l'un après l'autre, ${n.count} lignes) : ` +
        `${fr(n.seconds)} s → ${fr(naiveRate)} dossiers/s ; batch est ${fr(rate / naiveRate)} fois plus rapide.`,
    );
  }
  const p = PDFTK > 0 ? await benchPdftk(out, folders, work) : undefined;
  if (p) {
    const formsPerDossier = b.forms / Math.max(b.summary.ok, 1);
    line(
      `pdftk fill_form (${p.count} formulaires, un processus par formulaire) : ${fr(p.perFormMs, 0)} ms par formulaire → ` +
        `${fr(1000 / (p.perFormMs * formsPerDossier), 2)} dossiers/s pour les seuls formulaires (sans feuille de route ni courriel).`,
    );
  } else if (PDFTK > 0) {
    line("pdftk absent : comparaison non faite.");
  }
  line();

  if (PARTS > 0) {
    const dated = dossierDates({ SOURCE_DATE_EPOCH: EPOCH }, () => new Date());
    if (!dated.ok) throw new Error("dates");
    const parts = await measureParts(PARTS, dated.dates);
    line(
      `Où va le temps (CPU d'un fil, ms par dossier, moyenne sur ${parts.dossiers} dossiers après autant de mise en route, hors écriture disque) :`,
    );
    let total = 0;
    for (const [part, ms] of Object.entries(parts.perDossier).sort((a, b) => b[1] - a[1])) {
      line(`  ${fr(ms, 2).padStart(8)} ms  ${part}`);
      total += ms;
    }
    line(
      `  ${fr(total, 2).padStart(8)} ms  total (${fr(parts.forms / parts.dossiers, 2)} formulaires par dossier)`,
    );
  }
  if (values.keep) line(`Fichiers conservés dans ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

await main();
