import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  establishmentView,
  LATEST_SCHEMA,
  loadTrackTexts,
  markDone,
  openStore,
  type RegisterDeps,
  type TrackEvent,
  type TrackStore,
  VersionConflict,
} from "../../src/track/index.js";
import { at, exportOf, finess, forEachDatabase, newRegister, type Register } from "./helpers.js";

const EG = "010003820";

forEachDatabase("track", (kind) => {
  let reg: Register;
  beforeEach(async () => {
    reg = await newRegister(kind);
  });
  afterEach(async () => {
    await reg.close();
  });

  const exportText = () => exportOf(reg);

  it("registers a dossier once, derives its next action from the plan, and keeps the registration in history", async () => {
    await (await import("./helpers.js")).writeDossier(reg.dir, "ch-ville");
    const added = await reg.track(["add", "ch-ville"]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("Inscrit : Centre hospitalier de Ville (FINESS EG 010003820)");
    const again = await reg.track(["add", "ch-ville"]);
    expect(again.stdout).toContain("Inchangé");
    const list = await reg.track(["list", "--json"]);
    const data = JSON.parse(list.stdout);
    expect(data.total).toBe(1);
    expect(data.establishments[0]).toMatchObject({
      finessEG: EG,
      phase: "prerequisites",
      nextStep: "contrat-structure",
      department: "01",
      version: 1,
    });
    expect(data.establishments[0].actor).toContain("Marie Durand");
    const history = await reg.track(["history", EG]);
    expect(history.stdout.match(/n° \d+,/g)).toHaveLength(1);
  });

  it("refuses a step whose prerequisites are missing, unless forced with a reason that history keeps", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    const early = await reg.track(["done", EG, "verifier-habilitations-1"]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(
      /ne peut pas encore être faite : il manque l'étape 3 ; la carte CPx d'Élodie Lefèvre/,
    );
    expect(early.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    const noReason = await reg.track(["done", EG, "4", "--force"]);
    expect(noReason.code).toBe(2);
    const forced = await reg.track(["done", EG, "4", "--force", "--reason", "vérifié par téléphone"]);
    expect(forced.code).toBe(0);
    expect((await reg.track(["history", EG])).stdout).toContain("(forcé : vérifié par téléphone)");
  });

  it("says who waits for what and since when, from the steps done and the events received", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    for (const step of ["1", "2", "3"])
      expect((await reg.track(["done", EG, step, "--by", "Claire"], 1)).code).toBe(0);
    // Nothing else can be done before the card arrives except the steps with no prerequisite.
    for (const step of ["documentation", "cle-en-ligne", "ac-ingetrust-geotrust", "reseau-tpe"])
      expect((await reg.track(["done", EG, step], 1)).code).toBe(0);
    const list = await reg.track(["list"], 13);
    expect(list.stdout).toContain("en attente de la carte CPx d'Élodie Lefèvre depuis 12 jours");
    expect(list.stdout).toContain("Élodie Lefèvre");
    const received = await reg.track(["received", EG, "carte-personne-1", "--date", "2026-03-14"], 14);
    expect(received.code).toBe(0);
    expect(received.stdout).toContain("étape 4");
    const json = JSON.parse((await reg.track(["list", "--json"], 14)).stdout);
    expect(json.establishments[0]).toMatchObject({
      phase: "habilitation",
      nextStep: "verifier-habilitations-1",
      since: "2026-03-14",
    });
  });

  it("rejects bad input with one French line and exit 2, and changes nothing", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"], 5);
    const before = await exportText();
    const cases: [string[], RegExp][] = [
      [["done", "999999999", "1"], /Aucun établissement de FINESS EG « 999999999 »/],
      [["done", EG, "etape-inconnue"], /L'étape « etape-inconnue » n'existe pas/],
      [["done", EG, "1", "--date", "2026-03-09"], /dans le futur/],
      [["done", EG, "1", "--date", "2026-03-01"], /antérieure à l'inscription/],
      [["done", EG, "1", "--date", "2026-02-30"], /n'est pas une date/],
      [["received", EG, "rien"], /n'est pas attendu/],
    ];
    for (const [args, pattern] of cases) {
      const r = await reg.track(args, 5);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(await exportText()).toBe(before);
  });

  it("undoes by adding an entry: the fact is no longer in force, history keeps both", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    await reg.track(["done", EG, "1"], 1);
    const undo = await reg.track(["undo"], 2);
    expect(undo.code).toBe(0);
    const json = JSON.parse((await reg.track(["list", "--json"], 2)).stdout);
    expect(json.establishments[0].nextStep).toBe("contrat-structure");
    const history = JSON.parse((await reg.track(["history", EG, "--json"])).stdout);
    expect(history.map((e: { kind: string }) => e.kind)).toEqual(["registered", "done", "undo"]);
    expect(history[2].undoes).toBe(history[1].id);
    expect((await reg.track(["done", EG, "1"], 2)).code).toBe(0);
  });

  it("tells the second of two concurrent updates and shows it the newer state", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    const first = await reg.track(["done", EG, "1", "--expect-version", "1", "--by", "Anne"]);
    expect(first.code).toBe(0);
    const second = await reg.track(["done", EG, "documentation", "--expect-version", "1", "--by", "Bruno"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/modifié entre-temps par Anne/);
    expect(second.stderr).toContain("[fait] Signer le contrat de structure");
    const history = JSON.parse((await reg.track(["history", EG, "--json"])).stdout);
    expect(history.map((e: { by: string }) => e.by)).not.toContain("Bruno");
  });

  it("replaces the plan of a known establishment given new answers, and shows and keeps the differences", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    await writeDossier(reg.dir, "d", { contract: { exists: true, signedAt: "EJ" } });
    const again = await reg.track(["add", "d"], 1);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Nouvelles réponses pour Centre hospitalier de Ville");
    expect(again.stdout).toMatch(/nouveau : contrat de structure existant/);
    expect(again.stdout).toMatch(/ne s'applique plus : contrat de structure à signer/);
    const history = JSON.parse((await reg.track(["history", EG, "--json"])).stdout);
    expect(history[1].kind).toBe("replanned");
    const after = JSON.parse(history[1].after);
    expect(after.changes.join("\n")).toMatch(/contrat de structure existant/);
    expect(JSON.parse(history[1].before).plan.contract.required).toBe(true);
    const list = JSON.parse((await reg.track(["list", "--json"], 1)).stdout);
    expect(list.establishments[0].nextStep).not.toBe("contrat-structure");
  });

  it("filters, sorts and exports the list (FINESS as text)", async () => {
    const { writeDossier } = await import("./helpers.js");
    const other = finess(13000001);
    await writeDossier(reg.dir, "a");
    await writeDossier(reg.dir, "b", {
      establishment: { name: "Clinique du Port", finessEJ: finess(13000002), finessEG: other },
      designees: [
        {
          role: "technicalAdministrator",
          firstName: "Hélène",
          lastName: "Écuyer",
          email: "h.ecuyer@port.fr",
          hasActiveCard: true,
        },
      ],
      gap: { fqdn: "gap.port.fr", domain: "port.fr" },
    });
    expect((await reg.track(["add", "a", "b"])).code).toBe(0);
    await reg.track(["done", EG, "1"], 1);
    const ids = async (args: string[]) =>
      JSON.parse((await reg.track(["list", "--json", ...args], 30)).stdout).establishments.map(
        (e: { finessEG: string }) => e.finessEG,
      );
    expect(await ids(["--department", "13"])).toEqual([other]);
    expect(await ids(["--person", "durand"])).toEqual(
      [EG, other].filter((f) => f === EG || f === other).sort(),
    );
    expect(await ids(["--sort", "name"])).toEqual([EG, other]);
    expect(await ids(["--sort", "name", "--desc"])).toEqual([other, EG]);
    expect(await ids(["--overdue", "30"])).toEqual([other]);
    expect(await ids(["--overdue", "29"])).toEqual([EG, other]);
    expect(await ids(["--phase", "habilitation"])).toEqual([]);
    expect((await reg.track(["list", "--phase", "nulle"])).code).toBe(2);
    expect((await reg.track(["list", "--csv", "l.csv", "--xlsx", "l.xlsx"])).code).toBe(0);
    const csv = readFileSync(join(reg.dir, "l.csv"), "utf8");
    expect(csv.startsWith("\uFEFFFINESS EG;")).toBe(true);
    expect(csv).toContain(`\r\n${EG};010003812;Centre hospitalier de Ville;01;`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(reg.dir, "l.xlsx"));
    const cell = book.worksheets[0]?.getRow(2).getCell(1);
    expect(cell?.value).toBe(EG);
    expect(cell?.type).toBe(ExcelJS.ValueType.String);
  });

  it("registers every dossier of a batch output folder from its report", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(join(reg.dir, "lot"), "01-ch-ville");
    writeFileSync(
      join(reg.dir, "lot", "rapport.json"),
      JSON.stringify({
        format: "diapason-dossier/rapport-lot/1",
        rows: [
          { line: 2, status: "ok", folder: "01-ch-ville" },
          { line: 3, status: "erreur" },
        ],
      }),
    );
    const added = await reg.track(["add", "lot"]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("1 inscrit(s)");
  });

  it("exports the whole register and imports it into an empty one, byte for byte", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    await reg.track(["done", EG, "1", "--note", "envoyé en recommandé"], 1);
    await reg.track(["undo"], 2);
    await reg.track(["done", EG, "1"], 2);
    const first = await exportText();
    const target = await newRegister(kind);
    try {
      writeFileSync(join(target.dir, "dump.json"), first);
      const imported = await target.track(["import", "dump.json"]);
      expect(imported.code, imported.stderr).toBe(0);
      const out = join(target.dir, "again.json");
      await target.track(["export", "-o", out]);
      expect(readFileSync(out, "utf8")).toBe(first);
      // Entries recorded after an import follow the imported ones.
      await target.track(["done", EG, "2"], 3);
      const history = JSON.parse((await target.track(["history", EG, "--json"])).stdout);
      expect(history.at(-1).id).toBe(5);
      const twice = await target.track(["import", "dump.json"]);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toMatch(/n'est pas vide/);
    } finally {
      await target.close();
    }
  });

  it("refuses a damaged export (a field of the wrong kind) and imports nothing", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    await reg.track(["done", EG, "1"], 1);
    const good = JSON.parse(await exportText());
    const damaged = [
      (d: typeof good) => {
        d.establishments[0].plan = null;
      },
      (d: typeof good) => {
        d.establishments[0].version = "1";
      },
      (d: typeof good) => {
        delete d.establishments[0].answers;
      },
      (d: typeof good) => {
        d.establishments[0] = null;
      },
      (d: typeof good) => {
        d.events[0].id = "1";
      },
      (d: typeof good) => {
        d.events[0].undoes = "x";
      },
    ];
    for (const damage of damaged) {
      const target = await newRegister(kind);
      try {
        const dump = structuredClone(good);
        damage(dump);
        writeFileSync(join(target.dir, "dump.json"), JSON.stringify(dump));
        const imported = await target.track(["import", "dump.json"]);
        expect(imported.code).toBe(2);
        expect(imported.stderr).toMatch(/incomplet ou modifié/);
        const list = await target.track(["list", "--json"]);
        expect(JSON.parse(list.stdout).total).toBe(0);
      } finally {
        await target.close();
      }
    }
  });
});

describe("track: the register's file and server", () => {
  it("refuses a file that is not a database, without touching it", async () => {
    const reg = await newRegister("sqlite");
    const file = join(reg.dir, "suivi.sqlite");
    writeFileSync(file, "ceci n'est pas une base\n".repeat(200));
    const before = readFileSync(file);
    const r = await reg.track(["list"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/n'est pas un registre de suivi/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses a register written by a newer tool, without altering it", async () => {
    const reg = await newRegister("sqlite");
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(join(reg.dir, "suivi.sqlite"));
    db.prepare("update track_meta set value = '99' where key = 'schema_version'").run();
    db.close();
    const before = readFileSync(join(reg.dir, "suivi.sqlite"));
    const r = await reg.track(["list"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `version plus récente de diapason-dossier \\(schéma 99, cet outil connaît le schéma ${LATEST_SCHEMA}\\)`,
      ),
    );
    expect(readFileSync(join(reg.dir, "suivi.sqlite")).equals(before)).toBe(true);
  });

  it("says when there is no register yet instead of creating one to read", async () => {
    const reg = await newRegister("sqlite");
    const r = await reg.track(["list"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Aucun registre de suivi/);
  });

  it("reports a PostgreSQL server that does not answer in one line", async () => {
    const reg = await newRegister("sqlite");
    const r = await (await import("../helpers/io.js")).run(["track", "list"], {
      cwd: reg.dir,
      env: { DIAPASON_DATABASE_URL: "postgres://x:y@127.0.0.1:1/nulle" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^Erreur : Le serveur PostgreSQL postgres:\/\/127\.0\.0\.1:1\/nulle ne répond pas/,
    );
    expect(r.stderr).not.toContain("y@");
  });
});

forEachDatabase("track: writes checked against the version read", (kind) => {
  let reg: Register;
  beforeEach(async () => {
    reg = await newRegister(kind);
  });
  afterEach(async () => {
    await reg.close();
  });

  /** The register's store, with one more write slipped in just before the first commit it is asked for. */
  async function racedDeps(race: (deps: RegisterDeps) => Promise<unknown>) {
    const opened = await openStore(
      kind === "sqlite"
        ? { kind, file: join(reg.dir, "suivi.sqlite"), create: false }
        : { kind, url: reg.env.DIAPASON_DATABASE_URL ?? "" },
    );
    if (!opened.ok) throw new Error(opened.code);
    const store = opened.store;
    const plain: RegisterDeps = { store, texts: loadTrackTexts(), now: () => at(1), toolVersion: "test" };
    let raced = false;
    const commits: string[] = [];
    const racing = Object.create(store) as TrackStore;
    racing.commitChange = async (...change) => {
      commits.push(change[3].target);
      if (!raced) {
        raced = true;
        await race(plain);
      }
      return store.commitChange(...change);
    };
    return { deps: { ...plain, store: racing }, plain, commits, close: () => store.close() };
  }

  it("decides an unpinned change again on the newer state; refuses a pinned one; writes no entry for either refusal", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    const r = await racedDeps((deps) => markDone(deps, "1", { finess: EG, by: "Anne" }));
    const again = await markDone(r.deps, "documentation", { finess: EG, by: "Bruno" });
    expect(again.ok).toBe(true);
    // Bruno's first write met Anne's and was decided again on version 2.
    expect(r.commits).toEqual(["documentation", "documentation"]);
    if (again.ok) expect(again.value.record.version).toBe(3);
    const sameStep = await racedDeps((deps) => markDone(deps, "2", { finess: EG, by: "Anne" }));
    const refusedOnRetry = await markDone(sameStep.deps, "2", { finess: EG, by: "Bruno" });
    // Decided again, the step is now done by Anne: Bruno is told, not recorded twice.
    expect(refusedOnRetry).toMatchObject({ ok: false, code: "alreadyDone" });
    const pinned = await racedDeps((deps) => markDone(deps, "3", { finess: EG, by: "Anne" }));
    const refused = await markDone(pinned.deps, "cle-en-ligne", {
      finess: EG,
      by: "Bruno",
      expectedVersion: 4,
    });
    expect(refused).toMatchObject({ ok: false, code: "conflict" });
    const history = JSON.parse((await reg.track(["history", EG, "--json"])).stdout);
    expect(history.map((e: { by: string; target: string }) => `${e.by}:${e.target}`)).toEqual([
      "claire.conseil:",
      "Anne:contrat-structure",
      "Bruno:documentation",
      "Anne:formulaire-101",
      "Anne:formulaire-301-1",
    ]);
    for (const x of [r, sameStep, pinned]) await x.close();
  });

  it("a stale version writes neither the establishment nor its history entry", async () => {
    const { writeDossier } = await import("./helpers.js");
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    const r = await racedDeps(async () => undefined);
    const view = await establishmentView(r.plain, EG);
    if (!view.ok) throw new Error(view.code);
    const before = await r.plain.store.read((q) => q.establishmentWithEvents(EG));
    const { id: _, ...entry } = view.value.events[0] ?? { id: 0 };
    await expect(
      r.plain.store.commitChange(view.value.record, 7, false, entry as Omit<TrackEvent, "id">),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect(await r.plain.store.read((q) => q.establishmentWithEvents(EG))).toEqual(before);
    await r.close();
  });
});
