import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import pg from "pg";
import { afterEach, beforeEach, expect, it } from "vitest";
import { LATEST_SCHEMA, TRACK_PHASES } from "../../src/track/index.js";
import { exportOf, finess, forEachDatabase, newRegister, type Register, writeDossier } from "./helpers.js";

/** The GHT in the register: taken from the answers, filtered on, shown, exported, migrated into old registers. */

const CH = "010003820";
const PORT = finess(13000001);
const BOURG = finess(1000007);

/** Three establishments: two of the same GHT written two ways, one without GHT. */
async function threeDossiers(reg: Register): Promise<void> {
  await writeDossier(reg.dir, "ch", { establishment: { ght: "GHT Cœur Grand Est" } });
  await writeDossier(reg.dir, "port", {
    establishment: {
      name: "Clinique du Port",
      finessEJ: finess(13000002),
      finessEG: PORT,
      ght: "  ght  coeur grand est ",
    },
    gap: { fqdn: "gap.port.fr", domain: "port.fr" },
  });
  await writeDossier(reg.dir, "bourg", {
    establishment: { name: "EHPAD de Bourg", finessEJ: finess(1000008), finessEG: BOURG },
    gap: { fqdn: "gap.bourg.fr", domain: "bourg.fr" },
  });
  const added = await reg.track(["add", "ch", "port", "bourg"]);
  expect(added.code, added.stderr).toBe(0);
}

/** The version-1 register's tables, as the first release of `track` created them (frozen: never edit). */
function version1Ddl(kind: "sqlite" | "postgres"): string[] {
  const id = kind === "sqlite" ? `"id" integer primary key autoincrement` : `"id" serial primary key`;
  return [
    `create table "track_meta" ("key" text primary key, "value" text not null)`,
    `create table "track_establishment" ("finess_eg" text primary key, "finess_ej" text not null, "name" text not null, "department" text not null, "dossier" text not null, "rules_version" text not null, "tool_version" text not null, "answers_hash" text not null, "registered_at" text not null, "registered_on" text not null, "updated_at" text not null, "version" integer not null, "phase" text not null, "phase_rank" integer not null, "next_step" text, "next_action" text not null, "actor" text not null, "actor_key" text not null, "waiting_for" text, "since" text, "renewal" text, "answers" text not null, "plan" text not null)`,
    `create table "track_event" (${id}, "finess_eg" text not null references "track_establishment" ("finess_eg"), "at" text not null, "by" text not null, "kind" text not null, "target" text not null, "day" text, "note" text, "before" text, "after" text, "undoes" integer)`,
    `create index "track_event_finess" on "track_event" ("finess_eg", "id")`,
    ...["phase", "phase_rank", "since", "department", "actor_key", "name", "renewal"].map(
      (c) => `create index "track_establishment_${c}" on "track_establishment" ("${c}", "finess_eg")`,
    ),
    `insert into "track_meta" ("key", "value") values ('schema_version', '1')`,
  ];
}

type Dumped = Record<string, unknown>;

