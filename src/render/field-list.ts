import { errorText, pdfMessages, renderText } from "../pdf/messages.js";
import { PDFDocument } from "./pdf-lib.js";
import { type FieldKind, readTemplateStructure } from "./template-structure.js";

/** The fields of any PDF, as `diapason-dossier fields` lists them to help write a mapping. */

export interface FieldDescription {
  name: string;
  type: FieldKind;
  /** 1-based page of the first widget, 0 when no page shows it. */
  page: number;
  label?: string;
  multiline?: boolean;
  comb?: boolean;
  readOnly?: boolean;
  required?: boolean;
  maxLength?: number;
  /** Dropdown and list: the choices (export value and text shown). */
  options?: { exportValue: string; display: string }[];
  /** Checkbox and radio: the values of their "on" state. */
  exportValues?: string[];
  value?: string;
}

/** Why a file cannot be listed: a code and its French message. */
export interface FieldListProblem {
  path: string;
  code: string;
  message: string;
}

export type FieldListResult =
  | { ok: true; fields: FieldDescription[] }
  | { ok: false; error: FieldListProblem };

export async function describePdfFields(bytes: Uint8Array, file: string): Promise<FieldListResult> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, {
      updateMetadata: false,
      parseSpeed: Number.POSITIVE_INFINITY,
      ignoreEncryption: true,
    });
    // pdf-lib accepts a file reduced to its header: a PDF without any page is not a form.
    if (doc.getPageCount() === 0) throw new Error("no page");
  } catch {
    return {
      ok: false,
      error: {
        path: file,
        code: "TEMPLATE_INVALID",
        message: errorText("TEMPLATE_INVALID", { file }),
      },
    };
  }
  if (doc.isEncrypted) {
    return {
      ok: false,
      error: { path: file, code: "TEMPLATE_ENCRYPTED", message: errorText("TEMPLATE_ENCRYPTED", { file }) },
    };
  }
  const structure = readTemplateStructure(doc);
  const fields = (structure?.fields ?? []).map((f): FieldDescription => {
    const d: FieldDescription = { name: f.name, type: f.kind, page: (f.widgets[0]?.pageIndex ?? -1) + 1 };
    if (f.label !== f.name) d.label = f.label;
    if (f.multiline) d.multiline = true;
    if (f.comb) d.comb = true;
    if (f.readOnly) d.readOnly = true;
    if (f.required) d.required = true;
    if (f.maxLength !== undefined) d.maxLength = f.maxLength;
    if (f.options.length > 0) d.options = f.options;
    if (f.kind === "checkbox" || f.kind === "radio") d.exportValues = f.exportValues;
    if (f.value !== undefined && f.value !== "") d.value = f.value;
    return d;
  });
  return { ok: true, fields };
}

/** The fields as French text, one block per field. */
export function fieldsText(fields: readonly FieldDescription[], file: string): string {
  const m = pdfMessages().fields;
  if (fields.length === 0) return `${renderText(m.none, { file })}\n`;
  const lines = [renderText(m.header, { count: fields.length, file })];
  for (const f of fields) {
    lines.push(`  ${renderText(m.line, { name: f.name, type: m.types[f.type] ?? f.type, page: f.page })}`);
    const detail = (key: string, value: string) =>
      lines.push(`      ${renderText(m.details[key], { value })}`);
    if (f.label) detail("label", f.label);
    const flags = (["multiline", "comb", "readOnly", "required"] as const)
      .filter((k) => f[k])
      .map((k) => m.flags[k]);
    if (flags.length > 0) detail("flags", flags.join(", "));
    if (f.maxLength !== undefined) detail("maxLength", String(f.maxLength));
    if (f.exportValues) detail("exportValues", f.exportValues.join(", ") || (m.details.noOptions ?? ""));
    if (f.options) {
      const shown = f.options.map((o) =>
        o.exportValue === o.display ? o.display : `${o.display} (${o.exportValue})`,
      );
      detail("options", shown.join(", "));
    }
    if (f.value !== undefined) detail("value", f.value);
  }
  return `${lines.join("\n")}\n`;
}

/** A mapping file to start from: every field ignored, to be moved to `fields` with its source. */
export function mappingSkeleton(fields: readonly FieldDescription[], template: string): string {
  const skeleton = {
    $comment: pdfMessages().fields.skeletonNote,
    template,
    fields: {},
    ignore: fields.map((f) => f.name),
  };
  return `${JSON.stringify(skeleton, null, 2)}\n`;
}
