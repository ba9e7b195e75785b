import { createRequire } from "node:module";
import type * as PdfLib from "@cantoo/pdf-lib";

/**
 * @cantoo/pdf-lib, loaded through `require` (its CommonJS build): imported, Node loads its ES build instead,
 * ~190 modules plus culori's ~160, resolved one by one (measured: ~0.45 s CPU more per thread, paid by each
 * worker of a batch). Every module of the tool takes pdf-lib's values from here: two copies of the library in a
 * process would not recognise each other's objects (PDFName keys, `instanceof PDFDict`). Types may still be
 * imported from "@cantoo/pdf-lib" with `import type`.
 */

export type * from "@cantoo/pdf-lib";

const lib = createRequire(import.meta.url)("@cantoo/pdf-lib") as typeof PdfLib;

export const CustomFontEmbedder = lib.CustomFontEmbedder;
export type CustomFontEmbedder = PdfLib.CustomFontEmbedder;
export const CustomFontSubsetEmbedder = lib.CustomFontSubsetEmbedder;
export type CustomFontSubsetEmbedder = PdfLib.CustomFontSubsetEmbedder;
export const PDFArray = lib.PDFArray;
export type PDFArray = PdfLib.PDFArray;
export const PDFBool = lib.PDFBool;
export type PDFBool = PdfLib.PDFBool;
export const PDFCheckBox = lib.PDFCheckBox;
export type PDFCheckBox = PdfLib.PDFCheckBox;
export const PDFContext = lib.PDFContext;
export type PDFContext = PdfLib.PDFContext;
export const PDFDict = lib.PDFDict;
export type PDFDict = PdfLib.PDFDict;
export const PDFDocument = lib.PDFDocument;
export type PDFDocument = PdfLib.PDFDocument;
export const PDFFont = lib.PDFFont;
export type PDFFont = PdfLib.PDFFont;
export const PDFHexString = lib.PDFHexString;
export type PDFHexString = PdfLib.PDFHexString;
export const PDFName = lib.PDFName;
export type PDFName = PdfLib.PDFName;
export const PDFNull = lib.PDFNull;
export const PDFNumber = lib.PDFNumber;
export type PDFNumber = PdfLib.PDFNumber;
export const PDFRawStream = lib.PDFRawStream;
export type PDFRawStream = PdfLib.PDFRawStream;
export const PDFRef = lib.PDFRef;
export type PDFRef = PdfLib.PDFRef;
export const PDFSignature = lib.PDFSignature;
export type PDFSignature = PdfLib.PDFSignature;
export const PDFStream = lib.PDFStream;
export type PDFStream = PdfLib.PDFStream;
export const PDFString = lib.PDFString;
export type PDFString = PdfLib.PDFString;
export const PDFTextField = lib.PDFTextField;
export type PDFTextField = PdfLib.PDFTextField;
export const StandardFonts = lib.StandardFonts;
export type StandardFonts = PdfLib.StandardFonts;
export const rgb = lib.rgb;
