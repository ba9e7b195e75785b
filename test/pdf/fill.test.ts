import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Answers } from "../../src/answers/types.js";
import { loadLabels } from "../../src/assets/index.js";
import { fillPlanForm } from "../../src/forms/fill.js";
import { type FormTemplateSet, loadFormTemplates } from "../../src/forms/templates.js";
import type { Plan, PlanForm } from "../../src/plan/types.js";
import { PDFDict, PDFDocument, PDFName, PDFString } from "../../src/render/pdf-lib.js";
import {
  CH_VILLE,
  fieldValues,
  fontNames,
  hasPoppler,
  hasQpdf,
  inkRatio,
  METADATA,
  pageCount,
  pdfText,
  planOf,
  qpdfCheck,
  tempDir,
  userTemplate,
  write,
} from "./tools.js";

const LABELS = loadLabels();
let set: FormTemplateSet;
let dir: string;

beforeAll(async () => {
  set = await loadFormTemplates();
  dir = tempDir();
});

function form(plan: Plan, id: string): PlanForm {
  const found = plan.forms.find((f) => f.form === id);
  if (!found) throw new Error(`pas de formulaire ${id} dans le plan`);
  return found;
}

async function fill(plan: Plan, answers: Answers, id: string, flatten = false) {
  const result = await fillPlanForm(
    set,
    form(plan, id),
    plan,
    answers,
    { flatten, metadata: METADATA },
    LABELS,
  );
  const path = write(
    dir,
    `${id}-${flatten ? "aplati" : "rempli"}-${Math.random().toString(36).slice(2)}.pdf`,
    result.bytes,
  );
  return { ...result, path };
}

/** pdftotext breaks lines anywhere: compare texts with spaces collapsed. */
const flat = (s: string) => s.replace(/[ \t\r\n\f]+/g, " ").trim();

/** The example's plan when its administrator has a card and already holds this habilitation. */
function habilitated(habilitation: { orgAuthCli: boolean; sslServer: string }) {
  return planOf({
    ...CH_VILLE,
    designees: [{ ...CH_VILLE.designees[0], hasActiveCard: true, habilitation }],
  });
}

