import type { Answers, AnswerWarning, Entity, KeyGeneration } from "../answers/types.js";
import type { Decision, Evaluated, EventParams, Fired, ParamValue } from "../rules/types.js";
import {
  baseContext,
  designeeContext,
  finessOf,
  form413Signatory,
  fullName,
  type RenderContext,
} from "./context.js";
import { type Labels, label, render } from "./labels.js";
import {
  type Explanation,
  type Finding,
  FORM_IDS,
  type FormId,
  PHASES,
  type Phase,
  type Plan,
  type PlanCertificate,
  type PlanForm,
  type PlanStep,
  PROFILES,
  type Profile,
  type Reference,
  type Severity,
} from "./types.js";

export interface PlanInputs {
  answers: Answers;
  warnings: AnswerWarning[];
  establishment: Decision;
  /** One decision per designee, in the answers' order. */
  designees: Decision[];
  labels: Labels;
  generator: Plan["generator"];
}

/** What the plan says of a rule whatever the answers, worked out once per rule and shared (frozen) by every plan. */
interface RuleView {
  rule: string;
  type: string;
  reference: Reference;
  decision: string;
  /** The template of the summary when it fires: its reason, message or action. */
  summary: string | undefined;
}

const views = new WeakMap<EventParams, RuleView>();

function ruleView(e: { rule: string; type: string; params: EventParams }): RuleView {
  const known = views.get(e.params);
  if (known && known.rule === e.rule && known.type === e.type) return known;
  const p = e.params;
  const summary = ["reason", "message", "action"].map((k) => p[k]).find((v) => typeof v === "string");
  const view: RuleView = {
    rule: e.rule,
    type: e.type,
    reference: Object.freeze({
      rule: e.rule,
      section: p.section,
      quote: p.quote,
      ...(p.interpretation ? { interpretation: p.interpretation } : {}),
    }),
    decision: decisionKey(e),
    summary: typeof summary === "string" ? summary : undefined,
  };
  views.set(e.params, view);
  return view;
}

function reference(e: { rule: string; type: string; params: EventParams }): Reference {
  return ruleView(e).reference;
}

function text(params: EventParams, key: string, context: RenderContext): string | undefined {
  const value = params[key];
  return typeof value === "string" ? render(value, context) : undefined;
}

function requireText(params: EventParams, key: string, context: RenderContext, rule: string): string {
  const value = text(params, key, context);
  if (value === undefined) throw new Error(`${rule} : paramètre « ${key} » manquant`);
  return value;
}

function strings(value: ParamValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function decisionKey(e: { type: string; params: EventParams }): string {
  const p = e.params;
  const detail =
    p.form ??
    p.id ??
    p.code ??
    p.profile ??
    (Array.isArray(p.profiles) ? p.profiles.join("+") : undefined) ??
    p.mode;
  return detail === undefined ? e.type : `${e.type}:${String(detail)}`;
}

function only<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`${what} : ${items.length} règles ont conclu, une seule attendue`);
  return items[0] as T;
}

/** Tables derived from the labels, worked out once per labels object. */
interface LabelTables {
  formTitles: Record<string, string>;
  /** The explanation of a rule that did not fire at the establishment, or the summary of one for a designee. */
  notFired: WeakMap<Evaluated, Explanation | string>;
}

const tables = new WeakMap<Labels, LabelTables>();

function labelTables(labels: Labels): LabelTables {
  let t = tables.get(labels);
  if (!t) {
    t = {
      formTitles: Object.fromEntries(Object.entries(labels.forms).map(([k, v]) => [k, v.title])),
      notFired: new WeakMap(),
    };
    tables.set(labels, t);
  }
  return t;
}

