import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Answers } from "../../src/answers/types.js";
import { loadAnswersValidator, loadPlanner } from "../../src/assets/index.js";
import type { Plan } from "../../src/plan/types.js";
import type { DocumentMetadata } from "../../src/render/metadata.js";
import { PDFDocument, PDFHexString, PDFString } from "../../src/render/pdf-lib.js";
import { baseAnswers, patch } from "../helpers/answers.js";
import { PDFFONTS, PDFTOPPM, PDFTOTEXT, QPDF } from "../helpers/pdf-tools.js";

export { hasQpdf, inkRatio, PDFFONTS, PDFTOPPM, PDFTOTEXT, QPDF, qpdfCheck } from "../helpers/pdf-tools.js";

/** Shared by the PDF tests: answers → plan, poppler and qpdf wrappers, a temporary folder. */

export const hasPoppler = [PDFTOTEXT, PDFTOPPM, PDFFONTS, "/usr/bin/pdfinfo"].every((p) => existsSync(p));

export const METADATA: DocumentMetadata = {
  title: "Formulaire n°413 – Élodie Lefèvre",
  subject: "Dossier Diapason du Centre hospitalier de Ville",
  toolVersion: "0.1.0",
  rulesVersion: "sha256:0123456789abcdef",
  answersHash: "sha256:fedcba9876543210",
  date: new Date("2026-11-29T09:00:00Z"),
};

/** The example establishment's address, representative and technical administrator (examples/ch-ville.yaml). */
export const CH_VILLE = {
  establishment: {
    geographicEntities: 3,
    address: { street: "900 route de Paris", postalCode: "01000", city: "Bourg-en-Bresse" },
  },
  legalRepresentative: { position: "Directrice générale" },
  designees: [
    {
      role: "technicalAdministrator",
      firstName: "Élodie",
      lastName: "Lefèvre",
      email: "elodie.lefevre@ch-ville.fr",
      phone: "04 74 00 00 01",
      position: "Responsable du service informatique",
      hasActiveCard: false,
    },
  ],
};

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "diapason-pdf-"));
}

/** Valid answers (the scenario base patched) and their plan. */
export async function planOf(change: unknown = {}): Promise<{ answers: Answers; plan: Plan }> {
  const result = loadAnswersValidator().validate(patch(baseAnswers(), change));
  if (!result.ok) throw new Error(`réponses invalides : ${JSON.stringify(result.errors)}`);
  const plan = await loadPlanner().plan(result.answers, result.warnings);
  return { answers: result.answers, plan };
}

export function write(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Field name → value (text, or checkbox state) as pdf-lib reads it back. */
export async function fieldValues(bytes: Uint8Array): Promise<Map<string, string | boolean | undefined>> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const values = new Map<string, string | boolean | undefined>();
  for (const field of doc.getForm().getFields()) {
    const name = field.getName();
    if ("getText" in field && typeof field.getText === "function")
      values.set(name, field.getText() as string);
    else if ("isChecked" in field && typeof field.isChecked === "function")
      values.set(name, field.isChecked() as boolean);
    else values.set(name, undefined);
  }
  return values;
}

/** The text of a PDF (or of one page), spaces and line ends collapsed. */
export function pdfText(path: string, page?: number): string {
  const range = page ? ["-f", String(page), "-l", String(page)] : [];
  return execFileSync(PDFTOTEXT, ["-enc", "UTF-8", ...range, path, "-"], { encoding: "utf8" }).replace(
    /[ \t\r\n\f]+/g,
    " ",
  );
}

export function pageCount(path: string): number {
  const info = execFileSync("/usr/bin/pdfinfo", [path], { encoding: "utf8" });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

export function fontNames(path: string): string[] {
  return execFileSync(PDFFONTS, [path], { encoding: "utf8" })
    .split("\n")
    .slice(2)
    .map((l) => l.split(/\s+/)[0] ?? "")
    .filter(Boolean);
}

/** The PDF with its streams decompressed (qpdf --qdf), as text: to look for a ToUnicode entry. */
export function uncompressed(path: string): string {
  if (!QPDF) throw new Error("qpdf absent");
  const out = `${path}.qdf`;
  spawnSync(QPDF, ["--qdf", "--object-streams=disable", path, out]);
  return readFileSync(out, "latin1");
}

/**
 * A PDF standing for a user's template (e.g. the official ANS form): other field names, a dropdown, radio
 * buttons, a push button, object streams; with its mapping.
 */
export async function userTemplate(): Promise<{ pdf: Uint8Array; mapping: Record<string, unknown> }> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const form = doc.getForm();
  const text = (name: string, y: number, options: { multiline?: boolean; maxLength?: number } = {}) => {
    const field = form.createTextField(name);
    if (options.maxLength) field.setMaxLength(options.maxLength);
    if (options.multiline) field.enableMultiline();
    field.addToPage(page, { x: 150, y, width: 300, height: options.multiline ? 60 : 18 });
  };
  text("Raison sociale", 780);
  text("FINESS", 750, { maxLength: 9 });
  text("Domaine", 720);
  text("Usage client", 640, { multiline: true });
  form.createCheckBox("Offre ORG").addToPage(page, { x: 150, y: 600, width: 12, height: 12 });
  form.createCheckBox("Offre SERVEUR").addToPage(page, { x: 150, y: 580, width: 12, height: 12 });
  const quality = form.createDropdown("Qualité");
  quality.addOptions(["représentant légal", "mandataire"]);
  quality.addToPage(page, { x: 150, y: 550, width: 200, height: 18 });
  const civility = form.createRadioGroup("Civilité");
  civility.addOptionToPage("M", page, { x: 150, y: 520, width: 12, height: 12 });
  civility.addOptionToPage("Mme", page, { x: 200, y: 520, width: 12, height: 12 });
  form.createButton("Imprimer").addToPage("Imprimer", page, { x: 150, y: 480, width: 80, height: 20 });
  const entity = form.createRadioGroup("Entité signataire");
  entity.addOptionToPage("EJ", page, { x: 150, y: 450, width: 12, height: 12 });
  entity.addOptionToPage("EG", page, { x: 200, y: 450, width: 12, height: 12 });
  // A field merged with its widget, as many PDF editors write them.
  const merged = doc.context.register(
    doc.context.obj({
      FT: "Tx",
      T: PDFHexString.fromText("Ville"),
      DA: PDFString.of("/Helv 0 Tf 0 0.4 0 rg"),
      Q: 1,
      Type: "Annot",
      Subtype: "Widget",
      F: 4,
      Rect: [150, 420, 350, 438],
      P: page.ref,
      MK: { BG: [0.9, 0.9, 1], BC: [0, 0, 0.5] },
    }),
  );
  page.node.addAnnot(merged);
  form.acroForm.addField(merged);
  const pdf = await doc.save();
  const mapping = {
    template: "formulaire-officiel-413.pdf",
    fields: {
      "Raison sociale": "plan.establishment.name",
      FINESS: "plan.establishment.finessEJ",
      Domaine: "plan.gap.habilitationDomain",
      "Usage client": "certificates.ORG_AUTH_CLI.usage",
      "Offre ORG": { checked: "form.offers", contains: "ORG_AUTH_CLI" },
      "Offre SERVEUR": { checked: "form.offers", contains: "SSL_SERVEUR" },
      Qualité: "{{lookup labels.roles form.signatory.role}}",
      "Entité signataire": "plan.contract.signatory",
      Ville: "{{answers.establishment.address.postalCode}} {{answers.establishment.address.city}}",
    },
    ignore: ["Civilité", "Imprimer"],
  };
  return { pdf, mapping };
}
