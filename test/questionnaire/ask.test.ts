import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { loadAnswersValidator, loadPlanner } from "../../src/assets/load.js";
import { createQuestionnaireCommand, generateFromAnswers } from "../../src/cli/commands/questionnaire.js";
import { askAnswers, loadQuestionnaire } from "../../src/questionnaire/index.js";
import { fakeIo, run } from "../helpers/io.js";
import { type Step, scriptedPrompter } from "./scripted-prompter.js";

const { model, texts } = loadQuestionnaire();
const validator = loadAnswersValidator();

function establishment(ght = ""): Step[] {
  return [
    { ask: "Raison sociale", answer: "Centre hospitalier de Ville" },
    { ask: "FINESS de l'entité juridique", answer: "010003812" },
    { ask: "FINESS de l'entité géographique", answer: "010003820" },
    { ask: "Nombre d'entités géographiques", answer: "3" },
    { ask: "Adresse postale", answer: false },
    { ask: "Groupement hospitalier de territoire (GHT) (facultatif)", answer: ght },
  ];
}

function legalRepresentative(hasCard: boolean): Step[] {
  return [
    { ask: "Prénom", answer: "Marie" },
    { ask: "Nom", answer: "Durand" },
    { ask: "Adresse électronique", answer: "direction@ch-ville.fr" },
    { ask: "Téléphone", answer: "" },
    { ask: "carte CDE ou CPS responsable", answer: hasCard },
    { ask: "Fonction du représentant légal", answer: "" },
  ];
}

function person(first: string, last: string, email: string): Step[] {
  return [
    { ask: "Prénom", answer: first },
    { ask: "Nom", answer: last },
    { ask: "Adresse électronique", answer: email },
    { ask: "Téléphone", answer: "" },
  ];
}

function gapAndKeys(fqdn = "gap01.ch-ville.fr"): Step[] {
  return [
    { ask: "FQDN", answer: fqdn },
    { ask: "Nom de domaine le plus large", answer: "ch-ville.fr" },
    { ask: "bi-clé", answer: "online" },
    { ask: "formulaire n°413", answer: null },
  ];
}

/** Path 1: no contract, a mandataire without card (form n°301 then n°502). */
function noContractMandatary(): Step[] {
  return [
    ...establishment(),
    { ask: "déjà un contrat de structure", answer: false },
    { ask: "Qui signera le nouveau contrat", answer: "EJ" },
    ...legalRepresentative(false),
    ...person("Paul", "Martin", "paul.martin@ch-ville.fr"),
    { ask: "Rôle de la personne désignée", answer: "mandatary" },
    { ask: "carte CPx nominative et active", answer: false },
    { ask: "Comment demander sa carte", answer: "form301" },
    { ask: "Fonction", answer: "" },
    { ask: "déjà été désigné lors d'une demande antérieure", answer: null },
    { ask: "Ajouter une autre personne", answer: false },
    ...gapAndKeys(),
  ];
}

/** Path 2: contract signed at the EG, a technical administrator habilitated on a subdomain only. */
function contractAtEgRestricted(): Step[] {
  return [
    ...establishment(),
    { ask: "déjà un contrat de structure", answer: true },
    { ask: "À quelle entité le contrat existant est-il signé", answer: "EG" },
    { ask: "FINESS de l'EG sous contrat", answer: "" },
    ...legalRepresentative(true),
    ...person("Élodie", "Lefèvre", "elodie.lefevre@ch-ville.fr"),
    { ask: "Rôle de la personne désignée", answer: "technicalAdministrator" },
    { ask: "carte CPx nominative et active", answer: true },
    { ask: "Éditeur employant", answer: "" },
    { ask: "Fonction", answer: "" },
    { ask: "Habilitations déjà obtenues", answer: true },
    { ask: "ORG (personne morale) usage AUTH_CLI", answer: true },
    { ask: "SERVEUR usage SSL_serveur", answer: "restricted" },
    { ask: "Ajouter une autre personne", answer: false },
    ...gapAndKeys(),
  ];
}

