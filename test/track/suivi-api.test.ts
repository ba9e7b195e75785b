import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  addDossiers,
  expiryState,
  expiryTimeline,
  loadTrackTexts,
  markDone,
  type RegisterDeps,
  revokeCertificate,
  type TrackStore,
  undoLast,
} from "../../src/track/index.js";
import { testApp } from "../web/helpers.js";
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

/** The « Suivi » page's API over a real register: the timeline of certificate expiries, noting an event received. */

const texts = loadTrackTexts();
const REGISTERED = new Date("2026-03-02T09:00:00Z");
/** Today for the page: 20 March 2026 (Paris). */
const TODAY = new Date("2026-03-20T09:00:00Z");
const VILLE = "010003820";
const PORT = "130000011";

const PORT_CHANGE = {
  establishment: {
    name: "Clinique du Port",
    finessEJ: "130000029",
    finessEG: PORT,
    ght: "GHT Bresse Haut-Bugey",
  },
  gap: { fqdn: "gap.port.fr", domain: "port.fr" },
};

forEachDatabase(
  "« Suivi » API: the timeline of certificate expiries and noting an event received",
  (kind) => {
    let reg: Register;
    let store: TrackStore;
    let now: Date;
    let deps: RegisterDeps;
    let app: ReturnType<typeof testApp>["app"];

    beforeEach(async () => {
      reg = await newRegister(kind);
      store = await openRegisterStore(reg);
      now = REGISTERED;
      deps = { store, texts, now: () => now, toolVersion: "test" };
      const added = await addDossiers(
        deps,
        [await dossierInput(), await dossierInput(PORT_CHANGE)],
        "Claire",
      );
      if (!added.ok) throw new Error(added.code);
      now = TODAY;
      app = testApp({ track: deps }).app;
    });
    afterEach(async () => {
      await app.close();
      await store.close();
      await reg.close();
    });

    const get = async (url: string) => {
      const r = await app.inject({ method: "GET", url });
      return { status: r.statusCode, body: r.json() };
    };
    const post = async (url: string, payload: unknown) => {
      const r = await app.inject({ method: "POST", url, payload: payload as object });
      return { status: r.statusCode, body: r.json() };
    };

    it("says so in French when no certificate is recorded, with or without filters", async () => {
      const empty = await get("/api/suivi/echeances");
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({ total: 0, periods: [], retired: 0 });
      expect(empty.body.summary).toMatch(/^Aucun certificat n'est encore enregistré dans le registre/);
      expect(empty.body.todayLabel).toBe("Aujourd'hui, 20 mars 2026");
      const filtered = await get("/api/suivi/echeances?department=13");
      expect(filtered.body.summary).toBe(
        "Aucun certificat en service parmi les établissements retenus par les filtres.",
      );
    });

    it("places every certificate in service by its expiry month, with its recorded renewal, today and its state", async () => {
      await record(deps, certificate(VILLE, "SSL_SERVEUR", "0A01", "2026-03-10", "2026-02-10"));
      await record(deps, certificate(VILLE, "ORG_AUTH_CLI", "0A02", "2026-04-15", "2026-03-15"));
      await record(deps, certificate(PORT, "SSL_SERVEUR", "0B01", "2026-04-01", "2026-03-01", "gap.port.fr"));
      await record(deps, certificate(PORT, "SSL_SERVEUR", "0B02", "2026-05-10", "2026-04-10", "gap.port.fr"));
      // A renewal day recorded 45 days before expiry: the timeline shows the recorded one, it does not recompute it.
      await record(deps, certificate(PORT, "ORG_AUTH_CLI", "0B03", "2027-01-05", "2026-11-21"));

      const { status, body } = await get("/api/suivi/echeances");
      expect(status).toBe(200);
      expect(body).toMatchObject({
        today: "2026-03-20",
        unit: "month",
        total: 4,
        retired: 1,
        counts: { expired: 1, overdue: 1, soon: 1, later: 1 },
      });
      expect(body.summary).toBe(
        "4 certificat(s) en service : 1 expiré(s), 1 renouvellement(s) en retard, 1 à renouveler dans les 30 jours, 1 à renouveler plus tard.",
      );
      expect(body.retiredText).toMatch(/^1 certificat\(s\) remplacé\(s\) ou révoqué\(s\) ne figurent pas/);
      const periods = body.periods as {
        key: string;
        label: string;
        today: boolean;
        count: number;
        entries: Record<string, unknown>[];
      }[];
      expect(periods.map((p) => [p.key, p.label, p.today, p.count])).toEqual([
        ["2026-03", "Mars 2026", true, 1],
        ["2026-04", "Avril 2026", false, 1],
        ["2026-05", "Mai 2026", false, 1],
        ["2027-01", "Janvier 2027", false, 1],
      ]);
      const entries = periods.flatMap((p) => p.entries);
      expect(entries.map((e) => [e.serialNumber, e.finessEG, e.state, e.stateLabel])).toEqual([
        ["0A01", VILLE, "expired", "Expiré"],
        ["0A02", VILLE, "overdue", "Renouvellement en retard"],
        ["0B02", PORT, "soon", "À renouveler dans les 30 jours"],
        ["0B03", PORT, "later", "En service"],
      ]);
      expect(entries[0]).toMatchObject({
        name: "Centre hospitalier de Ville",
        expiry: "2026-03-10",
        expiryLabel: "10 mars 2026",
        daysLeft: -10,
        detail: "SSL_SERVEUR n° 0A01, renouvellement dès le 10 février 2026 (expiré depuis 10 jour(s))",
      });
      expect(entries[3]).toMatchObject({ renewal: "2026-11-21", renewalLabel: "21 novembre 2026" });
      expect(entries[2]?.detail).toBe(
        "SSL_SERVEUR n° 0B02, renouvellement dès le 10 avril 2026 (expire dans 51 jour(s))",
      );

      // The page's filters apply; today's month stays on the timeline, empty.
      const port = await get("/api/suivi/echeances?department=13");
      expect(port.body.total).toBe(2);
      expect(port.body.periods.map((p: { key: string; count: number }) => [p.key, p.count])).toEqual([
        ["2026-03", 0],
        ["2026-05", 1],
        ["2027-01", 1],
      ]);
      const ght = await get(`/api/suivi/echeances?ght=${encodeURIComponent("ght bresse haut-bugey")}`);
      expect(ght.body).toMatchObject({ total: 2, retired: 1 });
      const person = await get(`/api/suivi/echeances?person=${encodeURIComponent("MARIE DURAND")}`);
      expect(person.body.total).toBe(4);
      const phase = await get("/api/suivi/echeances?phase=habilitation");
      expect(phase.body.total).toBe(0);

      // A revoked certificate leaves the timeline; undoing the revocation puts it back.
      const revoked = await revokeCertificate(deps, "0A02", { finess: VILLE, by: "Claire" });
      expect(revoked.ok).toBe(true);
      const afterRevoke = await get("/api/suivi/echeances");
      expect(afterRevoke.body).toMatchObject({ total: 3, retired: 2 });
      expect((await undoLast(deps, "Claire", VILLE)).ok).toBe(true);
      expect((await get("/api/suivi/echeances")).body).toMatchObject({ total: 4, retired: 1 });
    });

    it("counts quarters over a long span and gives a crowded period's entries a page at a time", async () => {
      const more = [];
      for (let i = 0; i < 14; i++) {
        const eg = finess(30_000_100 + i);
        more.push(
          await dossierInput({
            establishment: { name: `Établissement ${i}`, finessEJ: "130000029", finessEG: eg },
          }),
        );
      }
      const added = await addDossiers(deps, more, "Claire");
      expect(added.ok).toBe(true);
      for (const d of more)
        await record(
          deps,
          certificate(d.plan.establishment.finessEG, "ORG_AUTH_CLI", "0C01", "2026-06-12", "2026-05-12"),
        );
      const crowded = await get("/api/suivi/echeances");
      const june = crowded.body.periods.find((p: { key: string }) => p.key === "2026-06");
      expect(june).toMatchObject({ count: 14, remaining: 2 });
      expect(june.entries).toHaveLength(12);
      expect(june.moreLabel).toBe("Afficher 2 échéance(s) de plus pour Juin 2026 (2 non affichée(s))");
      const rest = await get("/api/suivi/echeances?period=2026-06&offset=12");
      expect(rest.status).toBe(200);
      expect(rest.body).toMatchObject({ key: "2026-06", offset: 12, remaining: 0 });
      expect(rest.body.entries).toHaveLength(2);
      expect(rest.body.moreLabel).toBeUndefined();
      const unknown = await get("/api/suivi/echeances?period=2031-02");
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(/La période « 2031-02 » n'est pas sur la frise/);

      await record(deps, certificate(VILLE, "ORG_AUTH_CLI", "0A09", "2029-03-01", "2029-02-01"));
      const long = await get("/api/suivi/echeances");
      expect(long.body.unit).toBe("quarter");
      expect(long.body.periods.map((p: { key: string; label: string }) => [p.key, p.label])).toEqual([
        ["2026-T1", "1er trimestre 2026 (janvier à mars)"],
        ["2026-T2", "2e trimestre 2026 (avril à juin)"],
        ["2029-T1", "1er trimestre 2029 (janvier à mars)"],
      ]);
    });

    it("notes an awaited event received through the register, with its date, note and author, as track received does", async () => {
      const shown = await get(`/api/suivi/${VILLE}`);
      // Not yet asked for (step 1 not done): the register refuses, as on the command line.
      const early = await post(`/api/suivi/${VILLE}/received`, {
        awaited: "contrat-enregistre",
        version: shown.body.version,
      });
      expect(early.status).toBe(422);
      expect(early.body.error.code).toBe("notYielded");
      const done = await post(`/api/suivi/${VILLE}/done`, {
        step: "contrat-structure",
        version: shown.body.version,
        date: "2026-03-05",
      });
      expect(done.status).toBe(200);
      const expected = done.body.awaited.find((a: { id: string }) => a.id === "contrat-enregistre");
      expect(expected).toMatchObject({ expectedSince: "2026-03-05", days: 15 });

      const future = await post(`/api/suivi/${VILLE}/received`, {
        awaited: "contrat-enregistre",
        version: done.body.version,
        date: "2026-03-21",
      });
      expect(future.status).toBe(422);
      expect(future.body.error.message).toMatch(/2026-03-21.*futur/);
      const tooEarly = await post(`/api/suivi/${VILLE}/received`, {
        awaited: "contrat-enregistre",
        version: done.body.version,
        date: "2026-02-27",
      });
      expect(tooEarly.body.error.code).toBe("dateBeforeRegistration");
      expect((await post(`/api/suivi/${VILLE}/received`, { version: done.body.version })).status).toBe(400);
      const unknown = await post(`/api/suivi/${VILLE}/received`, {
        awaited: "colis",
        version: done.body.version,
      });
      expect(unknown.body.error.code).toBe("unknownAwaited");

      const received = await post(`/api/suivi/${VILLE}/received`, {
        awaited: "contrat-enregistre",
        version: done.body.version,
        date: "2026-03-18",
        note: "reçu par courrier",
        by: "Claire Martin",
      });
      expect(received.status).toBe(200);
      expect(received.body.version).toBe(done.body.version + 1);
      expect(received.body.awaited.find((a: { id: string }) => a.id === "contrat-enregistre")).toMatchObject({
        received: "2026-03-18",
        receivedLabel: "18 mars 2026",
      });
      const history = await get(`/api/suivi/${VILLE}`);
      expect(history.body.version).toBe(received.body.version);
      const again = await post(`/api/suivi/${VILLE}/received`, {
        awaited: "contrat-enregistre",
        version: received.body.version,
      });
      expect(again.body.error.code).toBe("alreadyReceived");

      // Someone else changed the establishment since the page read it: 409, with the newer state.
      expect((await markDone(deps, "documentation", { finess: VILLE, by: "Bruno" })).ok).toBe(true);
      const stale = await post(`/api/suivi/${VILLE}/received`, {
        awaited: "contrat-enregistre",
        version: done.body.version,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(/modifié entre-temps par Bruno/);
      expect(stale.body.current.version).toBe(received.body.version + 1);
    });

    it("records who noted the event and the note in the history, like the command line", async () => {
      const shown = await get(`/api/suivi/${VILLE}`);
      const done = await post(`/api/suivi/${VILLE}/done`, { step: "1", version: shown.body.version });
      await post(`/api/suivi/${VILLE}/received`, {
        awaited: "contrat-enregistre",
        version: done.body.version,
        note: "courriel de l'ANS",
      });
      const history = await reg.track(["history", VILLE], 18);
      expect(history.stdout).toContain(
        "page Suivi : reçu l'enregistrement du contrat de structure par l'ANS le 20 mars 2026 ; note : courriel de l'ANS",
      );
    });
  },
);

describe("timeline of expiries (pure)", () => {
  it("tells expired, renewal overdue, renewal within 30 days and later apart at their edges", () => {
    expect(expiryState("2026-03-19", "2026-02-19", "2026-03-20")).toBe("expired");
    expect(expiryState("2026-03-20", "2026-02-20", "2026-03-20")).toBe("overdue");
    expect(expiryState("2026-04-20", "2026-03-20", "2026-03-20")).toBe("soon");
    expect(expiryState("2026-05-19", "2026-04-19", "2026-03-20")).toBe("soon");
    expect(expiryState("2026-05-20", "2026-04-20", "2026-03-20")).toBe("later");
  });

  it("has no period at all without a certificate in service, and counts the retired ones", () => {
    const row = {
      finessEG: VILLE,
      name: "CH",
      profile: "SSL_SERVEUR",
      serialNumber: "01",
      commonName: "gap",
      expiry: "2028-01-01",
      renewal: "2027-12-01",
    };
    const timeline = expiryTimeline([{ ...row, status: "revoked" }], "2026-03-20");
    expect(timeline).toMatchObject({ total: 0, periods: [], retired: 1 });
    const placed = expiryTimeline([{ ...row, status: "inService" }], "2026-03-20");
    // 2026-03 to 2028-01: 23 months, still by month; today's month first, then January 2028.
    expect(placed.unit).toBe("month");
    expect(placed.periods.map((p) => [p.key, p.from, p.to, p.today])).toEqual([
      ["2026-03", "2026-03-01", "2026-03-31", true],
      ["2028-01", "2028-01-01", "2028-01-31", false],
    ]);
  });
});
