import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addDossiers,
  loadTrackTexts,
  markDone,
  openStore,
  type RegisterDeps,
  type TrackStore,
} from "../../src/track/index.js";
import { dossierInput } from "../track/helpers.js";
import { axeSeriousViolations, type Harness, startHarness } from "./harness.js";

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
  h = await startHarness(undefined, deps);
});

afterAll(async () => {
  await h?.close();
  await store?.close();
});

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

    await page.getByRole("link", { name: "Centre hospitalier de Ville" }).click();
    await expect.poll(() => page.locator("#detail-title").textContent()).toContain("FINESS EG 010003820");
    expect(await page.locator("#detail-summary").textContent()).toContain("étape 1");
    await page.getByRole("button", { name: "Marquer l'étape 1 faite" }).click();
    await expect.poll(() => page.locator("#status").textContent()).toBe("Étape 1 notée faite.");
    expect(await page.locator("#detail-steps li").first().textContent()).toContain("fait le 20 mars 2026");
    expect(await axeSeriousViolations(page)).toEqual([]);

    // Someone else records a step meanwhile: the page's next change is refused and it shows the newer state.
    const other = await markDone(deps, "documentation", { finess: "010003820", by: "Bruno" });
    expect(other.ok).toBe(true);
    await page.getByRole("button", { name: "Marquer l'étape 2 faite" }).click();
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/modifié entre-temps par Bruno/);
    expect(await page.locator("#detail-steps li").nth(5).textContent()).toContain("par Bruno");
    expect(h.pageErrors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });
});
