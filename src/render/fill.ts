import type { Answers } from "../answers/types.js";
import {
  evaluateSource,
  type MappingContext,
  type MappingProblem,
  mappingContext,
} from "../pdf/form-mapping.js";
import { findingText, pdfMessages, renderText } from "../pdf/messages.js";
import type { Labels } from "../plan/labels.js";
import type { Finding, Plan, PlanForm } from "../plan/types.js";
import { type AnnexEntry, annexPageContent, layoutAnnex } from "./annex.js";
import { num, type TextRun } from "./content.js";
import { displayWithPointer, type FieldFit, fitField, noteFieldText, textAppearance } from "./field-text.js";
import { FillFonts } from "./fill-fonts.js";
import { flattenWidgets } from "./flatten.js";
import { cleanText, type FontUse, familyFor, glyphFindings, needsUnicodeFont } from "./fonts.js";
import {
  type FormTemplate,
  FormTemplateError,
  type FormTemplateSet,
  loadFormTemplates,
} from "./form-templates.js";
import type { DocumentMetadata } from "./metadata.js";
import { PDFArray, PDFDict, PDFName, type PDFObject, PDFRef, PDFString } from "./pdf-lib.js";
import { hexText, PdfUpdate } from "./pdf-update.js";
import type { TemplateField } from "./template-structure.js";

/** Fills a plan form into its template: values, fonts, annex for long texts, metadata, optional flattening. */

export interface FillOptions {
  flatten: boolean;
  metadata: DocumentMetadata;
}

interface TextJob {
  field: TemplateField;
  text: string;
  display: string;
  /** The value stored in /V (a choice's export value). */
  value: string;
  font: FontUse;
  fit: FieldFit;
}

const names = new Map<string, PDFName>();

/** `PDFName.of`, remembered: the field states are the same few names on every fill. */
function nameOf(name: string): PDFName {
  let pdfName = names.get(name);
  if (!pdfName) {
    pdfName = PDFName.of(name);
    names.set(name, pdfName);
  }
  return pdfName;
}

const NAME = {
  V: PDFName.of("V"),
  AS: PDFName.of("AS"),
  AP: PDFName.of("AP"),
  N: PDFName.of("N"),
  DA: PDFName.of("DA"),
  Off: PDFName.of("Off"),
  Kids: PDFName.of("Kids"),
  Count: PDFName.of("Count"),
  AcroForm: PDFName.of("AcroForm"),
  NeedAppearances: PDFName.of("NeedAppearances"),
  Fields: PDFName.of("Fields"),
  DR: PDFName.of("DR"),
  Font: PDFName.of("Font"),
};

const frenchNumber = (n: number): string => num(n).replace(".", ",");

function finding(
  code: string,
  severity: Finding["severity"],
  params: Record<string, string | number>,
): Finding {
  return { code, severity, message: findingText(code, params) };
}

/** The tool's texts of the last metadata seen: the forms of a dossier share them. */
let lastTrace: { key: string; creator: string; keywords: string } | undefined;

function infoDict(update: PdfUpdate, m: DocumentMetadata): PDFDict {
  const key = `${m.toolVersion}\u0000${m.rulesVersion}\u0000${m.answersHash}`;
  if (lastTrace?.key !== key) {
    const texts = pdfMessages().metadata;
    const params = { toolVersion: m.toolVersion, rulesVersion: m.rulesVersion, answersHash: m.answersHash };
    lastTrace = {
      key,
      creator: renderText(texts.creator, params),
      keywords: renderText(texts.keywords, params),
    };
  }
  const date = PDFString.fromDate(m.date);
  const creator = hexText(lastTrace.creator);
  return update.context.obj({
    Title: hexText(m.title),
    Subject: hexText(m.subject),
    Creator: creator,
    Producer: creator,
    Keywords: hexText(lastTrace.keywords),
    CreationDate: date,
    ModDate: date,
    DiapasonToolVersion: PDFString.of(m.toolVersion),
    DiapasonRulesVersion: PDFString.of(m.rulesVersion),
    DiapasonAnswersHash: PDFString.of(m.answersHash),
  });
}

