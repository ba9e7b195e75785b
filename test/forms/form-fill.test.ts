import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadLabels } from "../../src/assets/index.js";
import { displayWithPointer, fitField, PADDING, widgetRuns } from "../../src/forms/field-text.js";
import { type FormFill, formFill } from "../../src/forms/fill.js";
import { mappingContext } from "../../src/forms/mapping.js";
import { type FormTemplateSet, loadFormTemplates } from "../../src/forms/templates.js";
import { LEADING, MIN_FONT_SIZE } from "../../src/layout/fit.js";
import type { Plan } from "../../src/plan/types.js";
import {
  type FieldFill,
  type FontUse,
  type FormField,
  fontMetrics,
  type TextRun,
} from "../../src/render/index.js";
import { CH_VILLE, planOf, tempDir, userTemplate } from "../pdf/tools.js";

/**
 * What goes into a form, decided outside the fence (src/forms) and tested as plain data: the mapping evaluated,
 * the fonts chosen, the texts fitted into their widgets, the annex for what does not fit, the findings. The
 * bytes the fence writes from it are judged by test/pdf/fill.test.ts (pdftotext, qpdf, field values).
 */

const LABELS = loadLabels();
let set: FormTemplateSet;

beforeAll(async () => {
  set = await loadFormTemplates();
});

const HELVETICA: FontUse = { family: "standard", style: "regular" };

const DESIGNEE = CH_VILLE.designees[0];

async function fillOf(change: unknown, form = "413", templates = () => set): Promise<FormFill> {
  const { plan, answers } = await planOf(change);
  const planForm = plan.forms.find((f) => f.form === form);
  if (!planForm) throw new Error(`pas de formulaire ${form}`);
  const template = templates().templates.get(planForm.form);
  if (!template) throw new Error(`pas de modèle ${form}`);
  return formFill(template, mappingContext(plan as Plan, planForm, answers, LABELS));
}

function text(fill: FormFill, name: string): Extract<FieldFill, { kind: "text" }> {
  const found = fill.fields.find((f) => f.name === name);
  if (found?.kind !== "text") throw new Error(`pas de texte pour ${name}`);
  return found;
}

const shown = (runs: readonly TextRun[]) => runs.map((r) => r.text).join(" ");
const width = (run: TextRun) => fontMetrics(run.font.family, run.font.style).widthOfText(run.text, run.size);

