import type { Answers, AnswerWarning } from "../answers/types.js";
import { personKey } from "../facts/facts.js";
import {
  type Cited,
  type Decision,
  type Evaluated,
  type Fired,
  ofType,
  type Parameter,
  type Parameters,
  type RuleEvent,
  type Whose,
} from "../rules/types.js";
import {
  baseContext,
  designeeContext,
  finessOf,
  form413Signatory,
  fullName,
  type RenderContext,
} from "./context.js";
import { type Labels, label, ofName, render } from "./labels.js";
import {
  type Explanation,
  type Finding,
  FORM_IDS,
  PHASES,
  type Plan,
  type PlanAwaited,
  type PlanCertificate,
  type PlanForm,
  type PlanStep,
  type PlanWait,
  PROFILES,
  type Reference,
} from "./types.js";

export interface PlanInputs {
  answers: Answers;
  warnings: AnswerWarning[];
  establishment: Decision;
  /** One decision per designee, in the answers' order. */
  designees: Decision[];
  labels: Labels;
  parameters: Parameters;
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

type Event = { rule: string } & RuleEvent;

const views = new WeakMap<object, RuleView>();

function cited(rule: string, p: Cited): Reference {
  return Object.freeze({
    rule,
    section: p.section,
    quote: p.quote,
    ...(p.interpretation ? { interpretation: p.interpretation } : {}),
  });
}

/** The text that says what a rule decides when it fires: its reason, message or action. */
function summaryOf(e: RuleEvent): string | undefined {
  switch (e.type) {
    case "contract":
    case "form":
    case "signatory":
      return e.params.reason;
    case "finding":
      return e.params.message;
    case "step":
      return e.params.reason ?? e.params.action;
    case "keyGeneration":
      return undefined;
  }
}

function ruleView(e: Event): RuleView {
  const known = views.get(e.params);
  if (known && known.rule === e.rule && known.type === e.type) return known;
  const summary = summaryOf(e);
  const view: RuleView = {
    rule: e.rule,
    type: e.type,
    reference: cited(e.rule, e.params),
    decision: decisionKey(e),
    summary,
  };
  views.set(e.params, view);
  return view;
}

function reference(e: Event): Reference {
  return ruleView(e).reference;
}

function decisionKey(e: RuleEvent): string {
  switch (e.type) {
    case "form":
    case "signatory":
      return `${e.type}:${e.params.form}`;
    case "step":
      return `${e.type}:${e.params.id}`;
    case "finding":
      return `${e.type}:${e.params.code}`;
    case "keyGeneration":
      return `${e.type}:${e.params.mode}`;
    case "contract":
      return e.type;
  }
}

/** The one decision of a type; any other count is a fault of the rules (`type` names the event type). */
function only<T>(items: T[], type: string): T {
  if (items.length !== 1) throw new Error(`${type} : ${items.length} règles ont conclu, une seule attendue`);
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
  const { answers, labels, parameters } = inputs;
  const est = inputs.establishment.fired;
  const { formTitles } = labelTables(labels);

  const contractEvent = only(ofType(est, "contract"), "contract");
  const contractDecision = {
    required: contractEvent.params.required,
    signatory: contractEvent.params.signatory,
    presentedEntity: contractEvent.params.presentedEntity,
  };
  const signatoryEvent = only(ofType(est, "signatory"), "signatory");
  const signatory413 = form413Signatory(answers, signatoryEvent.params.by, labels);
  const base = baseContext(answers, labels, contractDecision, signatory413, parameters);
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
  const ofKind = <T extends RuleEvent["type"]>(type: T) =>
    all.flatMap((x) =>
      x.e.type === type ? [{ ...x, e: x.e as Fired & Extract<RuleEvent, { type: T }> }] : [],
    );

  // Forms, merged per form and designee.
  const forms = new Map<string, PlanForm>();
  for (const { e, ctx, designee } of ofKind("form")) {
    const form = e.params.form;
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
    entry.reasons.push(render(e.params.reason, ctx));
    entry.references.push(reference(e));
    const offer = e.params.offer;
    if (offer !== undefined) {
      const offers = new Set([...(entry.offers ?? []), offer]);
      entry.offers = PROFILES.filter((p) => offers.has(p));
    }
  }
  const formList = [...forms.values()].sort(
    (a, b) =>
      FORM_IDS.indexOf(a.form) - FORM_IDS.indexOf(b.form) ||
      (a.designee?.index ?? -1) - (b.designee?.index ?? -1),
  );

  // Certificates: the procedure's constants (rules/parametres.json) and the key generation the answers chose.
  const keyEvent = only(ofType(est, "keyGeneration"), "keyGeneration");
  const mode = keyEvent.params.mode;
  const fromParameter = (name: string, p: Parameter<string | number>): Reference =>
    cited(`parametres.${name}`, p);
  const certificates: PlanCertificate[] = PROFILES.map((profile) => {
    const c = parameters.certificates[profile];
    const value = (p: Parameter) => render(p.value, base);
    const path = (field: string) => `certificates.${profile}.${field}`;
    return {
      profile,
      label: label(labels.profiles, profile),
      offer: value(c.offer),
      serviceName: value(c.serviceName),
      commonName: value(c.commonName),
      ...(c.habilitationDomain ? { habilitationDomain: value(c.habilitationDomain) } : {}),
      usage: value(c.usage),
      validityYears: parameters.validityYears.value,
      renewalNoticeMonths: parameters.renewalNoticeMonths.value,
      keyGeneration: {
        mode,
        label: label(labels.keyGeneration, mode),
        implies: keyEvent.params.implies.map((t) => render(t, base)),
      },
      references: [
        fromParameter(path("offer"), c.offer),
        fromParameter(path("usage"), c.usage),
        fromParameter(path("serviceName"), c.serviceName),
        fromParameter(path("commonName"), c.commonName),
        ...(c.habilitationDomain ? [fromParameter(path("habilitationDomain"), c.habilitationDomain)] : []),
        fromParameter("validityYears", parameters.validityYears),
        fromParameter("renewalNoticeMonths", parameters.renewalNoticeMonths),
        reference(keyEvent),
      ],
    };
  });

  const { steps, awaited, waitExplanations } = buildSteps(
    ofKind("step"),
    answers,
    labels,
    signatory413,
    forms,
  );

  // Findings: the answers' warnings, then the rules' findings.
  const findings: Finding[] = [
    ...inputs.warnings.map((w) => ({
      code: w.code,
      severity: "warning" as const,
      message: w.message,
      path: w.path,
    })),
    ...ofKind("finding").map(({ e, ctx }) => ({
      code: e.params.code,
      severity: e.params.severity,
      message: render(e.params.message, ctx),
      references: [reference(e)],
    })),
  ];

  const explanations = [...explain(inputs, base, contexts, labels), ...waitExplanations];

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
      reasons: [render(contractEvent.params.reason, base)],
      references: [reference(contractEvent)],
    },
    forms: formList,
    certificates,
    steps,
    awaited,
    findings,
    explanations,
  };
}

