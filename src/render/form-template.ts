import { PDFDict, PDFDocument, PDFName } from "./pdf-lib.js";
import { permanentIdOf, readStartXref, type UpdateBase } from "./pdf-update.js";
import { type FormField, readTemplateStructure, type TemplateStructure } from "./template-structure.js";

/**
 * A form template read once: its fields and pages described as plain data, for the mapping, the fitting and
 * the annex decided outside (src/forms); what filling needs of the PDF kept here, found again by `fillForm`.
 */

export type { FormField, FormWidget } from "./template-structure.js";

/** A template as the outside sees it. Pass it back to `fillForm` unchanged. */
export interface FormTemplatePdf {
  readonly fields: readonly FormField[];
  readonly byName: ReadonlyMap<string, FormField>;
  readonly pages: readonly { width: number; height: number }[];
}

export interface TemplatePdf {
  structure: TemplateStructure;
  base: UpdateBase;
}

const parsed = new WeakMap<FormTemplatePdf, TemplatePdf>();

/** What the fence read of a template given by `readFormTemplate`. */
export function templatePdf(template: FormTemplatePdf): TemplatePdf {
  const pdf = parsed.get(template);
  if (!pdf) throw new Error("modèle de formulaire non lu par readFormTemplate");
  return pdf;
}

function describe(structure: TemplateStructure): FormTemplatePdf {
  const fields = structure.fields.map(
    (f): FormField => ({
      name: f.name,
      kind: f.kind,
      widgets: f.widgets.map((w) => ({
        rect: { ...w.rect },
        pageIndex: w.pageIndex,
        ...(w.onValue === undefined ? {} : { onValue: w.onValue }),
        ...(w.exportValue === undefined ? {} : { exportValue: w.exportValue }),
        hidden: w.hidden,
      })),
      label: f.label,
      multiline: f.multiline,
      comb: f.comb,
      readOnly: f.readOnly,
      required: f.required,
      ...(f.maxLength === undefined ? {} : { maxLength: f.maxLength }),
      fontSize: f.fontSize,
      quadding: f.quadding,
      options: f.options.map((o) => ({ ...o })),
      exportValues: [...f.exportValues],
      ...(f.value === undefined ? {} : { value: f.value }),
    }),
  );
  return {
    fields,
    byName: new Map(fields.map((f) => [f.name, f])),
    pages: structure.pages.map((p) => ({ width: p.width, height: p.height })),
  };
}

export type FormTemplateRead =
  | { ok: true; template: FormTemplatePdf }
  | { ok: false; code: "TEMPLATE_INVALID" | "TEMPLATE_ENCRYPTED" | "TEMPLATE_NO_FIELDS" };

/**
 * Parses a template PDF once (filling never parses). With `normalize` (a user's template) it is first rewritten
 * once: classic cross-reference, no XFA. The reason it cannot be a template otherwise, as a code.
 */
export async function readFormTemplate(
  bytes: Uint8Array,
  options: { normalize: boolean },
): Promise<FormTemplateRead> {
  const load = (b: Uint8Array) =>
    PDFDocument.load(b, {
      updateMetadata: false,
      parseSpeed: Number.POSITIVE_INFINITY,
      ignoreEncryption: true,
    });
  let doc: PDFDocument;
  try {
    doc = await load(bytes);
    if (doc.getPageCount() === 0) throw new Error("no page");
  } catch {
    return { ok: false, code: "TEMPLATE_INVALID" };
  }
  if (doc.isEncrypted) return { ok: false, code: "TEMPLATE_ENCRYPTED" };
  let base = bytes;
  if (options.normalize) {
    const acroForm = doc.catalog.lookup(PDFName.of("AcroForm"));
    if (acroForm instanceof PDFDict) acroForm.delete(PDFName.of("XFA"));
    base = await doc.save({
      useObjectStreams: false,
      updateFieldAppearances: false,
      addDefaultPage: false,
      objectsPerTick: Number.POSITIVE_INFINITY,
    });
    doc = await load(base);
  }
  const structure = readTemplateStructure(doc);
  if (!structure || structure.fields.length === 0) return { ok: false, code: "TEMPLATE_NO_FIELDS" };
  const template = describe(structure);
  parsed.set(template, {
    structure,
    base: {
      bytes: base,
      size: structure.size,
      startXref: readStartXref(base),
      permanentId: permanentIdOf(structure.id, base),
    },
  });
  return { ok: true, template };
}
