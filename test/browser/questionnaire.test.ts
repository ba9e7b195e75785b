import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAnswersValidator } from "../../src/assets/load.js";
import { ROOT } from "../helpers/answers.js";
import {
  axeSeriousViolations,
  type Harness,
  onNewPage,
  openQuestionnaire,
  readZip,
  startHarness,
} from "./harness.js";

/** The web questionnaire end to end, in headless Chromium against the in-process server on 127.0.0.1. */

let h: Harness;
let page: Page;
const downloads = join(tmpdir(), `diapason-downloads-${process.pid}`);

beforeAll(async () => {
  mkdirSync(downloads, { recursive: true });
  h = await startHarness();
  page = h.page;
});
afterAll(async () => {
  await h?.close();
});

/** The answers to checks of the answers that the page has handled, current or not. */
async function replies(on: Page): Promise<number> {
  return Number((await on.locator("body").getAttribute("data-replies")) ?? 0);
}

/** The check of the empty questionnaire, sent as the page opens, is answered: it can no longer land mid-test. */
async function firstCheckAnswered(on: Page): Promise<void> {
  await expect.poll(() => replies(on)).toBe(1);
}

function block(path: string): Locator {
  return page.locator(`#q-${path.replace(/\./g, "-")}`);
}

async function type(path: string, value: string): Promise<void> {
  const input = block(path).locator("input").first();
  await input.fill(value);
  await input.blur();
}

async function choose(path: string, label: string): Promise<void> {
  await block(path).getByLabel(label, { exact: true }).check();
}

/** The forms of the complete plan (not of the plan still forming: its lists are .plan-decided and .plan-open). */
async function planForms(): Promise<string[]> {
  return page
    .locator("#plan-content ol.plan-forms:not(.plan-decided, .plan-open) > .plan-form > h4")
    .allTextContents();
}

async function fillEstablishment(egs = "3"): Promise<void> {
  await page.getByLabel("Raison sociale de l'établissement").fill("Centre hospitalier de Ville");
  await page.getByLabel("Numéro FINESS de l'entité juridique (EJ)").fill("010003812");
  await page.getByLabel("Numéro FINESS de l'entité géographique (EG)").fill("010003820");
  await page.getByLabel("Nombre d'entités géographiques (EG) rattachées à l'EJ").fill(egs);
}

async function fillPerson(path: string, first: string, last: string, email: string): Promise<void> {
  await type(`${path}.firstName`, first);
  await type(`${path}.lastName`, last);
  await type(`${path}.email`, email);
}

async function fillGap(): Promise<void> {
  await type("gap.fqdn", "gap01.ch-ville.fr");
  await type("gap.domain", "ch-ville.fr");
  await choose("keyGeneration", "Générées en ligne (PKCS#12)");
}

/** The error shown next to a field, and whether the control says it is invalid. */
async function fieldError(
  path: string,
  on: Page = page,
): Promise<{ text: string; invalid: string | null; describedBy: string }> {
  const b = on.locator(`#q-${path.replace(/\./g, "-")}`);
  const slot = b.locator(".error-message").first();
  const input = b.locator("input").first();
  return {
    text: (await slot.isVisible()) ? ((await slot.textContent()) ?? "") : "",
    invalid: await input.getAttribute("aria-invalid"),
    describedBy: (await input.getAttribute("aria-describedby")) ?? "",
  };
}

/** The answers of path 1, as « Enregistrer les réponses » writes them. */
const PATH1 = {
  version: 1,
  establishment: {
    name: "Centre hospitalier de Ville",
    finessEJ: "010003812",
    finessEG: "010003820",
    geographicEntities: 3,
    ght: "GHT Cœur Grand Est",
  },
  contract: { exists: false, signatory: "EJ" },
  legalRepresentative: {
    firstName: "Marie",
    lastName: "Durand",
    email: "direction@ch-ville.fr",
    hasActiveCard: false,
  },
  designees: [
    {
      firstName: "Paul",
      lastName: "Martin",
      email: "paul.martin@ch-ville.fr",
      role: "mandatary",
      hasActiveCard: false,
      cardRequest: "form301",
    },
  ],
  gap: { fqdn: "gap01.ch-ville.fr", domain: "ch-ville.fr" },
  keyGeneration: "online",
};