describe("formulaire n°413 de l'exemple", () => {
  let plan: Plan;
  let answers: Answers;
  beforeAll(async () => {
    ({ plan, answers } = await planOf(CH_VILLE));
  });

  it("porte l'établissement, l'administrateur, les offres cochées, le domaine *<domaine> et le signataire", async () => {
    const { bytes, findings } = await fill(plan, answers, "413");
    expect(findings).toEqual([]);
    const values = await fieldValues(bytes);
    expect(Object.fromEntries(values)).toMatchObject({
      "etablissement.raison_sociale": "Centre hospitalier de Ville",
      "etablissement.finess_ej": "010003812",
      "etablissement.finess_eg": "010003820",
      "etablissement.ville": "Bourg-en-Bresse",
      "administrateur.nom": "Lefèvre",
      "administrateur.prenom": "Élodie",
      "administrateur.email": "elodie.lefevre@ch-ville.fr",
      "administrateur.telephone": "04 74 00 00 01",
      "administrateur.fonction": "Responsable du service informatique",
      "offre.org_auth_cli": true,
      "offre.serveur_ssl": true,
      "offre.nom_de_domaine": "*ch-ville.fr",
      "solution.serveur": "gap01.ch-ville.fr",
      "signataire.nom": "Durand",
      "signataire.prenom": "Marie",
      "signataire.qualite": "représentant légal",
    });
    expect(values.has("administrateur.societe")).toBe(true);
    expect(values.get("administrateur.societe")).toBeUndefined();
    expect(values.get("signature.date")).toBeUndefined();
  });

  it("recopie les deux « Précisions sur l'usage » caractère pour caractère (tiret demi-cadratin, apostrophes ’)", async () => {
    const { bytes, path } = await fill(plan, answers, "413");
    const values = await fieldValues(bytes);
    const usage = (profile: string) => plan.certificates.find((c) => c.profile === profile)?.usage;
    expect(values.get("usage.certificat_client")).toBe(usage("ORG_AUTH_CLI"));
    expect(values.get("usage.certificat_serveur")).toBe(usage("SSL_SERVEUR"));
    expect(usage("ORG_AUTH_CLI")).toContain("Projet Diapason – usage authentification TLS mutuelle");
    expect(usage("ORG_AUTH_CLI")).toContain(
      "cas d’usage de l’authentification directe d’une personne morale",
    );
    if (hasPoppler) {
      const text = flat(pdfText(path));
      expect(text).toContain(flat(usage("ORG_AUTH_CLI") ?? "?"));
      expect(text).toContain(flat(usage("SSL_SERVEUR") ?? "?"));
      expect(text).toContain("*ch-ville.fr");
      expect(text).toContain("Offre certificat logiciel ORG (Personne morale) usage AUTH_CLI");
      expect(text).toContain("Offre certificat logiciel SERVEUR usage SSL_serveur");
      expect(text).toContain("Modèle reconstitué par diapason-dossier d'après la procédure ANS");
    }
  });

  it("ne coche que les offres qui manquent encore", async () => {
    const partial = await habilitated({ orgAuthCli: true, sslServer: "restricted" });
    expect(form(partial.plan, "413").offers).toEqual(["SSL_SERVEUR"]);
    const values = await fieldValues((await fill(partial.plan, partial.answers, "413")).bytes);
    expect(values.get("offre.org_auth_cli")).toBe(false);
    expect(values.get("offre.serveur_ssl")).toBe(true);
    // The client certificate's usage belongs to the ORG offer, not asked here.
    expect(values.get("offre.nom_de_domaine")).toBe("*ch-ville.fr");
    expect(values.get("usage.certificat_serveur")).toContain("authentification directe d’un serveur (GAP)");
    expect(values.has("usage.certificat_client")).toBe(true);
    expect(values.get("usage.certificat_client")).toBeUndefined();
  });

  it("413 qui ne demande que l'offre ORG AUTH_CLI : ni nom de domaine ni usage du certificat serveur", async () => {
    const orgOnly = await habilitated({ orgAuthCli: false, sslServer: "wholeDomain" });
    expect(form(orgOnly.plan, "413").offers).toEqual(["ORG_AUTH_CLI"]);
    const { bytes, path } = await fill(orgOnly.plan, orgOnly.answers, "413");
    const values = await fieldValues(bytes);
    expect(values.get("offre.org_auth_cli")).toBe(true);
    expect(values.get("offre.serveur_ssl")).toBe(false);
    expect(values.get("usage.certificat_client")).toContain("authentification directe d’une personne morale");
    for (const field of ["offre.nom_de_domaine", "usage.certificat_serveur"]) {
      expect(values.has(field), field).toBe(true);
      expect(values.get(field), field).toBeUndefined();
    }
    if (hasPoppler) {
      const text = flat(pdfText(path));
      expect(text).not.toContain("*ch-ville.fr");
      expect(text).not.toContain("authentification directe d’un serveur");
      expect(text).toContain("authentification directe d’une personne morale");
    }
  });

  it("signé par un mandataire, le 413 le nomme avec sa qualité", async () => {
    const mandated = await planOf({
      ...CH_VILLE,
      legalRepresentative: { hasActiveCard: true },
      contract: { exists: true, signedAt: "EJ" },
      form413SignedBy: "mandatary",
      designees: [
        CH_VILLE.designees[0],
        {
          role: "mandatary",
          firstName: "Paul",
          lastName: "Martin",
          email: "paul.martin@ch-ville.fr",
          hasActiveCard: true,
        },
      ],
    });
    const values = await fieldValues((await fill(mandated.plan, mandated.answers, "413")).bytes);
    expect(values.get("signataire.nom")).toBe("Martin");
    expect(values.get("signataire.qualite")).toBe("mandataire");
  });

  it.skipIf(!hasPoppler || !hasQpdf)(
    "chaque formulaire : qpdf --check passe, chaque page s'affiche, rempli ou aplati",
    async () => {
      const mandated = await planOf({
        designees: [
          {
            role: "mandatary",
            firstName: "Paul",
            lastName: "Martin",
            email: "paul.martin@ch-ville.fr",
            hasActiveCard: true,
          },
        ],
      });
      const cases = [
        ...plan.forms.map((f) => ({ plan, answers, id: f.form })),
        { plan: mandated.plan, answers: mandated.answers, id: "502" },
      ];
      expect(new Set(cases.map((c) => c.id))).toEqual(
        new Set(["contrat-structure", "101", "301", "413", "502"]),
      );
      for (const c of cases) {
        for (const flatten of [false, true]) {
          const { path } = await fill(c.plan, c.answers, c.id, flatten);
          const check = qpdfCheck(path);
          expect(check.ok, `${c.id} : ${check.output}`).toBe(true);
          for (let page = 1; page <= pageCount(path); page++) {
            expect(inkRatio(path, page), `${c.id}, page ${page}`).toBeGreaterThan(0.005);
          }
        }
      }
    },
  );

  it("sans caractère hors WinAnsi, n'embarque aucune police", async () => {
    const { bytes } = await fill(plan, answers, "413");
    expect(Buffer.from(bytes).includes("DejaVu")).toBe(false);
  });

  it("mêmes réponses, mêmes octets ; l'en-tête du PDF trace l'outil, les règles et les réponses", async () => {
    const a = await fill(plan, answers, "413");
    const b = await fill(plan, answers, "413");
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const doc = await PDFDocument.load(a.bytes, { updateMetadata: false });
    expect(doc.getTitle()).toBe(METADATA.title);
    expect(doc.getSubject()).toBe(METADATA.subject);
    expect(doc.getKeywords()).toContain(METADATA.answersHash);
    expect(doc.getKeywords()).toContain(METADATA.rulesVersion);
    expect(doc.getCreationDate()?.toISOString()).toBe(METADATA.date.toISOString());
    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    const hash = info.lookup(PDFName.of("DiapasonAnswersHash"));
    expect(hash instanceof PDFString ? hash.decodeText() : undefined).toBe(METADATA.answersHash);
    const other = await fillPlanForm(
      set,
      form(plan, "413"),
      plan,
      answers,
      {
        flatten: false,
        metadata: { ...METADATA, answersHash: "sha256:autre" },
      },
      LABELS,
    );
    expect(Buffer.from(other.bytes).equals(Buffer.from(a.bytes))).toBe(false);
  });

  it("--flatten : plus aucun champ modifiable sauf la signature, le texte reste lisible", async () => {
    const { bytes, path } = await fill(plan, answers, "413", true);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(
      doc
        .getForm()
        .getFields()
        .map((f) => f.getName()),
    ).toEqual(["signature.signature"]);
    if (hasPoppler) {
      const text = flat(pdfText(path));
      expect(text).toContain("Lefèvre");
      expect(text).toContain("*ch-ville.fr");
    }
  });
});

