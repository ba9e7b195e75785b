import {
  CamelCasePlugin,
  Kysely,
  PostgresDialect,
  type Selectable,
  type SelectQueryBuilder,
  SqliteDialect,
  sql,
} from "kysely";
import { PHASES } from "../../plan/types.js";
import { ghtKey } from "../ght.js";
import type { CertificateRow, EstablishmentRecord, TrackEvent } from "../types.js";
import { certificateTableRow, LATEST_SCHEMA, migrate, schemaVersion, toEvent } from "./migrations.js";
import type { Dialect, EstablishmentTable, EventTable, TrackDatabase } from "./schema.js";

/**
 * The register's storage: one typed query layer (Kysely) over a SQLite file (better-sqlite3, WAL, busy
 * timeout) or a PostgreSQL server (pg). Every write runs in one transaction; an establishment's row carries
 * a version that each write checks and increments (optimistic versioning).
 */

export type StoreConfig =
  | {
      kind: "sqlite";
      file: string /** Create the file when missing (commands that write). */;
      create: boolean;
    }
  | { kind: "postgres"; url: string };

/** Why the register cannot be opened: a code of templates/text/track.fr.json's errors, with its values. */
export interface StoreFailure {
  ok: false;
  code: string;
  params: Record<string, string | number>;
}

export type OpenResult = { ok: true; store: TrackStore } | StoreFailure;

/** Thrown inside a write when the establishment changed since it was read; the write is rolled back. */
export class VersionConflict extends Error {
  constructor(
    readonly finessEG: string,
    readonly expected: number,
  ) {
    super(`version ${expected} of ${finessEG} is no longer current`);
    this.name = "VersionConflict";
  }
}

