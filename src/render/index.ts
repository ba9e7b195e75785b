/**
 * The fence around the byte writers: the only folder that imports @cantoo/pdf-lib, @pdf-lib/fontkit and
 * nodemailer (checked by .dependency-cruiser.cjs in `npm test`). Everything outside it goes through this
 * interface, in plain data: no library type crosses it. See README.md in this folder.
 */

// The fields of any PDF, for `diapason-dossier fields`.
export { describePdfFields, type FieldDescription, fieldsText, mappingSkeleton } from "./field-list.js";
// Fill a form template: field values from the mapping, fitted, overflowing texts in annex pages.
export { type FillOptions, type FormFiller, type FormFillerResult, loadFormFiller } from "./fill.js";
// Measure text, and ask which characters each font covers: the route sheet is laid out outside with these.
export {
  type FontFamily,
  type FontMetrics,
  type FontStyle,
  type FontUse,
  familyFor,
  fontMetrics,
  glyphFindings,
  missingGlyphs,
  needsUnicodeFont,
} from "./fonts.js";
// The blank templates, built from their layouts (scripts/build-forms.ts).
export { buildFormTemplate } from "./form-builder.js";
export type { FormLayout } from "./form-layout.js";
// The metadata of every PDF of a dossier.
export type { DocumentMetadata } from "./metadata.js";
// Compose a MIME message.
export { composeMime, type Mailbox, type MimeAttachment, type MimeMessage } from "./mime.js";
// Write a text document (the route sheet) from its laid-out pages.
export type { Rgb } from "./page-content.js";
export { type LaidOutPage, type PageMark, writeTextDocument } from "./text-document.js";