describe("les autres formulaires du plan", () => {
  it("contrat, 101 et 301 portent la structure, le représentant légal et le désigné", async () => {
    const { plan, answers } = await planOf(CH_VILLE);
    expect(plan.forms.map((f) => f.form)).toEqual(["contrat-structure", "101", "301", "413"]);
    const contract = await fieldValues((await fill(plan, answers, "contrat-structure")).bytes);
    expect(Object.fromEntries(contract)).toMatchObject({
      "structure.raison_sociale": "Centre hospitalier de Ville",
      "structure.signataire_ej": true,
      "structure.signataire_eg": false,
      "structure.finess_signataire": plan.contract.signatoryFiness,
      "representant.nom": "Durand",
      "representant.qualite": "Directrice générale",
    });
    const card = await fieldValues((await fill(plan, answers, "101")).bytes);
    expect(card.get("titulaire.prenom")).toBe("Marie");
    expect(card.get("envoi.code_postal")).toBe("01000");
    expect(card.has("titulaire.date_naissance")).toBe(true);
    expect(card.get("titulaire.date_naissance")).toBeUndefined();
    const staff = await fieldValues((await fill(plan, answers, "301")).bytes);
    expect(Object.fromEntries(staff)).toMatchObject({
      "titulaire.nom": "Lefèvre",
      "titulaire.fonction": "Responsable du service informatique",
      "role.administrateur_technique": true,
      "role.mandataire": false,
      "demandeur.qualite": "représentant légal",
    });
  });

  it("502 : le mandataire désigné et le représentant légal", async () => {
    const { plan, answers } = await planOf({
      designees: [
        {
          role: "mandatary",
          firstName: "Paul",
          lastName: "Martin",
          email: "paul.martin@ch-ville.fr",
          hasActiveCard: true,
          phone: "04 74 00 00 09",
        },
      ],
    });
    const values = await fieldValues((await fill(plan, answers, "502")).bytes);
    expect(Object.fromEntries(values)).toMatchObject({
      "mandataire.nom": "Martin",
      "mandataire.telephone": "04 74 00 00 09",
      "representant.nom": "Durand",
      "structure.type_ej": true,
    });
  });
});

