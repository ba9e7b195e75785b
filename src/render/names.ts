import { PDFName } from "./pdf-lib.js";

/**
 * The PDF names the writers use on every document, made once: `PDFName.of` decodes and looks up its text on each
 * call, and these are asked for per page, per field, per stream.
 */
export const ANNOTS = PDFName.of("Annots");
export const BBOX = PDFName.of("BBox");
export const CONTENTS = PDFName.of("Contents");
export const COUNT = PDFName.of("Count");
export const EXT_G_STATE = PDFName.of("ExtGState");
export const FONT = PDFName.of("Font");
export const FORM = PDFName.of("Form");
export const KIDS = PDFName.of("Kids");
export const LENGTH = PDFName.of("Length");
export const MEDIA_BOX = PDFName.of("MediaBox");
export const PAGE = PDFName.of("Page");
export const PAGES = PDFName.of("Pages");
export const PARENT = PDFName.of("Parent");
export const RESOURCES = PDFName.of("Resources");
export const SUBTYPE = PDFName.of("Subtype");
export const TYPE = PDFName.of("Type");
export const XOBJECT = PDFName.of("XObject");
