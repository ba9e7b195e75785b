import type { Labels } from "../plan/labels.js";
import { firstSentence, nextActions } from "../plan/next.js";
import type { Plan, PlanForm, Reference } from "../plan/types.js";
import type { PlanDraft } from "../questionnaire/plan-draft.js";
import { renderText } from "../questionnaire/texts.js";

/** What the live panel shows of a plan: the forms, for whom and why; the contract; the findings. */
export interface PlanSummary {
  establishment: { name: string; presentedEntity: string; presentedFiness: string };
  contract: {
    required: boolean;
    signatory: string;
    presentedEntity: string;
    reasons: string[];
    sections: string[];
  };
  forms: {
    id: string;
    form: string;
    title: string;
    for?: { name: string; role: string; index: number };
    signatory: string;
    offers: string[];
    reasons: string[];
    sections: string[];
  }[];
  certificates: { profile: string; label: string; commonName: string }[];
  findings: {
    code: string;
    severity: string;
    severityLabel: string;
    message: string;
    path?: string;
    sections: string[];
  }[];
  steps: number;
  /** The steps that wait for nothing, and the outside events awaited (see nextActions). */
  now: { number: number; actor: string; action: string }[];
  awaited: { label: string; receivedBy: string; steps: string }[];
}

function sections(references: readonly Reference[] | undefined): string[] {
  return [...new Set((references ?? []).map((r) => r.section))];
}

type FormSummary = PlanSummary["forms"][number];

function formSummary(f: PlanForm, labels: Labels): FormSummary {
  return {
    id: f.id,
    form: f.form,
    title: f.title,
    ...(f.designee
      ? {
          for: {
            name: `${f.designee.firstName} ${f.designee.lastName}`,
            role: labels.roles[f.designee.role] ?? f.designee.role,
            index: f.designee.index,
          },
        }
      : {}),
    signatory: f.signatory.label,
    offers: (f.offers ?? []).map((o) => labels.offers[o] ?? o),
    reasons: f.reasons,
    sections: sections(f.references),
  };
}

/** What the live panel shows of a plan still forming: the forms decided, the forms that depend on answers to come. */
export interface PlanDraftSummary {
  decided: FormSummary[];
  open: FormSummary[];
  /** Whether a contract of structure is to be signed; null while it depends on answers to come. */
  contractRequired: boolean | null;
}

/**
 * A draft for the panel. The names the draft completed with the schema's examples are not the user's: such a
 * person is named by their place (« personne désignée n°2 »), such a signatory by their role alone.
 */
export function planDraftSummary(draft: PlanDraft, labels: Labels, designeeN: string): PlanDraftSummary {
  const example = new Set(draft.exampleOf);
  const named = (base: string) => !example.has(`${base}.firstName`) && !example.has(`${base}.lastName`);
  const form = (f: PlanForm): FormSummary => {
    const out = formSummary(f, labels);
    if (out.for && !named(`designees.${out.for.index}`))
      out.for = { ...out.for, name: renderText(designeeN, { n: out.for.index + 1 }) };
    // A reason quoting an example (« Marie Lefèvre n'a pas… ») would name someone the user did not name.
    out.reasons = out.reasons.filter((r) => !draft.exampleValues.some((v) => r.includes(v)));
    const by = f.signatory;
    const base = by.role === "mandatary" ? `designees.${by.designee ?? 0}` : "legalRepresentative";
    if (!named(base)) out.signatory = labels.roles[by.role] ?? by.role;
    return out;
  };
  return {
    decided: draft.decided.map(form),
    open: draft.open.map(form),
    contractRequired: draft.contractRequired ?? null,
  };
}

export function planSummary(plan: Plan, labels: Labels): PlanSummary {
  return {
    establishment: {
      name: plan.establishment.name,
      presentedEntity:
        labels.entities[plan.establishment.presentedEntity] ?? plan.establishment.presentedEntity,
      presentedFiness: plan.establishment.presentedFiness,
    },
    contract: {
      required: plan.contract.required,
      signatory: labels.entities[plan.contract.signatory] ?? plan.contract.signatory,
      presentedEntity: labels.entities[plan.contract.presentedEntity] ?? plan.contract.presentedEntity,
      reasons: plan.contract.reasons,
      sections: sections(plan.contract.references),
    },
    forms: plan.forms.map((f) => formSummary(f, labels)),
    certificates: plan.certificates.map((c) => ({
      profile: c.profile,
      label: c.label,
      commonName: c.commonName,
    })),
    findings: plan.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      severityLabel: labels.severities[f.severity] ?? f.severity,
      message: f.message,
      ...(f.path === undefined ? {} : { path: f.path }),
      sections: sections(f.references),
    })),
    steps: plan.steps.length,
    ...(({ now, awaited }) => ({
      now: now.map((x) => ({ number: x.number, actor: x.actor, action: firstSentence(x.action) })),
      awaited: awaited.map((a) => ({ label: a.label, receivedBy: a.receivedBy, steps: a.steps.join(", ") })),
    }))(nextActions(plan)),
  };
}