describe("le remplissage d'un formulaire, en données simples", () => {
  it("chaque champ de la correspondance : texte, police, taille, lignes placées ; cases cochées ; rien d'autre", async () => {
    const fill = await fillOf({ designees: [DESIGNEE] });
    expect(fill.findings).toEqual([]);
    expect(fill.annex).toEqual([]);
    // Plain data: nothing of a library, it survives a JSON round trip.
    expect(JSON.parse(JSON.stringify(fill))).toEqual(fill);
    const name = text(fill, "administrateur.nom");
    expect(name).toMatchObject({ value: "Lefèvre", font: HELVETICA, size: 10 });
    expect(name.widgets).toHaveLength(1);
    expect(shown(name.widgets[0]?.runs ?? [])).toBe("Lefèvre");
    const field = set.templates.get("413")?.structure.byName.get("administrateur.nom");
    for (const run of name.widgets[0]?.runs ?? []) {
      expect(run.x).toBe(PADDING);
      expect(run.x + width(run)).toBeLessThanOrEqual((field?.widgets[0]?.rect.width ?? 0) - PADDING);
    }
    expect(fill.fields.filter((f) => f.kind === "checkbox")).toEqual([
      { kind: "checkbox", name: "offre.org_auth_cli", checked: true },
      { kind: "checkbox", name: "offre.serveur_ssl", checked: true },
    ]);
    // In the template's order, each mapped field at most once, never an ignored or empty one.
    const structure = set.templates.get("413")?.structure;
    const order = fill.fields.map((f) => structure?.fields.findIndex((x) => x.name === f.name) ?? -1);
    expect(order.every((n, i) => n >= 0 && (i === 0 || n > (order[i - 1] ?? 0)))).toBe(true);
    expect(fill.fields.map((f) => f.name)).not.toContain("signature.date");
  });

  it("un nom hors WinAnsi : DejaVu Sans pour ce champ seul, sans constat", async () => {
    const fill = await fillOf({ designees: [{ ...DESIGNEE, firstName: "Văn An", lastName: "Nguyễn" }] });
    expect(fill.findings).toEqual([]);
    expect(text(fill, "administrateur.nom")).toMatchObject({
      value: "Nguyễn",
      font: { family: "unicode", style: "regular" },
    });
    expect(text(fill, "administrateur.email").font).toEqual(HELVETICA);
  });

  it("un caractère qu'aucune police ne dessine : un constat qui nomme le champ et le caractère", async () => {
    const fill = await fillOf({ designees: [{ ...DESIGNEE, vendor: "Société 中文" }] });
    expect(fill.findings.map((f) => f.code)).toEqual(["PDF_GLYPH_MISSING"]);
    expect(fill.findings[0]?.message).toContain("U+4E2D");
    expect(fill.findings[0]?.message).toContain("Société (éditeur ou prestataire, le cas échéant)");
    expect(text(fill, "administrateur.societe").value).toBe("Société 中文");
  });

  it("un texte un peu long : réduit jusqu'à tenir dans sa case, avec une information", async () => {
    const city = "Saint-Rémy-en-Bouzemont-Saint-Genest-et-Isson";
    const fill = await fillOf({
      designees: [DESIGNEE],
      establishment: { address: { street: "1 rue de la Paix", postalCode: "51300", city } },
    });
    expect(fill.findings.map((f) => [f.code, f.severity])).toEqual([["PDF_TEXT_SHRUNK", "info"]]);
    const field = text(fill, "etablissement.ville");
    expect(field.value).toBe(city);
    expect(field.size).toBeLessThan(10);
    expect(field.size).toBeGreaterThanOrEqual(MIN_FONT_SIZE);
    const box = set.templates.get("413")?.structure.byName.get("etablissement.ville")?.widgets[0]?.rect;
    const run = field.widgets[0]?.runs[0];
    expect(run?.size).toBe(field.size);
    expect(run && width(run)).toBeLessThanOrEqual((box?.width ?? 0) - 2 * PADDING + 1e-6);
  });

  it("un texte trop long : le début et un renvoi dans la case, le texte entier dans une page d'annexe", async () => {
    const position =
      "Responsable du service informatique, de la sécurité des systèmes d'information et des réseaux";
    const fill = await fillOf({ designees: [{ ...DESIGNEE, position }] });
    expect(fill.findings.map((f) => f.code)).toEqual(["PDF_TEXT_ANNEX"]);
    expect(fill.findings[0]?.message).toContain("page 3");
    const field = text(fill, "administrateur.fonction");
    expect(field.value).toMatch(/^Responsable du service informatique.*… \(suite en annexe, p\. 3\)$/);
    expect(field.size).toBe(MIN_FONT_SIZE);
    const pages = set.templates.get("413")?.structure.pages;
    expect(fill.annex).toHaveLength(1);
    const [annex] = fill.annex;
    expect(annex).toMatchObject({ width: pages?.[0]?.width, height: pages?.[0]?.height });
    const texts = (annex?.runs ?? []).map((r) => r.text);
    expect(texts[0]).toBe("Annexe : textes trop longs pour leur case");
    expect(texts).toContain("« Fonction » (page 1), texte complet :");
    expect(texts.join(" ")).toContain(position);
    expect(texts.at(-1)).toMatch(/annexe – page 3\/3$/);
    for (const run of annex?.runs ?? []) {
      expect(run.x).toBeGreaterThanOrEqual(50);
      expect(run.x + width(run)).toBeLessThanOrEqual((annex?.width ?? 0) - 50 + 1e-6);
      expect(run.y).toBeGreaterThan(0);
    }
  });

  it("un modèle de l'utilisateur : liste déroulante (valeur exportée, texte affiché), boutons radio, valeur inconnue signalée", async () => {
    const dir = tempDir();
    const { pdf, mapping } = await userTemplate();
    writeFileSync(join(dir, "formulaire-officiel-413.pdf"), pdf);
    (mapping.fields as Record<string, unknown>).Civilité = "form.signatory.lastName";
    mapping.ignore = ["Imprimer"];
    writeFileSync(join(dir, "413.mapping.json"), JSON.stringify(mapping));
    const user = await loadFormTemplates({ dir });
    const fill = await fillOf({ designees: [DESIGNEE] }, "413", () => user);
    // The radio group's state is the « on » appearance of the widget standing for « EJ » (its /Opt entry).
    const radio = user.templates.get("413")?.structure.byName.get("Entité signataire");
    const ej = radio?.widgets.find((w) => w.exportValue === "EJ");
    expect(ej?.onValue).toBeDefined();
    expect(fill.fields.find((f) => f.name === "Entité signataire")).toEqual({
      kind: "radio",
      name: "Entité signataire",
      state: ej?.onValue,
    });
    expect(text(fill, "Qualité")).toMatchObject({ value: "représentant légal" });
    expect(shown(text(fill, "Qualité").widgets[0]?.runs ?? [])).toBe("représentant légal");
    // A comb-less field with a maximum length: its value, one run.
    expect(text(fill, "FINESS").value).toBe("010003812");
    // « Durand » is none of the radio group's values: nothing chosen, a finding says so.
    expect(fill.fields.find((f) => f.name === "Civilité")).toBeUndefined();
    expect(fill.findings.map((f) => f.code)).toContain("PDF_CHOICE_UNKNOWN");
  });

  it("un champ de longueur maximale trop court : sa valeur et son texte s'arrêtent à la limite, l'annexe a le tout", async () => {
    const dir = tempDir();
    const { pdf, mapping } = await userTemplate();
    writeFileSync(join(dir, "formulaire-officiel-413.pdf"), pdf);
    (mapping.fields as Record<string, unknown>).FINESS = "plan.establishment.name";
    mapping.ignore = ["Imprimer", "Civilité"];
    writeFileSync(join(dir, "413.mapping.json"), JSON.stringify(mapping));
    const user = await loadFormTemplates({ dir });
    const fill = await fillOf({ designees: [DESIGNEE] }, "413", () => user);
    const finess = text(fill, "FINESS");
    // The field holds at most 9 characters (its MaxLen): a longer value would break what the PDF says of it.
    expect(finess.value).toBe("Centre ho");
    expect(shown(finess.widgets[0]?.runs ?? [])).toBe("Centre ho");
    expect(fill.findings.map((f) => f.code)).toContain("PDF_TEXT_ANNEX");
    expect(fill.annex.flatMap((page) => page.runs.map((r) => r.text)).join(" ")).toContain(
      "Centre hospitalier de Ville",
    );
  });
});

