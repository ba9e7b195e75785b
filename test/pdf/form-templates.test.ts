import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assetPath } from "../../src/assets/root.js";
import { FormTemplateError, loadFormTemplates } from "../../src/forms/templates.js";
import { FORM_IDS } from "../../src/plan/types.js";
import { buildFormTemplate } from "../../src/render/form-builder.js";
import type { FormLayout } from "../../src/render/form-layout.js";
import { PDFDocument } from "../../src/render/pdf-lib.js";
import { hasQpdf, QPDF, tempDir, userTemplate } from "./tools.js";

const formsDir = assetPath("templates", "forms");
const layouts = readdirSync(join(formsDir, "src"))
  .filter((n) => n.endsWith(".layout.json"))
  .map((n) => JSON.parse(readFileSync(join(formsDir, "src", n), "utf8")) as FormLayout);

/** A --templates folder holding the bundled 413 and a mapping changed by `edit`. */
function folderWith413(edit: (mapping: Record<string, unknown>) => void): string {
  const dir = tempDir();
  copyFileSync(join(formsDir, "413.pdf"), join(dir, "413.pdf"));
  const mapping = JSON.parse(readFileSync(join(formsDir, "413.mapping.json"), "utf8")) as Record<
    string,
    unknown
  >;
  edit(mapping);
  writeFileSync(join(dir, "413.mapping.json"), JSON.stringify(mapping));
  return dir;
}

async function errorsOf(dir: string): Promise<{ path: string; code: string; message: string }[]> {
  try {
    await loadFormTemplates({ dir });
  } catch (error) {
    if (error instanceof FormTemplateError) return error.errors;
    throw error;
  }
  throw new Error("aucune erreur");
}

describe("modèles fournis", () => {
  it("un modèle et une correspondance valides pour chaque formulaire du plan", async () => {
    const set = await loadFormTemplates();
    expect([...set.templates.keys()].sort()).toEqual([...FORM_IDS].sort());
    for (const t of set.templates.values()) {
      expect(t.origin).toBe("bundled");
      expect(t.structure.fields.length).toBeGreaterThan(5);
      expect(t.structure.pages[0]).toMatchObject({ width: 595.28, height: 841.89 });
    }
  });

  it("le PDF a exactement les champs de sa mise en page", async () => {
    const set = await loadFormTemplates();
    for (const layout of layouts) {
      const names = layout.sections.flatMap((s) =>
        s.rows.flat().flatMap((c) => ("name" in c ? [c.name] : [])),
      );
      const template = set.templates.get(layout.form as (typeof FORM_IDS)[number]);
      expect(template?.structure.fields.map((f) => f.name).sort(), layout.form).toEqual(names.sort());
    }
  });

  it("le 413 porte les deux offres, le nom de domaine et les deux « Précisions sur l'usage » multilignes", async () => {
    const t = (await loadFormTemplates()).templates.get("413");
    const field = (name: string) => t?.structure.byName.get(name);
    expect(field("offre.org_auth_cli")).toMatchObject({
      kind: "checkbox",
      label: "Offre certificat logiciel ORG (Personne morale) usage AUTH_CLI",
    });
    expect(field("offre.serveur_ssl")).toMatchObject({
      kind: "checkbox",
      label: "Offre certificat logiciel SERVEUR usage SSL_serveur",
    });
    expect(field("offre.nom_de_domaine")?.kind).toBe("text");
    for (const name of ["usage.certificat_client", "usage.certificat_serveur"]) {
      expect(field(name)).toMatchObject({ kind: "text", multiline: true });
      expect(field(name)?.label).toContain("Précisions sur l'usage des certificats et sur votre projet");
    }
    expect(field("signature.signature")?.kind).toBe("signature");
  });

  it("reconstruire les modèles depuis leurs sources redonne les mêmes octets", async () => {
    for (const layout of layouts) {
      const rebuilt = await buildFormTemplate(layout);
      const committed = readFileSync(join(formsDir, layout.file));
      expect(Buffer.from(rebuilt).equals(committed), `${layout.file} : lancez npm run build:forms`).toBe(
        true,
      );
    }
  });

  it("une mise en page fautive est refusée avant toute construction", async () => {
    const layout = structuredClone(layouts[0]) as FormLayout;
    layout.intro = ["Texte hors WinAnsi : Łukasz"];
    await expect(buildFormTemplate(layout)).rejects.toThrow(/hors WinAnsi/);
  });
});

