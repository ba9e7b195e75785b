import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { PDFCheckBox, PDFDocument, PDFSignature, PDFTextField } from "../../src/render/pdf-lib.js";
import { baseAnswers, patch, ROOT } from "../helpers/answers.js";
import { run } from "../helpers/io.js";
import {
  decodeQuotedPrintable,
  decodeWords,
  hasPoppler,
  inkRatio,
  parseEml,
  pdfText,
  QPDF,
  qpdfCheck,
  zipEntries,
} from "./tools.js";

const EXAMPLE = join(ROOT, "examples", "ch-ville.yaml");
const ENV = { SOURCE_DATE_EPOCH: "1741900000" }; // 13/03/2025 21:06:40 UTC
const USAGE_CLIENT =
  "Projet Diapason – usage authentification TLS mutuelle pour répondre au cas d’usage de l’authentification directe d’une personne morale (ES ou assimilé) vis-à-vis du PSP conformément aux spécifications du dispositif Diapason. Usage visé par l’équipe projet ASIP Santé N3";
const USAGE_SERVER =
  "Projet Diapason – usage authentification TLS mutuelle pour répondre au cas d’usage de l’authentification directe d’un serveur (GAP) vis-à-vis du TPE conformément aux spécifications du dispositif Diapason. Usage visé par l’équipe projet ASIP Santé N3";
const FORM_413 = "413-administrateur-technique-lefevre-elodie.pdf";
const EXPECTED_FILES = [
  "101-representant-legal-durand-marie.pdf",
  "301-administrateur-technique-lefevre-elodie.pdf",
  FORM_413,
  "contrat-de-structure.pdf",
  "courriel-413.eml",
  "empreinte.json",
  "feuille-de-route.pdf",
  "plan.json",
  "reponses.json",
];

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "dossier-generate-"));
}

