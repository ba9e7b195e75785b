import { buildRouteSheet, dossierFormNames } from "../src/dossier/build.js";
import { answersHash, prettyJson } from "../src/dossier/canonical.js";
import type { DossierDates } from "../src/dossier/dates.js";
import { buildForm413Email, form413Recipient } from "../src/dossier/email.js";
import { routeSheetView } from "../src/dossier/route-view.js";
import type { DocumentMetadata } from "../src/render/index.js";
import { loadPipeline } from "./pipeline.js";

/**
 * Where a dossier's time goes, part by part, in CPU milliseconds of this thread (process.cpuUsage, so that other
 * processes on the machine do not inflate the figures): the same steps as src/dossier/build.ts, one by one.
 */

export interface PartTimes {
  dossiers: number;
  forms: number;
  /** CPU ms per dossier, by part. */
  perDossier: Record<string, number>;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export async function measureParts(count: number, dates: DossierDates): Promise<PartTimes> {
  const pipeline = await loadPipeline();
  const { deps, planner } = pipeline;
  const totals: Record<string, number> = {};
  // The first `count` dossiers warm up (JIT, caches), as in a worker after its first dossiers; the next are measured.
  let measuring = false;
  const add = (part: string, since: number) => {
    if (measuring) totals[part] = (totals[part] ?? 0) + (cpuMs() - since);
  };
  let forms = 0;
  for (let i = 0; i < 2 * count; i++) {
    measuring = i >= count;
    let t = cpuMs();
    const valid = pipeline.valid(i);
    add("lecture de la ligne + validation", t);
    t = cpuMs();
    const plan = await planner.plan(valid.answers, valid.warnings);
    add("plan (règles)", t);

    const answers = valid.answers;
    const hash = answersHash(answers);
    const trace = {
      toolVersion: deps.toolVersion,
      rulesVersion: plan.generator.rulesVersion,
      answersHash: hash,
    };
    const metadata = (title: string): DocumentMetadata => ({
      title,
      subject: title,
      ...trace,
      date: dates.stamp,
    });
    const names = dossierFormNames(plan, deps);
    const filled = new Map<string, Uint8Array>();
    for (const form of plan.forms) {
      t = cpuMs();
      const result = await deps.fillForm(form, plan, answers, {
        flatten: false,
        metadata: metadata(form.title),
      });
      filled.set(form.id, result.bytes);
      add(`formulaire ${form.form} (rempli, par formulaire × nombre)`, t);
      if (measuring) forms += 1;
    }
    const forms413 = plan.forms.filter((f) => f.form === "413");
    const email =
      forms413.length > 0
        ? {
            fileName: deps.texts.files.email,
            to: form413Recipient(plan, new Set(forms413.map((f) => f.id))),
            attachments: forms413.map((f) => names.get(f.id) ?? f.id),
          }
        : null;
    t = cpuMs();
    const view = routeSheetView({
      parameters: deps.parameters,
      plan,
      answers,
      labels: deps.labels,
      fileNames: names,
      dates,
      trace,
      fileFindings: [],
      email,
    });
    await buildRouteSheet(view, deps, metadata("feuille de route"));
    add("feuille de route (mise en page + PDF)", t);
    if (email) {
      t = cpuMs();
      await buildForm413Email({
        plan,
        answers,
        labels: deps.labels,
        texts: deps.texts,
        attachments: forms413.map((form) => ({
          form,
          fileName: names.get(form.id) ?? form.id,
          bytes: filled.get(form.id) ?? new Uint8Array(),
        })),
        stamp: dates.stamp,
        trace,
      });
      add("courriel-413.eml (MIME)", t);
    }
    t = cpuMs();
    prettyJson(plan);
    prettyJson(answers);
    add("plan.json + reponses.json", t);
  }
  const perDossier: Record<string, number> = {};
  for (const [part, ms] of Object.entries(totals)) perDossier[part] = ms / count;
  return { dossiers: count, forms, perDossier };
}