describe("--templates : un modèle de l'utilisateur remplace le modèle fourni", () => {
  it("charge le PDF de l'utilisateur avec sa propre correspondance, les autres restent fournis", async () => {
    const dir = tempDir();
    const { pdf, mapping } = await userTemplate();
    writeFileSync(join(dir, "formulaire-officiel-413.pdf"), pdf);
    writeFileSync(join(dir, "413.mapping.json"), JSON.stringify(mapping));
    const set = await loadFormTemplates({ dir });
    expect(set.templates.get("413")).toMatchObject({
      origin: "user",
      pdfFile: join(dir, "formulaire-officiel-413.pdf"),
    });
    expect(set.templates.get("301")?.origin).toBe("bundled");
    expect(
      set.templates
        .get("413")
        ?.structure.byName.get("Qualité")
        ?.options.map((o) => o.display),
    ).toEqual(["représentant légal", "mandataire"]);
  });

  it("une correspondance qui nomme un champ absent du PDF : erreur qui nomme le champ et les deux fichiers", async () => {
    const dir = folderWith413((m) => {
      (m.fields as Record<string, unknown>)["administrateur.date_naissance"] = "designee.birthDate";
    });
    const errors = await errorsOf(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "MAPPING_FIELD_UNKNOWN", path: join(dir, "413.mapping.json") });
    expect(errors[0]?.message).toContain("« administrateur.date_naissance »");
    expect(errors[0]?.message).toContain(join(dir, "413.mapping.json"));
    expect(errors[0]?.message).toContain(join(dir, "413.pdf"));
  });

  it("un champ du PDF ni rempli ni ignoré : erreur qui nomme le champ et les deux fichiers", async () => {
    const dir = folderWith413((m) => {
      m.ignore = (m.ignore as string[]).filter((n) => n !== "signature.date");
    });
    const errors = await errorsOf(dir);
    expect(errors.map((e) => e.code)).toEqual(["MAPPING_FIELD_UNMAPPED"]);
    expect(errors[0]?.message).toContain("« signature.date »");
    expect(errors[0]?.message).toMatch(/413\.pdf.*413\.mapping\.json/);
  });

  it("refuse les sources mal formées, avec un message par problème", async () => {
    const dir = folderWith413((m) => {
      const fields = m.fields as Record<string, unknown>;
      fields["etablissement.raison_sociale"] = "plann.establishment.name";
      fields["etablissement.ville"] = "{{#if}}";
      fields["administrateur.nom"] = "form..designee";
      fields["administrateur.prenom"] = { checked: "form.offers", equals: 1, contains: 2 };
      fields["administrateur.fonction"] = { text: "designee.position", when: "form.offers", couleur: 1 };
      fields["administrateur.email"] = { text: "form.designee.email", when: "formulaire.offers" };
      fields["administrateur.telephone"] = { text: "{{#if}}", when: "form.offers", contains: "ORG_AUTH_CLI" };
      m.couleur = "bleu";
    });
    const codes = (await errorsOf(dir)).map((e) => e.code).sort();
    expect(codes).toEqual([
      "MAPPING_KEY_UNKNOWN",
      "MAPPING_PATH_ROOT",
      "MAPPING_PATH_ROOT",
      "MAPPING_PATH_SYNTAX",
      "MAPPING_SOURCE_INVALID",
      "MAPPING_SOURCE_INVALID",
      "MAPPING_TEMPLATE_SYNTAX",
      "MAPPING_TEMPLATE_SYNTAX",
    ]);
  });

  it("une expression qui appelle une fonction inconnue (« upper ») est refusée au chargement, en nommant le fichier et le champ", async () => {
    const dir = folderWith413((m) => {
      const fields = m.fields as Record<string, unknown>;
      fields["administrateur.nom"] = "{{upper form.designee.lastName}}";
      fields["administrateur.prenom"] = "{{#shout form.designee.firstName}}x{{/shout}}";
      fields["etablissement.ville"] = "{{log plan}}";
    });
    const errors = (await errorsOf(dir)).sort((a, b) => (a.message < b.message ? -1 : 1));
    expect(errors.map((e) => e.code)).toEqual([
      "MAPPING_UNKNOWN_HELPER",
      "MAPPING_UNKNOWN_HELPER",
      "MAPPING_UNKNOWN_HELPER",
    ]);
    const file = join(dir, "413.mapping.json");
    expect(errors[0]?.message).toBe(
      `Dans « ${file} », l'expression handlebars du champ « administrateur.nom » appelle « upper », qui n'existe pas dans les correspondances : seules if, unless, each, with, lookup peuvent y servir. Retirez l'appel, ou écrivez la valeur telle quelle ({{form.designee.lastName}}).`,
    );
    expect(errors[1]?.message).toContain("« administrateur.prenom » appelle « shout »");
    expect(errors[2]?.message).toContain("« etablissement.ville » appelle « log »");
    // Handlebars' own helpers stay usable.
    const fine = folderWith413((m) => {
      (m.fields as Record<string, unknown>)["administrateur.nom"] =
        "{{#if form.designee}}{{lookup form.designee 'lastName'}}{{else}}-{{/if}}";
    });
    expect((await loadFormTemplates({ dir: fine })).templates.size).toBeGreaterThan(0);
  });

  it("batch --check et batch s'arrêtent avant toute ligne sur une telle correspondance (code 2), generate aussi (code 1)", async () => {
    const { batch, csvOf, goodRows, writeInput } = await import("../batch/helpers.js");
    const { run } = await import("../helpers/io.js");
    const dir = folderWith413((m) => {
      (m.fields as Record<string, unknown>)["administrateur.nom"] = "{{upper form.designee.lastName}}";
    });
    const work = tempDir();
    const input = writeInput(work, "lot.csv", csvOf(goodRows(3)));
    for (const mode of [["--check"], []]) {
      const out = join(work, `out${mode.length}`);
      const r = await batch([input, "-o", out, "--templates", dir, "--jobs", "0", ...mode]);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toContain(`Dans « ${join(dir, "413.mapping.json")} »`);
      expect(r.stderr).toContain("« administrateur.nom » appelle « upper »");
      expect(r.stderr).not.toContain("Erreur interne");
      expect(readdirSync(work)).not.toContain(`out${mode.length}`);
    }
    const example = assetPath("examples", "ch-ville.yaml");
    const generated = await run(["generate", example, "-o", join(work, "d"), "--templates", dir]);
    expect(generated.code).toBe(1);
    expect(generated.stderr).toContain("appelle « upper »");
  });

  it("une case à cocher veut une condition, un champ texte n'en veut pas, une signature ne se remplit pas", async () => {
    const dir = folderWith413((m) => {
      const fields = m.fields as Record<string, unknown>;
      fields["offre.org_auth_cli"] = "form.offers";
      fields["administrateur.nom"] = { checked: "form.designee.lastName" };
      fields["offre.serveur_ssl"] = { text: "form.offers", when: "form.offers", contains: "SSL_SERVEUR" };
      fields["signature.signature"] = "form.signatory.lastName";
      m.ignore = (m.ignore as string[]).filter((n) => n !== "signature.signature");
    });
    const codes = (await errorsOf(dir)).map((e) => e.code).sort();
    expect(codes).toEqual([
      "MAPPING_FIELD_NEEDS_CONDITION",
      "MAPPING_FIELD_NEEDS_CONDITION",
      "MAPPING_FIELD_NOT_CHECKBOX",
      "MAPPING_FIELD_NOT_FILLABLE",
    ]);
  });

  it("un champ à la fois rempli et ignoré, un JSON invalide", async () => {
    const twice = folderWith413((m) => {
      (m.ignore as string[]).push("administrateur.nom");
    });
    expect((await errorsOf(twice)).map((e) => e.code)).toEqual(["MAPPING_FIELD_TWICE"]);
    const dir = tempDir();
    copyFileSync(join(formsDir, "413.pdf"), join(dir, "413.pdf"));
    writeFileSync(join(dir, "413.mapping.json"), "{ fields: ");
    const [error] = await errorsOf(dir);
    expect(error).toMatchObject({ code: "MAPPING_JSON", path: join(dir, "413.mapping.json") });
  });

  it("dossier absent, vide, correspondance d'un formulaire inconnu, PDF sans correspondance ou introuvable", async () => {
    const base = tempDir();
    expect((await errorsOf(join(base, "absent"))).map((e) => e.code)).toEqual(["TEMPLATES_DIR_MISSING"]);
    mkdirSync(join(base, "vide"));
    expect((await errorsOf(join(base, "vide"))).map((e) => e.code)).toEqual(["TEMPLATES_DIR_EMPTY"]);
    const mixed = join(base, "mixte");
    mkdirSync(mixed);
    writeFileSync(join(mixed, "414.mapping.json"), "{}");
    copyFileSync(join(formsDir, "301.pdf"), join(mixed, "301.pdf"));
    writeFileSync(join(mixed, "502.mapping.json"), JSON.stringify({ template: "absent.pdf", fields: {} }));
    const errors = await errorsOf(mixed);
    expect(errors.map((e) => e.code).sort()).toEqual([
      "MAPPING_MISSING",
      "MAPPING_UNKNOWN_FORM",
      "TEMPLATE_MISSING",
    ]);
    expect(errors.find((e) => e.code === "TEMPLATE_MISSING")?.message).toContain(join(mixed, "absent.pdf"));
  });

  it("un fichier qui n'est pas un PDF, un PDF sans champ", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "413.pdf"), "ceci n'est pas un PDF");
    writeFileSync(join(dir, "413.mapping.json"), JSON.stringify({ fields: {} }));
    expect((await errorsOf(dir)).map((e) => e.code)).toEqual(["TEMPLATE_INVALID"]);
    const doc = await PDFDocument.create();
    doc.addPage();
    writeFileSync(join(dir, "413.pdf"), await doc.save());
    const [error] = await errorsOf(dir);
    expect(error?.code).toBe("TEMPLATE_NO_FIELDS");
  });

  it.skipIf(!hasQpdf)("un PDF chiffré est refusé avec la marche à suivre", async () => {
    const dir = tempDir();
    spawnSync(QPDF ?? "qpdf", [
      "--encrypt",
      "",
      "proprietaire",
      "256",
      "--modify=none",
      "--",
      join(formsDir, "413.pdf"),
      join(dir, "413.pdf"),
    ]);
    copyFileSync(join(formsDir, "413.mapping.json"), join(dir, "413.mapping.json"));
    const [error] = await errorsOf(dir);
    expect(error?.code).toBe("TEMPLATE_ENCRYPTED");
    expect(error?.message).toContain("qpdf --decrypt");
  });
});
