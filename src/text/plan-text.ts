import type { AnswerError, AnswerWarning } from "../answers/types.js";
import { type Labels, label } from "../plan/labels.js";
import { PHASES, type Plan } from "../plan/types.js";
import { quoteText } from "../rules/quote.js";
import { compileText } from "../templating/index.js";

/** Plain-text views of a plan and of a validation result, from handlebars templates (templates/text/). */
export interface TextTemplates {
  plan: string;
  validation: string;
}

const compile = (source: string) => compileText(source, { strict: false });

export function planText(
  plan: Plan,
  labels: Labels,
  templates: TextTemplates,
  options: { explain: boolean },
): string {
  const view = {
    plan: {
      ...plan,
      forms: plan.forms.map((f, i) => ({
        ...f,
        number: i + 1,
        designee: f.designee ? { ...f.designee, roleLabel: label(labels.roles, f.designee.role) } : undefined,
        offersLabel: f.offers?.map((o) => label(labels.offers, o)).join(" ; "),
        referencesLabel: [...new Set(f.references.map((r) => r.section))].join(" ; "),
      })),
      findings: plan.findings.map((f) => ({ ...f, severityLabel: label(labels.severities, f.severity) })),
      awaited: plan.awaited.map((a) => ({
        ...a,
        awaitedByNumbers: a.awaitedBy.map((id) => plan.steps.find((s) => s.id === id)?.number).join(", "),
      })),
    },
    phases: PHASES.map((phase) => ({
      title: label(labels.phases, phase),
      steps: plan.steps.filter((s) => s.phase === phase),
    })).filter((p) => p.steps.length > 0),
    explanations: options.explain
      ? plan.explanations.map((x) => ({
          ...x,
          reference: { ...x.reference, quote: quoteText(x.reference.quote) },
        }))
      : undefined,
  };
  return compile(templates.plan)(view);
}

export function validationText(
  file: string,
  result: { ok: boolean; errors?: AnswerError[]; warnings: AnswerWarning[] },
  templates: TextTemplates,
): string {
  const errors = result.errors ?? [];
  return compile(templates.validation)({
    file,
    ok: result.ok,
    errors,
    plural: errors.length > 1,
    warnings: result.warnings,
  });
}
