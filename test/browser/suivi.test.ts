import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page, Request, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addDossiers,
  establishmentView,
  loadTrackTexts,
  markDone,
  openStore,
  type RegisterDeps,
  type TrackStore,
} from "../../src/track/index.js";
import { certificate, dossierInput, finess, record } from "../track/helpers.js";
import { axeSeriousViolations, type Harness, onNewPage, startHarness } from "./harness.js";

const NOW = new Date("2026-03-20T09:00:00Z");
let store: TrackStore;
let deps: RegisterDeps;
let h: Harness;

beforeAll(async () => {
  const opened = await openStore({
    kind: "sqlite",
    file: join(mkdtempSync(join(tmpdir(), "suivi-")), "suivi.sqlite"),
    create: true,
  });
  if (!opened.ok) throw new Error(opened.code);
  store = opened.store;
  deps = { store, texts: loadTrackTexts(), now: () => NOW, toolVersion: "test" };
  const added = await addDossiers(
    deps,
    [
      await dossierInput({ establishment: { ght: "GHT Cœur Grand Est" } }),
      await dossierInput({
        establishment: {
          name: "Clinique du Port",
          finessEJ: "130000029",
          finessEG: "130000011",
          ght: "GHT Bresse Haut-Bugey",
        },
        gap: { fqdn: "gap.port.fr", domain: "port.fr" },
      }),
    ],
    "Claire",
  );
  if (!added.ok) throw new Error(added.code);
  // Today is 20 March 2026: the Clinique's client certificate has expired, the CH's server certificate is to be
  // renewed within 30 days, the Clinique's server certificate later; the CH's first client certificate was replaced.
  await record(deps, certificate("130000011", "ORG_AUTH_CLI", "0B01", "2026-03-15", "2026-02-15"));
  await record(deps, certificate("010003820", "SSL_SERVEUR", "0A01", "2026-05-05", "2026-04-05"));
  await record(
    deps,
    certificate("130000011", "SSL_SERVEUR", "0B02", "2026-09-30", "2026-08-30", "gap.port.fr"),
  );
  await record(deps, certificate("010003820", "ORG_AUTH_CLI", "0A02", "2027-02-01", "2027-01-01"));
  await record(deps, certificate("010003820", "ORG_AUTH_CLI", "0A03", "2027-02-03", "2027-01-03"));
  h = await startHarness(undefined, deps);
});

afterAll(async () => {
  await h?.close();
  await store?.close();
});

async function openSuivi(page: Page): Promise<void> {
  await page.goto(`${h.url}suivi.html`);
  await page.waitForSelector("body[data-ready=true]");
}

/** The list and the timeline drawn from their newest loads (noting a fact reloads them; it set them busy). */
async function settled(page: Page): Promise<void> {
  await page.waitForSelector("#list[aria-busy=false]");
  await page.waitForSelector("#timeline[aria-busy=false]");
}

/** The requests whose URL matches, held until the test continues them. */
async function hold(page: Page, match: (url: URL) => boolean): Promise<Route[]> {
  const held: Route[] = [];
  await page.route(match, (route) => {
    held.push(route);
  });
  return held;
}

/** On a fresh page, the Clinique du Port's step `n` marked done, the answer held: its route, to continue. */
async function markHeld(page: Page, n: number): Promise<Route> {
  await openSuivi(page);
  await page.locator("#list").getByRole("link", { name: "Clinique du Port" }).click();
  await expect.poll(() => page.locator("#detail-title").textContent()).toContain("130000011");
  const posts = await hold(page, (url) => url.pathname.endsWith("/done"));
  await page.getByRole("button", { name: `Marquer l'étape ${n} faite` }).click();
  await expect.poll(() => posts.length).toBe(1);
  return posts[0] as Route;
}

/** Resolves once the held request is cancelled by the page; fails if it is not within 10 s. */
async function failed(page: Page, route: Route): Promise<Request> {
  const request = route.request();
  return page.waitForEvent("requestfailed", { predicate: (r) => r === request, timeout: 10_000 });
}

