import type { Answers } from "../answers/types.js";
import { type BlockMemo, layoutTextDocument } from "../layout/text-document.js";
import type { Labels } from "../plan/labels.js";
import type { Finding, Plan, PlanForm } from "../plan/types.js";
import { type DocumentMetadata, type LaidOutPage, writeTextDocument } from "../render/index.js";
import { answersHash, prettyJson } from "./canonical.js";
import type { DossierDates } from "./dates.js";
import { buildForm413Email, form413Recipient } from "./email.js";
import { parseMarkup } from "./markup.js";
import { formFileNames } from "./names.js";
import { type RouteSheetView, routeSheetView, type Trace } from "./route-view.js";
import type { DossierTexts } from "./texts.js";

/**
 * The files of a dossier, in memory: one filled PDF per plan form, the route sheet, the e-mail for the forms
 * n°413, the plan and the normalized answers. No file system, no clock: the batch calls it per row.
 */

export interface DossierFile {
  /** A plain file name (slug), never a path. */
  name: string;
  bytes: Uint8Array;
}

export interface FileFinding {
  file: string;
  finding: Finding;
}

export interface DossierResult {
  files: DossierFile[];
  /** Findings of the dossier itself (form filling: fonts, overflow), with their file. */
  findings: FileFinding[];
  answersHash: string;
}

/** Fills one plan form into its template (src/forms: fillPlanForm over the loaded template set). */
export type FormFiller = (
  form: PlanForm,
  plan: Plan,
  answers: Answers,
  options: { flatten: boolean; metadata: DocumentMetadata },
) => Promise<{ bytes: Uint8Array; findings: Finding[] }>;

export interface DossierDeps {
  labels: Labels;
  /** The procedure's constants (rules/parametres.json), by name, for the route sheet. */
  parameters: Record<string, string | number>;
  texts: DossierTexts;
  fillForm: FormFiller;
  toolVersion: string;
  /** The route sheet's blocks laid out in earlier dossiers (speed only: the same bytes without). */
  blockMemo?: BlockMemo;
}

export interface DossierInput {
  /** Validated, normalized answers. */
  answers: Answers;
  /** Their plan. */
  plan: Plan;
  dates: DossierDates;
  flatten: boolean;
  /** Checked between documents: an aborted build throws the signal's reason. */
  signal?: AbortSignal;
}

const encoder = new TextEncoder();

/** The file name of each form of the plan (by plan form id), as the dossier names them. */
export function dossierFormNames(
  plan: Plan,
  deps: Pick<DossierDeps, "texts" | "labels">,
): Map<string, string> {
  const fixed = deps.texts.files;
  return formFileNames(
    plan.forms,
    {
      forms: Object.fromEntries(Object.entries(deps.labels.forms).map(([id, l]) => [id, l.title])),
      roles: deps.labels.roles,
    },
    [fixed.routeSheet, fixed.email, fixed.plan, fixed.answers],
  );
}

/** The route sheet's text in markup, before layout (also what tests read). */
export function routeSheetMarkup(view: RouteSheetView, texts: DossierTexts): string {
  return texts.routeSheet(view);
}

/** The route sheet's pages, laid out (src/layout) from its wording: what the fence is given to write. */
export function layoutRouteSheet(
  view: RouteSheetView,
  deps: Pick<DossierDeps, "texts" | "blockMemo">,
): { pages: LaidOutPage[]; findings: Finding[] } {
  const { texts } = deps;
  const establishment = view.establishment.name;
  const markup = routeSheetMarkup(view, texts);
  return layoutTextDocument(
    {
      blocks: parseMarkup(markup),
      markup,
      footer: (page, pages) => texts.routeSheetFooter({ establishment, page, pages }).trim(),
      where: texts.routeSheetPlace,
    },
    deps.blockMemo,
  );
}

/**
 * feuille-de-route.pdf: the plan as a document a person follows. Wording from the templates, layout in
 * src/layout, bytes written by src/render.
 */
export async function buildRouteSheet(
  view: RouteSheetView,
  deps: Pick<DossierDeps, "texts" | "blockMemo">,
  metadata: DocumentMetadata,
): Promise<{ bytes: Uint8Array; pages: number; findings: Finding[] }> {
  const { pages, findings } = layoutRouteSheet(view, deps);
  return { bytes: await writeTextDocument(pages, metadata), pages: pages.length, findings };
}

export async function buildDossier(input: DossierInput, deps: DossierDeps): Promise<DossierResult> {
  const { plan, answers, dates, signal } = input;
  const { texts, labels } = deps;
  const hash = answersHash(answers);
  const trace: Trace = {
    toolVersion: deps.toolVersion,
    rulesVersion: plan.generator.rulesVersion,
    answersHash: hash,
  };
  const establishment = plan.establishment.name;
  const metadataFor = (title: string): DocumentMetadata => ({
    title,
    subject: texts.subject({ establishment, finess: plan.establishment.presentedFiness }).trim(),
    toolVersion: trace.toolVersion,
    rulesVersion: trace.rulesVersion,
    answersHash: hash,
    date: dates.stamp,
  });
  const fixed = texts.files;
  const names = dossierFormNames(plan, deps);
  const nameOf = (form: PlanForm) => names.get(form.id) ?? form.id;

  const files: DossierFile[] = [];
  const findings: FileFinding[] = [];
  const filled = new Map<string, Uint8Array>();
  for (const form of plan.forms) {
    signal?.throwIfAborted();
    const title = texts.formTitle({ title: form.title, establishment }).trim();
    const result = await deps.fillForm(form, plan, answers, {
      flatten: input.flatten,
      metadata: metadataFor(title),
    });
    filled.set(form.id, result.bytes);
    files.push({ name: nameOf(form), bytes: result.bytes });
    for (const finding of result.findings) findings.push({ file: nameOf(form), finding });
  }

  const forms413 = plan.forms.filter((f) => f.form === "413");
  const email =
    forms413.length > 0
      ? {
          fileName: fixed.email,
          to: form413Recipient(plan, new Set(forms413.map((f) => f.id))),
          attachments: forms413.map(nameOf),
        }
      : null;

  signal?.throwIfAborted();
  const view = routeSheetView({
    plan,
    answers,
    labels,
    fileNames: names,
    dates,
    trace,
    fileFindings: findings,
    email,
    parameters: deps.parameters,
  });
  const sheet = await buildRouteSheet(
    view,
    deps,
    metadataFor(texts.routeSheetTitle({ establishment }).trim()),
  );
  files.push({ name: fixed.routeSheet, bytes: sheet.bytes });
  for (const finding of sheet.findings) findings.push({ file: fixed.routeSheet, finding });

  if (email) {
    signal?.throwIfAborted();
    const bytes = await buildForm413Email({
      plan,
      answers,
      labels,
      texts,
      attachments: forms413.map((form) => ({
        form,
        fileName: nameOf(form),
        bytes: filled.get(form.id) ?? new Uint8Array(),
      })),
      stamp: dates.stamp,
      trace,
    });
    files.push({ name: fixed.email, bytes });
  }
  files.push({ name: fixed.plan, bytes: encoder.encode(prettyJson(plan)) });
  files.push({ name: fixed.answers, bytes: encoder.encode(prettyJson(answers)) });
  return { files, findings, answersHash: hash };
}
