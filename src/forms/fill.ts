import type { Answers } from "../answers/types.js";
import { cleanText, familyFor, glyphFindings } from "../layout/text.js";
import { findingText, pdfMessages, renderText } from "../pdf/messages.js";
import type { Labels } from "../plan/labels.js";
import type { Finding, Plan, PlanForm } from "../plan/types.js";
import {
  type AnnexPage,
  type FieldFill,
  type FillOptions,
  type FontUse,
  type FormField,
  fillForm,
  needsUnicodeFont,
} from "../render/index.js";
import { type AnnexEntry, layoutAnnex } from "./annex.js";
import { displayWithPointer, type FieldFit, fitField, widgetRuns } from "./field-text.js";
import { evaluateSource, type MappingContext, type MappingProblem, mappingContext } from "./mapping.js";
import {
  type FormTemplate,
  FormTemplateError,
  type FormTemplateSet,
  loadFormTemplates,
} from "./templates.js";

/**
 * A plan form into its template: the mapping evaluated, each text fitted into its field (shrunk, or continued
 * in an annex with a pointer in the field), the findings about it; then written by the fence (`fillForm`).
 */

interface TextJob {
  field: FormField;
  text: string;
  display: string;
  /** The value stored in /V (a choice's export value). */
  value: string;
  font: FontUse;
  fit: FieldFit;
}

/** What goes into a template, as plain data: the fields (in the template's order), the annex, the findings. */
export interface FormFill {
  fields: FieldFill[];
  annex: AnnexPage[];
  findings: Finding[];
}

const frenchNumber = (n: number): string => String(Math.round(n * 1000) / 1000).replace(".", ",");

function finding(
  code: string,
  severity: Finding["severity"],
  params: Record<string, string | number>,
): Finding {
  return { code, severity, message: findingText(code, params) };
}

class FormFillBuilder {
  readonly findings: Finding[] = [];
  private readonly jobs: TextJob[] = [];
  /** Each field filled, in the template's order: a check box's or radio group's state, or a text still to fit. */
  private readonly slots: (FieldFill | TextJob)[] = [];

  constructor(
    private readonly template: FormTemplate,
    private readonly context: MappingContext,
    private readonly formName: string,
  ) {}

  private where(field: FormField): string {
    return renderText(pdfMessages().places.field, { label: field.label, form: this.formName });
  }

  private setChoice(field: FormField, text: string): void {
    const m = pdfMessages();
    if (field.kind === "radio") {
      if (!field.exportValues.includes(text)) {
        this.findings.push(
          finding("PDF_CHOICE_UNKNOWN", "warning", {
            where: this.where(field),
            value: text,
            options: field.exportValues.join(", "),
          }),
        );
        return;
      }
      const state = field.widgets.find((w) => w.exportValue === text)?.onValue ?? text;
      this.slots.push({ kind: "radio", name: field.name, state });
      return;
    }
    const option = field.options.find((o) => o.exportValue === text || o.display === text);
    if (!option) {
      const options = field.options.map((o) => o.display).join(", ") || m.fields.details.noOptions || "";
      this.findings.push(
        finding("PDF_CHOICE_UNKNOWN", "warning", { where: this.where(field), value: text, options }),
      );
      return;
    }
    this.addText(field, option.display, option.exportValue);
  }

  private addText(field: FormField, text: string, value = text): void {
    const font: FontUse = { family: familyFor(text), style: "regular" };
    if (needsUnicodeFont(text)) this.findings.push(...glyphFindings(text, this.where(field)));
    const job = { field, text, display: text, value, font, fit: fitField(field, text, font) };
    this.jobs.push(job);
    this.slots.push(job);
  }

  evaluate(): void {
    const { mapping, structure } = this.template;
    for (const field of structure.fields) {
      const source = mapping.fields.get(field.name);
      if (!source) continue;
      const value = evaluateSource(source, this.context);
      if (value.kind === "checked") {
        this.slots.push({ kind: "checkbox", name: field.name, checked: value.checked });
        continue;
      }
      if (value.text === undefined) {
        this.findings.push(
          finding("PDF_VALUE_NOT_TEXT", "warning", {
            where: this.where(field),
            source: source.source,
            mapping: mapping.file,
          }),
        );
        continue;
      }
      const text = cleanText(value.text, { multiline: field.multiline });
      if (text.trim() === "") continue;
      if (field.kind === "text") this.addText(field, text);
      else this.setChoice(field, text);
    }
  }