/** Turns the events of the rules into the plan. Pure: no IO, no clock. */
export function buildPlan(inputs: PlanInputs): Plan {
  const { answers, labels } = inputs;
  const est = inputs.establishment.fired;
  const { formTitles } = labelTables(labels);

  const contractEvent = only(
    est.filter((e) => e.type === "contract"),
    "contrat de structure",
  );
  const contractDecision = {
    required: contractEvent.params.required === true,
    signatory: contractEvent.params.signatory as Entity,
    presentedEntity: contractEvent.params.presentedEntity as Entity,
  };
  const signatoryEvent = only(
    est.filter((e) => e.type === "signatory"),
    "signataire du formulaire n°413",
  );
  const signatory413 = form413Signatory(answers, String(signatoryEvent.params.by), labels);
  const base = baseContext(answers, labels, contractDecision, signatory413);
  const legalRepresentative =
    signatory413.role === "legalRepresentative"
      ? signatory413
      : form413Signatory(answers, "legalRepresentative", labels);

  // Every fired event with the context its templates are rendered in.
  const all: { e: Fired; ctx: RenderContext; designee?: number }[] = est.map((e) => ({ e, ctx: base }));
  const contexts: RenderContext[] = [];
  inputs.designees.forEach((decision, i) => {
    const designee = answers.designees[i];
    if (!designee) throw new Error(`décision sans personne désignée n°${i + 1}`);
    const ctx = designeeContext(base, designee, i, labels);
    contexts.push(ctx);
    for (const e of decision.fired) all.push({ e, ctx, designee: i });
  });

  // Forms, merged per form and designee.
  const forms = new Map<string, PlanForm>();
  for (const { e, ctx, designee } of all.filter((x) => x.e.type === "form")) {
    const form = e.params.form as FormId;
    if (!FORM_IDS.includes(form)) throw new Error(`${e.rule} : formulaire inconnu ${String(form)}`);
    const id = designee === undefined ? form : `${form}-${designee + 1}`;
    let entry = forms.get(id);
    if (!entry) {
      const d = designee === undefined ? undefined : answers.designees[designee];
      entry = {
        id,
        form,
        title: label(formTitles, form),
        ...(d
          ? {
              designee: {
                index: designee as number,
                role: d.role,
                firstName: d.firstName,
                lastName: d.lastName,
                email: d.email,
                ...(d.vendor ? { vendor: d.vendor } : {}),
              },
            }
          : {}),
        signatory: e.params.signedBy === "form413Signatory" ? signatory413 : legalRepresentative,
        reasons: [],
        references: [],
      };
      forms.set(id, entry);
    }
    entry.reasons.push(requireText(e.params, "reason", ctx, e.rule));
    entry.references.push(reference(e));
    const offer = e.params.offer;
    if (typeof offer === "string") {
      const offers = new Set([...(entry.offers ?? []), offer as Profile]);
      entry.offers = PROFILES.filter((p) => offers.has(p));
    }
  }
  const formList = [...forms.values()].sort(
    (a, b) =>
      FORM_IDS.indexOf(a.form) - FORM_IDS.indexOf(b.form) ||
      (a.designee?.index ?? -1) - (b.designee?.index ?? -1),
  );

  // Certificates, merged per profile from the sections that each fix a part of them.
  const keyEvent = only(
    est.filter((e) => e.type === "keyGeneration"),
    "génération de la clé",
  );
  const mode = keyEvent.params.mode as KeyGeneration;
  const certificates: PlanCertificate[] = PROFILES.map((profile) => {
    const events = est.filter(
      (e) =>
        e.type === "certificate" &&
        (e.params.profile === profile || strings(e.params.profiles).includes(profile)),
    );
    const field = (key: string): string | undefined => {
      const found = events.map((e) => text(e.params, key, base)).filter((v) => v !== undefined);
      if (found.length > 1) throw new Error(`${profile} : « ${key} » fixé par plusieurs règles`);
      return found[0];
    };
    const need = (key: string): string => {
      const v = field(key);
      if (v === undefined) throw new Error(`${profile} : aucune règle ne fixe « ${key} »`);
      return v;
    };
    const numberField = (key: string): number => {
      const v = events.map((e) => e.params[key]).find((x) => typeof x === "number");
      if (typeof v !== "number") throw new Error(`${profile} : aucune règle ne fixe « ${key} »`);
      return v;
    };
    const habilitationDomain = field("habilitationDomain");
    return {
      profile,
      label: label(labels.profiles, profile),
      offer: need("offer"),
      serviceName: need("serviceName"),
      commonName: need("commonName"),
      ...(habilitationDomain ? { habilitationDomain } : {}),
      usage: need("usage"),
      validityYears: numberField("validityYears"),
      renewalNoticeMonths: numberField("renewalNoticeMonths"),
      keyGeneration: {
        mode,
        label: label(labels.keyGeneration, mode),
        implies: strings(keyEvent.params.implies).map((t) => render(t, base)),
      },
      references: [...events, keyEvent].map((e) => reference(e)),
    };
  });

  // Steps, in the order of the phases, then of each step, then of the designees.
  const stepEvents = all
    .filter((x) => x.e.type === "step")
    .sort(
      (a, b) =>
        PHASES.indexOf(a.e.params.phase as Phase) - PHASES.indexOf(b.e.params.phase as Phase) ||
        Number(a.e.params.order) - Number(b.e.params.order) ||
        (a.designee ?? -1) - (b.designee ?? -1) ||
        a.e.index - b.e.index,
    );
  const steps: PlanStep[] = stepEvents.map(({ e, ctx, designee }, n) => {
    const phase = e.params.phase as Phase;
    if (!PHASES.includes(phase)) throw new Error(`${e.rule} : phase inconnue ${String(phase)}`);
    const documents = strings(e.params.documents).map((f) =>
      designee === undefined ? f : `${f}-${designee + 1}`,
    );
    const sendTo = text(e.params, "sendTo", ctx);
    return {
      number: n + 1,
      id: designee === undefined ? String(e.params.id) : `${String(e.params.id)}-${designee + 1}`,
      phase,
      phaseTitle: label(labels.phases, phase),
      actor: requireText(e.params, "actor", ctx, e.rule),
      action: requireText(e.params, "action", ctx, e.rule),
      documents: documents.filter((d) => forms.has(d)),
      ...(sendTo ? { sendTo } : {}),
      ...(designee !== undefined ? { designee } : {}),
      references: [reference(e)],
    };
  });

  // Findings: the answers' warnings, then the rules' findings.
  const findings: Finding[] = [
    ...inputs.warnings.map((w) => ({
      code: w.code,
      severity: "warning" as Severity,
      message: w.message,
      path: w.path,
    })),
    ...all
      .filter((x) => x.e.type === "finding")
      .map(({ e, ctx }) => ({
        code: String(e.params.code),
        severity: e.params.severity as Severity,
        message: requireText(e.params, "message", ctx, e.rule),
        references: [reference(e)],
      })),
  ];

  const explanations = explain(inputs, base, contexts, labels);

  return {
    planVersion: 1,
    generator: inputs.generator,
    establishment: {
      name: answers.establishment.name,
      finessEJ: answers.establishment.finessEJ,
      finessEG: answers.establishment.finessEG,
      geographicEntities: answers.establishment.geographicEntities,
      presentedEntity: contractDecision.presentedEntity,
      presentedFiness: finessOf(answers, contractDecision.presentedEntity),
    },
    gap: base.gap,
    contract: {
      ...contractDecision,
      signatoryFiness: finessOf(answers, contractDecision.signatory),
      presentedFiness: finessOf(answers, contractDecision.presentedEntity),
      reasons: [requireText(contractEvent.params, "reason", base, contractEvent.rule)],
      references: [reference(contractEvent)],
    },
    forms: formList,
    certificates,
    steps,
    findings,
    explanations,
  };
}