describe("terminal questionnaire: only the questions that matter", () => {
  it("no contract, mandataire without card: signatory asked, signedAt, vendor and habilitation not", async () => {
    const { prompter, transcript, remaining } = scriptedPrompter(noContractMandatary());
    const { result, draft } = await askAnswers({ model, validator, prompter, texts });
    expect(remaining()).toEqual([]);
    expect(result.ok).toBe(true);
    const asked = transcript.asked.join("\n");
    expect(asked).toContain("Qui signera le nouveau contrat");
    expect(asked).not.toContain("À quelle entité le contrat existant");
    expect(asked).not.toContain("Éditeur");
    expect(asked).not.toContain("Habilitations");
    expect(draft).toMatchObject({
      version: 1,
      contract: { exists: false, signatory: "EJ" },
      designees: [{ role: "mandatary", hasActiveCard: false, cardRequest: "form301" }],
    });
    expect(draft.form413SignedBy).toBeUndefined();
    // A mandataire is designated: he may sign the form n°413.
    expect(transcript.options.get("Qui signe le formulaire n°413 ? (facultatif)")).toEqual([
      "Le représentant légal",
      "Le mandataire désigné",
      "Sans réponse (valeur par défaut)",
    ]);
    if (!result.ok) return;
    const plan = await loadPlanner().plan(result.answers, result.warnings);
    expect(plan.forms.map((f) => f.form)).toEqual(["contrat-structure", "101", "301", "502"]);
  });

  it("contract at EG, technical administrator habilitated on a subdomain: 413 to widen it", async () => {
    const { prompter, transcript, remaining } = scriptedPrompter(contractAtEgRestricted());
    const { result, draft } = await askAnswers({ model, validator, prompter, texts });
    expect(remaining()).toEqual([]);
    expect(result.ok).toBe(true);
    const asked = transcript.asked.join("\n");
    expect(asked).not.toContain("Qui signera le nouveau contrat");
    expect(asked).not.toContain("Comment demander sa carte");
    // No mandataire: « Le mandataire désigné » is not offered.
    expect(transcript.options.get("Qui signe le formulaire n°413 ? (facultatif)")).toEqual([
      "Le représentant légal",
      "Sans réponse (valeur par défaut)",
    ]);
    expect(draft).toMatchObject({
      contract: { exists: true, signedAt: "EG" },
      designees: [{ habilitation: { orgAuthCli: true, sslServer: "restricted" } }],
    });
    expect(transcript.options.get("Rôle de la personne désignée")).toEqual([
      "Administrateur technique",
      "Mandataire",
    ]);
    if (!result.ok) return;
    const plan = await loadPlanner().plan(result.answers, result.warnings);
    expect(plan.forms.map((f) => f.form)).toEqual(["413"]);
    expect(plan.forms[0]?.offers).toEqual(["SSL_SERVEUR"]);
  });

  it("refuses a wrong answer with the validator's French message and asks it again", async () => {
    const script = noContractMandatary();
    script.splice(1, 0, { ask: "FINESS de l'entité juridique", answer: "010003813" });
    script.splice(4, 0, { ask: "Nombre d'entités géographiques", answer: "trois" });
    const { prompter, transcript } = scriptedPrompter(script);
    const { result } = await askAnswers({ model, validator, prompter, texts });
    expect(result.ok).toBe(true);
    expect(transcript.rejected.map((r) => r.typed)).toEqual(["010003813", "trois"]);
    expect(transcript.rejected[0]?.message).toContain("la clé de contrôle");
    expect(transcript.rejected[1]?.message).toContain("attend un nombre entier");
    // The same message as the validate command gives for the same value.
    const direct = validator.validate({ establishment: { finessEJ: "010003813" } });
    const finessError = direct.ok
      ? undefined
      : direct.errors.find((e) => e.path === "establishment.finessEJ");
    expect(transcript.rejected[0]?.message).toBe(finessError?.message);
  });

  it("asks the GHT under its French title, refuses a malformed one, keeps it trimmed and decides nothing with it", async () => {
    const script = noContractMandatary();
    const at = script.findIndex((s) => s.ask.startsWith("Groupement hospitalier de territoire"));
    script.splice(
      at,
      1,
      { ask: "Groupement hospitalier de territoire (GHT) (facultatif)", answer: "GHT <Cœur>" },
      { ask: "Groupement hospitalier de territoire (GHT) (facultatif)", answer: "  GHT Cœur  Grand Est " },
    );
    const { prompter, transcript, remaining } = scriptedPrompter(script);
    const { result } = await askAnswers({ model, validator, prompter, texts });
    expect(remaining()).toEqual([]);
    expect(transcript.rejected.map((r) => r.typed)).toEqual(["GHT <Cœur>"]);
    expect(transcript.rejected[0]?.message).toContain("Le nom du GHT commence par une lettre");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.answers.establishment.ght).toBe("GHT Cœur Grand Est");
    const { ght: _ght, ...bare } = result.answers.establishment;
    const without = validator.validate({ ...result.answers, establishment: bare });
    if (!without.ok) throw new Error("answers without GHT");
    const planner = loadPlanner();
    const [withGht, withoutGht] = await Promise.all([
      planner.plan(result.answers, result.warnings),
      planner.plan(without.answers, without.warnings),
    ]);
    expect(withGht).toEqual(withoutGht);
  });

  it("asks again, at the end, an answer the whole answers reject (server outside the domain)", async () => {
    const script = noContractMandatary();
    const at = script.findIndex((s) => s.ask === "FQDN");
    script[at] = { ask: "FQDN", answer: "gap01.autre.fr" };
    script.push({ ask: "FQDN", answer: "gap01.ch-ville.fr" });
    const { prompter, transcript, remaining } = scriptedPrompter(script);
    const { result } = await askAnswers({ model, validator, prompter, texts });
    expect(remaining()).toEqual([]);
    expect(result.ok).toBe(true);
    expect(transcript.said.join("\n")).toContain("n'appartient pas au domaine « ch-ville.fr »");
  });

  it("adds and asks a second designee when asked to", async () => {
    const script = noContractMandatary();
    const at = script.findIndex((s) => s.ask === "Ajouter une autre personne");
    script.splice(
      at,
      1,
      { ask: "Ajouter une autre personne", answer: true },
      ...person("Élodie", "Lefèvre", "elodie.lefevre@ch-ville.fr"),
      { ask: "Rôle de la personne désignée", answer: "technicalAdministrator" },
      { ask: "carte CPx nominative et active", answer: true },
      { ask: "Éditeur employant", answer: "Éditeur SIH" },
      { ask: "Fonction", answer: "" },
      { ask: "Habilitations déjà obtenues", answer: false },
      { ask: "Ajouter une autre personne", answer: false },
    );
    const { prompter } = scriptedPrompter(script);
    const { result, draft } = await askAnswers({ model, validator, prompter, texts });
    expect(result.ok).toBe(true);
    expect(draft.designees).toHaveLength(2);
    expect(draft).toMatchObject({
      designees: [{ role: "mandatary" }, { role: "technicalAdministrator", vendor: "Éditeur SIH" }],
    });
  });
});

