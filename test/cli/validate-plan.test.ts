import { mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { baseAnswers, patch, ROOT } from "../helpers/answers.js";
import { run } from "../helpers/io.js";

let dir: string;
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "diapason-cli-"));
});

describe("diapason-dossier validate", () => {
  it("accepte l'exemple fourni (code 0)", async () => {
    const r = await run(["validate", "examples/ch-ville.yaml"], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("examples/ch-ville.yaml : réponses valides.\n");
    expect(r.stderr).toBe("");
  });

  it("liste toutes les erreurs en français, avec le champ, et sort en 1", async () => {
    const bad = file(
      "bad.yaml",
      YAML.stringify(
        patch(baseAnswers(), { establishment: { finessEJ: "010003813" }, gap: { domain: "*ch-ville.fr" } }),
      ),
    );
    const r = await run(["validate", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("2 erreurs à corriger");
    expect(r.stderr).toContain(
      "establishment.finessEJ : « Numéro FINESS de l'entité juridique (EJ) » : « 010003813 » n'est pas valide",
    );
    expect(r.stderr).toContain("gap.domain : ");
    expect(r.stdout).toBe("");
  });

  it("--json : une ligne par fichier, dans l'ordre", async () => {
    const bad = file("bad2.json", JSON.stringify(patch(baseAnswers(), { keyGeneration: "papier" })));
    const r = await run(["validate", "--json", join(ROOT, "examples/ch-ville.yaml"), bad]);
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ valid: true, errors: [] });
    expect(lines[1]).toMatchObject({
      file: bad,
      valid: false,
      errors: [{ path: "keyGeneration", code: "ENUM" }],
    });
  });
});

describe("diapason-dossier plan", () => {
  it("affiche le plan en texte français", async () => {
    const r = await run(["plan", "examples/ch-ville.yaml"], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("FORMULAIRES À REMPLIR (4)");
    expect(r.stdout).toContain(
      "Commande de certificats logiciels : habilitation d'un administrateur technique (formulaire n°413) — pour Élodie Lefèvre",
    );
    expect(r.stdout).toContain("Domaine d'habilitation (formulaire n°413) : *ch-ville.fr");
    expect(r.stdout).not.toContain("EXPLICATIONS");
  });

  it("--explain ajoute chaque règle évaluée avec sa citation", async () => {
    const r = await run(["plan", "--explain", "examples/ch-ville.yaml"], { cwd: ROOT });
    expect(r.stdout).toContain("EXPLICATIONS");
    expect(r.stdout).toMatch(/✔ s1\.carte-representant-legal-absente \(§1\)/);
    expect(r.stdout).toMatch(/· annexe2\.contrat-existant-signe-ej \(Annexe 2\)/);
    // Quotes as text: the procedure's emphasis marks are read, never printed.
    // rules/s3-commande.json: « Pour la demande **SSL_Serveur**, indiquer la valeur « **<nom de serveur>…** ». »
    expect(r.stdout).toContain(
      "« Pour la demande SSL_Serveur, indiquer la valeur « <nom de serveur>.<nom de domaine> ». »",
    );
    expect(r.stdout).not.toContain("**");
    expect(r.stdout).not.toMatch(/<https?:/);
    // Why each step waits: what it waits for, and the sentence (and interpretation) that makes it wait.
    expect(r.stdout).toContain(
      "✔ s2.etape-envoyer-413 (§1) — Élodie Lefèvre\n      L'étape 5 attend : la carte CPx d'Élodie Lefèvre.\n",
    );
    expect(r.stdout).toContain(
      "L'étape 5 attend : l'enregistrement du contrat de structure par l'ANS.\n      « Une fois les prérequis réunis, il est nécessaire d'habiliter votre administrateur technique",
    );
    // And the text plan says when each step can be done.
    expect(r.stdout).toContain("       Quand : Dès maintenant : rien à attendre.");
    expect(r.stdout).toContain("CE QUI EST ATTENDU");
  });

  it("--json : le plan, ou {file, errors}, une ligne par fichier dans l'ordre ; code 1 si l'un est invalide", async () => {
    const bad = file("bad3.yaml", "version: 1\n");
    const r = await run(["plan", "--json", bad, "examples/ch-ville.yaml"], { cwd: ROOT });
    expect(r.code).toBe(1);
    const [first, second] = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(first.file).toBe(bad);
    expect(first.errors.map((e: { path: string }) => e.path)).toContain("establishment");
    expect(second.planVersion).toBe(1);
    expect(second.forms.map((f: { id: string }) => f.id)).toEqual([
      "contrat-structure",
      "101",
      "301-1",
      "413-1",
    ]);
    expect(r.stderr).toContain("Il manque « Établissement de santé »");
  });

  it("explique pourquoi le formulaire n°101 est demandé", async () => {
    const r = await run(["plan", "--json", "examples/ch-ville.yaml"], { cwd: ROOT });
    const plan = JSON.parse(r.stdout);
    const why = plan.explanations.filter(
      (e: { decision: string; fired: boolean }) => e.decision === "form:101" && e.fired,
    );
    expect(why.map((e: { rule: string }) => e.rule)).toEqual([
      "s1.carte-representant-legal-sans-contrat",
      "s1.carte-representant-legal-absente",
    ]);
    expect(why[1].facts).toEqual({ legalRepresentativeHasActiveCard: false });
    expect(why[1].reference.section).toBe("§1");
  });
});

describe("fichiers de réponses défectueux : un message clair, jamais une trace de pile", () => {
  const cases: [string, () => string, RegExp][] = [
    ["fichier absent", () => join(dir, "absent.yaml"), /est introuvable/],
    ["dossier", () => dir, /est un dossier/],
    ["fichier vide", () => file("vide.yaml", ""), /est vide/],
    [
      "fichier de 50 Mo",
      () => {
        const p = file("gros.yaml", "");
        truncateSync(p, 50 * 1024 * 1024);
        return p;
      },
      /pèse 50,0 Mo/,
    ],
    [
      "fichier binaire",
      () => file("tableur.xlsx", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2])),
      /n'est pas un fichier texte/,
    ],
    [
      "encodage Windows-1252",
      () => file("latin1.yaml", Buffer.from("version: 1\nname: H\xf4pital\n", "latin1")),
      /pas encodé en UTF-8 \(ligne 2\)/,
    ],
    [
      "JSON mal formé",
      () => file("casse.json", '{"version": 1,, }'),
      /pas un JSON valide : caractère inattendu « , ».*ligne 1, colonne 15/,
    ],
    [
      "YAML mal indenté",
      () => file("casse.yaml", "version: 1\nestablishment:\n  name: a\n name: b\n"),
      /pas un YAML valide.*ligne \d+/,
    ],
    [
      "YAML avec un champ en double",
      () => file("double.yaml", "version: 1\nversion: 1\n"),
      /même champ est écrit deux fois/,
    ],
    ["une liste au lieu d'un objet", () => file("liste.yaml", "- a\n- b\n"), /pas une liste/],
    ["un texte seul", () => file("texte.yaml", "bonjour\n"), /pas la valeur « bonjour »/],
  ];
  for (const [name, make, message] of cases) {
    it(name, async () => {
      const r = await run(["validate", make()]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/at .*\.(ts|js):\d+|Error:/);
    });
  }

  it("un FINESS YAML non guillemeté garde son zéro initial", async () => {
    const text = YAML.stringify(baseAnswers())
      .replace(/"010003812"/, "010003812")
      .replace(/"010003820"/, "010003820");
    expect(text).toContain("finessEJ: 010003812");
    const r = await run(["validate", file("zero.yaml", text)]);
    expect(r.code).toBe(0);
  });

  it("caractères inattendus (emoji, espaces insécables, RTL) dans un nom : accepté ou refusé clairement", async () => {
    const odd = patch(baseAnswers(), { establishment: { name: "CH\u202fde\u00a0Ville 🏥 \u202eإدارة" } });
    const r = await run(["plan", "--json", file("odd.json", JSON.stringify(odd))]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).establishment.name).toBe("CH\u202fde\u00a0Ville 🏥 \u202eإدارة");
  });
});

describe("utilisation", () => {
  it("sans commande : l'aide sur la sortie d'erreur, code 2", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Indiquez une commande.");
    expect(r.stderr).toContain("Commandes :");
  });
  it("commande inconnue : code 2, message français", async () => {
    const r = await run(["valider", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Commande inconnue « valider »");
  });
  it("option inconnue : code 2", async () => {
    const r = await run(["plan", "--jsonn", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Option inconnue « --jsonn »");
  });
  it("argument manquant : code 2", async () => {
    const r = await run(["validate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Argument manquant");
  });
  it("--help d'une commande : code 0", async () => {
    const r = await run(["plan", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Utilisation : diapason-dossier plan");
    expect(r.stdout).toContain("--explain");
  });
});