type StepEvent = { e: Fired & Extract<RuleEvent, { type: "step" }>; ctx: RenderContext; designee?: number };

/** A person the steps are about, known by their e-mail address whatever their roles. */
interface Person {
  key: string;
  name: string;
  email: string;
  /** The legal representative, or the number of the first designee entry that is this person. */
  who: "legalRepresentative" | number;
}

/**
 * The steps in order, each with what it comes after and what it waits for, and the outside events awaited. A step
 * waits for an event only when a step of the plan yields it (a card already held is not awaited); for « one of the
 * technical administrators », when every one of them still waits for it.
 */
function buildSteps(
  stepEvents: StepEvent[],
  answers: Answers,
  labels: Labels,
  signatory413: { email: string },
  forms: Map<string, PlanForm>,
): { steps: PlanStep[]; awaited: PlanAwaited[]; waitExplanations: Explanation[] } {
  const legal = answers.legalRepresentative;
  const people = new Map<string, Person>();
  const personOf = (
    p: { firstName: string; lastName: string; email: string },
    who: Person["who"],
  ): Person => {
    const key = personKey(p);
    let known = people.get(key);
    if (!known) {
      known = { key, name: fullName(p), email: p.email, who };
      people.set(key, known);
    }
    return known;
  };
  personOf(legal, "legalRepresentative");
  answers.designees.forEach((d, i) => {
    personOf(d, i + 1);
  });
  const person = (email: string): Person => people.get(email.trim().toLowerCase()) as Person;
  const technicalAdministrators = [
    ...new Set(
      answers.designees.filter((d) => d.role === "technicalAdministrator").map((d) => person(d.email)),
    ),
  ];
  const whom = (of: Whose | undefined, designee: number | undefined): (Person | undefined)[] => {
    switch (of) {
      case undefined:
        return [undefined];
      case "designee": {
        const d = designee === undefined ? undefined : answers.designees[designee];
        return d ? [person(d.email)] : [];
      }
      case "legalRepresentative":
        return [person(legal.email)];
      case "form413Signatory":
        return [person(signatory413.email)];
      case "technicalAdministrators":
        return technicalAdministrators;
    }
  };
  const slug = (event: string) => event.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const awaitedId = (event: string, p: Person | undefined): string =>
    p === undefined
      ? slug(event)
      : `${slug(event)}-${p.who === "legalRepresentative" ? "representant-legal" : `personne-${p.who}`}`;

  // Order and ids, as before: phase, then the step's order, then the designee, then the rule.
  const sorted = [...stepEvents].sort(
    (a, b) =>
      PHASES.indexOf(a.e.params.phase) - PHASES.indexOf(b.e.params.phase) ||
      a.e.params.order - b.e.params.order ||
      (a.designee ?? -1) - (b.designee ?? -1) ||
      a.e.index - b.e.index,
  );
  const idOf = (x: StepEvent) =>
    x.designee === undefined ? x.e.params.id : `${x.e.params.id}-${x.designee + 1}`;
  const numberOf = new Map(sorted.map((x, n) => [idOf(x), n + 1]));

  // What each step yields.
  const awaitedById = new Map<string, PlanAwaited>();
  const yielded = new Map<string, { event: string; person: Person | undefined; by: string[] }>();
  for (const x of sorted) {
    for (const y of x.e.params.yields ?? []) {
      for (const p of whom(y.of, x.designee)) {
        const id = awaitedId(y.event, p);
        const entry = yielded.get(id) ?? { event: y.event, person: p, by: [] };
        entry.by.push(idOf(x));
        yielded.set(id, entry);
      }
    }
  }
  const awaitedLabel = (event: string, p: Person | undefined): string => {
    const key = event === "carte" && p?.who === "legalRepresentative" ? "carteRepresentantLegal" : event;
    return render(label(labels.awaited, key), {
      ofName: p ? ofName(labels, p.name) : "",
      email: p?.email ?? "",
    });
  };
  const receiver = (event: string, p: Person | undefined): string => {
    if (p) return p.name;
    if (event === "contratEnregistre") return fullName(legal);
    return technicalAdministrators.map((t) => t.name).join(labels.when.or) || fullName(legal);
  };

  const waitExplanations: Explanation[] = [];
  /** The steps each step comes after, directly. */
  const reach = new Map<string, Set<string>>();
  const steps: PlanStep[] = sorted.map((x) => {
    const { e, ctx, designee } = x;
    const id = idOf(x);
    const number = numberOf.get(id) as number;
    const documents = (e.params.documents ?? [])
      .map((f) => (designee === undefined ? f : `${f}-${designee + 1}`))
      .filter((d) => forms.has(d));
    const waitsFor: PlanWait[] = [];
    for (const w of e.params.waitsFor ?? []) {
      const ids = whom(w.of, designee).map((p) => awaitedId(w.event, p));
      // Nothing to wait for when one of the people is ready already, or when this step is what yields it.
      if (ids.length === 0 || ids.some((a) => !yielded.has(a) || yielded.get(a)?.by.includes(id))) continue;
      const fresh = ids.filter((a) => !waitsFor.some((known) => known.awaited.includes(a)));
      if (fresh.length === 0) continue;
      const ref = cited(e.rule, w);
      waitsFor.push({ awaited: fresh, reference: ref });
      for (const a of fresh) {
        const y = yielded.get(a) as { event: string; person: Person | undefined; by: string[] };
        let item = awaitedById.get(a);
        if (!item) {
          item = {
            id: a,
            event: y.event as PlanAwaited["event"],
            label: awaitedLabel(y.event, y.person),
            receivedBy: receiver(y.event, y.person),
            yieldedBy: y.by,
            awaitedBy: [],
          };
          awaitedById.set(a, item);
        }
        item.awaitedBy.push(id);
      }
    }
    // Named by the rules, then the steps yielding what it waits for; each once, in plan order.
    const before = new Set<string>();
    for (const name of e.params.after ?? []) {
      const own = designee === undefined ? undefined : `${name}-${designee + 1}`;
      if (own !== undefined && numberOf.has(own)) before.add(own);
      else if (numberOf.has(name)) before.add(name);
      else if (designee === undefined)
        for (const other of numberOf.keys())
          if (other.startsWith(`${name}-`) && /-\d+$/.test(other)) before.add(other);
    }
    for (const w of waitsFor)
      for (const a of w.awaited) for (const s of yielded.get(a)?.by ?? []) before.add(s);
    for (const b of before) {
      if ((numberOf.get(b) as number) >= number)
        throw new Error(`${e.rule} : l'étape ${id} vient après ${b}, qui la suit dans le plan`);
    }
    // Only the nearest: a step that another of them already comes after goes without saying.
    const implied = new Set<string>();
    const visit = (s: string) => {
      for (const t of reach.get(s) ?? [])
        if (!implied.has(t)) {
          implied.add(t);
          visit(t);
        }
    };
    for (const b of before) visit(b);
    reach.set(id, new Set([...before]));
    const after = [...before]
      .filter((b) => !implied.has(b))
      .sort((a, b) => (numberOf.get(a) as number) - (numberOf.get(b) as number));
    const sendTo = e.params.sendTo === undefined ? undefined : render(e.params.sendTo, ctx);
    return {
      number,
      id,
      phase: e.params.phase,
      phaseTitle: label(labels.phases, e.params.phase),
      actor: render(e.params.actor, ctx),
      action: render(e.params.action, ctx),
      documents,
      ...(sendTo ? { sendTo } : {}),
      ...(designee !== undefined ? { designee } : {}),
      after,
      waitsFor,
      when: "",
      references: [reference(e)],
    };
  });
  const awaited = [...awaitedById.values()];
  const designeeOf = (step: PlanStep) => {
    const d = step.designee === undefined ? undefined : answers.designees[step.designee];
    return d && step.designee !== undefined
      ? { designee: { index: step.designee, name: fullName(d) } }
      : undefined;
  };
  for (const step of steps) {
    step.when = whenText(step, numberOf, awaitedById, labels);
    for (const w of step.waitsFor) {
      waitExplanations.push({
        decision: `wait:${step.id}`,
        rule: w.reference.rule,
        fired: true,
        summary: render(labels.explanation.waits, {
          number: step.number,
          items: w.awaited.map((a) => awaitedById.get(a)?.label).join(labels.when.or),
        }),
        ...(designeeOf(step) ?? {}),
        facts: {},
        reference: w.reference,
      });
    }
  }
  return { steps, awaited, waitExplanations };
}

/** « Quand » a step can be done, in words. */
function whenText(
  step: PlanStep,
  numberOf: Map<string, number>,
  awaited: Map<string, PlanAwaited>,
  labels: Labels,
): string {
  const w = labels.when;
  const numbers = step.after.map((id) => String(numberOf.get(id)));
  const joined =
    numbers.length <= 1 ? numbers.join("") : `${numbers.slice(0, -1).join(", ")}${w.and}${numbers.at(-1)}`;
  const after =
    numbers.length === 0 ? "" : render(numbers.length === 1 ? w.stepOne : w.stepMany, { steps: joined });
  const items = step.waitsFor
    .map((x) => x.awaited.map((a) => awaited.get(a)?.label ?? a).join(w.or))
    .join(w.list);
  if (after === "" && items === "") return w.now;
  if (items === "") return render(w.after, { after });
  if (after === "") return render(w.waits, { items });
  return render(w.afterAndWaits, { after, items });
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