describe("questionnaire command", () => {
  function command(script: Step[]) {
    const scripted = scriptedPrompter(script);
    return { cmd: createQuestionnaireCommand({ createPrompter: () => scripted.prompter }), ...scripted };
  }

  it("writes the answers as YAML that validates, with FINESS kept as text, and no temporary file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "questionnaire-"));
    const { cmd } = command(noContractMandatary());
    const io = fakeIo({ cwd: dir });
    const code = await cmd.run({ values: { output: "ch-ville.yaml" }, positionals: [], io });
    expect(code).toBe(0);
    expect(io.out()).toContain("Réponses enregistrées dans ch-ville.yaml");
    expect(readdirSync(dir)).toEqual(["ch-ville.yaml"]);
    const text = readFileSync(join(dir, "ch-ville.yaml"), "utf8");
    expect(text).toMatch(/^# Réponses au questionnaire diapason-dossier/);
    expect(text).toContain('finessEJ: "010003812"');
    const checked = await run(["validate", "ch-ville.yaml"], { cwd: dir });
    expect(checked.code).toBe(0);
  });

  it("generates the dossier with --generate, as the generate command does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "questionnaire-"));
    const scripted = scriptedPrompter(contractAtEgRestricted());
    const cmd = createQuestionnaireCommand({
      createPrompter: () => scripted.prompter,
      generate: generateFromAnswers,
    });
    const io = fakeIo({ cwd: dir, env: { SOURCE_DATE_EPOCH: "1741900000" } });
    const code = await cmd.run({ values: { generate: "dossier" }, positionals: [], io });
    expect(code, io.err()).toBe(0);
    expect(io.out()).toContain("Génération du dossier dans dossier");
    const files = readdirSync(join(dir, "dossier"));
    expect(files).toEqual(
      expect.arrayContaining(["413-administrateur-technique-lefevre-elodie.pdf", "feuille-de-route.pdf"]),
    );
    expect(readdirSync(dir).sort()).toEqual(["dossier", "reponses.yaml"]);
  });

  it("without a dossier builder, keeps the answers and says how to generate later", async () => {
    const dir = mkdtempSync(join(tmpdir(), "questionnaire-"));
    const { cmd } = command(contractAtEgRestricted());
    const io = fakeIo({ cwd: dir });
    expect(await cmd.run({ values: { generate: "dossier" }, positionals: [], io })).toBe(1);
    expect(io.err()).toContain("commande generate");
    expect(readdirSync(dir)).toEqual(["reponses.yaml"]);
  });

  it("Ctrl-C leaves no file, and an existing file untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "questionnaire-"));
    const { cmd } = command([
      ...establishment().slice(0, 2),
      { ask: "FINESS de l'entité géographique", interrupt: true },
    ]);
    const io = fakeIo({ cwd: dir });
    expect(await cmd.run({ values: {}, positionals: [], io })).toBe(130);
    expect(io.err()).toContain("aucun fichier n'a été écrit");
    expect(readdirSync(dir)).toEqual([]);

    const existing = "version: 1\nestablishment:\n  name: Ancien\n";
    writeFileSync(join(dir, "reponses.yaml"), existing);
    const again = command([{ ask: "Raison sociale", interrupt: true }]);
    expect(await again.cmd.run({ values: {}, positionals: [], io: fakeIo({ cwd: dir }) })).toBe(130);
    expect(readFileSync(join(dir, "reponses.yaml"), "utf8")).toBe(existing);
    expect(readdirSync(dir)).toEqual(["reponses.yaml"]);
  });

  it("stops at the abort signal (Ctrl-C outside a prompt) without writing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "questionnaire-"));
    const controller = new AbortController();
    const scripted = scriptedPrompter(noContractMandatary());
    const ask = scripted.prompter.select.bind(scripted.prompter);
    scripted.prompter.select = async (q) => {
      if (q.message.includes("formulaire n°413")) controller.abort();
      return ask(q);
    };
    const cmd = createQuestionnaireCommand({ createPrompter: () => scripted.prompter });
    const code = await cmd.run({
      values: {},
      positionals: [],
      io: fakeIo({ cwd: dir, signal: controller.signal }),
    });
    expect(code).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("offers the answers of an existing file as defaults", async () => {
    const dir = mkdtempSync(join(tmpdir(), "questionnaire-"));
    const first = command(contractAtEgRestricted());
    await first.cmd.run({ values: {}, positionals: [], io: fakeIo({ cwd: dir }) });
    const before = YAML.parse(readFileSync(join(dir, "reponses.yaml"), "utf8"));
    // Every answer kept with Enter (null), except the establishment's name.
    const keep: Step[] = contractAtEgRestricted().map((s) => ({ ask: s.ask, answer: null }));
    keep[0] = { ask: "Raison sociale", answer: "CH de Ville (site nord)" };
    const second = command(keep);
    const io = fakeIo({ cwd: dir });
    expect(await second.cmd.run({ values: {}, positionals: [], io })).toBe(0);
    expect(second.transcript.said.join("\n")).toContain("existe déjà");
    const after = YAML.parse(readFileSync(join(dir, "reponses.yaml"), "utf8"));
    expect(after).toEqual({
      ...before,
      establishment: { ...before.establishment, name: "CH de Ville (site nord)" },
    });
  });

  it("refuses to run without a terminal, in French, exit 2", async () => {
    const result = await run(["questionnaire"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("lancez-le dans un terminal interactif");
  });
});