export const SORT_KEYS = ["finess", "name", "phase", "since", "department", "renewal"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The plan's phases, then `done`: the values of an establishment's phase. */
export const TRACK_PHASES: readonly string[] = [...PHASES, "done"];

/** Which establishments: the list's filters, also applied to the timeline of certificate expiries. */
export interface ListFilter {
  phase?: string;
  /** searchKey() of a person's name or role. */
  person?: string;
  department?: string;
  /** ghtKey() of a GHT's whole name. */
  ght?: string;
  /** Keep those whose actor has waited since this day or earlier (YYYY-MM-DD). */
  sinceOnOrBefore?: string;
  /** Renewal alert on or before this day. */
  renewalOnOrBefore?: string;
}

export interface ListQuery extends ListFilter {
  sort: SortKey;
  descending: boolean;
  limit: number;
  offset: number;
}

/** What the list shows of an establishment: everything but its answers and plan. */
export type ListedEstablishment = Omit<EstablishmentRecord, "answers" | "plan">;

type EstablishmentRow = Selectable<EstablishmentTable>;

function toRecord(row: EstablishmentRow): EstablishmentRecord {
  return {
    finessEG: row.finessEg,
    finessEJ: row.finessEj,
    name: row.name,
    department: row.department,
    ght: row.ght,
    dossier: row.dossier,
    rulesVersion: row.rulesVersion,
    toolVersion: row.toolVersion,
    answersHash: row.answersHash,
    answers: row.answers,
    plan: row.plan,
    registeredAt: row.registeredAt,
    registeredOn: row.registeredOn,
    updatedAt: row.updatedAt,
    version: Number(row.version),
    phase: row.phase as EstablishmentRecord["phase"],
    nextStep: row.nextStep,
    nextAction: row.nextAction,
    actor: row.actor,
    actorKey: row.actorKey,
    waitingFor: row.waitingFor,
    since: row.since,
    renewal: row.renewal,
  };
}

function toRow(record: EstablishmentRecord, phaseRank: number): EstablishmentRow {
  return {
    finessEg: record.finessEG,
    finessEj: record.finessEJ,
    name: record.name,
    department: record.department,
    ght: record.ght,
    ghtKey: record.ght === null ? null : ghtKey(record.ght),
    dossier: record.dossier,
    rulesVersion: record.rulesVersion,
    toolVersion: record.toolVersion,
    answersHash: record.answersHash,
    answers: record.answers,
    plan: record.plan,
    registeredAt: record.registeredAt,
    registeredOn: record.registeredOn,
    updatedAt: record.updatedAt,
    version: record.version,
    phase: record.phase,
    phaseRank,
    nextStep: record.nextStep,
    nextAction: record.nextAction,
    actor: record.actor,
    actorKey: record.actorKey,
    waitingFor: record.waitingFor,
    since: record.since,
    renewal: record.renewal,
  };
}

/** The history's fields in order, id first: how an entry travels aggregated in one array. */
const EVENT_KEYS = [
  "id",
  "finessEg",
  "at",
  "by",
  "kind",
  "target",
  "day",
  "note",
  "before",
  "after",
  "undoes",
] as const satisfies readonly (keyof EventTable)[];

/** Rows per multi-row insert: under SQLite's and PostgreSQL's limits on bound parameters. */
const CHUNK = 200;

function eventRow(event: Omit<TrackEvent, "id">) {
  return {
    finessEg: event.finessEG,
    at: event.at,
    by: event.by,
    kind: event.kind,
    target: event.target,
    day: event.day,
    note: event.note,
    before: event.before,
    after: event.after,
    undoes: event.undoes,
  };
}

const PHASE_RANKS: Record<string, number> = Object.fromEntries(
  TRACK_PHASES.map((phase, i) => [phase, i + 1]),
);

const SORT_COLUMNS = {
  finess: "finessEg",
  name: "name",
  phase: "phaseRank",
  since: "since",
  department: "department",
  renewal: "renewal",
} as const;

/** A certificate of the timeline, with its establishment's name. */
export type TimelineRow = CertificateRow & { name: string };
/** A certificate in service placed on the timeline (its status goes without saying). */
export type TimelineEntryRow = Omit<TimelineRow, "status">;

/**
 * Certificates counted by expiry month (`2026-04`) and state: `expired`, `overdue`, `soon`, `later` for those in
 * service (see expiryState), `retired` for the replaced and revoked (whose month means nothing).
 */
export interface MonthStateCount {
  month: string;
  state: string;
  count: number;
}

/** The two days the states turn on: expired or overdue before `today`, soon on or before `soon`. */
export interface StateBounds {
  today: string;
  soon: string;
}

/** What the timeline reads of a certificate and its establishment. */
const TIMELINE_COLUMNS = [
  "trackCertificate.finessEg",
  "trackCertificate.profile",
  "trackCertificate.serialNumber",
  "trackCertificate.commonName",
  "trackCertificate.expiry",
  "trackCertificate.renewal",
  "trackEstablishment.name",
] as const;

type EstablishmentQuery = SelectQueryBuilder<TrackDatabase, "trackEstablishment", object>;

/** The establishments a filter keeps (columns named with their table: the query may join the history). */
function filtered(query: EstablishmentQuery, filter: ListFilter): EstablishmentQuery {
  let q = query;
  if (filter.phase !== undefined) q = q.where("trackEstablishment.phase", "=", filter.phase);
  if (filter.department !== undefined) q = q.where("trackEstablishment.department", "=", filter.department);
  if (filter.ght !== undefined) q = q.where("trackEstablishment.ghtKey", "=", filter.ght);
  if (filter.person !== undefined) q = q.where("trackEstablishment.actorKey", "like", `%${filter.person}%`);
  if (filter.sinceOnOrBefore !== undefined)
    q = q.where("trackEstablishment.since", "<=", filter.sinceOnOrBefore);
  if (filter.renewalOnOrBefore !== undefined)
    q = q.where("trackEstablishment.renewal", "<=", filter.renewalOnOrBefore);
  return q;
}

/** Queries inside one read or one write. */
export class Queries {
  constructor(
    private readonly db: Kysely<TrackDatabase>,
    readonly dialect: Dialect,
  ) {}

  async establishment(finessEG: string): Promise<EstablishmentRecord | undefined> {
    const row = await this.db
      .selectFrom("trackEstablishment")
      .selectAll()
      .where("finessEg", "=", finessEG)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async establishments(finess: readonly string[]): Promise<Map<string, EstablishmentRecord>> {
    const out = new Map<string, EstablishmentRecord>();
    for (let i = 0; i < finess.length; i += 500) {
      const part = finess.slice(i, i + 500);
      if (part.length === 0) continue;
      const rows = await this.db
        .selectFrom("trackEstablishment")
        .selectAll()
        .where("finessEg", "in", part)
        .execute();
      for (const row of rows) out.set(row.finessEg, toRecord(row));
    }
    return out;
  }

  /** Inserts establishments, a few hundred rows per statement. */
  async insertEstablishments(records: readonly EstablishmentRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += CHUNK) {
      await this.db
        .insertInto("trackEstablishment")
        .values(records.slice(i, i + CHUNK).map((r) => toRow(r, PHASE_RANKS[r.phase] ?? 0)))
        .execute();
    }
  }

  /**
   * Replaces the row if its version is still `expected`; otherwise throws VersionConflict. The answers and plan
   * are written only when `dossierChanged` (the other changes leave those large columns as they are).
   */
  async updateEstablishment(
    record: EstablishmentRecord,
    expected: number,
    dossierChanged: boolean,
  ): Promise<void> {
    const result = await this.db
      .updateTable("trackEstablishment")
      .set(this.rowChanges(record, dossierChanged))
      .where("finessEg", "=", record.finessEG)
      .where("version", "=", expected)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new VersionConflict(record.finessEG, expected);
  }

  /**
   * An establishment and its history in order. On PostgreSQL one round trip: the history comes aggregated in
   * the row (each entry an array of EVENT_KEYS' values); SQLite runs in the process and reads both directly.
   */
  async establishmentWithEvents(
    finessEG: string,
  ): Promise<{ record: EstablishmentRecord; events: TrackEvent[] } | undefined> {
    if (this.dialect === "sqlite") {
      const record = await this.establishment(finessEG);
      return record ? { record, events: await this.events(finessEG) } : undefined;
    }
    const row = await this.db
      .selectFrom("trackEstablishment as e")
      .selectAll("e")
      .select((eb) =>
        eb
          .selectFrom("trackEvent as v")
          .select(
            sql<unknown[][]>`coalesce(json_agg(json_build_array(${sql.join(
              EVENT_KEYS.map((k) => sql.ref(`v.${k}`)),
            )}) order by v.id), '[]')`.as("history"),
          )
          .whereRef("v.finessEg", "=", "e.finessEg")
          .as("history"),
      )
      .where("e.finessEg", "=", finessEG)
      .executeTakeFirst();
    if (!row) return undefined;
    const { history, ...establishment } = row;
    return {
      record: toRecord(establishment),
      events: (history ?? []).map((values) =>
        toEvent(Object.fromEntries(EVENT_KEYS.map((k, i) => [k, values[i]])) as Selectable<EventTable>),
      ),
    };
  }

  /**
   * Writes a change of one establishment: its row (if still at version `expected`, else VersionConflict) and
   * the entry appended to its history, whose id is returned. On PostgreSQL one statement (the entry is
   * inserted only if the row was updated); on SQLite two, in the caller's transaction.
   */
  async commitChange(
    record: EstablishmentRecord,
    expected: number,
    dossierChanged: boolean,
    event: Omit<TrackEvent, "id">,
  ): Promise<number> {
    if (this.dialect === "sqlite") {
      await this.updateEstablishment(record, expected, dossierChanged);
      return this.appendEvent(event);
    }
    const values = eventRow(event);
    const inserted = await this.db
      .with("updated", (db) =>
        db
          .updateTable("trackEstablishment")
          .set(this.rowChanges(record, dossierChanged))
          .where("finessEg", "=", record.finessEG)
          .where("version", "=", expected)
          .returning("finessEg"),
      )
      .insertInto("trackEvent")
      .columns(EVENT_KEYS.slice(1) as (keyof typeof values)[])
      .expression((eb) =>
        eb
          .selectFrom("updated")
          .select(
            EVENT_KEYS.slice(1).map((k) =>
              sql`cast(${values[k as keyof typeof values]} as ${sql.raw(k === "undoes" ? "integer" : "text")})`.as(
                k,
              ),
            ),
          ),
      )
      .returning("id")
      .executeTakeFirst();
    const id = inserted?.id;
    if (id === undefined) throw new VersionConflict(record.finessEG, expected);
    return Number(id);
  }

  /** The columns a change writes: the summary, and the answers and plan only when the dossier changed. */
  private rowChanges(record: EstablishmentRecord, dossierChanged: boolean) {
    const { answers, plan, ...summary } = toRow(record, PHASE_RANKS[record.phase] ?? 0);
    return dossierChanged ? { ...summary, answers, plan } : summary;
  }

  async events(finessEG: string): Promise<TrackEvent[]> {
    const rows = await this.db
      .selectFrom("trackEvent")
      .selectAll()
      .where("finessEg", "=", finessEG)
      .orderBy("id")
      .execute();
    return rows.map(toEvent);
  }

  /** The latest entries, newest first, optionally of one establishment. */
  async latestEvents(limit: number, finessEG?: string): Promise<TrackEvent[]> {
    let query = this.db.selectFrom("trackEvent").selectAll();
    if (finessEG !== undefined) query = query.where("finessEg", "=", finessEG);
    const rows = await query.orderBy("id", "desc").limit(limit).execute();
    return rows.map(toEvent);
  }

  async appendEvent(event: Omit<TrackEvent, "id">): Promise<number> {
    const row = await this.db
      .insertInto("trackEvent")
      .values(eventRow(event))
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** Appends entries in order, a few hundred per statement (their ids follow that order). */
  async appendEvents(events: readonly Omit<TrackEvent, "id">[]): Promise<void> {
    for (let i = 0; i < events.length; i += CHUNK) {
      await this.db
        .insertInto("trackEvent")
        .values(events.slice(i, i + CHUNK).map(eventRow))
        .execute();
    }
  }

  async list(query: ListQuery): Promise<{ rows: ListedEstablishment[]; total: number }> {
    const base = filtered(this.db.selectFrom("trackEstablishment"), query);
    const direction = query.descending ? "desc" : "asc";
    const rows = await base
      .select([
        "finessEg",
        "finessEj",
        "name",
        "department",
        "ght",
        "dossier",
        "rulesVersion",
        "toolVersion",
        "answersHash",
        "registeredAt",
        "registeredOn",
        "updatedAt",
        "version",
        "phase",
        "phaseRank",
        "nextStep",
        "nextAction",
        "actor",
        "actorKey",
        "waitingFor",
        "since",
        "renewal",
      ])
      .orderBy(SORT_COLUMNS[query.sort], direction)
      .orderBy("finessEg")
      .limit(query.limit)
      .offset(query.offset)
      .execute();
    const total = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return {
      rows: rows.map((row) => {
        const { answers: _a, plan: _p, ...rest } = toRecord({ ...row, ghtKey: null, answers: "", plan: "" });
        return rest;
      }),
      total: Number(total.n),
    };
  }

  /**
   * The GHTs of the register, each once: names with the same key are one GHT, shown as most establishments write
   * it. In French alphabetical order, chosen here rather than by the database's collation so both agree.
   */
  async ghts(): Promise<string[]> {
    const rows = await this.db
      .selectFrom("trackEstablishment")
      .select((eb) => ["ghtKey", "ght", eb.fn.countAll<number>().as("n")])
      .where("ghtKey", "is not", null)
      .groupBy(["ghtKey", "ght"])
      .execute();
    const best = new Map<string, { name: string; n: number }>();
    for (const row of rows) {
      const key = row.ghtKey ?? "";
      const name = row.ght ?? "";
      const n = Number(row.n);
      const seen = best.get(key);
      if (!seen || n > seen.n || (n === seen.n && name < seen.name)) best.set(key, { name, n });
    }
    return [...best.entries()].sort(([a], [b]) => a.localeCompare(b, "fr")).map(([, { name }]) => name);
  }

  /**
   * The certificates of the establishments the filter keeps, in expiry order (then FINESS and profile), with
   * their establishment's name: in service first, then the replaced and revoked (which the timeline only counts).
   */
  async timelineRows(filter: ListFilter): Promise<TimelineRow[]> {
    const rows = await this.filteredCertificates(filter)
      .select([...TIMELINE_COLUMNS, "trackCertificate.status"])
      .orderBy("trackCertificate.status")
      .orderBy("trackCertificate.expiry")
      .orderBy("trackCertificate.finessEg")
      .orderBy("trackCertificate.profile")
      .execute();
    return rows.map(({ finessEg, status, ...row }) => ({
      ...row,
      finessEG: finessEg,
      status: status as CertificateRow["status"],
    }));
  }

  /** The certificates of the establishments the filter keeps, with their establishment. */
  private filteredCertificates(filter: ListFilter) {
    return filtered(this.db.selectFrom("trackEstablishment"), filter).innerJoin(
      "trackCertificate",
      "trackCertificate.finessEg",
      "trackEstablishment.finessEg",
    );
  }

  /**
   * The timeline's counts, computed by the database: the certificates of the establishments the filter keeps, by
   * expiry month and state (a CASE on the two days given, as expiryState decides). A few dozen rows.
   */
  async timelineCounts(filter: ListFilter, bounds: StateBounds): Promise<MonthStateCount[]> {
    const expiry = sql.ref("trackCertificate.expiry");
    const renewal = sql.ref("trackCertificate.renewal");
    const rows = await this.filteredCertificates(filter)
      .select((eb) => [
        sql<string>`substr(${expiry}, 1, 7)`.as("month"),
        sql<string>`case when ${sql.ref("trackCertificate.status")} <> 'inService' then 'retired'
          when ${expiry} < ${bounds.today} then 'expired'
          when ${renewal} < ${bounds.today} then 'overdue'
          when ${renewal} <= ${bounds.soon} then 'soon'
          else 'later' end`.as("state"),
        eb.fn.countAll<number | string>().as("count"),
      ])
      // By the output's names: PostgreSQL would not see the CASE with its parameters as the same expression twice.
      .groupBy([sql.ref("month"), sql.ref("state")])
      .execute();
    return rows.map((row) => ({ month: row.month, state: row.state, count: Number(row.count) }));
  }

  /**
   * The first `perMonth` certificates in service of each expiry month (row_number over the month), in expiry order
   * then FINESS and profile, with their establishment's name: what the timeline shows before « Afficher plus ».
   */
  async timelineHeads(filter: ListFilter, perMonth: number): Promise<TimelineEntryRow[]> {
    const expiry = sql.ref("trackCertificate.expiry");
    const ranked = this.filteredCertificates(filter)
      .where("trackCertificate.status", "=", "inService")
      .select([
        ...TIMELINE_COLUMNS,
        sql<number>`row_number() over (partition by substr(${expiry}, 1, 7) order by ${expiry}, ${sql.ref(
          "trackCertificate.finessEg",
        )}, ${sql.ref("trackCertificate.profile")})`.as("nth"),
      ]);
    const rows = await this.db
      .selectFrom(ranked.as("r"))
      .select(["finessEg", "profile", "serialNumber", "commonName", "expiry", "renewal", "name"])
      .where("nth", "<=", perMonth)
      .orderBy("expiry")
      .orderBy("finessEg")
      .orderBy("profile")
      .execute();
    return rows.map(({ finessEg, ...row }) => ({ ...row, finessEG: finessEg }));
  }

  /** Certificates in service expiring from `from` to `to` (days, both included), in timeline order: one page. */
  async timelineSlice(
    filter: ListFilter,
    from: string,
    to: string,
    offset: number,
    limit: number,
  ): Promise<TimelineEntryRow[]> {
    const rows = await this.filteredCertificates(filter)
      .where("trackCertificate.status", "=", "inService")
      .where("trackCertificate.expiry", ">=", from)
      .where("trackCertificate.expiry", "<=", to)
      .select(TIMELINE_COLUMNS)
      .orderBy("trackCertificate.expiry")
      .orderBy("trackCertificate.finessEg")
      .orderBy("trackCertificate.profile")
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(({ finessEg, ...row }) => ({ ...row, finessEG: finessEg }));
  }

  /** Rewrites an establishment's certificates (derived from its history). */
  async replaceCertificates(finessEG: string, rows: readonly CertificateRow[]): Promise<void> {
    await this.db.deleteFrom("trackCertificate").where("finessEg", "=", finessEG).execute();
    await this.insertCertificates(rows);
  }

  /** Writes certificates (of one establishment, or of a whole import), a few hundred rows per statement. */
  async insertCertificates(rows: readonly CertificateRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK)
      await this.db
        .insertInto("trackCertificate")
        .values(rows.slice(i, i + CHUNK).map(certificateTableRow))
        .execute();
  }

  async allEstablishments(): Promise<EstablishmentRecord[]> {
    const rows = await this.db.selectFrom("trackEstablishment").selectAll().orderBy("finessEg").execute();
    return rows.map(toRecord);
  }

  async allEvents(): Promise<TrackEvent[]> {
    const rows = await this.db.selectFrom("trackEvent").selectAll().orderBy("id").execute();
    return rows.map(toEvent);
  }

  async counts(): Promise<{ establishments: number; events: number }> {
    const e = await this.db
      .selectFrom("trackEstablishment")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const v = await this.db
      .selectFrom("trackEvent")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return { establishments: Number(e.n), events: Number(v.n) };
  }

  /** Import: entries keep their ids. */
  async insertEventsWithIds(events: readonly TrackEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += CHUNK) {
      await this.db
        .insertInto("trackEvent")
        .values(events.slice(i, i + CHUNK).map((e) => ({ id: e.id, ...eventRow(e) })))
        .execute();
    }
    if (this.dialect === "postgres") {
      await sql`select setval(pg_get_serial_sequence('track_event', 'id'), coalesce((select max(id) from track_event), 0) + 1, false)`.execute(
        this.db,
      );
    }
  }
}

