import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { certificatesOf, openStore } from "../../src/track/index.js";
import type { CertificateRow } from "../../src/track/types.js";
import { createTestPki, days, pem, type TestPki, write } from "../certificates/pki.js";
import { forEachDatabase, newRegister, type Register, writeDossier } from "./helpers.js";

const EG = "010003820";
/** 2026-03-15, the test PKI's "now". */
const PKI_DAY = 13;

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

forEachDatabase("track certificate, revoke and reminders", (kind) => {
  let reg: Register;
  beforeEach(async () => {
    reg = await newRegister(kind);
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    write(reg.dir, "root.pem", pem(pki.root.certificate));
  });
  afterEach(async () => {
    await reg.close();
  });

  const server = (serial: string, options: { cn?: string; ou?: string } = {}) =>
    pki.issue({
      cn: options.cn ?? "gap01.ch-ville.fr",
      dns: [options.cn ?? "gap01.ch-ville.fr"],
      usage: "server",
      serial,
      ou: options.ou ?? `1${EG}`,
    });

  it("records a certificate that passes the checks of check and is the establishment's, then shows its renewal", async () => {
    write(reg.dir, "server.pem", pem(await server("0a01"), pki.intermediate.certificate));
    const r = await reg.track(["certificate", EG, "server.pem", "--ca", "root.pem"], PKI_DAY);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/certificat SSL_SERVEUR n° 0A01 enregistré/);
    const show = await reg.track(["show", EG], PKI_DAY);
    expect(show.stdout).toMatch(
      /SSL_SERVEUR n° 0A01 : échéance le .*, renouvellement à préparer dès le .* \(en service\)/,
    );
    const json = JSON.parse((await reg.track(["list", "--json"], PKI_DAY)).stdout);
    expect(json.establishments[0].renewal).toMatch(/^20\d\d-\d\d-\d\d$/);

    // A second one of the same profile replaces it; the first is kept, marked replaced.
    write(reg.dir, "server2.pem", pem(await server("0a02"), pki.intermediate.certificate));
    expect((await reg.track(["certificate", EG, "server2.pem", "--ca", "root.pem"], PKI_DAY)).code).toBe(0);
    const after = await reg.track(["show", EG], PKI_DAY);
    expect(after.stdout).toMatch(/0A01 .*\(remplacé\)/);
    expect(after.stdout).toMatch(/0A02 .*\(en service\)/);

    const revoked = await reg.track(["revoke", EG, "0a02", "--note", "clé perdue"], PKI_DAY);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await reg.track(["show", EG], PKI_DAY)).stdout).toMatch(/0A02 .*\(révoqué\)/);
    expect((await reg.track(["history", EG], PKI_DAY)).stdout).toContain("note : clé perdue");
  });

  it("refuses a certificate of another establishment or another server, and one that fails the checks", async () => {
    const before = readFileSync(join(reg.dir, "d", "plan.json"), "utf8");
    write(
      reg.dir,
      "other-finess.pem",
      pem(await server("0b01", { ou: "1210780581" }), pki.intermediate.certificate),
    );
    const finess = await reg.track(["certificate", EG, "other-finess.pem", "--ca", "root.pem"], PKI_DAY);
    expect(finess.code).toBe(1);
    expect(finess.stderr).toMatch(/porte le FINESS 210780581, qui n'est pas celui de l'établissement/);
    write(
      reg.dir,
      "other-host.pem",
      pem(await server("0b02", { cn: "gap99.ailleurs.fr" }), pki.intermediate.certificate),
    );
    const host = await reg.track(["certificate", EG, "other-host.pem", "--ca", "root.pem"], PKI_DAY);
    expect(host.code).toBe(1);
    // Without the test root, the chain does not lead to IGC-Santé: check refuses it.
    write(reg.dir, "server.pem", pem(await server("0b03"), pki.intermediate.certificate));
    const chain = await reg.track(["certificate", EG, "server.pem"], PKI_DAY);
    expect(chain.code).toBe(1);
    expect(chain.stderr).toMatch(/ne passe pas les vérifications de « check »/);
    const history = JSON.parse((await reg.track(["history", EG, "--json"], PKI_DAY)).stdout);
    expect(history).toHaveLength(1);
    expect(readFileSync(join(reg.dir, "d", "plan.json"), "utf8")).toBe(before);
  });

  it("writes one calendar for the register with stable UIDs", async () => {
    write(reg.dir, "server.pem", pem(await server("0c01"), pki.intermediate.certificate));
    await reg.track(["certificate", EG, "server.pem", "--ca", "root.pem"], PKI_DAY);
    const first = await reg.track(["reminders", "--ics", "rappels.ics"], PKI_DAY);
    expect(first.code, first.stderr).toBe(0);
    const ics = readFileSync(join(reg.dir, "rappels.ics"), "utf8");
    const uids = ics.match(/^UID:.*$/gm) ?? [];
    expect(uids).toHaveLength(2);
    expect(ics).toContain("Élodie Lefèvre");
    // Written again later: the same events (same UIDs), updated rather than duplicated.
    await reg.track(["reminders", "--ics", "rappels2.ics"], PKI_DAY + 5);
    const again = readFileSync(join(reg.dir, "rappels2.ics"), "utf8");
    expect(again.match(/^UID:.*$/gm)).toEqual(uids);
    expect(again.match(/^DTSTART.*$/gm)).toEqual(ics.match(/^DTSTART.*$/gm));
  });

  it("lists the expiries of the certificates in service by month, with their recorded renewal, in text and JSON", async () => {
    const empty = await reg.track(["expiries"], PKI_DAY);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/^Aucun certificat n'est encore enregistré dans le registre/);
    // Expires on 29 April 2026: its renewal (29 March) is 14 days away, within the 30 days.
    const soon = await pki.issue({
      cn: "gap01.ch-ville.fr",
      dns: ["gap01.ch-ville.fr"],
      usage: "server",
      serial: "0d01",
      ou: `1${EG}`,
      notAfter: days(45),
    });
    write(reg.dir, "soon.pem", pem(soon, pki.intermediate.certificate));
    const recorded = await reg.track(["certificate", EG, "soon.pem", "--ca", "root.pem"], PKI_DAY);
    expect(recorded.code, recorded.stderr).toBe(0);

    const text = await reg.track(["expiries"], PKI_DAY);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split("\n")).toEqual([
      "1 certificat(s) en service : 1 à renouveler dans les 30 jours.",
      "",
      "Mars 2026 — 0 échéance(s)",
      "  ▶ aujourd'hui, 15 mars 2026",
      "",
      "Avril 2026 — 1 échéance(s)",
      "  29 avril 2026 · À renouveler dans les 30 jours · Centre hospitalier de Ville (FINESS EG 010003820) · SSL_SERVEUR n° 0D01, renouvellement dès le 29 mars 2026 (expire dans 45 jour(s))",
      "",
    ]);
    const json = JSON.parse((await reg.track(["expiries", "--json"], PKI_DAY)).stdout);
    const shown = JSON.parse((await reg.track(["show", EG, "--json"], PKI_DAY)).stdout);
    expect(json.periods[1].entries[0].renewal).toBe(shown.certificates[0].renewal);
    expect(json).toMatchObject({ total: 1, unit: "month", counts: { soon: 1 } });
    // The list's filters apply.
    const other = await reg.track(["expiries", "--department", "13"], PKI_DAY);
    expect(other.stdout.trim()).toBe(
      "Aucun certificat en service parmi les établissements retenus par les filtres.",
    );
    const ght = await reg.track(["expiries", "--ght", "GHT Inconnu"], PKI_DAY);
    expect(ght.code).toBe(2);
    expect(ght.stderr).toMatch(/^Erreur : Aucun établissement du registre n.indique de GHT/);
    const bad = await reg.track(["expiries", "--phase", "plus-tard"], PKI_DAY);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/plus-tard/);
  });

  /** The timeline's entries as `track expiries --json` gives them, and how many certificates it leaves off. */
  const expiries = async (r: Register = reg) => {
    const json = JSON.parse((await r.track(["expiries", "--json"], PKI_DAY)).stdout);
    return {
      serials: (json.periods ?? []).flatMap((p: { entries: { serialNumber: string }[] }) =>
        p.entries.map((e) => e.serialNumber),
      ),
      retired: json.retired ?? 0,
    };
  };

  /** What the register's table of certificates holds, and what folding every history gives. */
  async function tableAndFold(r: Register) {
    const opened = await openStore(
      r.kind === "sqlite"
        ? { kind: "sqlite", file: join(r.dir, "suivi.sqlite"), create: false }
        : { kind: "postgres", url: r.env.DIAPASON_DATABASE_URL ?? "" },
    );
    if (!opened.ok) throw new Error(opened.code);
    const table = await opened.store.read((q) => q.timelineRows({}));
    const events = await opened.store.read((q) => q.latestEvents(10_000));
    await opened.store.close();
    const sort = (rows: CertificateRow[]) =>
      rows
        .map(({ finessEG, serialNumber, status, expiry, renewal }) => ({
          finessEG,
          serialNumber,
          status,
          expiry,
          renewal,
        }))
        .sort((a, b) => a.serialNumber.localeCompare(b.serialNumber));
    return { table: sort(table), fold: sort(certificatesOf(events)) };
  }

  it("keeps the timeline's certificates in step with the history: recorded, replaced, revoked, undone, imported, migrated", async () => {
    write(reg.dir, "a.pem", pem(await server("0b01"), pki.intermediate.certificate));
    write(reg.dir, "b.pem", pem(await server("0b02"), pki.intermediate.certificate));
    expect((await reg.track(["certificate", EG, "a.pem", "--ca", "root.pem"], PKI_DAY)).code).toBe(0);
    expect(await expiries()).toEqual({ serials: ["0B01"], retired: 0 });
    expect((await reg.track(["certificate", EG, "b.pem", "--ca", "root.pem"], PKI_DAY)).code).toBe(0);
    expect(await expiries()).toEqual({ serials: ["0B02"], retired: 1 });
    expect((await reg.track(["revoke", EG, "0b02"], PKI_DAY)).code).toBe(0);
    expect(await expiries()).toEqual({ serials: [], retired: 2 });
    expect((await reg.track(["undo", EG], PKI_DAY)).code).toBe(0);
    expect(await expiries()).toEqual({ serials: ["0B02"], retired: 1 });
    // A step done leaves the certificates as they are.
    expect((await reg.track(["done", EG, "1"], PKI_DAY)).code).toBe(0);
    const { table, fold } = await tableAndFold(reg);
    expect(table).toHaveLength(2);
    expect(table).toEqual(fold);

    // An import rebuilds the table from the histories it restores.
    const out = join(reg.dir, "export.json");
    expect((await reg.track(["export", "-o", out])).code).toBe(0);
    const copy = await newRegister(kind);
    try {
      expect((await copy.track(["import", out])).code).toBe(0);
      expect(await expiries(copy)).toEqual({ serials: ["0B02"], retired: 1 });
    } finally {
      await copy.close();
    }

    // A register of schema 2 (no table of certificates) gets it, folded from its histories, when opened.
    const downgrade = [
      `drop table track_certificate`,
      `update track_meta set value = '2' where key = 'schema_version'`,
    ];
    if (kind === "sqlite") {
      const { default: Database } = await import("better-sqlite3");
      const db = new Database(join(reg.dir, "suivi.sqlite"));
      for (const s of downgrade) db.prepare(s).run();
      db.close();
    } else {
      const client = new pg.Client({ connectionString: reg.env.DIAPASON_DATABASE_URL });
      await client.connect();
      for (const s of downgrade) await client.query(s);
      await client.end();
    }
    expect(await expiries()).toEqual({ serials: ["0B02"], retired: 1 });
    expect((await tableAndFold(reg)).table).toEqual(fold);
  });
});
