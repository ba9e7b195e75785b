import { describe, expect, it } from "vitest";
import { loadFormTemplates } from "../../src/forms/templates.js";
import { type FieldFill, fillForm, type TextRun } from "../../src/render/index.js";
import {
  fieldValues,
  fontNames,
  hasPoppler,
  hasQpdf,
  METADATA,
  pageCount,
  pdfText,
  qpdfCheck,
  tempDir,
  write,
} from "../pdf/tools.js";

/**
 * The fence's form writer takes plain data and writes it as given: the value stored, the runs drawn where they
 * are placed, in the font named, the annex pages after the template's. It measures and decides nothing.
 */

const HELVETICA = { family: "standard", style: "regular" } as const;
const DEJAVU = { family: "unicode", style: "regular" } as const;

const run = (text: string, x: number, y: number, font: TextRun["font"] = HELVETICA): TextRun => ({
  font,
  size: 9,
  x,
  y,
  text,
});

describe("fillForm : écrit ce qu'on lui donne", () => {
  it("valeurs, cases, lignes placées et page d'annexe, telles quelles", async () => {
    const template = (await loadFormTemplates()).templates.get("413")?.structure;
    if (!template) throw new Error("modèle 413 absent");
    const fields: FieldFill[] = [
      { kind: "checkbox", name: "offre.org_auth_cli", checked: true },
      { kind: "checkbox", name: "offre.serveur_ssl", checked: false },
      {
        kind: "text",
        name: "administrateur.nom",
        value: "Valeur enregistrée",
        font: HELVETICA,
        size: 9,
        widgets: [{ widget: 0, runs: [run("Texte dessiné", 2, 4)] }],
      },
      {
        kind: "text",
        name: "administrateur.prenom",
        value: "Nguyễn",
        font: DEJAVU,
        size: 9,
        widgets: [{ widget: 0, runs: [run("Nguyễn", 2, 4, DEJAVU)] }],
      },
    ];
    const page = template.pages[0] ?? { width: 595.28, height: 841.89 };
    const annex = [{ ...page, runs: [run("Une page ajoutée, écrite telle quelle", 50, 700)] }];
    const bytes = fillForm(template, fields, annex, { flatten: false, metadata: METADATA });
    const values = await fieldValues(bytes);
    expect(values.get("administrateur.nom")).toBe("Valeur enregistrée");
    expect(values.get("administrateur.prenom")).toBe("Nguyễn");
    expect(values.get("offre.org_auth_cli")).toBe(true);
    expect(values.get("offre.serveur_ssl")).toBe(false);
    // Fields given nothing keep the template's (empty) value.
    expect(values.get("administrateur.email") ?? "").toBe("");
    const path = write(tempDir(), "ecrit.pdf", bytes);
    if (hasQpdf) expect(qpdfCheck(path).ok).toBe(true);
    if (hasPoppler) {
      expect(pageCount(path)).toBe(template.pages.length + 1);
      expect(pdfText(path, template.pages.length + 1)).toContain("Une page ajoutée, écrite telle quelle");
      expect(fontNames(path).some((f) => /^[A-Z]{6}\+DejaVuSans$/.test(f))).toBe(true);
      // The appearance draws the runs given, not the value.
      const flat = write(
        tempDir(),
        "aplati.pdf",
        fillForm(template, fields, [], { flatten: true, metadata: METADATA }),
      );
      expect(pdfText(flat)).toContain("Texte dessiné");
      expect(pdfText(flat)).not.toContain("Valeur enregistrée");
    }
  });

  it("refuse un champ que le modèle n'a pas, et un modèle qu'il n'a pas lu (fautes de programmation)", async () => {
    const template = (await loadFormTemplates()).templates.get("413")?.structure;
    if (!template) throw new Error("modèle 413 absent");
    const options = { flatten: false, metadata: METADATA };
    expect(() =>
      fillForm(template, [{ kind: "checkbox", name: "absent", checked: true }], [], options),
    ).toThrow(/absent/);
    expect(() => fillForm({ ...template }, [], [], options)).toThrow(/readFormTemplate/);
  });
});