/** A field as the fence describes one: plain data, made by hand. */
function field(change: Partial<FormField> = {}, rect = { x: 0, y: 0, width: 120, height: 16 }): FormField {
  return {
    name: "f",
    kind: "text",
    widgets: [{ rect, pageIndex: 0, hidden: false }],
    label: "Champ",
    multiline: false,
    comb: false,
    readOnly: false,
    required: false,
    fontSize: 10,
    quadding: 0,
    options: [],
    exportValues: [],
    ...change,
  };
}

describe("ajustement d'un texte à ses cases (données simples)", () => {
  const helvetica = fontMetrics("standard", "regular");

  it("aligné à droite ou centré selon le champ, sur une ligne centrée verticalement", () => {
    for (const quadding of [0, 1, 2]) {
      const f = field({ quadding });
      const fit = fitField(f, "Lefèvre", HELVETICA);
      const [run] = widgetRuns(f, fit.widgets[0] as NonNullable<(typeof fit.widgets)[0]>, HELVETICA);
      const w = helvetica.widthOfText("Lefèvre", 10);
      const expected = [PADDING, (120 - w) / 2, 120 - PADDING - w][quadding];
      expect(run?.x).toBeCloseTo(expected ?? 0, 6);
      const descent = helvetica.descent * 10;
      expect((run?.y ?? 0) + descent).toBeCloseTo((16 - (helvetica.ascent - helvetica.descent) * 10) / 2, 6);
    }
  });

  it("en peigne : un caractère par cellule, centré ; trop de caractères ne tient pas", () => {
    const f = field({ comb: true, maxLength: 9 }, { x: 0, y: 0, width: 90, height: 16 });
    const fit = fitField(f, "010003812", HELVETICA);
    expect(fit.fits).toBe(true);
    const runs = widgetRuns(f, fit.widgets[0] as NonNullable<(typeof fit.widgets)[0]>, HELVETICA);
    expect(runs.map((r) => r.text).join("")).toBe("010003812");
    runs.forEach((run, i) => {
      expect(run.x + width(run) / 2).toBeCloseTo(i * 10 + 5, 6);
    });
    expect(fitField(f, "0100038120", HELVETICA).fits).toBe(false);
    // The annex keeps the rest; the field its first characters.
    expect(displayWithPointer(f, "0100038120", HELVETICA, () => "renvoi")).toBe("010003812");
  });

  it("en multiligne : lignes coupées entre les mots, de haut en bas, à l'interligne", () => {
    const f = field({ multiline: true }, { x: 0, y: 0, width: 150, height: 60 });
    const text = "Projet Diapason : authentification TLS mutuelle des établissements de santé";
    const fit = fitField(f, text, HELVETICA);
    expect(fit.fits).toBe(true);
    const runs = widgetRuns(f, fit.widgets[0] as NonNullable<(typeof fit.widgets)[0]>, HELVETICA);
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.map((r) => r.text).join(" ")).toBe(text);
    for (let i = 1; i < runs.length; i++)
      expect((runs[i - 1]?.y ?? 0) - (runs[i]?.y ?? 0)).toBeCloseTo(LEADING * fit.size, 6);
    for (const run of runs) expect(run.x + width(run)).toBeLessThanOrEqual(150 - PADDING + 1e-6);
  });

  it("taille automatique (0) : ce qui remplit la case d'une ligne, entre 7 et 12 pt ; un widget caché n'est pas rempli", () => {
    const hidden = { rect: { x: 0, y: 0, width: 120, height: 12 }, pageIndex: 0, hidden: true };
    const f = field({ fontSize: 0 }, { x: 0, y: 0, width: 120, height: 12 });
    f.widgets = [hidden, ...f.widgets];
    const fit = fitField(f, "court", HELVETICA);
    expect(fit.widgets.map((w) => w.index)).toEqual([1]);
    expect(fit.baseSize).toBeCloseTo((12 - 2 * PADDING) / (helvetica.ascent - helvetica.descent), 6);
    expect(
      fitField(field({ fontSize: 0 }, { x: 0, y: 0, width: 120, height: 60 }), "x", HELVETICA).size,
    ).toBe(12);
  });
});
