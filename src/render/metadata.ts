import { pdfMessages, renderText } from "../pdf/messages.js";
import { PDFDict, type PDFDocument, PDFHexString, PDFName, PDFString } from "./pdf-lib.js";

/** The traceability metadata of every PDF of a dossier (the filled forms' and the route sheet's). */
export interface DocumentMetadata {
  title: string;
  subject: string;
  toolVersion: string;
  rulesVersion: string;
  answersHash: string;
  date: Date;
}

/** The same Info entries as the filled forms (src/render/fill.ts), so every PDF of a dossier is traced alike. */
export function setDocumentMetadata(doc: PDFDocument, m: DocumentMetadata): void {
  const texts = pdfMessages().metadata;
  const params = { toolVersion: m.toolVersion, rulesVersion: m.rulesVersion, answersHash: m.answersHash };
  doc.setTitle(m.title, { showInWindowTitleBar: true });
  doc.setSubject(m.subject);
  doc.setCreationDate(m.date);
  doc.setModificationDate(m.date);
  // The setters above created the Info dictionary.
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  const creator = renderText(texts.creator, params);
  info.set(PDFName.of("Creator"), PDFHexString.fromText(creator));
  info.set(PDFName.of("Producer"), PDFHexString.fromText(creator));
  info.set(PDFName.of("Keywords"), PDFHexString.fromText(renderText(texts.keywords, params)));
  info.set(PDFName.of("DiapasonToolVersion"), PDFString.of(m.toolVersion));
  info.set(PDFName.of("DiapasonRulesVersion"), PDFString.of(m.rulesVersion));
  info.set(PDFName.of("DiapasonAnswersHash"), PDFString.of(m.answersHash));
}
