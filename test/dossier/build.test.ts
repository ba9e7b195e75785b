import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Answers } from "../../src/answers/types.js";
import { loadAnswersValidator, loadLabels, loadPlanner, loadRuleSet } from "../../src/assets/index.js";
import { buildDossier, type DossierDeps, type DossierResult } from "../../src/dossier/build.js";
import { dossierDates } from "../../src/dossier/dates.js";
import { loadDossierTexts } from "../../src/dossier/texts.js";
import { parameterValues } from "../../src/plan/context.js";
import { setDocumentMetadata } from "../../src/render/metadata.js";
import { PDFDocument } from "../../src/render/pdf-lib.js";
import { baseAnswers, patch } from "../helpers/answers.js";
import { decodeQuotedPrintable, hasPoppler, parseEml, pdfText } from "./tools.js";

/** buildDossier with a test double for the form filler: a one-page PDF per form. */
const texts = loadDossierTexts();
const deps: DossierDeps = {
  labels: loadLabels(),
  parameters: parameterValues(loadRuleSet().parameters),
  texts,
  toolVersion: "0.0.0-test",
  async fillForm(form, _plan, _answers, options) {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.addPage().drawText(form.id);
    setDocumentMetadata(doc, options.metadata);
    const findings =
      form.form === "413"
        ? [{ code: "PDF_TEST", severity: "warning" as const, message: `Constat de remplissage ${form.id}.` }]
        : [];
    return { bytes: await doc.save(), findings };
  },
};
const dates = (() => {
  const d = dossierDates({ SOURCE_DATE_EPOCH: "1741900000" }, () => new Date(0), "2025-04-01");
  if (!d.ok) throw new Error("dates");
  return d.dates;
})();

async function build(change: unknown): Promise<DossierResult & { dir: string }> {
  const result = loadAnswersValidator().validate(patch(baseAnswers(), change));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const answers: Answers = result.answers;
  const plan = await loadPlanner().plan(answers, result.warnings);
  const built = await buildDossier({ answers, plan, dates, flatten: false }, deps);
  const dir = mkdtempSync(join(tmpdir(), "dossier-build-"));
  for (const f of built.files) writeFileSync(join(dir, f.name), f.bytes);
  return { ...built, dir };
}

const UNICODE = {
  establishment: { name: "Clinique Œuvray – Saint-Ägidius" },
  legalRepresentative: { firstName: "María", lastName: "García" },
  designees: [
    {
      role: "technicalAdministrator",
      firstName: "Łukasz",
      lastName: "Nguyễn",
      email: "lukasz@ch-ville.fr",
      hasActiveCard: true,
    },
    {
      role: "technicalAdministrator",
      firstName: "Jean",
      lastName: "Œuvray",
      email: "jean@ch-ville.fr",
      hasActiveCard: true,
      vendor: "日本ソフト",
    },
  ],
};

describe("buildDossier", () => {
  it.skipIf(!hasPoppler)("renders names outside WinAnsi, searchable", async () => {
    const { dir } = await build(UNICODE);
    const text = pdfText(join(dir, "feuille-de-route.pdf"));
    expect(text).toContain("Łukasz Nguyễn, administrateur technique");
    expect(text).toContain("Clinique Œuvray – Saint-Ägidius");
    expect(text).toContain("María García");
    expect(text).toContain("pour Łukasz Nguyễn (administrateur technique)");
  });

  it("reports what no font draws, and the filler's findings, in the route sheet", async () => {
    const built = await build(UNICODE);
    const sheet = built.findings.filter((f) => f.file === "feuille-de-route.pdf");
    expect(sheet).toHaveLength(1);
    expect(sheet[0]?.finding.message).toContain("U+65E5");
    if (hasPoppler) {
      const text = pdfText(join(built.dir, "feuille-de-route.pdf"));
      expect(text).toContain(
        "Attention (413-administrateur-technique-nguyen-lukasz.pdf) : Constat de remplissage 413-1.",
      );
    }
  });

  it("attaches every form n°413 to one e-mail", async () => {
    const built = await build(UNICODE);
    const names = built.files.map((f) => f.name);
    expect(names).toEqual([
      "contrat-de-structure.pdf",
      "101-representant-legal-garcia-maria.pdf",
      "413-administrateur-technique-nguyen-lukasz.pdf",
      "413-administrateur-technique-oeuvray-jean.pdf",
      "feuille-de-route.pdf",
      "courriel-413.eml",
      "plan.json",
      "reponses.json",
    ]);
    const eml = parseEml(built.files.find((f) => f.name === "courriel-413.eml")?.bytes ?? new Uint8Array());
    expect(eml.parts).toHaveLength(3);
    const body = decodeQuotedPrintable(eml.parts[0]?.body ?? "");
    expect(body).toContain("les formulaires n°413");
    expect(body).toContain("Łukasz Nguyễn");
    expect(body).toContain("administrateur technique (日本ソフト)");
    expect(body).toMatch(/María García\r\nReprésentant légal/);
  });

  it("writes no e-mail when no form n°413 is needed, and says when nobody can order", async () => {
    const built = await build({
      contract: { exists: true, signedAt: "EJ" },
      legalRepresentative: { hasActiveCard: true },
      designees: [
        {
          role: "mandatary",
          firstName: "Paul",
          lastName: "Martin",
          email: "paul@ch-ville.fr",
          hasActiveCard: true,
        },
      ],
      form413SignedBy: null,
    });
    const names = built.files.map((f) => f.name);
    expect(names).not.toContain("courriel-413.eml");
    expect(names).toContain("502-mandataire-martin-paul.pdf");
    if (hasPoppler) {
      const text = pdfText(join(built.dir, "feuille-de-route.pdf"));
      expect(text).toContain("aucun administrateur technique n'est désigné");
      expect(text).toContain("Si les certificats sont générés le 01/04/2025");
      expect(text).toContain("01/04/2028");
      expect(text).not.toContain("Date supposée");
    }
  });

  it("gives the same bytes for the same answers", async () => {
    const a = await build(UNICODE);
    const b = await build(UNICODE);
    expect(a.files.map((f) => Buffer.from(f.bytes).toString("base64"))).toEqual(
      b.files.map((f) => Buffer.from(f.bytes).toString("base64")),
    );
  });

  it("gives the same bytes whether the route sheet's blocks were laid out before or not", async () => {
    // Blocks met again are replayed from a per-process recording: a dossier must not depend on earlier ones.
    const change = { establishment: { name: "Centre hospitalier de Saint-Rémy-sur-Essai" } };
    const first = await build(change);
    await build(change);
    const third = await build(change);
    const sheet = (r: DossierResult) => r.files.find((f) => f.name === "feuille-de-route.pdf")?.bytes;
    expect(sheet(first)).toBeDefined();
    expect(Buffer.from(sheet(third) ?? []).equals(Buffer.from(sheet(first) ?? []))).toBe(true);
  });
});
