/**
 * The fence around the byte writers: the only folder that imports @cantoo/pdf-lib, @pdf-lib/fontkit and
 * nodemailer (checked by .dependency-cruiser.cjs in `npm test`). Everything outside it goes through this
 * interface, in plain data: no library type crosses it. It measures and writes; what goes where is decided
 * outside (src/forms, src/layout). See README.md in this folder.
 */

// A positioned text run: a form's field text or an annex line, laid out outside.
export type { TextRun } from "./content.js";
// The fields of any PDF, for `diapason-dossier fields`.
export { describePdfFields, type FieldDescription, fieldsText, mappingSkeleton } from "./field-list.js";
// Fill a form template with field texts and annex pages, laid out outside (src/forms).
export { type AnnexPage, type FieldFill, type FillOptions, fillForm, type WidgetText } from "./fill.js";
// Measure text, and ask which characters each font covers: fitting and layout are done outside with these.
export {
  type FontFamily,
  type FontMetrics,
  type FontStyle,
  type FontUse,
  fontMetrics,
  missingGlyphs,
  needsUnicodeFont,
} from "./fonts.js";
// The blank templates, built from their layouts (scripts/build-forms.ts).
export { buildFormTemplate } from "./form-builder.js";
export type { FormLayout } from "./form-layout.js";
// Read a form template once: its fields and pages as plain data, given back to `fillForm`.
export {
  type FormField,
  type FormTemplatePdf,
  type FormTemplateRead,
  type FormWidget,
  readFormTemplate,
} from "./form-template.js";
// The metadata every PDF of a dossier takes.
export type { DocumentMetadata } from "./metadata.js";
// Compose a MIME message.
export { composeMime, type Mailbox, type MimeAttachment, type MimeMessage } from "./mime.js";
// A colour of a laid-out page's marks.
export type { Rgb } from "./page-content.js";
// Write a text document (the route sheet) from its laid-out pages (src/layout).
export { type LaidOutPage, type PageMark, writeTextDocument } from "./text-document.js";