describe("texte qui s'affiche toujours", () => {
  it.skipIf(!hasPoppler)("noms hors WinAnsi : police embarquée, texte relu à l'identique", async () => {
    const { plan, answers } = await planOf({
      legalRepresentative: { firstName: "Łukasz", lastName: "García" },
      designees: [
        { ...CH_VILLE.designees[0], firstName: "Văn An", lastName: "Nguyễn", email: "an.nguyen@ch-ville.fr" },
      ],
      establishment: { name: "Centre hospitalier Œuvray « Saint-Gaël »" },
    });
    const { bytes, path, findings } = await fill(plan, answers, "413");
    expect(findings).toEqual([]);
    const values = await fieldValues(bytes);
    expect(values.get("administrateur.nom")).toBe("Nguyễn");
    expect(values.get("signataire.prenom")).toBe("Łukasz");
    const text = pdfText(path);
    for (const t of ["Nguyễn", "Văn An", "Łukasz", "García", "Œuvray « Saint-Gaël »"])
      expect(text).toContain(t);
    expect(fontNames(path).some((f) => /^[A-Z]{6}\+DejaVuSans$/.test(f))).toBe(true);
    if (hasQpdf) expect(qpdfCheck(path).ok).toBe(true);
  });

  it("un caractère qu'aucune police ne dessine donne un constat, jamais un « ? »", async () => {
    const { plan, answers } = await planOf({
      designees: [{ ...CH_VILLE.designees[0], vendor: "Société 中文" }],
    });
    const { bytes, findings } = await fill(plan, answers, "413");
    expect(findings.map((f) => f.code)).toEqual(["PDF_GLYPH_MISSING"]);
    expect(findings[0]?.message).toContain(
      "« Société (éditeur ou prestataire, le cas échéant) » (formulaire n°413)",
    );
    expect(findings[0]?.message).toContain("U+4E2D");
    expect((await fieldValues(bytes)).get("administrateur.societe")).toBe("Société 中文");
  });

  it("un texte un peu long est réduit, avec un constat", async () => {
    const city = "Saint-Rémy-en-Bouzemont-Saint-Genest-et-Isson";
    const { plan, answers } = await planOf({
      establishment: { address: { street: "1 rue de la Paix", postalCode: "51300", city } },
    });
    const { bytes, findings } = await fill(plan, answers, "413");
    expect(findings.map((f) => f.code)).toEqual(["PDF_TEXT_SHRUNK"]);
    expect(findings[0]?.message).toMatch(/« Ville ».* [7-9](,\d+)? pt au lieu de 10 pt/);
    expect((await fieldValues(bytes)).get("etablissement.ville")).toBe(city);
  });

  it.skipIf(!hasPoppler)(
    "un texte trop long continue en annexe, avec un renvoi dans la case, jamais coupé en silence",
    async () => {
      const position =
        "Responsable du service informatique, de la sécurité des systèmes d'information et des réseaux";
      const { plan, answers } = await planOf({ designees: [{ ...CH_VILLE.designees[0], position }] });
      const { bytes, findings, path } = await fill(plan, answers, "413");
      expect(findings.map((f) => f.code)).toEqual(["PDF_TEXT_ANNEX"]);
      expect(findings[0]?.message).toContain("page 3");
      expect(pageCount(path)).toBe(3);
      const value = (await fieldValues(bytes)).get("administrateur.fonction");
      expect(value).toMatch(/^Responsable du service informatique.*… \(suite en annexe, p\. 3\)$/);
      const annex = flat(pdfText(path, 3));
      expect(annex).toContain("Annexe");
      expect(annex).toContain("« Fonction » (page 1)");
      expect(annex).toContain(position);
      expect(inkRatio(path, 3)).toBeGreaterThan(0.001);
      if (hasQpdf) expect(qpdfCheck(path).ok).toBe(true);
    },
  );
});

