import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assetPath } from "../../src/assets/root.js";
import { loadFormTemplates } from "../../src/forms/templates.js";
import type { FieldDescription } from "../../src/render/field-list.js";
import { PDFDocument } from "../../src/render/pdf-lib.js";
import { run } from "../helpers/io.js";
import { tempDir, userTemplate } from "./tools.js";

const form413 = assetPath("templates", "forms", "413.pdf");
let dir: string;

beforeAll(async () => {
  dir = tempDir();
  writeFileSync(join(dir, "officiel.pdf"), (await userTemplate()).pdf);
  writeFileSync(join(dir, "pas-un-pdf.pdf"), "%PDF-1.7 tronqué");
});

describe("diapason-dossier fields", () => {
  it("liste les champs d'un modèle : nom, type, page, libellé, propriétés, valeurs d'export", async () => {
    const r = await run(["fields", form413]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`27 champ(s) dans « ${form413} » :`);
    expect(r.stdout).toContain("  offre.org_auth_cli (case à cocher, page 1)\n");
    expect(r.stdout).toContain(
      "      libellé : Offre certificat logiciel ORG (Personne morale) usage AUTH_CLI\n",
    );
    expect(r.stdout).toContain("      valeurs d'export : Yes\n");
    expect(r.stdout).toMatch(
      / {2}etablissement\.finess_ej \(texte, page 1\)\n.*\n {6}propriétés : une case par caractère\n {6}longueur maximale : 9\n/,
    );
    expect(r.stdout).toContain("  usage.certificat_client (texte, page 1)\n");
    expect(r.stdout).toContain("  signature.signature (signature, page 2)\n");
  });

  it("--json : choix des listes et valeurs d'export des boutons radio", async () => {
    const r = await run(["fields", "--json", "officiel.pdf"], { cwd: dir });
    expect(r.code).toBe(0);
    const fields = JSON.parse(r.stdout) as FieldDescription[];
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get("Qualité")).toMatchObject({
      type: "dropdown",
      page: 1,
      options: [
        { exportValue: "représentant légal", display: "représentant légal" },
        { exportValue: "mandataire", display: "mandataire" },
      ],
    });
    expect(byName.get("Civilité")).toMatchObject({ type: "radio" });
    expect(byName.get("Civilité")?.exportValues).toHaveLength(2);
    expect(byName.get("Entité signataire")).toMatchObject({ type: "radio", exportValues: ["EJ", "EG"] });
    expect(byName.get("Ville")).toMatchObject({ type: "text", page: 1 });
    expect(byName.get("FINESS")).toMatchObject({ type: "text", maxLength: 9 });
    expect(byName.get("Usage client")).toMatchObject({ type: "text", multiline: true });
    expect(byName.get("Imprimer")).toMatchObject({ type: "button" });
  });

  it("--mapping : un squelette de correspondance que le chargement accepte tel quel", async () => {
    const r = await run(["fields", "--mapping", "officiel.pdf"], { cwd: dir });
    expect(r.code).toBe(0);
    const skeleton = JSON.parse(r.stdout) as { template: string; fields: object; ignore: string[] };
    expect(skeleton.template).toBe("officiel.pdf");
    expect(skeleton.ignore).toContain("Raison sociale");
    const folder = tempDir();
    writeFileSync(join(folder, "officiel.pdf"), (await userTemplate()).pdf);
    writeFileSync(join(folder, "413.mapping.json"), r.stdout);
    const set = await loadFormTemplates({ dir: folder });
    expect(set.templates.get("413")?.origin).toBe("user");
  });

  it("fichier introuvable, dossier, PDF illisible : message français et code 1", async () => {
    const missing = await run(["fields", "absent.pdf"], { cwd: dir });
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toBe("Erreur : Fichier introuvable : absent.pdf. Vérifiez le chemin.\n");
    const folder = await run(["fields", dir]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain("est un dossier");
    const broken = await run(["fields", "pas-un-pdf.pdf"], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe(
      "Erreur : Le fichier « pas-un-pdf.pdf » n'est pas un PDF lisible : il est endommagé, tronqué ou d'un autre format.\n",
    );
  });

  it("un PDF sans champ : le dit, sans erreur", async () => {
    const blank = await PDFDocument.create();
    blank.addPage();
    writeFileSync(join(dir, "blanc.pdf"), await blank.save());
    const empty = await run(["fields", "blanc.pdf"], { cwd: dir });
    expect(empty).toMatchObject({ code: 0, stderr: "" });
    expect(empty.stdout).toBe(
      "« blanc.pdf » n'a aucun champ de formulaire (AcroForm) : il ne peut pas servir de modèle.\n",
    );
    expect(JSON.parse((await run(["fields", "--json", "blanc.pdf"], { cwd: dir })).stdout)).toEqual([]);
  });

  it("sans argument ou avec une option inconnue : erreur d'utilisation (code 2)", async () => {
    expect((await run(["fields"])).code).toBe(2);
    const r = await run(["fields", "--couleur", form413]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Option inconnue « --couleur »");
  });
});
