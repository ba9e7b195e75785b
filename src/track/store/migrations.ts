import type { Selectable } from "kysely";
import { type Kysely, sql } from "kysely";
import { ghtKey, ghtOf } from "../ght.js";
import { CERTIFICATE_KINDS, certificatesOf } from "../state.js";
import type { CertificateRow, EventKind, TrackEvent } from "../types.js";
import type { CertificateTable, Dialect, EventTable, TrackDatabase } from "./schema.js";

/**
 * Versioned migrations, applied in order at start. The schema's version lives in track_meta; a database whose
 * version is newer than the last migration here was written by a newer tool and is refused, never altered.
 */

export interface Migration {
  version: number;
  up(db: Kysely<TrackDatabase>, dialect: Dialect): Promise<void>;
}

export const SCHEMA_VERSION_KEY = "schema_version";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    async up(db, dialect) {
      await db.schema
        .createTable("track_establishment")
        .addColumn("finess_eg", "text", (c) => c.primaryKey())
        .addColumn("finess_ej", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("department", "text", (c) => c.notNull())
        .addColumn("dossier", "text", (c) => c.notNull())
        .addColumn("rules_version", "text", (c) => c.notNull())
        .addColumn("tool_version", "text", (c) => c.notNull())
        .addColumn("answers_hash", "text", (c) => c.notNull())
        .addColumn("registered_at", "text", (c) => c.notNull())
        .addColumn("registered_on", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("phase", "text", (c) => c.notNull())
        .addColumn("phase_rank", "integer", (c) => c.notNull())
        .addColumn("next_step", "text")
        .addColumn("next_action", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("actor_key", "text", (c) => c.notNull())
        .addColumn("waiting_for", "text")
        .addColumn("since", "text")
        .addColumn("renewal", "text")
        // Last: SQLite reads a row's columns in order, so the list's columns never walk these large ones.
        .addColumn("answers", "text", (c) => c.notNull())
        .addColumn("plan", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("track_event")
        .addColumn("id", dialect === "postgres" ? "serial" : "integer", (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("finess_eg", "text", (c) => c.notNull().references("track_establishment.finess_eg"))
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("by", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("day", "text")
        .addColumn("note", "text")
        .addColumn("before", "text")
        .addColumn("after", "text")
        .addColumn("undoes", "integer")
        .execute();
      await db.schema
        .createIndex("track_event_finess")
        .on("track_event")
        .columns(["finess_eg", "id"])
        .execute();
      for (const column of ["phase", "phase_rank", "since", "department", "actor_key", "name", "renewal"]) {
        await db.schema
          .createIndex(`track_establishment_${column}`)
          .on("track_establishment")
          .columns([column, "finess_eg"])
          .execute();
      }
    },
  },
  {
    /**
     * The establishment's GHT (answers' establishment.ght) and its filter key, indexed like the other filters. A
     * register of version 1 gets each establishment's GHT from the answers it stores, here, so that it filters by
     * GHT at once (its rows keep their version: nothing was recorded by anyone).
     *
     * ALTER TABLE puts the two columns after the large answers and plan, so on SQLite reading them walks those
     * columns' overflow pages. Measured with 10,000 establishments and 64 kB plans: the list's first page of 50
     * goes from 0.04 to 0.06 ms, the whole list (CSV or XLSX export) from 25 to 150 ms. A rebuilt table would keep
     * them first but copy the whole register at start with its foreign keys suspended: not worth it.
     */
    version: 2,
    async up(db) {
      await db.schema.alterTable("track_establishment").addColumn("ght", "text").execute();
      await db.schema.alterTable("track_establishment").addColumn("ght_key", "text").execute();
      await db.schema
        .createIndex("track_establishment_ght_key")
        .on("track_establishment")
        .columns(["ght_key", "finess_eg"])
        .execute();
      let after = "";
      for (;;) {
        const rows = await db
          .selectFrom("trackEstablishment")
          .select(["finessEg", "answers"])
          .where("finessEg", ">", after)
          .orderBy("finessEg")
          .limit(500)
          .execute();
        for (const row of rows) {
          const ght = ghtOf(parsedOrNull(row.answers));
          if (ght === null) continue;
          await db
            .updateTable("trackEstablishment")
            .set({ ght, ghtKey: ghtKey(ght) })
            .where("finessEg", "=", row.finessEg)
            .execute();
        }
        const last = rows[rows.length - 1];
        if (!last) break;
        after = last.finessEg;
      }
    },
  },
  {
    /**
     * Each establishment's certificates in a table of their own (derived from the history, rewritten whenever they
     * change), read in expiry order by the timeline. A register of version 2 gets them here, folded from its
     * history as the register folds it.
     */
    version: 3,
    async up(db) {
      await db.schema
        .createTable("track_certificate")
        .addColumn("finess_eg", "text", (c) => c.notNull().references("track_establishment.finess_eg"))
        .addColumn("profile", "text", (c) => c.notNull())
        .addColumn("serial_number", "text", (c) => c.notNull())
        .addColumn("common_name", "text", (c) => c.notNull())
        .addColumn("expiry", "text", (c) => c.notNull())
        .addColumn("renewal", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("track_certificate_expiry")
        .on("track_certificate")
        .columns(["status", "expiry", "finess_eg"])
        .execute();
      await db.schema
        .createIndex("track_certificate_finess")
        .on("track_certificate")
        .columns(["finess_eg"])
        .execute();
      const events = await db
        .selectFrom("trackEvent")
        .selectAll()
        .where("kind", "in", CERTIFICATE_KINDS)
        .execute();
      const rows = certificatesOf(events.map(toEvent));
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto("trackCertificate")
          .values(rows.slice(i, i + 500).map(certificateTableRow))
          .execute();
    },
  },
];

/** A history entry as the register reads it. */
export function toEvent(row: Selectable<EventTable>): TrackEvent {
  return {
    id: Number(row.id),
    finessEG: row.finessEg,
    at: row.at,
    by: row.by,
    kind: row.kind as EventKind,
    target: row.target,
    day: row.day,
    note: row.note,
    before: row.before,
    after: row.after,
    undoes: row.undoes === null ? null : Number(row.undoes),
  };
}

/** A certificate row as the table stores it. */
export function certificateTableRow(row: CertificateRow): CertificateTable {
  const { finessEG, ...rest } = row;
  return { finessEg: finessEG, ...rest };
}

/** The stored answers read back; null when the text is not JSON (a row altered by hand keeps no GHT). */
function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** The schema version recorded in the database; 0 when the register's tables are not there yet. */
export async function schemaVersion(db: Kysely<TrackDatabase>, dialect: Dialect): Promise<number> {
  // PostgreSQL: the table on the search path only (another schema may hold another register).
  const found =
    dialect === "postgres"
      ? await sql<{ t: string | null }>`select to_regclass('track_meta')::text as t`.execute(db)
      : await sql<{
          t: string | null;
        }>`select name as t from sqlite_master where type = 'table' and name = 'track_meta'`.execute(db);
  if (!found.rows[0]?.t) return 0;
  const row = await db
    .selectFrom("trackMeta")
    .select("value")
    .where("key", "=", SCHEMA_VERSION_KEY)
    .executeTakeFirst();
  return row ? Number(row.value) : 0;
}

/** Applies the missing migrations in one transaction (PostgreSQL: under a lock, for two tools starting at once). */
export async function migrate(db: Kysely<TrackDatabase>, dialect: Dialect): Promise<number> {
  return db.connection().execute(async (conn) => {
    await sql.raw(dialect === "sqlite" ? "begin immediate" : "begin").execute(conn);
    try {
      if (dialect === "postgres") await sql`select pg_advisory_xact_lock(736452190)`.execute(conn);
      const current = await schemaVersion(conn, dialect);
      if (current > LATEST_SCHEMA) {
        await sql`rollback`.execute(conn);
        return current;
      }
      if (current === 0) {
        await conn.schema
          .createTable("track_meta")
          .ifNotExists()
          .addColumn("key", "text", (c) => c.primaryKey())
          .addColumn("value", "text", (c) => c.notNull())
          .execute();
      }
      for (const migration of MIGRATIONS) {
        if (migration.version > current) await migration.up(conn, dialect);
      }
      if (current < LATEST_SCHEMA) {
        if (current === 0)
          await conn
            .insertInto("trackMeta")
            .values({ key: SCHEMA_VERSION_KEY, value: String(LATEST_SCHEMA) })
            .execute();
        else
          await conn
            .updateTable("trackMeta")
            .set({ value: String(LATEST_SCHEMA) })
            .where("key", "=", SCHEMA_VERSION_KEY)
            .execute();
      }
      await sql`commit`.execute(conn);
      return LATEST_SCHEMA;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