function notFiredSummary(e: Evaluated, labels: Labels): string {
  let facts = "";
  for (const name in e.facts) facts += `${facts === "" ? "" : ", "}${name} = ${String(e.facts[name])}`;
  return `${labels.explanation.notFired} (${facts})`;
}

/**
 * Every rule evaluated, fired or not, with the facts it read: the answer to « pourquoi ? ». The explanation of a rule
 * that did not fire at the establishment depends on nothing else: it is made once per decision and shared, frozen.
 */
function explain(
  inputs: PlanInputs,
  base: RenderContext,
  contexts: RenderContext[],
  labels: Labels,
): Explanation[] {
  const out: Explanation[] = [];
  const { notFired } = labelTables(labels);
  const make = (e: Evaluated, summary: string, designee?: { index: number; name: string }): Explanation => {
    const { decision, reference } = ruleView(e);
    const { rule, fired, facts } = e;
    return designee
      ? { decision, rule, fired, summary, designee, facts, reference }
      : { decision, rule, fired, summary, facts, reference };
  };
  const firedSummary = (e: Evaluated, ctx: RenderContext): string => {
    const template = ruleView(e).summary;
    return template === undefined ? labels.explanation.fired : render(template, ctx);
  };
  for (const e of inputs.establishment.evaluated) {
    if (e.fired) {
      out.push(make(e, firedSummary(e, base)));
      continue;
    }
    let x = notFired.get(e);
    if (typeof x !== "object") {
      x = Object.freeze(make(e, notFiredSummary(e, labels)));
      notFired.set(e, x);
    }
    out.push(x);
  }
  inputs.designees.forEach((decision, i) => {
    const d = inputs.answers.designees[i];
    const ctx = contexts[i];
    if (!d || !ctx) return;
    const designee = { index: i, name: fullName(d) };
    for (const e of decision.evaluated) {
      let summary: string;
      if (e.fired) summary = firedSummary(e, ctx);
      else {
        const known = notFired.get(e);
        summary = typeof known === "string" ? known : notFiredSummary(e, labels);
        if (known === undefined) notFired.set(e, summary);
      }
      out.push(make(e, summary, designee));
    }
  });
  return out;
}
