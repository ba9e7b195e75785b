import { afterAll, beforeAll, expect, it } from "vitest";
import {
  addDossiers,
  EXPIRY_STATES,
  type ExpiryTimeline,
  expiryTimeline,
  type ListFilter,
  loadTrackTexts,
  type RegisterDeps,
  revokeCertificate,
  type TrackStore,
  timelineJson,
  timelinePage,
  timelinePreview,
} from "../../src/track/index.js";
import {
  certificate,
  dossierInput,
  finess,
  forEachDatabase,
  newRegister,
  openRegisterStore,
  type Register,
  record,
} from "./helpers.js";

/**
 * The page's timeline, counted and picked by the database (timelinePreview, timelinePage), against the pure fold
 * of every certificate (expiryTimeline, the reference): same periods, counts, first entries and pages.
 */

const texts = loadTrackTexts();
const TODAY = "2026-03-20";
const DAY = 86_400_000;
const day = (from: string, days: number) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** Establishments of departments 01 and 13 (expiries within 8 months), and of 69 (expiries in 2028–2029). */
const ESTABLISHMENTS = [
  ...Array.from({ length: 12 }, (_, i) => ({ finessEG: finess(1_000_300 + i), far: false })),
  ...Array.from({ length: 8 }, (_, i) => ({ finessEG: finess(13_000_300 + i), far: false })),
  ...Array.from({ length: 4 }, (_, i) => ({ finessEG: finess(69_000_300 + i), far: true })),
];
const GHT = "GHT Rhône Alpes Sud";

forEachDatabase("timeline of expiries read by the database, against the pure fold", (kind) => {
  let reg: Register;
  let store: TrackStore;
  let deps: RegisterDeps;

  beforeAll(async () => {
    reg = await newRegister(kind);
    store = await openRegisterStore(reg);
    deps = { store, texts, now: () => new Date(`${TODAY}T09:00:00Z`), toolVersion: "test" };
    const dossiers = [];
    for (const [i, e] of ESTABLISHMENTS.entries())
      dossiers.push(
        await dossierInput({
          establishment: {
            name: `Établissement ${i}`,
            finessEJ: "130000029",
            finessEG: e.finessEG,
            ...(i % 3 === 0 ? { ght: GHT } : {}),
          },
        }),
      );
    const added = await addDossiers(deps, dossiers, "Claire");
    if (!added.ok) throw new Error(added.code);
    for (const [i, e] of ESTABLISHMENTS.entries()) {
      for (const [k, profile] of (["ORG_AUTH_CLI", "SSL_SERVEUR"] as const).entries()) {
        // Several certificates a month, some on the same day (order by FINESS, then profile); renewal 30 or 45 days before.
        const expiry = e.far
          ? day("2028-02-01", (i * 53 + k * 97) % 500)
          : day("2025-12-01", (i * 37 + k * 11) % 240);
        const renewal = day(expiry, i % 2 === 0 ? -30 : -45);
        await record(deps, certificate(e.finessEG, profile, `${k}${i}`.padStart(4, "0"), expiry, renewal));
      }
    }
    // The states at their edges (see expiryState), a replaced certificate (same profile recorded again) and a revoked one.
    const edge = (i: number) => ESTABLISHMENTS[i]?.finessEG ?? "";
    await record(deps, certificate(edge(0), "SSL_SERVEUR", "0E01", TODAY, day(TODAY, -31)));
    await record(deps, certificate(edge(1), "SSL_SERVEUR", "0E02", day(TODAY, 1), TODAY));
    await record(deps, certificate(edge(2), "SSL_SERVEUR", "0E03", day(TODAY, 45), day(TODAY, 30)));
    await record(deps, certificate(edge(3), "SSL_SERVEUR", "0E04", day(TODAY, 46), day(TODAY, 31)));
    await record(deps, certificate(edge(4), "SSL_SERVEUR", "0E05", day(TODAY, 20), day(TODAY, -1)));
    await record(deps, certificate(edge(5), "SSL_SERVEUR", "0E06", day(TODAY, -1), day(TODAY, -30)));
    const revoked = await revokeCertificate(deps, "0E06", { finess: edge(5), by: "Claire" });
    if (!revoked.ok) throw new Error(revoked.code);
  }, 60_000);
  afterAll(async () => {
    await store.close();
    await reg.close();
  });

  /** Compares both ways of reading the timeline under `filter`; returns the reference. */
  async function compare(filter: ListFilter, preview: number, pageSize: number): Promise<ExpiryTimeline> {
    const reference = expiryTimeline(await store.read((q) => q.timelineRows(filter)), TODAY);
    const shown = await timelinePreview(deps, filter, TODAY, preview);
    expect(shown).toEqual({
      ...reference,
      periods: reference.periods.map((p) => ({ ...p, entries: p.entries.slice(0, preview) })),
    });
    // What the API answers, built from either.
    expect(timelineJson(shown, true, preview, texts)).toEqual(timelineJson(reference, true, preview, texts));
    for (const { entries, ...period } of reference.periods)
      for (let offset = 0; offset <= period.count; offset += pageSize)
        expect(await timelinePage(deps, filter, TODAY, period.key, offset, pageSize)).toEqual({
          period,
          entries: entries.slice(offset, offset + pageSize),
        });
    expect(await timelinePage(deps, filter, TODAY, "2031-02", 0, pageSize)).toBeUndefined();
    return reference;
  }

  it("gives the whole register's quarters, counts, first entries and pages as the fold of all its certificates", async () => {
    const whole = await compare({}, 3, 2);
    // The register is varied enough for the comparison to mean something.
    expect(whole.unit).toBe("quarter");
    expect(whole.total).toBe(ESTABLISHMENTS.length * 2 - 1);
    expect(whole.retired).toBe(7);
    for (const state of EXPIRY_STATES) expect(whole.counts[state], state).toBeGreaterThan(0);
    expect(whole.periods.some((p) => p.count > 3 * 3)).toBe(true);
    expect(whole.periods.filter((p) => p.count === 0)).toHaveLength(0);
    await compare({}, 12, 100);
    await compare({}, 1, 5);
    // A month key is no period of a timeline by quarters.
    expect(await timelinePage(deps, {}, TODAY, "2026-04", 0, 10)).toBeUndefined();
  });

  it("does the same under the list's filters, by month when the span is short", async () => {
    const near = await compare({ department: "01" }, 3, 2);
    expect(near.unit).toBe("month");
    expect(near.periods.some((p) => p.count > 3)).toBe(true);
    expect((await compare({ ght: "ght rhone alpes sud" }, 2, 3)).total).toBeGreaterThan(0);
    expect((await compare({ renewalOnOrBefore: "2026-06-30" }, 2, 1)).total).toBeGreaterThan(0);
    expect((await compare({ department: "69" }, 2, 2)).periods.find((p) => p.today)?.count).toBe(0);
    const none = await compare({ department: "75" }, 3, 2);
    expect(none).toMatchObject({ total: 0, retired: 0, periods: [] });
  });
});