describe("modèle de l'utilisateur (--templates)", () => {
  it.skipIf(!hasQpdf)(
    "se remplit avec sa correspondance : texte, longueur maximale, cases, liste déroulante",
    async () => {
      const userDir = tempDir();
      const { pdf, mapping } = await userTemplate();
      writeFileSync(join(userDir, "formulaire-officiel-413.pdf"), pdf);
      writeFileSync(join(userDir, "413.mapping.json"), JSON.stringify(mapping));
      const userSet = await loadFormTemplates({ dir: userDir });
      const { plan, answers } = await planOf(CH_VILLE);
      const result = await fillPlanForm(
        userSet,
        form(plan, "413"),
        plan,
        answers,
        {
          flatten: false,
          metadata: METADATA,
        },
        LABELS,
      );
      // Its DA asks 51 pt for the multi-line field: shrunk, with an information.
      expect(result.findings.filter((f) => f.severity !== "info")).toEqual([]);
      const doc = await PDFDocument.load(result.bytes, { updateMetadata: false });
      const f = doc.getForm();
      expect(f.getTextField("Raison sociale").getText()).toBe("Centre hospitalier de Ville");
      expect(f.getTextField("FINESS").getText()).toBe("010003812");
      expect(f.getTextField("Domaine").getText()).toBe("*ch-ville.fr");
      expect(f.getTextField("Usage client").getText()).toBe(plan.certificates[0]?.usage);
      expect(f.getCheckBox("Offre ORG").isChecked()).toBe(true);
      expect(f.getDropdown("Qualité").getSelected()).toEqual(["représentant légal"]);
      expect(f.getRadioGroup("Entité signataire").getSelected()).toBe("EJ");
      expect(f.getTextField("Ville").getText()).toBe("01000 Bourg-en-Bresse");
      const path = write(userDir, "rempli.pdf", result.bytes);
      expect(qpdfCheck(path).ok).toBe(true);
      const flattened = await fillPlanForm(
        userSet,
        form(plan, "413"),
        plan,
        answers,
        {
          flatten: true,
          metadata: METADATA,
        },
        LABELS,
      );
      const flatPath = write(userDir, "aplati.pdf", flattened.bytes);
      expect(qpdfCheck(flatPath).ok).toBe(true);
      if (hasPoppler) {
        expect(pdfText(flatPath)).toContain("*ch-ville.fr");
        expect(pdfText(flatPath)).toContain("01000 Bourg-en-Bresse");
      }
      const flatDoc = await PDFDocument.load(flattened.bytes, { updateMetadata: false });
      expect(
        flatDoc
          .getForm()
          .getFields()
          .map((x) => x.getName()),
      ).toEqual(["Imprimer"]);
    },
  );
});