/** Writes a version-1 register holding the establishments and entries of a dump (its GHT left out). */
async function writeVersion1Register(reg: Register, dump: { establishments: Dumped[]; events: Dumped[] }) {
  const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const rows: [string, Record<string, unknown>][] = [
    ...dump.establishments.map((e): [string, Record<string, unknown>] => {
      const { ght: _ght, finessEG, finessEJ, answers, plan, ...rest } = e;
      return [
        "track_establishment",
        {
          ...rest,
          finess_eg: finessEG,
          finess_ej: finessEJ,
          phaseRank: TRACK_PHASES.indexOf(String(e.phase)) + 1,
          answers: JSON.stringify(answers),
          plan: JSON.stringify(plan),
        },
      ];
    }),
    ...dump.events.map((e): [string, Record<string, unknown>] => {
      const { finessEG, ...rest } = e;
      return ["track_event", { ...rest, finess_eg: finessEG }];
    }),
  ];
  const statements = version1Ddl(reg.kind);
  const values: unknown[][] = [];
  for (const [table, row] of rows) {
    const columns = Object.keys(row).map(snake);
    const marks = columns.map((_, i) => (reg.kind === "sqlite" ? "?" : `$${i + 1}`));
    statements.push(
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) values (${marks.join(", ")})`,
    );
    values[statements.length - 1] = Object.values(row);
  }
  if (reg.kind === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(join(reg.dir, "suivi.sqlite"));
    db.transaction(() => {
      for (const [i, s] of statements.entries()) db.prepare(s).run(...(values[i] ?? []));
    })();
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: reg.env.DIAPASON_DATABASE_URL });
  await client.connect();
  try {
    for (const [i, s] of statements.entries()) await client.query(s, values[i] ?? []);
    await client.query(
      `select setval(pg_get_serial_sequence('track_event', 'id'), (select max(id) from track_event))`,
    );
  } finally {
    await client.end();
  }
}

forEachDatabase("track: the GHT", (kind) => {
  let reg: Register;
  beforeEach(async () => {
    reg = await newRegister(kind);
  });
  afterEach(async () => {
    await reg.close();
  });

  const ids = async (args: string[]) => {
    const r = await reg.track(["list", "--json", ...args]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout).establishments.map((e: { finessEG: string }) => e.finessEG);
  };
  const exportText = (target: Register = reg) => exportOf(target);

  it("filters on the whole GHT name, without case, accents or extra spaces, with the other filters", async () => {
    await threeDossiers(reg);
    for (const ght of [
      "GHT Cœur Grand Est",
      "ght coeur grand est",
      "GHT  CŒUR GRAND EST ",
      "Ght Coeur Grand Est",
    ])
      expect(await ids(["--ght", ght]), ght).toEqual([CH, PORT]);
    expect(await ids(["--ght", "ght coeur grand est", "--department", "13"])).toEqual([PORT]);
    expect(await ids(["--ght", "ght coeur grand est", "--sort", "name", "--desc"])).toEqual([PORT, CH]);
    expect(await ids(["--ght", "ght coeur grand est", "--phase", "habilitation"])).toEqual([]);
    expect(await ids(["--ght", "GHT Cœur Grand Est", "--person", "durand", "--limit", "1"])).toEqual([CH]);
    // Each establishment keeps the GHT as its answers write it (cleaned of its extra spaces).
    const json = JSON.parse((await reg.track(["list", "--json"])).stdout);
    expect(json.establishments.map((e: { ght: string | null }) => e.ght)).toEqual([
      null,
      "GHT Cœur Grand Est",
      "ght coeur grand est",
    ]);
  });

  it("refuses an empty --ght and a GHT the register does not know, naming the known ones", async () => {
    await threeDossiers(reg);
    for (const empty of ["", "   "]) {
      const r = await reg.track(["list", "--ght", empty]);
      expect(r.code).toBe(2);
      // A usage error: the French message, then where the help is, as for any option misused.
      expect(r.stderr.trim().split("\n")).toEqual([
        `Erreur : --ght attend le nom complet d'un GHT, par exemple --ght "GHT Cœur Grand Est" (majuscules et accents indifférents).`,
        "Aide : diapason-dossier track --help",
      ]);
      expect(r.stdout).toBe("");
    }
    const partial = await reg.track(["list", "--ght", "Cœur Grand Est", "--csv", "l.csv"]);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toBe(
      "Erreur : Aucun établissement du registre n'est rattaché au GHT « Cœur Grand Est » (nom complet, majuscules et accents indifférents). GHT du registre : GHT Cœur Grand Est.\n",
    );
    expect(() => readFileSync(join(reg.dir, "l.csv"))).toThrow();
  });

  it("says how to give a GHT when the register has none", async () => {
    await writeDossier(reg.dir, "d");
    await reg.track(["add", "d"]);
    const r = await reg.track(["list", "--ght", "GHT Cœur Grand Est"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/n'indique de GHT : le GHT se renseigne dans les réponses/);
  });

  it("shows the GHT in the list, the establishment, and the CSV and XLSX exports", async () => {
    await threeDossiers(reg);
    const text = (await reg.track(["list"])).stdout.split("\n");
    expect(text[0]).toMatch(/^FINESS EG {2}Établissement +GHT +Phase/);
    expect(text.find((l) => l.startsWith(CH))).toMatch(
      /^010003820 {2}Centre hospitalier de Ville +GHT Cœur Grand Est +Prérequis/,
    );
    const show = await reg.track(["show", CH]);
    expect(show.stdout.split("\n")[1]).toBe("GHT : GHT Cœur Grand Est");
    expect(JSON.parse((await reg.track(["show", CH, "--json"])).stdout).ght).toBe("GHT Cœur Grand Est");
    expect((await reg.track(["show", BOURG])).stdout).not.toContain("GHT");

    expect(
      (await reg.track(["list", "--ght", "GHT Cœur Grand Est", "--csv", "l.csv", "--xlsx", "l.xlsx"])).code,
    ).toBe(0);
    const csv = readFileSync(join(reg.dir, "l.csv"), "utf8").split("\r\n");
    expect(csv[0]).toBe(
      "\uFEFFFINESS EG;FINESS EJ;Établissement;Département;GHT;Phase;Prochaine action;Qui agit;Depuis le;Jours d'attente;Alerte de renouvellement",
    );
    expect(csv[1]).toMatch(/^010003820;010003812;Centre hospitalier de Ville;01;GHT Cœur Grand Est;/);
    expect(csv).toHaveLength(4);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(reg.dir, "l.xlsx"));
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(1).getCell(5).value).toBe("GHT");
    expect(sheet?.getRow(3).getCell(5).value).toBe("ght coeur grand est");

    // Without any GHT listed (the first page of one: the EHPAD), the terminal list keeps its former columns.
    const none = await reg.track(["list", "--limit", "1"]);
    expect(none.stdout).toContain("EHPAD de Bourg");
    expect(none.stdout.split("\n")[0]).toMatch(/^FINESS EG {2}Établissement +Phase/);
  });

  it("follows new answers: a GHT changed or removed is the one filtered on", async () => {
    await threeDossiers(reg);
    await writeDossier(reg.dir, "ch", { establishment: { ght: "GHT Bresse Haut-Bugey" } });
    await writeDossier(reg.dir, "port", {
      establishment: { name: "Clinique du Port", finessEJ: finess(13000002), finessEG: PORT },
      gap: { fqdn: "gap.port.fr", domain: "port.fr" },
    });
    const again = await reg.track(["add", "ch", "port"], 1);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("2 mis à jour");
    expect(await ids(["--ght", "ght bresse haut-bugey"])).toEqual([CH]);
    expect((await reg.track(["list", "--ght", "GHT Cœur Grand Est"])).code).toBe(2);
  });

  it("exports and imports the GHT byte for byte; an export of schema 1, without GHT, still imports", async () => {
    await threeDossiers(reg);
    await reg.track(["done", CH, "1"], 1);
    const first = await exportText();
    const dump = JSON.parse(first);
    expect(dump.schemaVersion).toBe(LATEST_SCHEMA);
    expect(Object.keys(dump.establishments[0]).slice(3, 6)).toEqual(["department", "ght", "dossier"]);
    expect(dump.establishments.map((e: Dumped) => e.ght)).toEqual([
      null,
      "GHT Cœur Grand Est",
      "ght coeur grand est",
    ]);

    const target = await newRegister(kind);
    try {
      writeFileSync(join(target.dir, "dump.json"), first);
      expect((await target.track(["import", "dump.json"])).code).toBe(0);
      expect(await exportText(target)).toBe(first);
    } finally {
      await target.close();
    }

    // Schema 1: no GHT field; the import takes it from the answers, as the migration does.
    const old = {
      ...dump,
      schemaVersion: 1,
      establishments: dump.establishments.map(({ ght: _g, ...e }: Dumped) => e),
    };
    const older = await newRegister(kind);
    try {
      writeFileSync(join(older.dir, "v1.json"), JSON.stringify(old, null, 2));
      const imported = await older.track(["import", "v1.json"]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(await exportText(older)).toBe(first);
    } finally {
      await older.close();
    }

    // Schema 2 without the field is a damaged export: nothing is imported.
    const damaged = await newRegister(kind);
    try {
      writeFileSync(join(damaged.dir, "d.json"), JSON.stringify({ ...old, schemaVersion: 2 }));
      const refused = await damaged.track(["import", "d.json"]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/incomplet ou modifié \(establishments\[0\]\)/);
      expect(JSON.parse((await damaged.track(["list", "--json"])).stdout).total).toBe(0);
    } finally {
      await damaged.close();
    }
  });

  it("migrates a register of version 1: each establishment's GHT from its stored answers, filtered at once", async () => {
    // The same establishments and history, registered by this tool and written as the first release did.
    await threeDossiers(reg);
    await reg.track(["done", CH, "1", "--note", "signé"], 1);
    const expected = await exportText();
    const v1 = await newRegister(kind);
    try {
      await writeVersion1Register(v1, JSON.parse(expected));
      expect(
        JSON.parse(
          (await v1.track(["list", "--json", "--ght", "GHT COEUR GRAND EST"])).stdout,
        ).establishments.map((e: { finessEG: string }) => e.finessEG),
      ).toEqual([CH, PORT]);
      // Migrated, the register is the one this tool writes: same export, byte for byte.
      expect(await exportText(v1)).toBe(expected);
      // It keeps working: a new entry follows the old ones.
      expect((await v1.track(["done", CH, "documentation"], 2)).code).toBe(0);
      const history = JSON.parse((await v1.track(["history", CH, "--json"])).stdout);
      expect(history.map((e: { id: number }) => e.id)).toEqual([1, 4, 5]);
    } finally {
      await v1.close();
    }
  });
});