class Filler {
  readonly findings: Finding[] = [];
  private readonly update: PdfUpdate;
  private readonly fonts: FillFonts;
  private readonly jobs: TextJob[] = [];
  private readonly lookup = (obj: PDFObject | undefined): PDFObject | undefined =>
    obj instanceof PDFRef
      ? (this.update.context.lookup(obj) ?? this.template.structure.catalog.context.lookup(obj))
      : obj;

  constructor(
    private readonly template: FormTemplate,
    private readonly context: MappingContext,
    private readonly formName: string,
  ) {
    this.update = new PdfUpdate(template.base);
    this.fonts = new FillFonts(this.update);
  }

  private where(field: TemplateField): string {
    return renderText(pdfMessages().places.field, { label: field.label, form: this.formName });
  }

  private setChoice(field: TemplateField, text: string): void {
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
      this.update.edit(field.ref, field.dict).set(NAME.V, nameOf(state));
      for (const w of field.widgets) {
        this.update.edit(w.ref, w.dict).set(NAME.AS, w.onValue === state ? nameOf(state) : NAME.Off);
      }
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

  private addText(field: TemplateField, text: string, value = text): void {
    const font: FontUse = { family: familyFor(text), style: "regular" };
    if (needsUnicodeFont(text)) this.findings.push(...glyphFindings(text, this.where(field)));
    this.jobs.push({ field, text, display: text, value, font, fit: fitField(field, text, font) });
  }

  private setCheckbox(field: TemplateField, checked: boolean): void {
    const on = field.widgets.find((w) => w.onValue)?.onValue ?? "Yes";
    this.update.edit(field.ref, field.dict).set(NAME.V, checked ? nameOf(on) : NAME.Off);
    for (const w of field.widgets) {
      this.update.edit(w.ref, w.dict).set(NAME.AS, checked && w.onValue ? nameOf(w.onValue) : NAME.Off);
    }
  }

  evaluate(): void {
    const { mapping, structure } = this.template;
    for (const field of structure.fields) {
      const source = mapping.fields.get(field.name);
      if (!source) continue;
      const value = evaluateSource(source, this.context);
      if (value.kind === "checked") {
        this.setCheckbox(field, value.checked);
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
  layout(): { pages: TextRun[][]; size: { width: number; height: number } } {
    const m = pdfMessages().annex;
    const overflowing = this.jobs.filter((j) => !j.fit.fits);
    const first = this.template.structure.pages[0];
    const size = { width: first?.width ?? 595.28, height: first?.height ?? 841.89 };
    const entries: AnnexEntry[] = overflowing.map((j) => ({
      label: j.field.label,
      fieldPage: (j.field.widgets[0]?.pageIndex ?? 0) + 1,
      text: j.text,
    }));
    const annex =
      entries.length > 0
        ? layoutAnnex(entries, size, this.template.structure.pages.length, this.formName)
        : { pages: [], entryPages: [] };
    const annexed = new Set(overflowing);
    overflowing.forEach((job, i) => {
      const page = annex.entryPages[i] ?? 0;
      const pointer = (head: string) =>
        head ? renderText(m.pointer, { head, page }) : renderText(m.pointerAlone, { page });
      job.display = displayWithPointer(job.field, job.text, job.font, pointer);
      if (job.field.kind === "text" && job.field.maxLength === undefined) job.value = job.display;
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
      noteFieldText(this.fonts, job.field, job.fit, job.font);
    }
    for (const run of annex.pages.flat()) this.fonts.note(run.font, run.text);
    this.fonts.prepare();
    return { pages: annex.pages, size };
  }

  render(annexPages: TextRun[][], size: { width: number; height: number }): void {
    const { update, fonts } = this;
    for (const job of this.jobs) {
      for (const wt of job.fit.widgets) {
        const ref = update.register(textAppearance(fonts, job.field, wt, job.font));
        const ap = PDFDict.withContext(update.context);
        ap.set(NAME.N, ref);
        update.edit(wt.widget.ref, wt.widget.dict).set(NAME.AP, ap);
      }
      const dict = update.edit(job.field.ref, job.field.dict);
      dict.set(NAME.V, hexText(job.value));
      const da = `/${fonts.use(job.font).name} ${num(job.fit.size)} Tf ${job.field.colorOperators}`;
      dict.set(NAME.DA, PDFString.of(da));
    }
    if (annexPages.length === 0) return;
    const { structure } = this.template;
    const kids: PDFObject[] = [];
    const oldKids = this.lookup(structure.pagesRoot.get(NAME.Kids));
    if (oldKids instanceof PDFArray) for (let i = 0; i < oldKids.size(); i++) kids.push(oldKids.get(i));
    for (const runs of annexPages) {
      const contents = update.register(update.context.flateStream(annexPageContent(fonts, runs)));
      const used = [...new Map(runs.map((r) => [`${r.font.family}/${r.font.style}`, r.font])).values()];
      const page = update.context.obj({
        Type: "Page",
        Parent: structure.pagesRootRef,
        MediaBox: [0, 0, size.width, size.height],
        Resources: fonts.resources(used),
        Contents: contents,
      });
      kids.push(update.register(page));
    }
    const root = update.edit(structure.pagesRootRef, structure.pagesRoot);
    root.set(NAME.Kids, update.context.obj(kids));
    root.set(NAME.Count, update.context.obj(structure.pages.length + annexPages.length));
  }

  finishForm(flatten: boolean): void {
    const { structure } = this.template;
    const { update } = this;
    let fields: PDFRef[] | undefined;
    if (flatten) {
      const flat = structure.fields.filter((f) => f.kind !== "signature" && f.kind !== "button");
      const widgets = flat.flatMap((f) =>
        f.widgets.map((w) => ({
          widget: w,
          dict: (update.context.lookup(w.ref) as PDFDict | undefined) ?? w.dict,
        })),
      );
      flattenWidgets(update, structure, widgets, this.lookup);
      const kept = structure.fields.filter((f) => !flat.includes(f)).map((f) => f.topRef);
      fields = [...new Set(kept)];
    }
    const used = this.fonts.used();
    if (used.size === 0 && !fields) return;
    let acroForm: PDFDict;
    if (structure.acroFormRef) acroForm = update.edit(structure.acroFormRef, structure.acroForm);
    else {
      acroForm = structure.acroForm.clone(update.context);
      update.edit(structure.rootRef, structure.catalog).set(NAME.AcroForm, acroForm);
    }
    acroForm.delete(NAME.NeedAppearances);
    if (fields) acroForm.set(NAME.Fields, update.context.obj(fields));
    const dr = this.lookup(acroForm.get(NAME.DR));
    const newDr = dr instanceof PDFDict ? dr.clone(update.context) : PDFDict.withContext(update.context);
    const oldFonts = this.lookup(newDr.get(NAME.Font));
    const fontDict =
      oldFonts instanceof PDFDict ? oldFonts.clone(update.context) : PDFDict.withContext(update.context);
    for (const [name, ref] of used) fontDict.set(nameOf(name), ref);
    newDr.set(NAME.Font, fontDict);
    acroForm.set(NAME.DR, newDr);
  }

  run(options: FillOptions): { bytes: Uint8Array; findings: Finding[] } {
    this.evaluate();
    const { pages, size } = this.layout();
    this.render(pages, size);
    this.finishForm(options.flatten);
    const info = this.update.register(infoDict(this.update, options.metadata));
    this.fonts.embed();
    const bytes = this.update.serialize({ root: this.template.structure.rootRef, info });
    return { bytes, findings: this.findings };
  }
}

/** Fills a template with a mapping context built by the caller (tests, other documents). */
export async function fillTemplate(
  template: FormTemplate,
  context: MappingContext,
  options: FillOptions,
): Promise<{ bytes: Uint8Array; findings: Finding[] }> {
  const formName = context.labels.forms[template.form]?.short ?? template.form;
  return new Filler(template, context, formName).run(options);
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