describe("« Suivi » page in Chromium", () => {
  it("lists, filters, shows an establishment's steps and marks a step done; a stale page is told and updated", async () => {
    const { page } = h;
    await page.goto(`${h.url}suivi.html`);
    await page.waitForSelector("body[data-ready=true]");
    await expect.poll(() => page.locator("#list tbody tr").count()).toBe(2);
    expect(await page.locator("#list caption").textContent()).toContain("2 établissement(s)");
    expect(await axeSeriousViolations(page)).toEqual([]);

    await page.getByLabel("Département").fill("13");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await expect.poll(() => page.locator("#list tbody tr").count()).toBe(1);
    await page.getByLabel("Département").fill("");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await expect.poll(() => page.locator("#list tbody tr").count()).toBe(2);

    // The GHT filter: a labelled list of the register's GHTs, combined with the other filters.
    const ght = page.getByLabel("Groupement hospitalier de territoire (GHT)");
    expect(await ght.locator("option").allTextContents()).toEqual([
      "Tous",
      "GHT Bresse Haut-Bugey",
      "GHT Cœur Grand Est",
    ]);
    await ght.selectOption("GHT Cœur Grand Est");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await expect.poll(() => page.locator("#list tbody tr").count()).toBe(1);
    expect(await page.locator("#list tbody tr").getAttribute("data-finess")).toBe("010003820");
    await page.getByLabel("Département").fill("13");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await expect
      .poll(() => page.locator("#list caption").textContent())
      .toBe("Aucun établissement ne correspond aux filtres.");
    await page.getByLabel("Département").fill("");
    await ght.selectOption("");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await expect.poll(() => page.locator("#list tbody tr").count()).toBe(2);

    await page.locator("#list").getByRole("link", { name: "Centre hospitalier de Ville" }).click();
    await expect.poll(() => page.locator("#detail-title").textContent()).toContain("FINESS EG 010003820");
    expect(await page.locator("#detail-summary").textContent()).toContain("étape 1");
    await page.getByRole("button", { name: "Marquer l'étape 1 faite" }).click();
    await expect.poll(() => page.locator("#status").textContent()).toBe("Étape 1 notée faite.");
    expect(await page.locator("#detail-steps li").first().textContent()).toContain("fait le 20 mars 2026");
    await settled(page);
    expect(await axeSeriousViolations(page)).toEqual([]);

    // Someone else records a step meanwhile: the page's next change is refused and it shows the newer state.
    const other = await markDone(deps, "documentation", { finess: "010003820", by: "Bruno" });
    expect(other.ok).toBe(true);
    await page.getByRole("button", { name: "Marquer l'étape 2 faite" }).click();
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/modifié entre-temps par Bruno/);
    expect(await page.locator("#detail-steps li").nth(5).textContent()).toContain("par Bruno");
    expect(h.pageErrors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });

  it("draws the timeline of certificate expiries by month, today in its place, states in words, links to the detail", async () => {
    const { page } = h;
    h.pageErrors.length = 0;
    await page.goto(`${h.url}suivi.html`);
    await page.waitForSelector("body[data-ready=true]");
    const periods = page.locator("#timeline-periods > li");
    expect(await periods.evaluateAll((items) => items.map((i) => i.getAttribute("data-period")))).toEqual([
      "2026-03",
      "2026-05",
      "2026-09",
      "2027-02",
    ]);
    expect(await page.locator("#timeline-summary").textContent()).toBe(
      "4 certificat(s) en service : 1 expiré(s), 1 à renouveler dans les 30 jours, 2 à renouveler plus tard.",
    );
    expect(await page.locator("#timeline-retired").textContent()).toMatch(/^1 certificat\(s\) remplacé/);
    // March: the expired certificate, then today's line.
    const march = periods.nth(0);
    expect(await march.getByRole("heading", { level: 3 }).textContent()).toBe("Mars 2026 — 1 échéance(s)");
    const marchItems = march.locator(".timeline-entries > li");
    expect(await marchItems.count()).toBe(2);
    expect(await marchItems.nth(0).textContent()).toMatch(/^Expiré 15 mars 2026 — Clinique du Port/);
    expect(await marchItems.nth(1).textContent()).toBe("Aujourd'hui, 20 mars 2026");
    expect(await marchItems.nth(1).getAttribute("aria-current")).toBe("date");
    // May: to renew within 30 days, said in words and shown with its renewal day.
    const may = periods.nth(1).locator(".timeline-entry");
    expect(await may.locator(".timeline-state").textContent()).toBe("À renouveler dans les 30 jours");
    expect(await may.locator("time").getAttribute("datetime")).toBe("2026-05-05");
    expect(await may.textContent()).toContain("SSL_SERVEUR n° 0A01, renouvellement dès le 5 avril 2026");
    // The icon is decoration: the state's words are what assistive technologies read.
    expect(
      await may
        .locator(".timeline-state")
        .evaluate((e) => getComputedStyle(e, "::before").getPropertyValue("content")),
    ).toMatch(/⚠/);
    expect(await axeSeriousViolations(page)).toEqual([]);

    // The link opens the establishment's detail, by keyboard too.
    await may.getByRole("link", { name: "Centre hospitalier de Ville" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#detail-title").textContent()).toContain("FINESS EG 010003820");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("detail-title");
    expect(await page.locator("#detail-certificates").textContent()).toContain("0A01");

    // The page's filters apply to the timeline.
    await page.getByLabel("Département").fill("13");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await expect.poll(() => periods.count()).toBe(2);
    expect(await page.locator("#timeline .timeline-entry").allTextContents()).toEqual([
      expect.stringContaining("Clinique du Port"),
      expect.stringContaining("Clinique du Port"),
    ]);
    await page.getByLabel("Département").fill("");
    await page.getByLabel("Groupement hospitalier de territoire (GHT)").selectOption("GHT Cœur Grand Est");
    await page.getByRole("button", { name: "Filtrer" }).click();
    // Two entries before and after: wait for the names to change, not for the count.
    await expect
      .poll(() => page.locator("#timeline .timeline-entry a").allTextContents())
      .toEqual(["Centre hospitalier de Ville", "Centre hospitalier de Ville"]);
    await page.getByLabel("Groupement hospitalier de territoire (GHT)").selectOption("");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await expect.poll(() => periods.count()).toBe(4);
    expect(h.pageErrors).toEqual([]);
  });

  it("notes an awaited event received with its date, note and author; a future date and a stale page are told", async () => {
    const { page } = h;
    h.pageErrors.length = 0;
    // A fresh page: the previous test left this establishment's detail open, and a title already there would let
    // the date be typed into a form that the detail's answer then replaces.
    await page.goto(`${h.url}suivi.html`);
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.locator("#detail").isHidden()).toBe(true);
    await page.locator("#list").getByRole("link", { name: "Centre hospitalier de Ville" }).click();
    await expect.poll(() => page.locator("#detail-title").textContent()).toContain("FINESS EG 010003820");
    const contract = page.locator('#detail-awaited li[data-awaited="contrat-enregistre"]');
    const button = contract.getByRole("button", {
      name: "Noter reçu : l'enregistrement du contrat de structure par l'ANS",
    });
    // Not yet asked for: no control.
    expect(await page.locator('#detail-awaited li[data-awaited="certificats-emis"] form').count()).toBe(0);
    expect(await contract.getByLabel("Date").inputValue()).toBe("2026-03-20");

    await contract.getByLabel("Date").fill("2026-03-25");
    await button.click();
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/2026-03-25 est dans le futur/);
    expect(await contract.textContent()).toContain("attendu depuis");

    // Someone else changes the establishment meanwhile: refused, the newer state shown, nothing lost.
    expect((await markDone(deps, "cle-en-ligne", { finess: "010003820", by: "Bruno" })).ok).toBe(true);
    await contract.getByLabel("Date").fill("2026-03-20");
    await contract.getByLabel("Note (facultative)").fill("reçu par courriel");
    await contract.getByLabel("Noté par").fill("Claire Martin");
    await button.click();
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/modifié entre-temps par Bruno/);
    expect(await page.locator("#detail-steps li").nth(7).textContent()).toContain("par Bruno");
    // The form drawn again holds what was typed: one more click notes it.
    expect(await contract.getByLabel("Note (facultative)").inputValue()).toBe("reçu par courriel");
    expect(await contract.getByLabel("Noté par").inputValue()).toBe("Claire Martin");
    await button.click();
    await expect
      .poll(() => page.locator("#status").textContent())
      .toBe("Noté reçu : l'enregistrement du contrat de structure par l'ANS.");
    expect(await contract.textContent()).toContain("reçu le 20 mars 2026");
    expect(await contract.locator("form").count()).toBe(0);
    // The author is remembered: a form never typed in offers it.
    expect(await page.locator("#step-ac-ingetrust-geotrust-by").inputValue()).toBe("Claire Martin");
    const view = await establishmentView(deps, "010003820");
    if (!view.ok) throw new Error(view.code);
    expect(view.value.facts.received.get("contrat-enregistre")).toMatchObject({
      day: "2026-03-20",
      by: "Claire Martin",
      note: "reçu par courriel",
    });
    await settled(page);
    expect(await axeSeriousViolations(page)).toEqual([]);
    expect(h.pageErrors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });

  it("shows a crowded month's first entries and its counts, then the rest on demand, today's line kept in its place", async () => {
    const { page } = h;
    h.pageErrors.length = 0;
    const more = [];
    for (let i = 0; i < 14; i++)
      more.push(
        await dossierInput({
          establishment: {
            name: `Clinique ${i + 1}`,
            finessEJ: "130000029",
            finessEG: finess(13_000_200 + i),
          },
        }),
      );
    const added = await addDossiers(deps, more, "Claire");
    if (!added.ok) throw new Error(added.code);
    for (const d of more)
      await record(
        deps,
        certificate(d.plan.establishment.finessEG, "ORG_AUTH_CLI", "0C01", "2026-03-18", "2026-02-18"),
      );
    await page.goto(`${h.url}suivi.html`);
    await page.waitForSelector("body[data-ready=true]");
    const march = page.locator('#timeline-periods > li[data-period="2026-03"]');
    expect(await march.getByRole("heading", { level: 3 }).textContent()).toBe("Mars 2026 — 15 échéance(s)");
    expect(await march.locator(".timeline-counts").textContent()).toBe("15 expiré(s)");
    // The 12 shown expired before today: today's line comes after them, and after the rest once shown.
    const items = march.locator(".timeline-entries > li");
    expect(await items.count()).toBe(13);
    expect(await items.nth(12).getAttribute("class")).toBe("timeline-today");
    const button = march.getByRole("button", { name: "Afficher 3 échéance(s) de plus pour Mars 2026" });
    await button.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => items.count()).toBe(16);
    expect(await button.count()).toBe(0);
    expect(await items.nth(15).getAttribute("class")).toBe("timeline-today");
    // The first entry newly shown is where the keyboard goes.
    expect(await page.evaluate(() => document.activeElement?.closest("li")?.textContent ?? "")).toBe(
      await items.nth(12).textContent(),
    );
    expect(await axeSeriousViolations(page)).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });

  it("draws only the newest answer: a list or a detail asked for again before the answer came is not drawn over it", async () => {
    await onNewPage(h, async (page) => {
      await openSuivi(page);
      const all = await page.locator("#list tbody tr").count();
      const held = await hold(page, (url) => url.pathname === "/api/suivi");
      // The list: « Département 13 » asked, then the filter cleared before its answer came.
      await page.getByLabel("Département").fill("13");
      await page.getByRole("button", { name: "Filtrer" }).click();
      await expect.poll(() => held.length).toBe(1);
      const cancelled = failed(page, held[0] as Route);
      await page.getByLabel("Département").fill("");
      await page.getByRole("button", { name: "Filtrer" }).click();
      await expect.poll(() => held.length).toBe(2);
      await cancelled;
      await (held[1] as Route).continue();
      await page.waitForSelector("#list[aria-busy=false]");
      expect(await page.locator("#list tbody tr").count()).toBe(all);
      expect(await page.locator("#list caption").textContent()).toContain(`${all} établissement(s)`);

      // The detail: one establishment asked, then another before the first one's answer came.
      const details = await hold(page, (url) => /^\/api\/suivi\/[0-9]{9}$/.test(url.pathname));
      await page.locator("#list").getByRole("link", { name: "Centre hospitalier de Ville" }).click();
      await expect.poll(() => details.length).toBe(1);
      const first = failed(page, details[0] as Route);
      await page.locator("#list").getByRole("link", { name: "Clinique du Port" }).click();
      await expect.poll(() => details.length).toBe(2);
      await first;
      await (details[1] as Route).continue();
      await page.waitForSelector("#detail[aria-busy=false]");
      expect(await page.locator("#detail-title").textContent()).toBe(
        "Clinique du Port — FINESS EG 130000011",
      );
      expect(h.pageErrors).toEqual([]);
    });
  });

  it("keeps what is typed in the detail when an answer redraws it, and the focus where it was", async () => {
    await onNewPage(h, async (page) => {
      const noting = await markHeld(page, 1);
      // While step 1 is being noted, who notes the next step and its note are typed: the answer redraws the steps.
      await page.locator("#step-cle-en-ligne-by").fill("Denise Roy");
      await page.locator("#step-cle-en-ligne-note").fill("clé générée");
      await noting.continue();
      await expect.poll(() => page.locator("#status").textContent()).toBe("Étape 1 notée faite.");
      expect(await page.locator("#detail-steps li").first().textContent()).toContain("fait le 20 mars 2026");
      expect(await page.locator("#step-cle-en-ligne-by").inputValue()).toBe("Denise Roy");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("step-cle-en-ligne-note");
      await page.keyboard.type(" sur le poste 3");
      expect(await page.locator("#step-cle-en-ligne-note").inputValue()).toBe("clé générée sur le poste 3");
      await page.unrouteAll();
      await page.getByRole("button", { name: "Marquer l'étape 8 faite" }).click();
      await expect.poll(() => page.locator("#status").textContent()).toBe("Étape 8 notée faite.");
      const view = await establishmentView(deps, "130000011");
      if (!view.ok) throw new Error(view.code);
      expect(view.value.facts.steps.get("cle-en-ligne")).toMatchObject({
        by: "Denise Roy",
        note: "clé générée sur le poste 3",
      });
      expect(h.pageErrors).toEqual([]);
    });
  });

  it("notes a step whose answer comes after another establishment was opened, and keeps that one shown", async () => {
    await onNewPage(h, async (page) => {
      const noting = await markHeld(page, 6);
      await page.locator("#list").getByRole("link", { name: "Centre hospitalier de Ville" }).click();
      await expect.poll(() => page.locator("#detail-title").textContent()).toContain("010003820");
      await noting.continue();
      await expect.poll(() => page.locator("#status").textContent()).toBe("Étape 6 notée faite.");
      expect(await page.locator("#detail-title").textContent()).toBe(
        "Centre hospitalier de Ville — FINESS EG 010003820",
      );
      const view = await establishmentView(deps, "130000011");
      if (!view.ok) throw new Error(view.code);
      expect(view.value.facts.steps.has("documentation")).toBe(true);
      expect(h.pageErrors).toEqual([]);
    });
  });

  it("asks a crowded month's further entries once, however often the button is pressed while they load", async () => {
    await onNewPage(h, async (page) => {
      await openSuivi(page);
      const march = page.locator('#timeline-periods > li[data-period="2026-03"]');
      const items = march.locator(".timeline-entries > li");
      expect(await items.count()).toBe(13);
      const more = await hold(
        page,
        (url) => url.pathname === "/api/suivi/echeances" && url.searchParams.has("period"),
      );
      const button = march.getByRole("button", { name: /^Afficher 3 échéance/ });
      await button.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => more.length).toBe(1);
      expect(await button.getAttribute("aria-disabled")).toBe("true");
      await page.keyboard.press("Enter");
      await button.dispatchEvent("click");
      await (more[0] as Route).continue();
      await expect.poll(() => items.count()).toBe(16);
      expect(more.length).toBe(1);
      const names = await march.locator(".timeline-entry a").allTextContents();
      expect(new Set(names).size).toBe(15);
      expect(h.pageErrors).toEqual([]);
    });
  });

  it("says when the server does not answer a filtering, and keeps the list it showed", async () => {
    await onNewPage(h, async (page) => {
      await openSuivi(page);
      const shown = await page.locator("#list tbody tr").allTextContents();
      await page.route(
        (url) => url.pathname === "/api/suivi",
        (route) => route.abort(),
      );
      await page.getByLabel("Département").fill("13");
      await page.getByRole("button", { name: "Filtrer" }).click();
      await expect
        .poll(() => page.locator("#status").textContent())
        .toMatch(/^Le serveur local ne répond pas : vérifiez que « diapason-dossier serve » tourne toujours/);
      expect(await page.locator("#list").getAttribute("aria-busy")).toBe("false");
      expect(await page.locator("#list tbody tr").allTextContents()).toEqual(shown);
      // Chromium logs the request that failed; nothing else, no error left unhandled.
      expect(h.pageErrors.filter((e) => !/net::ERR_FAILED/.test(e))).toEqual([]);
    });
  });
});
