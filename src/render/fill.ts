import { pdfMessages, renderText } from "../pdf/messages.js";
import { textAppearance } from "./appearance.js";
import { num, type TextRun, textRunOperators } from "./content.js";
import { FillFonts } from "./fill-fonts.js";
import { flattenWidgets } from "./flatten.js";
import type { FontUse } from "./fonts.js";
import { type FormTemplatePdf, type TemplatePdf, templatePdf } from "./form-template.js";
import type { DocumentMetadata } from "./metadata.js";
import { PDFArray, PDFDict, PDFName, type PDFObject, PDFRef, PDFString } from "./pdf-lib.js";
import { hexText, PdfUpdate } from "./pdf-update.js";
import type { TemplateField } from "./template-structure.js";

/**
 * Writes a filled form: the template's bytes followed by an incremental update with the values, the
 * appearance of each text as laid out outside (src/forms), the annex pages, the metadata, and the fields drawn
 * into their pages with `flatten`. What goes in each field, at which size, and what goes in the annex are
 * decided outside: nothing is measured here.
 */

export interface FillOptions {
  flatten: boolean;
  metadata: DocumentMetadata;
}

/** The text of one widget of a text field (its index in the field's `widgets`), laid out in its box. */
export interface WidgetText {
  widget: number;
  runs: readonly TextRun[];
}

/** What goes into one field of the template, named as in the template. */
export type FieldFill =
  /** A text field (or a choice's: `value` its export value, the runs its text shown). */
  | { kind: "text"; name: string; value: string; font: FontUse; size: number; widgets: readonly WidgetText[] }
  | { kind: "checkbox"; name: string; checked: boolean }
  /** A radio group: `state` the "on" state of the widgets to select. */
  | { kind: "radio"; name: string; state: string };

/** A page added after the template's: its size and its text runs. */
export interface AnnexPage {
  width: number;
  height: number;
  runs: readonly TextRun[];
}

type TextFill = Extract<FieldFill, { kind: "text" }>;

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

/** The field and its text, for each text field filled. */
interface TextJob {
  field: TemplateField;
  fill: TextFill;
}

class FormWriter {
  private readonly update: PdfUpdate;
  private readonly fonts: FillFonts;
  private readonly texts: TextJob[] = [];
  private readonly lookup = (obj: PDFObject | undefined): PDFObject | undefined =>
    obj instanceof PDFRef
      ? (this.update.context.lookup(obj) ?? this.template.structure.catalog.context.lookup(obj))
      : obj;

  constructor(private readonly template: TemplatePdf) {
    this.update = new PdfUpdate(template.base);
    this.fonts = new FillFonts(this.update);
  }

  private setCheckbox(field: TemplateField, checked: boolean): void {
    const on = field.widgets.find((w) => w.onValue)?.onValue ?? "Yes";
    this.update.edit(field.ref, field.dict).set(NAME.V, checked ? nameOf(on) : NAME.Off);
    for (const w of field.widgets) {
      this.update.edit(w.ref, w.dict).set(NAME.AS, checked && w.onValue ? nameOf(w.onValue) : NAME.Off);
    }
  }

  private setRadio(field: TemplateField, state: string): void {
    this.update.edit(field.ref, field.dict).set(NAME.V, nameOf(state));
    for (const w of field.widgets) {
      this.update.edit(w.ref, w.dict).set(NAME.AS, w.onValue === state ? nameOf(state) : NAME.Off);
    }
  }

  /** Sets the check boxes and radio groups; keeps the text fields for `announce` and `render`. */
  setFields(fills: readonly FieldFill[]): void {
    const { byName } = this.template.structure;
    for (const fill of fills) {
      const field = byName.get(fill.name);
      if (!field) throw new Error(`champ absent du modèle : ${fill.name}`);
      if (fill.kind === "checkbox") this.setCheckbox(field, fill.checked);
      else if (fill.kind === "radio") this.setRadio(field, fill.state);
      else this.texts.push({ field, fill });
    }
  }

  /** Announces every text drawn to the fonts, which name their subsets from them. */
  announce(annex: readonly AnnexPage[]): void {
    for (const { fill } of this.texts)
      for (const widget of fill.widgets)
        for (const run of widget.runs) if (run.text) this.fonts.note(fill.font, run.text);
    for (const page of annex) for (const run of page.runs) this.fonts.note(run.font, run.text);
    this.fonts.prepare();
  }

  render(annex: readonly AnnexPage[]): void {
    const { update, fonts } = this;
    for (const { field, fill } of this.texts) {
      for (const { widget: index, runs } of fill.widgets) {
        const widget = field.widgets[index];
        if (!widget) throw new Error(`widget ${index} absent du champ ${field.name}`);
        const ref = update.register(textAppearance(fonts, widget, runs, fill.font, field.colorOperators));
        const ap = PDFDict.withContext(update.context);
        ap.set(NAME.N, ref);
        update.edit(widget.ref, widget.dict).set(NAME.AP, ap);
      }
      const dict = update.edit(field.ref, field.dict);
      dict.set(NAME.V, hexText(fill.value));
      const da = `/${fonts.use(fill.font).name} ${num(fill.size)} Tf ${field.colorOperators}`;
      dict.set(NAME.DA, PDFString.of(da));
    }
    if (annex.length === 0) return;
    const { structure } = this.template;
    const kids: PDFObject[] = [];
    const oldKids = this.lookup(structure.pagesRoot.get(NAME.Kids));
    if (oldKids instanceof PDFArray) for (let i = 0; i < oldKids.size(); i++) kids.push(oldKids.get(i));
    for (const { width, height, runs } of annex) {
      const content = runs
        .filter((run) => run.text !== "")
        .map((run) => textRunOperators(fonts, run))
        .join("");
      const contents = update.register(update.context.flateStream(content));
      const used = [...new Map(runs.map((r) => [`${r.font.family}/${r.font.style}`, r.font])).values()];
      const page = update.context.obj({
        Type: "Page",
        Parent: structure.pagesRootRef,
        MediaBox: [0, 0, width, height],
        Resources: fonts.resources(used),
        Contents: contents,
      });
      kids.push(update.register(page));
    }
    const root = update.edit(structure.pagesRootRef, structure.pagesRoot);
    root.set(NAME.Kids, update.context.obj(kids));
    root.set(NAME.Count, update.context.obj(structure.pages.length + annex.length));
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

  finish(options: FillOptions): Uint8Array {
    this.finishForm(options.flatten);
    const info = this.update.register(infoDict(this.update, options.metadata));
    this.fonts.embed();
    return this.update.serialize({ root: this.template.structure.rootRef, info });
  }
}

/**
 * The filled PDF of a template read by `readFormTemplate`: `fields` (the text fields' in the order their
 * fonts are to be announced), then `annex` pages after the template's.
 */
export function fillForm(
  template: FormTemplatePdf,
  fields: readonly FieldFill[],
  annex: readonly AnnexPage[],
  options: FillOptions,
): Uint8Array {
  const writer = new FormWriter(templatePdf(template));
  writer.setFields(fields);
  writer.announce(annex);
  writer.render(annex);
  return writer.finish(options);
}
