import type { Answers } from "../answers/types.js";
import { type Labels, label } from "../plan/labels.js";
import { type Finding, PHASES, type Plan, type PlanForm, type Reference } from "../plan/types.js";
import { quoteRuns } from "../rules/quote.js";
import { addMonths, addYears, type DossierDates, formatDay, parisDay } from "./dates.js";
import { inlineMarkup } from "./markup.js";

/** What the route sheet template sees: plain values, every key present (the templates are strict). */

export interface Trace {
  toolVersion: string;
  rulesVersion: string;
  answersHash: string;
}

export interface RouteSheetInputs {
  plan: Plan;
  answers: Answers;
  labels: Labels;
  /** File name of each plan form, by form id. */
  fileNames: ReadonlyMap<string, string>;
  dates: DossierDates;
  trace: Trace;
  /** Findings of the dossier itself (form filling), with the file they are about. */
  fileFindings: readonly { file: string; finding: Finding }[];
  /** The procedure's constants (rules/parametres.json), by name. */
  parameters: Record<string, string | number>;
  /** The e-mail file, when the plan has forms n°413. */
  email: { fileName: string; to: string; attachments: string[] } | null;
}

interface ReferenceView {
  section: string;
  quote: string;
  interpretation: string | null;
}

function references(refs: readonly Reference[]): ReferenceView[] {
  const seen = new Set<string>();
  const out: ReferenceView[] = [];
  for (const r of refs) {
    const key = `${r.section}\0${r.quote}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      section: r.section,
      quote: inlineMarkup(quoteRuns(r.quote)),
      interpretation: r.interpretation ?? null,
    });
  }
  return out;
}

function findingView(f: Finding, file: string | null) {
  return {
    message: f.message,
    file,
    path: f.path ?? null,
    references: references(f.references ?? []),
  };
}

function fullName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`;
}

function aboutWhom(form: PlanForm, labels: Labels): string | null {
  if (!form.designee) return null;
  return `${fullName(form.designee)} (${label(labels.roles, form.designee.role)})`;
}

function fileOf(inputs: RouteSheetInputs, formId: string): string {
  const name = inputs.fileNames.get(formId);
  if (name === undefined) throw new Error(`formulaire sans fichier : ${formId}`);
  return name;
}

export function routeSheetView(inputs: RouteSheetInputs) {
  const { plan, answers, labels } = inputs;
  const formsById = new Map(plan.forms.map((f) => [f.id, f]));
  const stepNumbers = new Map(plan.steps.map((s) => [s.id, s.number]));
  const sendToOf = new Map<string, string>();
  for (const step of plan.steps) {
    for (const id of step.documents) if (step.sendTo) sendToOf.set(id, step.sendTo);
  }
  const allFindings = [
    ...plan.findings.map((f) => ({ f, view: findingView(f, null) })),
    ...inputs.fileFindings.map(({ file, finding }) => ({ f: finding, view: findingView(finding, file) })),
  ];
  const bySeverity = (s: string) => allFindings.filter((x) => x.f.severity === s).map((x) => x.view);
  const order = inputs.dates.orderDay;
  const certificate = plan.certificates[0];
  const validityYears = certificate?.validityYears ?? 3;
  const noticeMonths = certificate?.renewalNoticeMonths ?? 1;
  const expiry = addYears(order, validityYears);
  const keyGeneration = certificate?.keyGeneration ?? {
    mode: answers.keyGeneration,
    label: label(labels.keyGeneration, answers.keyGeneration),
    implies: [],
  };
  const address = answers.establishment.address;
  const server = plan.certificates.find((c) => c.profile === "SSL_SERVEUR");
  const client = plan.certificates.find((c) => c.profile === "ORG_AUTH_CLI");
  return {
    establishment: {
      name: plan.establishment.name,
      finessEJ: plan.establishment.finessEJ,
      finessEG: plan.establishment.finessEG,
      geographicEntities: plan.establishment.geographicEntities,
      address: address ? `${address.street}, ${address.postalCode} ${address.city}` : null,
      ght: answers.establishment.ght ?? null,
      presented: label(labels.entities, plan.establishment.presentedEntity),
      presentedFiness: plan.establishment.presentedFiness,
    },
    generatedOn: formatDay(parisDay(inputs.dates.stamp)),
    trace: inputs.trace,
    findings: {
      any: allFindings.length > 0,
      errors: bySeverity("error"),
      warnings: bySeverity("warning"),
      infos: bySeverity("info"),
    },
    contract: {
      required: plan.contract.required,
      signatory: label(labels.entities, plan.contract.signatory),
      signatoryFiness: plan.contract.signatoryFiness,
      presented: label(labels.entities, plan.contract.presentedEntity),
      presentedFiness: plan.contract.presentedFiness,
      reasons: plan.contract.reasons,
      references: references(plan.contract.references),
    },
    documents: plan.forms.map((form) => ({
      fileName: fileOf(inputs, form.id),
      title: form.title,
      about: aboutWhom(form, labels),
      signatory: form.signatory.label,
      sendTo: sendToOf.get(form.id) ?? null,
      offers: form.offers ? form.offers.map((o) => label(labels.offers, o)) : null,
    })),
    documentCount: plan.forms.length,
    email: inputs.email
      ? {
          ...inputs.email,
          many: inputs.email.attachments.length > 1,
          steps: plan.steps
            .filter(
              (s) => s.sendTo !== undefined && s.documents.some((d) => formsById.get(d)?.form === "413"),
            )
            .map((s) => s.number)
            .join(", "),
        }
      : null,
    phases: PHASES.map((phase) => ({
      title: label(labels.phases, phase),
      steps: plan.steps
        .filter((s) => s.phase === phase)
        .map((s) => ({
          number: s.number,
          actor: s.actor,
          action: s.action,
          when: s.when,
          waits: s.waitsFor.length > 0,
          sendTo: s.sendTo ?? null,
          documents: s.documents.map((id) => ({
            fileName: fileOf(inputs, id),
            title: formsById.get(id)?.title ?? id,
          })),
          references: references([...s.references, ...s.waitsFor.map((w) => w.reference)]),
        })),
    })).filter((p) => p.steps.length > 0),
    now: ((numbers: number[]) => ({ numbers, any: numbers.length > 0, many: numbers.length > 1 }))(
      plan.steps.filter((s) => s.after.length === 0 && s.waitsFor.length === 0).map((s) => s.number),
    ),
    anyAwaited: plan.awaited.length > 0,
    awaited: plan.awaited.map((a) => ({
      label: a.label,
      receivedBy: a.receivedBy,
      after: a.yieldedBy.map((id) => stepNumbers.get(id) as number),
      unblocks: a.awaitedBy.map((id) => stepNumbers.get(id) as number),
      unblocksMany: a.awaitedBy.length > 1,
    })),
    parameters: inputs.parameters,
    certificates: plan.certificates.map((c) => ({
      label: c.label,
      offer: c.offer,
      serviceName: c.serviceName,
      commonName: c.commonName,
      habilitationDomain: c.habilitationDomain ?? null,
      usage: c.usage,
      validityYears: c.validityYears,
      references: references(c.references),
    })),
    clientServiceName: client?.serviceName ?? null,
    serverCommonName: server?.commonName ?? plan.gap.fqdn,
    gap: plan.gap,
    keyGeneration: {
      online: keyGeneration.mode === "online",
      label: keyGeneration.label,
      implies: keyGeneration.implies,
    },
    lifecycle: {
      orderDate: formatDay(order),
      expiryDate: formatDay(expiry),
      alertDate: formatDay(addMonths(expiry, -noticeMonths)),
      validityYears,
      noticeMonths,
      dateGiven: inputs.dates.orderDayGiven,
    },
    decisions: plan.forms.map((form) => ({
      title: form.title,
      fileName: fileOf(inputs, form.id),
      about: aboutWhom(form, labels),
      reasons: form.reasons,
      references: references(form.references),
    })),
    designees: answers.designees.map((d) => ({
      fullName: fullName(d),
      role: label(labels.roles, d.role),
      email: d.email,
      vendor: d.vendor ?? null,
    })),
    hasTechnicalAdministrator: answers.designees.some((d) => d.role === "technicalAdministrator"),
  };
}

export type RouteSheetView = ReturnType<typeof routeSheetView>;