  /** Fields too long even at the minimum size: the annex gives them in full, the field points to it. */
  layout(): AnnexPage[] {
    const m = pdfMessages().annex;
    const overflowing = this.jobs.filter((j) => !j.fit.fits);
    const { pages } = this.template.structure;
    const first = pages[0];
    const size = { width: first?.width ?? 595.28, height: first?.height ?? 841.89 };
    const entries: AnnexEntry[] = overflowing.map((j) => ({
      label: j.field.label,
      fieldPage: (j.field.widgets[0]?.pageIndex ?? 0) + 1,
      text: j.text,
    }));
    const annex =
      entries.length > 0
        ? layoutAnnex(entries, size, pages.length, this.formName)
        : { pages: [], entryPages: [] };
    const annexed = new Set(overflowing);
    overflowing.forEach((job, i) => {
      const page = annex.entryPages[i] ?? 0;
      const pointer = (head: string) =>
        head ? renderText(m.pointer, { head, page }) : renderText(m.pointerAlone, { page });
      job.display = displayWithPointer(job.field, job.text, job.font, pointer);
      // What the field holds is what it shows: the head and its pointer, or, under a maximum length, the first
      // characters (the annex has the whole text).
      if (job.field.kind === "text") job.value = job.display;
      job.fit = fitField(job.field, job.display, job.font);
      this.findings.push(finding("PDF_TEXT_ANNEX", "warning", { where: this.where(job.field), page }));
    });
    for (const job of this.jobs) {
      // Shrinking by less than a point is not worth a word; more is, as an information.
      if (!annexed.has(job) && job.fit.fits && job.fit.size <= job.fit.baseSize - 1) {
        this.findings.push(
          finding("PDF_TEXT_SHRUNK", "info", {
            where: this.where(job.field),
            size: frenchNumber(job.fit.size),
            base: frenchNumber(job.fit.baseSize),
          }),
        );
      }
    }
    return annex.pages.map((runs) => ({ width: size.width, height: size.height, runs }));
  }

  run(): FormFill {
    this.evaluate();
    const annex = this.layout();
    const fields = this.slots.map((slot): FieldFill => {
      if (!("fit" in slot)) return slot;
      const { field, font, fit } = slot;
      return {
        kind: "text",
        name: field.name,
        value: slot.value,
        font,
        size: fit.size,
        widgets: fit.widgets.map((wt) => ({ widget: wt.index, runs: widgetRuns(field, wt, font) })),
      };
    });
    return { fields, annex, findings: this.findings };
  }
}

/** What goes into a template for a mapping context built by the caller (tests, other documents). */
export function formFill(template: FormTemplate, context: MappingContext): FormFill {
  const formName = context.labels.forms[template.form]?.short ?? template.form;
  return new FormFillBuilder(template, context, formName).run();
}

/** Fills a template with a mapping context built by the caller. */
export async function fillTemplate(
  template: FormTemplate,
  context: MappingContext,
  options: FillOptions,
): Promise<{ bytes: Uint8Array; findings: Finding[] }> {
  const { fields, annex, findings } = formFill(template, context);
  return { bytes: fillForm(template.structure, fields, annex, options), findings };
}

/** The filled PDF of one plan form, and the findings of its filling (fonts, shrunk or continued text). */
export async function fillPlanForm(
  set: FormTemplateSet,
  form: PlanForm,
  plan: Plan,
  answers: Answers,
  options: FillOptions,
  labels: Labels,
): Promise<{ bytes: Uint8Array; findings: Finding[] }> {
  const template = set.templates.get(form.form);
  if (!template) throw new Error(`aucun modèle chargé pour le formulaire ${form.form}`);
  return fillTemplate(template, mappingContext(plan, form, answers, labels), options);
}

/** Fills one plan form into its loaded template. */
export type FormFiller = (
  form: PlanForm,
  plan: Plan,
  answers: Answers,
  options: FillOptions,
) => Promise<{ bytes: Uint8Array; findings: Finding[] }>;

export type FormFillerResult = { ok: true; fill: FormFiller } | { ok: false; errors: MappingProblem[] };

/**
 * The form templates (the bundled ones, or a user's `--templates` folder in their place) loaded once, and the
 * filler over them; or the templates' problems as French values.
 */
export async function loadFormFiller(options: { dir?: string; labels: Labels }): Promise<FormFillerResult> {
  let set: FormTemplateSet;
  try {
    set = await loadFormTemplates(options.dir === undefined ? {} : { dir: options.dir });
  } catch (error) {
    if (error instanceof FormTemplateError) return { ok: false, errors: error.errors };
    throw error;
  }
  const { labels } = options;
  return {
    ok: true,
    fill: (form, plan, answers, fill) => fillPlanForm(set, form, plan, answers, fill, labels),
  };
}