function read(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

async function fieldValues(
  bytes: Uint8Array,
): Promise<{ texts: string[]; checked: number; editable: number }> {
  const form = (await PDFDocument.load(bytes)).getForm();
  const fields = form.getFields();
  return {
    texts: fields.filter((f) => f instanceof PDFTextField).map((f) => (f as PDFTextField).getText() ?? ""),
    checked: fields.filter((f) => f instanceof PDFCheckBox && f.isChecked()).length,
    // Signature fields stay, for an electronic signature.
    editable: fields.filter((f) => !(f instanceof PDFSignature)).length,
  };
}

describe("generate: the example dossier", () => {
  let dir: string;
  let out: string;
  let files: Map<string, Buffer>;
  let stdout: string;

  beforeAll(async () => {
    dir = tempDir();
    out = join(dir, "dossier");
    const result = await run(["generate", EXAMPLE, "-o", out], { env: ENV });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    stdout = result.stdout;
    files = read(out);
  });

  it("writes every file, and says what to do next", () => {
    expect([...files.keys()].sort()).toEqual(EXPECTED_FILES);
    expect(readdirSync(dir)).toEqual(["dossier"]);
    expect(stdout).toContain("Dossier écrit");
    expect(stdout).toContain("feuille-de-route.pdf");
    // What to do first and what to wait for: the contract now, the cards and the e-mails later.
    expect(stdout).toContain(
      "Dès maintenant :\n  – étape 1, Marie Durand, représentant légal : Signer le contrat",
    );
    expect(stdout).toContain("Puis attendre, avant les étapes suivantes :");
    expect(stdout).toContain(
      "  – la carte CPx d'Élodie Lefèvre (à recevoir par Élodie Lefèvre ; étapes qui l'attendent : 4, 5, 7)",
    );
  });

  it.skipIf(!hasPoppler)("route sheet: the waiting points before the n°413 and before the order", () => {
    const text = pdfText(join(out, "feuille-de-route.pdf")).replace(/\s+/g, " ");
    expect(text).toContain("Ce qui se fait maintenant, ce qui attend");
    expect(text).toContain("En attente : la carte CPx d'Élodie Lefèvre.");
    expect(text).toContain("En attente : l'enregistrement du contrat de structure par l'ANS.");
    const at = (s: string) => {
      const i = text.indexOf(s);
      expect(i, s).toBeGreaterThan(-1);
      return i;
    };
    // The n°413's « Quand » names what it waits for, before its action.
    const step413 = at("Signer le formulaire n°413 pour Élodie Lefèvre");
    const when413 = text.lastIndexOf("Quand", step413);
    expect(text.slice(when413, step413)).toContain(
      "à réception de : l'enregistrement du contrat de structure par l'ANS ; la carte CDE (ou CPS responsable) de Marie Durand, représentant légal ; la carte CPx d'Élodie Lefèvre.",
    );
    const order = at("Commander sur la plateforme IGC-Santé (PFCNG)");
    expect(text.slice(text.lastIndexOf("Quand", order), order)).toContain(
      "à réception de : le courriel de l'ANS confirmant l'habilitation d'Élodie Lefèvre",
    );
    expect(text).not.toContain("s'obtiennent auprès d'Ingenico");
    expect(text).toContain("Ne l'envoyez pas tout de suite : il part à l'étape 5");
  });

  it("fills form n°413 with the exact wording, the offers and the *<domain> field", async () => {
    const values = await fieldValues(files.get(FORM_413) ?? Buffer.alloc(0));
    expect(values.texts).toContain(USAGE_CLIENT);
    expect(values.texts).toContain(USAGE_SERVER);
    expect(values.texts).toContain("*ch-ville.fr");
    expect(values.texts.filter((t) => t.startsWith("*"))).toEqual(["*ch-ville.fr"]);
    expect(values.texts.join(" ")).toContain("Lefèvre");
    expect(values.checked).toBeGreaterThanOrEqual(2);
  });

  it("fills every form with the establishment", async () => {
    for (const [name, bytes] of files) {
      if (!name.endsWith(".pdf") || name === "feuille-de-route.pdf") continue;
      const values = await fieldValues(bytes);
      expect(values.texts.join(" "), name).toMatch(/010003812|Centre hospitalier de Ville/);
    }
  });

  it("records the versions and the answers' hash in every PDF", async () => {
    const hash = JSON.parse(files.get("plan.json")?.toString() ?? "{}").generator.rulesVersion as string;
    for (const [name, bytes] of files) {
      if (!name.endsWith(".pdf")) continue;
      const doc = await PDFDocument.load(bytes, { updateMetadata: false });
      const trace = `${doc.getKeywords() ?? ""} ${doc.getProducer() ?? ""} ${doc.getCreator() ?? ""} ${doc.getSubject() ?? ""}`;
      expect(trace, name).toContain("0.1.0");
      expect(trace, name).toContain(hash);
      expect(trace, name).toMatch(/sha256:[0-9a-f]{64}/);
      expect(doc.getCreationDate()?.toISOString(), name).toBe("2025-03-13T21:06:40.000Z");
    }
  });

  it.skipIf(!hasPoppler)(
    "no raw markup in any PDF: the route sheet shows the procedure's quotes as text",
    () => {
      const text = pdfText(join(out, "feuille-de-route.pdf"));
      expect(text).toContain(
        "du type *<nom de domaine> (ne pas mentionner de sous-domaine ou de nom de serveur)",
      );
      expect(text).toContain("une validité de 3 ans");
      expect(text).not.toContain("**");
      expect(text).not.toMatch(/<https?:/);
      // Every asterisk is a wildcard: the quote's *<nom de domaine> or the domain *ch-ville.fr.
      expect(text.replace(/\*(<nom de domaine>|ch-ville\.fr)/g, "")).not.toContain("*");
      for (const name of files.keys()) {
        if (!name.endsWith(".pdf")) continue;
        const pdf = pdfText(join(out, name));
        expect(pdf.replace(/\*(<nom de domaine>|ch-ville\.fr)/g, ""), name).not.toMatch(/\*|<https?:/);
      }
    },
  );

  it.skipIf(!hasPoppler)("route sheet: steps in order, parameters, references, dates", () => {
    const text = pdfText(join(out, "feuille-de-route.pdf"));
    const steps = [...text.matchAll(/Étape (\d+) —/g)].map((m) => Number(m[1]));
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
    expect(steps.length).toBeGreaterThanOrEqual(15);
    for (const expected of [
      "Centre hospitalier de Ville",
      "FQDN à saisir dans les TPE gap01.ch-ville.fr",
      "*ch-ville.fr",
      "Client_Diapason_PSP",
      "ACI-EL-ORG",
      "ACR-EL",
      "IngeTrust",
      "GeoTrust",
      "monserviceclient.certificats@asipsante.fr",
      "§2, Étape 4.1",
      "Annexe 2",
      "Etat de révocation (obligatoire)",
      "Si les certificats sont générés le 13/03/2025",
      "13/03/2028",
      "13/02/2028",
      "Information : Vous n'avez pas indiqué qui signera le contrat de structure",
      FORM_413,
      "page 1 sur",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text.indexOf("Prérequis (§1)")).toBeLessThan(
      text.indexOf("Habilitation des administrateurs techniques"),
    );
  });

  it.skipIf(!hasPoppler)("renders every page of every PDF with ink on it", async () => {
    for (const [name, bytes] of files) {
      if (!name.endsWith(".pdf")) continue;
      const pages = (await PDFDocument.load(bytes)).getPageCount();
      for (let page = 1; page <= pages; page++) {
        expect(inkRatio(join(out, name), page), `${name} p.${page}`).toBeGreaterThan(0.003);
      }
    }
  });

  it.skipIf(!QPDF)("passes qpdf --check", () => {
    for (const name of files.keys()) {
      if (!name.endsWith(".pdf")) continue;
      const check = qpdfCheck(join(out, name));
      expect(check.ok, `${name}: ${check.output}`).toBe(true);
    }
  });

  it("writes the e-mail n°413 with the signed form attached", () => {
    const eml = parseEml(files.get("courriel-413.eml") ?? Buffer.alloc(0));
    expect(eml.headers.get("to")).toBe("monserviceclient.certificats@asipsante.fr");
    expect(eml.headers.get("from")).toBe("Marie Durand <direction@ch-ville.fr>");
    expect(eml.headers.get("reply-to")).toBe("Marie Durand <direction@ch-ville.fr>");
    expect(eml.headers.get("date")).toBe("Thu, 13 Mar 2025 21:06:40 +0000");
    expect(eml.headers.get("message-id")).toMatch(/^<diapason-413\.[0-9a-f]{32}@ch-ville\.fr>$/);
    expect(decodeWords(eml.headers.get("subject") ?? "")).toBe(
      "Formulaire n°413 – habilitation Diapason – Centre hospitalier de Ville (FINESS 010003812)",
    );
    const [body, attachment, extra] = eml.parts;
    expect(extra).toBeUndefined();
    const text = decodeQuotedPrintable(body?.body ?? "");
    expect(text).toContain("Élodie Lefèvre");
    expect(text).toContain("« *ch-ville.fr »");
    expect(attachment?.headers.get("content-disposition")).toContain(FORM_413);
    const decoded = Buffer.from((attachment?.body ?? "").replace(/\s+/g, ""), "base64");
    expect(decoded.equals(files.get(FORM_413) ?? Buffer.alloc(1))).toBe(true);
  });

  it("writes the plan and the normalized answers, keys sorted", () => {
    const plan = JSON.parse(files.get("plan.json")?.toString() ?? "{}");
    expect(plan.gap.habilitationDomain).toBe("*ch-ville.fr");
    const answers = files.get("reponses.json")?.toString() ?? "";
    expect(answers).toContain('"form413SignedBy": "legalRepresentative"');
    expect(Object.keys(JSON.parse(answers))).toEqual([...Object.keys(JSON.parse(answers))].sort());
  });

  it("gives the same bytes on a second run, and replaces the dossier only with --force", async () => {
    const refused = await run(["generate", EXAMPLE, "-o", out], { env: ENV });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("existe déjà");
    expect(refused.stderr).toContain("--force");
    const forced = await run(["generate", EXAMPLE, "-o", out, "--force"], { env: ENV });
    expect(forced.code).toBe(0);
    const again = read(out);
    for (const [name, bytes] of files) expect(again.get(name)?.equals(bytes), name).toBe(true);
    expect(readdirSync(dir)).toEqual(["dossier"]);
  });

  it("writes one deterministic archive with --zip", async () => {
    const a = await run(["generate", EXAMPLE, "-o", join(dir, "a"), "--zip"], { env: ENV });
    const b = await run(["generate", EXAMPLE, "-o", join(dir, "b.zip"), "--zip"], { env: ENV });
    expect([a.code, b.code]).toEqual([0, 0]);
    const zipA = readFileSync(join(dir, "a.zip"));
    expect(zipA.equals(readFileSync(join(dir, "b.zip")))).toBe(true);
    expect(zipEntries(zipA)).toEqual(EXPECTED_FILES);
  });

  it("makes fields non-editable with --flatten", async () => {
    const flat = join(dir, "plat");
    expect((await run(["generate", EXAMPLE, "-o", flat, "--flatten"], { env: ENV })).code).toBe(0);
    const values = await fieldValues(readFileSync(join(flat, FORM_413)));
    expect(values.editable).toBe(0);
    const before = await fieldValues(files.get(FORM_413) ?? Buffer.alloc(0));
    expect(before.editable).toBeGreaterThan(10);
    if (hasPoppler) expect(pdfText(join(flat, FORM_413))).toContain("*ch-ville.fr");
  });
});

describe("generate: safety", () => {
  it("writes nothing and prints validate's errors for invalid answers", async () => {
    const dir = tempDir();
    const bad = join(dir, "faux.yaml");
    const answers = YAML.parse(readFileSync(EXAMPLE, "utf8"));
    answers.establishment.finessEJ = "010003813";
    writeFileSync(bad, YAML.stringify(answers));
    const result = await run(["generate", bad, "-o", join(dir, "dossier")], { env: ENV });
    const validate = await run(["validate", bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(validate.stderr);
    expect(result.stderr).toContain("establishment.finessEJ");
    expect(readdirSync(dir)).toEqual(["faux.yaml"]);
  });

  it("keeps names from user text inside the output folder", async () => {
    const dir = tempDir();
    const hostile = join(dir, "hostile.yaml");
    const answers = YAML.parse(readFileSync(EXAMPLE, "utf8"));
    answers.designees[0].lastName = "../../etc";
    answers.designees[0].firstName = "/passwd";
    answers.legalRepresentative.lastName = "..";
    writeFileSync(hostile, YAML.stringify(answers));
    const result = await run(["generate", hostile, "-o", join(dir, "dossier")], { env: ENV });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["dossier", "hostile.yaml"]);
    const names = readdirSync(join(dir, "dossier"));
    expect(names).toContain("413-administrateur-technique-etc-passwd.pdf");
    expect(names).toContain("101-representant-legal-marie.pdf");
    for (const name of names) expect(name).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
  });

  it("leaves no partial dossier when interrupted at any point", async () => {
    const dir = tempDir();
    const outcomes: number[] = [];
    for (let checks = 0; checks < 20; checks++) {
      const controller = new AbortController();
      let seen = 0;
      // A signal that fires at its n-th consultation: every point where the command may stop.
      const signal = new Proxy(controller.signal, {
        get(target, prop) {
          if (prop === "aborted") return ++seen > checks;
          if (prop === "throwIfAborted") {
            return () => {
              if (++seen > checks) throw new DOMException("interrompu", "AbortError");
            };
          }
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const result = await run(["generate", EXAMPLE, "-o", join(dir, `d${checks}`)], { env: ENV, signal });
      outcomes.push(result.code);
      if (result.code === 0) {
        expect(readdirSync(join(dir, `d${checks}`))).toHaveLength(EXPECTED_FILES.length);
        continue;
      }
      expect(result.code).toBe(130);
      expect(result.stderr).toContain("Interrompu");
      expect(readdirSync(dir).filter((n) => n !== `d${checks}` && n.startsWith(`d${checks}`))).toEqual([]);
      expect(readdirSync(dir)).not.toContain(`d${checks}`);
    }
    expect(readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
    // Stopped during the build and during the writing, and completed once the signal stays quiet.
    expect(outcomes.filter((c) => c === 130).length).toBeGreaterThan(10);
    expect(outcomes.at(-1)).toBe(0);
  });

  it.skipIf(!hasPoppler)(
    "keeps the route sheet searchable after forms with names outside WinAnsi",
    async () => {
      const dir = tempDir();
      const file = join(dir, "unicode.yaml");
      const answers = YAML.parse(readFileSync(EXAMPLE, "utf8"));
      answers.designees[0].firstName = "Łukasz";
      answers.designees[0].lastName = "Nguyễn";
      answers.designees[0].vendor = "Vũ Soft";
      writeFileSync(file, YAML.stringify(answers));
      const result = await run(["generate", file, "-o", join(dir, "dossier")], { env: ENV });
      expect(result.code).toBe(0);
      // The forms (filled first) embed DejaVu Sans too: the route sheet's text must not suffer from it.
      const text = pdfText(join(dir, "dossier", "feuille-de-route.pdf"));
      expect(text).toContain(
        "Łukasz Nguyễn est administrateur technique pour le compte de l'éditeur Vũ Soft",
      );
      expect(pdfText(join(dir, "dossier", "413-administrateur-technique-nguyen-lukasz.pdf"))).toContain(
        "Nguyễn",
      );
    },
  );

  it("--force keeps a user's own files: a folder with plan.json and devis.pdf is refused, untouched (issue 15)", async () => {
    const dir = tempDir();
    const u = join(dir, "u");
    mkdirSync(u);
    writeFileSync(join(u, "plan.json"), "{}\n");
    writeFileSync(join(u, "devis.pdf"), "x\n");
    const result = await run(["generate", EXAMPLE, "-o", u, "--force"], { env: ENV });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("empreinte.json");
    expect(result.stderr).toContain("même avec --force");
    expect(result.stderr).not.toMatch(/\bat\b.*\.ts:/);
    expect(readdirSync(u).sort()).toEqual(["devis.pdf", "plan.json"]);
    expect(readFileSync(join(u, "devis.pdf"), "utf8")).toBe("x\n");
    expect(readdirSync(dir)).toEqual(["u"]);
  });

  it("--force replaces its own dossier but not one where the user put a file, and names it", async () => {
    const dir = tempDir();
    const out = join(dir, "dossier");
    expect((await run(["generate", EXAMPLE, "-o", out], { env: ENV })).code).toBe(0);
    expect((await run(["generate", EXAMPLE, "-o", out, "--force"], { env: ENV })).code).toBe(0);
    writeFileSync(join(out, "devis.pdf"), "x\n");
    const result = await run(["generate", EXAMPLE, "-o", out, "--force"], { env: ENV });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("« devis.pdf »");
    expect(readFileSync(join(out, "devis.pdf"), "utf8")).toBe("x\n");
    expect(readdirSync(out)).toHaveLength(EXPECTED_FILES.length + 1);
  });

  it("--zip --force replaces its own archive, never another one", async () => {
    const dir = tempDir();
    const zip = join(dir, "dossier.zip");
    expect((await run(["generate", EXAMPLE, "-o", zip, "--zip"], { env: ENV })).code).toBe(0);
    expect((await run(["generate", EXAMPLE, "-o", zip, "--zip", "--force"], { env: ENV })).code).toBe(0);
    const other = join(dir, "autre.zip");
    writeFileSync(other, "PK pas le nôtre");
    const result = await run(["generate", EXAMPLE, "-o", other, "--zip", "--force"], { env: ENV });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ne porte pas la marque de diapason-dossier");
    expect(readFileSync(other, "utf8")).toBe("PK pas le nôtre");
  });

  it("refuses a bad --date or SOURCE_DATE_EPOCH, and a missing -o", async () => {
    const dir = tempDir();
    const date = await run(["generate", EXAMPLE, "-o", join(dir, "d"), "--date", "31/12/2025"]);
    expect(date.code).toBe(2);
    expect(date.stderr).toContain("AAAA-MM-JJ");
    const epoch = await run(["generate", EXAMPLE, "-o", join(dir, "d")], {
      env: { SOURCE_DATE_EPOCH: "demain" },
    });
    expect(epoch.code).toBe(2);
    expect(epoch.stderr).toContain("SOURCE_DATE_EPOCH");
    expect((await run(["generate", EXAMPLE])).code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("generate: the GHT, read by no rule", () => {
  it("changes no form and no plan; the route sheet shows it", async () => {
    const dir = tempDir();
    const example = YAML.parse(readFileSync(EXAMPLE, "utf8"));
    expect(example.establishment.ght).toBe("GHT Bresse Haut-Bugey");
    const { ght: _ght, ...bare } = example.establishment;
    writeFileSync(join(dir, "avec.json"), JSON.stringify(example));
    writeFileSync(join(dir, "sans.json"), JSON.stringify({ ...example, establishment: bare }));
    for (const name of ["avec", "sans"]) {
      const result = await run(["generate", `${name}.json`, "-o", name], { cwd: dir, env: ENV });
      expect(result.code, result.stderr).toBe(0);
    }
    const withGht = read(join(dir, "avec"));
    const without = read(join(dir, "sans"));
    expect([...withGht.keys()]).toEqual([...without.keys()]);
    expect(withGht.get("plan.json")?.toString()).toBe(without.get("plan.json")?.toString());
    for (const [name, bytes] of withGht) {
      if (!name.endsWith(".pdf") || name === "feuille-de-route.pdf") continue;
      expect(await fieldValues(bytes), name).toEqual(await fieldValues(without.get(name) as Buffer));
    }
    if (hasPoppler) {
      const text = (d: string) => pdfText(join(dir, d, "feuille-de-route.pdf")).replace(/\s+/g, " ");
      expect(text("avec")).toContain("Groupement hospitalier de territoire GHT Bresse Haut-Bugey");
      expect(text("sans")).not.toContain("Groupement hospitalier de territoire");
    }
  });
});

describe("generate: a contract signed at an EG other than the GAP's", () => {
  it("carries the FINESS of the EG under contract on every form and on the route sheet", async () => {
    const dir = tempDir();
    const answers = patch(baseAnswers(), {
      contract: { exists: true, signedAt: "EG", finessEG: "010000016" },
    });
    writeFileSync(join(dir, "reponses.json"), JSON.stringify(answers));
    const result = await run(["generate", "reponses.json", "-o", "dossier"], { cwd: dir, env: ENV });
    expect(result.code, result.stderr).toBe(0);
    const files = read(join(dir, "dossier"));
    const forms = [...files.keys()].filter((n) => n.endsWith(".pdf") && n !== "feuille-de-route.pdf");
    expect(forms.length).toBeGreaterThan(0);
    for (const name of forms) {
      const form = (await PDFDocument.load(files.get(name) as Buffer)).getForm();
      // The structure field of each form (templates/forms/*.mapping.json): the n°413's « rattachement », the
      // card and designation requests' structure.
      const field = name.startsWith("413-") ? "etablissement.finess_rattachement" : "structure.finess";
      expect(form.getTextField(field).getText(), name).toBe("010000016");
    }
    if (hasPoppler) {
      const text = pdfText(join(dir, "dossier", "feuille-de-route.pdf")).replace(/\s+/g, " ");
      expect(text).toContain("Présenté à l'extérieur entité géographique (EG), FINESS 010000016");
    }
  });
});