function answersFile(name: string, data: unknown): string {
  const file = join(downloads, name);
  writeFileSync(file, typeof data === "string" ? data : JSON.stringify(data));
  return file;
}

describe("web questionnaire in Chromium", () => {
  it("path 1: no contract, mandataire without card — live plan, an error fixed, answers and dossier downloaded", async () => {
    await openQuestionnaire(h);
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    // Conditional questions are hidden until they matter.
    await expect.poll(() => block("contract.signedAt").isHidden()).toBe(true);
    await expect.poll(() => block("contract.signatory").isHidden()).toBe(true);

    // A validation error, as the CLI words it, next to the field and in the summary; then fixed.
    await page.getByLabel("Numéro FINESS de l'entité juridique (EJ)").fill("010003813");
    await page.getByLabel("Numéro FINESS de l'entité juridique (EJ)").blur();
    const expected = loadAnswersValidator().validate({ establishment: { finessEJ: "010003813" } });
    const message = expected.ok
      ? ""
      : (expected.errors.find((e) => e.path === "establishment.finessEJ")?.message ?? "");
    expect(message).toContain("clé de contrôle");
    await expect.poll(async () => (await fieldError("establishment.finessEJ")).text).toContain(message);
    const shown = await fieldError("establishment.finessEJ");
    expect(shown.invalid).toBe("true");
    expect(shown.describedBy).toContain("f-establishment-finessEJ-error");
    await expect.poll(() => page.locator("#announcer").textContent()).toContain("clé de contrôle");
    // Still in the section: no summary above the form.
    expect(await page.locator("#error-summary").isVisible()).toBe(false);
    // Leaving the section sums up its errors above the questionnaire.
    await page.focus("#f-contract-exists-0");
    await expect.poll(() => page.locator("#error-summary").isVisible()).toBe(true);
    expect(await page.locator("#error-summary li").allTextContents()).toEqual([message]);
    await fillEstablishment();
    await expect.poll(async () => (await fieldError("establishment.finessEJ")).text).toBe("");
    expect((await fieldError("establishment.finessEJ")).invalid).toBeNull();
    await page.focus("#f-contract-exists-0");
    await expect.poll(() => page.locator("#error-summary").isVisible()).toBe(false);
    // The GHT, asked under its French title: read by no rule, it changes nothing in the plan below.
    await page.getByLabel("Groupement hospitalier de territoire (GHT)").fill("GHT Cœur Grand Est");

    await choose("contract.exists", "Non");
    await expect.poll(() => block("contract.signatory").isVisible()).toBe(true);
    expect(await block("contract.signedAt").isHidden()).toBe(true);
    await choose("contract.signatory", "L'entité juridique (EJ), préconisé");
    await fillPerson("legalRepresentative", "Marie", "Durand", "direction@ch-ville.fr");
    await choose("legalRepresentative.hasActiveCard", "Non");

    await fillPerson("designees.0", "Paul", "Martin", "paul.martin@ch-ville.fr");
    expect(await block("designees.0.vendor").isHidden()).toBe(true);
    await choose("designees.0.role", "Mandataire");
    await choose("designees.0.hasActiveCard", "Non");
    await expect.poll(() => block("designees.0.cardRequest").isVisible()).toBe(true);
    expect(await block("designees.0.vendor").isHidden()).toBe(true);
    expect(await block("designees.0.habilitation").isHidden()).toBe(true);
    await choose("designees.0.cardRequest", "Formulaire n°301 (papier)");
    await fillGap();

    // The live plan: the forms, for whom, why.
    await expect
      .poll(planForms)
      .toEqual([
        "Contrat de structure",
        "Demande de carte de représentant légal de structure (formulaire n°101)",
        "Demande de carte de personnel de structure (formulaire n°301)",
        "Désignation de mandataire (formulaire n°502)",
      ]);
    const form502 = page.locator("#plan-content .plan-form[data-form='502']");
    expect(await form502.textContent()).toContain("Pour : Paul Martin (mandataire)");
    expect(await form502.textContent()).toContain("Signé par : Marie Durand, représentant légal");
    expect(await page.locator("#plan-status").textContent()).toContain("4 formulaire(s)");
    const findings = await page.locator("#plan-content .finding").allTextContents();
    expect(findings.join("\n")).toMatch(/administrateur technique/);

    // The plan follows the answers: with TOM instead of the paper form, no form n°301.
    await choose("designees.0.cardRequest", "Portail TOM (en ligne)");
    await expect.poll(async () => (await planForms()).length).toBe(3);
    await choose("designees.0.cardRequest", "Formulaire n°301 (papier)");
    await expect.poll(async () => (await planForms()).length).toBe(4);

    // The answers as JSON: valid, and exactly what was answered.
    const [jsonDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Enregistrer les réponses (JSON)" }).click(),
    ]);
    expect(jsonDownload.suggestedFilename()).toBe("reponses-diapason.json");
    const jsonPath = join(downloads, "path1.json");
    await jsonDownload.saveAs(jsonPath);
    const saved = JSON.parse(readFileSync(jsonPath, "utf8"));
    expect(loadAnswersValidator().validate(saved).ok).toBe(true);
    expect(saved).toEqual(PATH1);

    // The dossier ZIP, with one PDF per form of the plan.
    const [zipDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Télécharger le dossier (ZIP)" }).click(),
    ]);
    expect(zipDownload.suggestedFilename()).toMatch(/\.zip$/);
    const zipPath = join(downloads, "path1.zip");
    await zipDownload.saveAs(zipPath);
    const entries = readZip(readFileSync(zipPath));
    const pdfs = [...entries.keys()].filter((n) => n.endsWith(".pdf"));
    expect(pdfs.length).toBeGreaterThanOrEqual(4);
    for (const name of pdfs) expect(entries.get(name)?.subarray(0, 5).toString("latin1"), name).toBe("%PDF-");
    await expect.poll(() => page.locator("#finish-status").textContent()).toContain("est téléchargé");
    expect(h.pageErrors).toEqual([]);
    expect(h.serverErrors).toEqual([]);
  });

  it("path 2: contract at the EG, technical administrator habilitated on a subdomain — plan with form n°413", async () => {
    await openQuestionnaire(h);
    await fillEstablishment("1");
    await choose("contract.exists", "Oui");
    await expect.poll(() => block("contract.signedAt").isVisible()).toBe(true);
    expect(await block("contract.signatory").isHidden()).toBe(true);
    await choose("contract.signedAt", "À l'entité géographique (EG)");
    await fillPerson("legalRepresentative", "Marie", "Durand", "direction@ch-ville.fr");
    await choose("legalRepresentative.hasActiveCard", "Oui");
    await fillPerson("designees.0", "Élodie", "Lefèvre", "elodie.lefevre@ch-ville.fr");
    expect(await block("designees.0.habilitation").isHidden()).toBe(true);
    await choose("designees.0.role", "Administrateur technique");
    await expect.poll(() => block("designees.0.habilitation").isVisible()).toBe(true);
    expect(await block("designees.0.vendor").isVisible()).toBe(true);
    await choose("designees.0.hasActiveCard", "Oui");
    expect(await block("designees.0.cardRequest").isHidden()).toBe(true);
    await choose("designees.0.habilitation.orgAuthCli", "Oui");
    await choose("designees.0.habilitation.sslServer", "Restreinte à un sous-domaine ou un serveur");
    await fillGap();

    await expect
      .poll(planForms)
      .toEqual([
        "Commande de certificats logiciels : habilitation d'un administrateur technique (formulaire n°413)",
      ]);
    const form413 = await page.locator("#plan-content .plan-form").first().textContent();
    expect(form413).toContain("Pour : Élodie Lefèvre (administrateur technique)");
    expect(form413).toContain("SERVEUR usage SSL_serveur");
    expect(form413).not.toContain("AUTH_CLI");
    expect(form413).toContain("*ch-ville.fr");
    const codes = await page
      .locator("#plan-content .finding")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-code")));
    expect(codes).toEqual(expect.arrayContaining(["EG_PRESENTED", "HABILITATION_RESTRICTED"]));

    // « Pourquoi cette question ? »: what the answer decides, and the procedure's sentence.
    const why = block("designees.0.habilitation.sslServer").locator("details.why");
    await why.locator("summary").click();
    const whyText = (await why.textContent()) ?? "";
    expect(whyText).toContain("s'il faut remplir le formulaire n°413");
    expect(whyText).toContain("§2, Attention");
    expect(whyText).toContain("L'administrateur technique peut n'être habilité que pour un sous-domaine");

    // The screenshot of the README: the questionnaire with its live plan, on a laptop. Written into docs/
    // only when asked (UPDATE_SCREENSHOT=1 npm run test:browser), so that a test run leaves the tree as it was.
    await page.evaluate(() => window.scrollTo(0, 0));
    const images = process.env.UPDATE_SCREENSHOT === "1" ? join(ROOT, "docs", "images") : downloads;
    mkdirSync(images, { recursive: true });
    await page.screenshot({ path: join(images, "questionnaire.png") });
    expect(h.pageErrors).toEqual([]);
  });

  it("resumes from a saved JSON answers file, and reports what it cannot take", async () => {
    await openQuestionnaire(h);
    await page
      .getByLabel("Reprendre : choisir le fichier de réponses")
      .setInputFiles(answersFile("resume.json", { ...PATH1, couleur: "bleu" }));
    await expect.poll(() => page.locator("#resume-status").textContent()).toContain("Réponses reprises.");
    expect(await page.locator("#resume-status").textContent()).toContain("« couleur »");
    expect(await page.getByLabel("Raison sociale de l'établissement").inputValue()).toBe(
      "Centre hospitalier de Ville",
    );
    expect(await block("designees.0.role").getByLabel("Mandataire").isChecked()).toBe(true);
    expect(await block("contract.signatory").isVisible()).toBe(true);
    await expect.poll(async () => (await planForms()).length).toBe(4);

    // A broken file: a French message, the answers in the page untouched.
    await page
      .getByLabel("Reprendre : choisir le fichier de réponses")
      .setInputFiles(answersFile("broken.json", '{"version": 1,'));
    await expect.poll(() => page.locator("#resume-status").textContent()).toContain("n'a pas pu être repris");
    expect(await page.locator("#resume-status").textContent()).toContain("n'est pas un JSON valide");
    expect(await page.getByLabel("Raison sociale de l'établissement").inputValue()).toBe(
      "Centre hospitalier de Ville",
    );
  });

  it("adds and removes designees, and keeps the plan in step", async () => {
    await openQuestionnaire(h);
    await page
      .getByLabel("Reprendre : choisir le fichier de réponses")
      .setInputFiles(answersFile("add-remove.json", PATH1));
    await expect.poll(async () => (await planForms()).length).toBe(4);
    expect(await page.getByRole("button", { name: /Retirer/ }).count()).toBe(0);

    await page.getByRole("button", { name: "Ajouter une personne désignée" }).click();
    await expect.poll(() => block("designees.1").isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-designees-1-firstName");
    await expect.poll(() => page.locator("#announcer").textContent()).toBe("Personne désignée n°2 ajoutée.");
    await fillPerson("designees.1", "Élodie", "Lefèvre", "elodie.lefevre@ch-ville.fr");
    await choose("designees.1.role", "Administrateur technique");
    await choose("designees.1.hasActiveCard", "Oui");
    await expect.poll(async () => (await planForms()).at(-1)).toContain("formulaire n°413");

    await page.getByRole("button", { name: "Retirer la personne désignée n°1" }).click();
    await expect.poll(() => block("designees.1").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-designees-add");
    expect(await block("designees.0.firstName").locator("input").inputValue()).toBe("Élodie");
    await expect
      .poll(planForms)
      .toEqual([
        "Contrat de structure",
        "Demande de carte de représentant légal de structure (formulaire n°101)",
        "Commande de certificats logiciels : habilitation d'un administrateur technique (formulaire n°413)",
      ]);
  });

  it("is usable with the keyboard alone, with a visible focus", async () => {
    await openQuestionnaire(h);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Aller au questionnaire");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-establishment-name");
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe("none");
    await page.keyboard.type("CH <b>Nord</b>");
    // The name decides nothing: no « Pourquoi cette question ? » on the way.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-establishment-finessEJ");
    await page.keyboard.type("123");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-establishment-finessEG");
    await expect
      .poll(async () => (await fieldError("establishment.finessEJ")).text)
      .toContain("9 caractères");
    expect(await page.locator("#error-summary").isVisible()).toBe(false);
    // A question that decides something has its « Pourquoi cette question ? ».
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SUMMARY");
    await page.keyboard.press("Enter");
    expect(await block("establishment.geographicEntities").locator("details").getAttribute("open")).toBe("");

    // Radios: Tab into the group (leaving the section sums up its errors), arrows to choose.
    await page.focus("#f-contract-exists-0");
    await expect.poll(() => page.locator("#error-summary").isVisible()).toBe(true);
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("#f-contract-exists-1").isChecked()).toBe(true);
    await expect.poll(() => block("contract.signatory").isVisible()).toBe(true);
    // The fields left behind, in the order of the page.
    await expect.poll(() => page.locator("#error-summary a").count()).toBe(3);
    expect(
      await page.locator("#error-summary a").evaluateAll((links) => links.map((a) => a.getAttribute("href"))),
    ).toEqual([
      "#f-establishment-finessEJ",
      "#f-establishment-finessEG",
      "#f-establishment-geographicEntities",
    ]);

    // A link of the error summary takes the focus to its field.
    await page.locator("#error-summary a").first().focus();
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-establishment-finessEJ");

    // « Reprendre » is reached with Tab; its label, styled as a button, shows the focus.
    await page.focus("#resume-file");
    expect(
      await page.locator("label[for=resume-file]").evaluate((el) => getComputedStyle(el).outlineStyle),
    ).toBe("solid");

    // Typed markup stays text.
    expect(await page.locator("#questions b").count()).toBe(0);
    expect(await page.getByLabel("Raison sociale de l'établissement").inputValue()).toBe("CH <b>Nord</b>");
  });

  it("has no serious or critical axe-core violation: empty, with errors, with the plan and open disclosures", async () => {
    await openQuestionnaire(h);
    // The empty questionnaire as it settles: the plan panel drawn from the first check, not before or during.
    await firstCheckAnswered(page);
    expect(await axeSeriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Télécharger le dossier (ZIP)" }).click();
    await expect.poll(() => page.locator("#error-summary").isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("error-summary");
    expect(await axeSeriousViolations(page)).toEqual([]);
    await page
      .getByLabel("Reprendre : choisir le fichier de réponses")
      .setInputFiles(answersFile("axe.json", PATH1));
    await expect.poll(async () => (await planForms()).length).toBe(4);
    for (const summary of await page.locator("details.why summary:visible").all()) await summary.click();
    expect(await axeSeriousViolations(page)).toEqual([]);
  });

  it("stays legible on a phone: no horizontal scrolling", async () => {
    await onNewPage(h, async (phone) => {
      await phone.setViewportSize({ width: 360, height: 740 });
      await openQuestionnaire(h, phone);
      const widths = await phone.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        view: window.innerWidth,
      }));
      expect(widths.scroll).toBeLessThanOrEqual(widths.view);
      expect(await axeSeriousViolations(phone)).toEqual([]);
    });
  });

  it("ignores a validation older than the latest edit: a filled field never shows an error", async () => {
    // A page of its own whose clock the test drives: the checks are sent when the test lets time pass.
    await onNewPage(h, async (p) => {
      await p.clock.install();
      await openQuestionnaire(h, p);
      const name = p.getByLabel("Raison sociale de l'établissement");
      // The check of the empty questionnaire, sent as the page opens, answered before the test counts the replies.
      await firstCheckAnswered(p);
      const start = await replies(p);
      // Every error ever shown for the name while it holds text is recorded.
      await p.evaluate(() => {
        const w = window as unknown as { wrongErrors: string[] };
        w.wrongErrors = [];
        const slot = document.getElementById("f-establishment-name-error") as HTMLElement;
        const input = document.getElementById("f-establishment-name") as HTMLInputElement;
        new MutationObserver(() => {
          if (!slot.hidden && slot.textContent && input.value !== "")
            w.wrongErrors.push(`${input.value}: ${slot.textContent}`);
        }).observe(slot, { childList: true, subtree: true, attributes: true });
      });
      // The server answers only when the test says so.
      const held: Route[] = [];
      await p.route("**/api/validate", (route) => {
        held.push(route);
      });
      const answer = async (route: Route, n: number) => {
        await route.continue();
        await expect.poll(() => replies(p)).toBe(start + n);
      };
      // A name typed and checked; then erased (the check of the empty name says « Il manque », rightly).
      await name.fill("Centre");
      await p.clock.runFor(400);
      await expect.poll(() => held.length).toBe(1);
      await name.fill("");
      await name.blur();
      await p.clock.runFor(400);
      await expect.poll(() => held.length).toBe(2);
      // Typed again: its own check is not sent yet when the two older answers arrive.
      await name.fill("Centre hospitalier de Ville");
      await answer(held[0] as Route, 1);
      await answer(held[1] as Route, 2);
      expect((await fieldError("establishment.name", p)).text).toBe("");
      await p.clock.runFor(400);
      await expect.poll(() => held.length).toBe(3);
      await answer(held[2] as Route, 3);
      expect(await name.inputValue()).toBe("Centre hospitalier de Ville");
      expect((await fieldError("establishment.name", p)).text).toBe("");
      expect(await p.evaluate(() => (window as unknown as { wrongErrors: string[] }).wrongErrors)).toEqual(
        [],
      );
      // Erased again and checked: now the error is right, and shown.
      await name.fill("");
      await p.clock.runFor(400);
      await expect.poll(() => held.length).toBe(4);
      await answer(held[3] as Route, 4);
      expect((await fieldError("establishment.name", p)).text).toContain("Il manque");
      expect(h.pageErrors).toEqual([]);
    });
  });

  it("keeps what is under the pointer in place: 50 clicks on answers while checks arrive, none lost", async () => {
    await onNewPage(h, async (page) => {
      await openQuestionnaire(h, page);
      await firstCheckAnswered(page);
      // Every error shown and the summary open: the layout changes most when messages come and go.
      await page.getByRole("button", { name: "Télécharger le dossier (ZIP)" }).click();
      await expect.poll(() => page.locator("#error-summary").isVisible()).toBe(true);
      const radios = [
        "#f-contract-exists-1",
        "#f-legalRepresentative-hasActiveCard-1",
        "#f-designees-0-role-0",
        "#f-designees-0-hasActiveCard-0",
        "#f-keyGeneration-0",
        "#f-contract-exists-0",
        "#f-legalRepresentative-hasActiveCard-0",
        "#f-designees-0-role-1",
        "#f-designees-0-hasActiveCard-1",
        "#f-keyGeneration-1",
      ];
      const held: Route[] = [];
      await page.route("**/api/validate", (route) => {
        held.push(route);
      });
      let answered = await replies(page);
      for (let i = 0; i < 50; i++) {
        const radio = page.locator(radios[i % radios.length] as string);
        await radio.scrollIntoViewIfNeeded();
        const box = await radio.boundingBox();
        if (!box) throw new Error(`${radios[i % radios.length]} invisible`);
        const x = box.x + box.width / 2;
        const y = box.y + box.height / 2;
        await page.mouse.move(x, y);
        await page.mouse.down();
        // While the button is down, the server answers every check sent so far, and the page handles the answers.
        for (const route of held.splice(0)) {
          await route.continue();
          answered += 1;
        }
        await expect.poll(() => replies(page), { message: `clic ${i + 1}` }).toBe(answered);
        await page.evaluate(
          () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))),
        );
        const under = await page.evaluate(
          ([px, py]) => document.elementFromPoint(px as number, py as number)?.id,
          [x, y],
        );
        expect(under, `clic ${i + 1}`).toBe(radios[i % radios.length]?.slice(1));
        await page.mouse.up();
        await expect.poll(() => radio.isChecked(), { message: `clic ${i + 1}` }).toBe(true);
      }
      expect(h.pageErrors).toEqual([]);
    });
  });

  it("a refused dossier's answer does not bring back an error fixed while it came", async () => {
    await onNewPage(h, async (p) => {
      await openQuestionnaire(h, p);
      await firstCheckAnswered(p);
      const dossier: Route[] = [];
      await p.route("**/api/dossier", (route) => {
        dossier.push(route);
      });
      await p.getByRole("button", { name: "Télécharger le dossier (ZIP)" }).click();
      await expect.poll(() => dossier.length).toBe(1);
      // The name given while the server refuses the dossier for the empty answers.
      const name = p.getByLabel("Raison sociale de l'établissement");
      await name.fill("Centre hospitalier de Ville");
      await name.blur();
      await expect.poll(() => replies(p)).toBe(2);
      await (dossier[0] as Route).continue();
      await expect
        .poll(() => p.locator("#finish-status").textContent())
        .toMatch(/^Le dossier ne peut pas être produit/);
      await expect.poll(() => p.locator("#error-summary").isVisible()).toBe(true);
      expect((await fieldError("establishment.name", p)).text).toBe("");
      const listed = await p
        .locator("#error-summary a")
        .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
      expect(listed).toContain("#f-establishment-finessEJ");
      expect(listed).not.toContain("#f-establishment-name");
      expect(h.pageErrors).toEqual([]);
    });
  });

  it("lists the answers to correct when the dossier is asked for before the check of the last typing is sent", async () => {
    // The page's clock is the test's: the check of the name typed, due 300 ms later, is never sent.
    await onNewPage(h, async (p) => {
      await p.clock.install();
      await openQuestionnaire(h, p);
      await firstCheckAnswered(p);
      await p.getByLabel("Raison sociale de l'établissement").fill("Centre hospitalier de Ville");
      await p.getByRole("button", { name: "Télécharger le dossier (ZIP)" }).click();
      await expect
        .poll(() => p.locator("#finish-status").textContent())
        .toMatch(/^Le dossier ne peut pas être produit/);
      await expect.poll(() => p.locator("#error-summary").isVisible()).toBe(true);
      expect(await p.evaluate(() => document.activeElement?.id)).toBe("error-summary");
      expect(await p.locator("#error-summary li").count()).toBeGreaterThan(0);
      expect(h.pageErrors).toEqual([]);
    });
  });

  it("accepts a FINESS as people type it and shows the number retained", async () => {
    await openQuestionnaire(h);
    await type("establishment.finessEJ", "01 000 381 2");
    await type("establishment.finessEG", "010-003-820");
    // The EG's warning comes only with the answer to a check sent after it was typed: an earlier answer (the EJ
    // alone) shows the EJ's warning without it.
    const warningEG = block("establishment.finessEG").locator(".warning-message");
    await expect.poll(() => warningEG.textContent()).toContain("« 010-003-820 » est lu 010003820");
    expect(await block("establishment.finessEJ").locator(".warning-message").textContent()).toContain(
      "« 01 000 381 2 » est lu 010003812",
    );
    expect((await fieldError("establishment.finessEJ")).text).toBe("");
  });

  it("offers « Le mandataire désigné » only once a mandataire is designated, and asks « Pourquoi ? » only where it decides", async () => {
    await openQuestionnaire(h);
    const mandataire = block("form413SignedBy").getByLabel("Le mandataire désigné");
    expect(await mandataire.isVisible()).toBe(false);
    await choose("designees.0.role", "Mandataire");
    await expect.poll(() => mandataire.isVisible()).toBe(true);
    await choose("designees.0.role", "Administrateur technique");
    await expect.poll(() => mandataire.isVisible()).toBe(false);
    // No code anywhere in what the page says.
    expect(await page.locator("main").textContent()).not.toMatch(
      /mandatary|technicalAdministrator|legalRepresentative/,
    );
    // « Pourquoi cette question ? » where a rule reads the answer, nowhere else.
    const whys = await page
      .locator("details.why")
      .evaluateAll((els) => els.map((e) => e.closest("[data-path]")?.getAttribute("data-path")));
    expect(whys).toContain("contract.exists");
    expect(whys).toContain("designees.0.role");
    expect(whys).not.toContain("establishment.name");
    expect(whys).not.toContain("legalRepresentative.phone");
  });

  it("after « Reprendre », the counts agree: status, summary title, summary list", async () => {
    await openQuestionnaire(h);
    const partial = {
      ...PATH1,
      establishment: { ...PATH1.establishment, finessEJ: "010003813" },
      legalRepresentative: { firstName: "Marie" },
      gap: { fqdn: "gap01.autre.fr", domain: "ch-ville.fr" },
    };
    await page
      .getByLabel("Reprendre : choisir le fichier de réponses")
      .setInputFiles(answersFile("partiel.json", partial));
    await expect.poll(() => page.locator("#resume-status").textContent()).toContain("Réponses reprises.");
    const status = (await page.locator("#resume-status").textContent()) ?? "";
    const count = Number(/([0-9]+) réponse\(s\) à compléter/.exec(status)?.[1]);
    expect(count).toBeGreaterThan(2);
    expect(await page.locator("#error-summary li").count()).toBe(count);
    expect(await page.locator("#error-summary h2").textContent()).toBe(`${count} réponse(s) à corriger`);
  });

  it("after the dossier, says what generate says: the warnings (an emoji in a name) and the next step", async () => {
    await openQuestionnaire(h);
    await page.getByLabel("Reprendre : choisir le fichier de réponses").setInputFiles(
      answersFile("emoji.json", {
        ...PATH1,
        legalRepresentative: { ...PATH1.legalRepresentative, firstName: "Marie 🏥" },
      }),
    );
    await expect.poll(async () => (await planForms()).length).toBe(4);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Télécharger le dossier (ZIP)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const status = page.locator("#finish-status");
    await expect.poll(() => status.textContent()).toContain("est téléchargé");
    const findings = await status.locator(".finish-findings li").allTextContents();
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.join("\n")).toContain("🏥");
    const next = await status.locator(".finish-next li").allTextContents();
    expect(next[0]).toBe("Ouvrez feuille-de-route.pdf et suivez les étapes dans l'ordre.");
    expect(next).toContain("Dès maintenant :");
  });

  it("shows the plan as it forms: decided by the rules before every answer is given, the rest still open", async () => {
    await openQuestionnaire(h);
    await choose("contract.exists", "Non");
    const decided = page.locator("#plan-content .plan-decided .plan-form h4");
    await expect
      .poll(() => decided.allTextContents())
      .toEqual([
        "Contrat de structure",
        "Demande de carte de représentant légal de structure (formulaire n°101)",
      ]);
    const open = await page.locator("#plan-content .plan-open .plan-form h4").allTextContents();
    expect(open).toContain("Désignation de mandataire (formulaire n°502)");
    expect(await page.locator("#plan-content").textContent()).toContain("Plan provisoire");
    // A designee's form once their answers decide it, named by their place while their name is not given.
    await choose("designees.0.role", "Mandataire");
    await choose("designees.0.hasActiveCard", "Oui");
    await expect
      .poll(() => decided.allTextContents())
      .toContain("Désignation de mandataire (formulaire n°502)");
    const form502 = page.locator("#plan-content .plan-decided .plan-form[data-form='502']");
    expect(await form502.textContent()).toContain("Pour : personne désignée n°1 (mandataire)");
    expect(h.pageErrors).toEqual([]);
  });
});