export class TrackStore {
  constructor(
    private readonly db: Kysely<TrackDatabase>,
    readonly dialect: Dialect,
    /** Where the register is, for messages: the file, or the server without its password. */
    readonly location: string,
  ) {}

  read<T>(fn: (q: Queries) => Promise<T>): Promise<T> {
    return fn(new Queries(this.db, this.dialect));
  }

  /**
   * One change of one establishment (Queries.commitChange), with its certificates rewritten when the change alters
   * them: on PostgreSQL a change that leaves them is a single statement, atomic by itself; anything else is one
   * transaction.
   */
  async commitChange(
    record: EstablishmentRecord,
    expected: number,
    dossierChanged: boolean,
    event: Omit<TrackEvent, "id">,
    certificates?: readonly CertificateRow[],
  ): Promise<number> {
    if (this.dialect === "postgres" && certificates === undefined)
      return new Queries(this.db, this.dialect).commitChange(record, expected, dossierChanged, event);
    return this.write(async (q) => {
      const id = await q.commitChange(record, expected, dossierChanged, event);
      if (certificates !== undefined) await q.replaceCertificates(record.finessEG, certificates);
      return id;
    });
  }

  /** One transaction: all of `fn` is written, or nothing. SQLite takes the write lock at once. */
  write<T>(fn: (q: Queries) => Promise<T>): Promise<T> {
    return this.db.connection().execute(async (conn) => {
      await sql.raw(this.dialect === "sqlite" ? "begin immediate" : "begin").execute(conn);
      try {
        const result = await fn(new Queries(conn, this.dialect));
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

function failure(code: string, params: Record<string, string | number>): StoreFailure {
  return { ok: false, code, params };
}

/** The server's address without user and password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "?";
  }
}

async function openSqlite(file: string, create: boolean): Promise<OpenResult> {
  const { default: Database } = await import("better-sqlite3");
  let database: import("better-sqlite3").Database;
  try {
    database = new Database(file, { fileMustExist: !create });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (/SQLITE_CANTOPEN/.test(code) && !create) return failure("registerMissing", { file });
    return failure("cannotOpen", { file, reason: (error as Error).message });
  }
  try {
    database.pragma("busy_timeout = 5000");
    database.pragma("journal_mode = WAL");
    database.pragma("foreign_keys = ON");
    database.pragma("synchronous = NORMAL");
  } catch (error) {
    database.close();
    const code = (error as { code?: string }).code ?? "";
    if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") return failure("notDatabase", { file });
    if (code === "SQLITE_BUSY") return failure("busy", { file });
    return failure("cannotOpen", { file, reason: (error as Error).message });
  }
  const db = new Kysely<TrackDatabase>({
    dialect: new SqliteDialect({ database }),
    plugins: [new CamelCasePlugin()],
  });
  return ready(db, "sqlite", file);
}

async function openPostgres(url: string): Promise<OpenResult> {
  const where = redactUrl(url);
  if (!/^postgres(ql)?:\/\//.test(url)) return failure("badUrl", { url: where });
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5000, max: 4 });
  pool.on("error", () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    const e = error as { code?: string; message?: string };
    if (e.code === "28P01" || e.code === "28000") return failure("pgAuth", { url: where });
    if (e.code === "3D000") return failure("pgNoDatabase", { url: where });
    return failure("pgUnreachable", { url: where, reason: e.code ?? e.message ?? "" });
  }
  const db = new Kysely<TrackDatabase>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
  return ready(db, "postgres", where);
}

/** Refuses a register written by a newer tool (untouched), else applies the missing migrations. */
async function ready(db: Kysely<TrackDatabase>, dialect: Dialect, location: string): Promise<OpenResult> {
  const store = new TrackStore(db, dialect, location);
  try {
    const found = await schemaVersion(db, dialect);
    if (found > LATEST_SCHEMA) {
      await store.close();
      return failure("newerSchema", { where: store.location, found, known: LATEST_SCHEMA });
    }
    const version = await migrate(db, dialect);
    if (version > LATEST_SCHEMA) {
      await store.close();
      return failure("newerSchema", { where: store.location, found: version, known: LATEST_SCHEMA });
    }
    return { ok: true, store };
  } catch (error) {
    await store.close().catch(() => undefined);
    const code = (error as { code?: string }).code ?? "";
    if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT")
      return failure("notDatabase", { file: store.location });
    if (code === "SQLITE_READONLY") return failure("readOnly", { where: store.location });
    return failure("cannotOpen", { file: store.location, reason: (error as Error).message });
  }
}

export function openStore(config: StoreConfig): Promise<OpenResult> {
  return config.kind === "sqlite" ? openSqlite(config.file, config.create) : openPostgres(config.url);
}
