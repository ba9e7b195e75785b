import { ghtOf } from "./ght.js";
import { certificatesOf } from "./state.js";
import { LATEST_SCHEMA } from "./store/migrations.js";
import type { TrackStore } from "./store/store.js";
import type { EstablishmentRecord, TrackEvent } from "./types.js";

/**
 * `track export` / `track import`: the whole register as one JSON document. The same register always gives the
 * same bytes (establishments by FINESS, entries by id, keys in a fixed order), so an import re-exports equal.
 */

export const DUMP_FORMAT = "diapason-dossier/suivi/1";

export interface Dump {
  format: typeof DUMP_FORMAT;
  schemaVersion: number;
  establishments: (Omit<EstablishmentRecord, "answers" | "plan"> & { answers: unknown; plan: unknown })[];
  events: TrackEvent[];
}

/** How a dumped value is checked on import. */
type Kind = "text" | "textOrNull" | "integer" | "integerOrNull" | "object" | "json";

/** The fields of a dumped establishment, in the dump's order, each with its kind: written and checked from here. */
const ESTABLISHMENT_FIELDS = {
  finessEG: "text",
  finessEJ: "text",
  name: "text",
  department: "text",
  ght: "textOrNull",
  dossier: "text",
  rulesVersion: "text",
  toolVersion: "text",
  answersHash: "text",
  registeredAt: "text",
  registeredOn: "text",
  updatedAt: "text",
  version: "integer",
  phase: "text",
  nextStep: "textOrNull",
  nextAction: "text",
  actor: "text",
  actorKey: "text",
  waitingFor: "textOrNull",
  since: "textOrNull",
  renewal: "textOrNull",
  answers: "json",
  plan: "object",
} as const satisfies Record<string, Kind>;

const EVENT_FIELDS = {
  id: "integer",
  finessEG: "text",
  at: "text",
  by: "text",
  kind: "text",
  target: "text",
  day: "textOrNull",
  note: "textOrNull",
  before: "textOrNull",
  after: "textOrNull",
  undoes: "integerOrNull",
} as const satisfies Record<string, Kind>;

/**
 * What a dump written under an earlier schema lacks, derived as the migration of that version derives it: a
 * dump's establishments go through the upgrades of the versions above its own, in order, before they are checked.
 */
const DUMP_UPGRADES: readonly {
  version: number;
  establishment(raw: Record<string, unknown>): Record<string, unknown>;
}[] = [{ version: 2, establishment: (raw) => ({ ...raw, ght: ghtOf(raw.answers) }) }];

const ESTABLISHMENT_KEYS = Object.keys(ESTABLISHMENT_FIELDS) as (keyof typeof ESTABLISHMENT_FIELDS)[];
const EVENT_KEYS = Object.keys(EVENT_FIELDS) as (keyof typeof EVENT_FIELDS)[];

const CHECKS: Record<Kind, (v: unknown) => boolean> = {
  text: (v) => typeof v === "string",
  textOrNull: (v) => v === null || typeof v === "string",
  integer: (v) => Number.isInteger(v),
  integerOrNull: (v) => v === null || Number.isInteger(v),
  object: (v) => typeof v === "object" && v !== null,
  json: (v) => v !== undefined,
};

function valid(raw: unknown, fields: Record<string, Kind>): raw is Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return false;
  const record = raw as Record<string, unknown>;
  return Object.entries(fields).every(([key, kind]) => CHECKS[kind](record[key]));
}

/** A dumped establishment of schema version `from`, brought to the current schema. */
function upgraded(raw: unknown, from: number): unknown {
  if (typeof raw !== "object" || raw === null) return raw;
  return DUMP_UPGRADES.filter((u) => u.version > from).reduce(
    (value, upgrade) => upgrade.establishment(value),
    raw as Record<string, unknown>,
  );
}

function ordered<K extends string>(source: Record<string, unknown>, keys: readonly K[]): Record<K, unknown> {
  const out = {} as Record<K, unknown>;
  for (const key of keys) out[key] = source[key];
  return out;
}

export async function exportRegister(store: TrackStore): Promise<string> {
  const { records, events } = await store.read(async (q) => ({
    records: await q.allEstablishments(),
    events: await q.allEvents(),
  }));
  const dump = {
    format: DUMP_FORMAT,
    schemaVersion: LATEST_SCHEMA,
    establishments: records.map((r) =>
      ordered({ ...r, answers: JSON.parse(r.answers), plan: JSON.parse(r.plan) }, ESTABLISHMENT_KEYS),
    ),
    events: events.map((e) => ordered({ ...e }, EVENT_KEYS)),
  };
  return `${JSON.stringify(dump, null, 2)}\n`;
}

export type ImportResult =
  | { ok: true; establishments: number; events: number }
  | {
      ok: false;
      code: "notDump" | "dumpNewer" | "notEmpty" | "dumpInvalid";
      params: Record<string, string | number>;
    };

function checkEstablishment(raw: unknown): EstablishmentRecord | undefined {
  if (!valid(raw, ESTABLISHMENT_FIELDS)) return undefined;
  return {
    ...(raw as unknown as EstablishmentRecord),
    answers: JSON.stringify(raw.answers),
    plan: JSON.stringify(raw.plan),
  };
}

function checkEvent(raw: unknown): TrackEvent | undefined {
  return valid(raw, EVENT_FIELDS) ? (raw as unknown as TrackEvent) : undefined;
}

/** Restores a dump into an empty register, in one transaction: all of it, or nothing. */
export async function importRegister(store: TrackStore, text: string): Promise<ImportResult> {
  let data: Partial<Dump>;
  try {
    data = JSON.parse(text) as Partial<Dump>;
  } catch {
    return { ok: false, code: "notDump", params: {} };
  }
  if (data?.format !== DUMP_FORMAT || !Array.isArray(data.establishments) || !Array.isArray(data.events))
    return { ok: false, code: "notDump", params: {} };
  if (typeof data.schemaVersion !== "number" || data.schemaVersion > LATEST_SCHEMA)
    return {
      ok: false,
      code: "dumpNewer",
      params: { found: String(data.schemaVersion), known: LATEST_SCHEMA },
    };
  const records: EstablishmentRecord[] = [];
  for (const [i, raw] of data.establishments.entries()) {
    const record = checkEstablishment(upgraded(raw, data.schemaVersion));
    if (!record) return { ok: false, code: "dumpInvalid", params: { what: `establishments[${i}]` } };
    records.push(record);
  }
  const events: TrackEvent[] = [];
  const finess = new Set(records.map((r) => r.finessEG));
  for (const [i, raw] of data.events.entries()) {
    const event = checkEvent(raw);
    if (!event || !finess.has(event.finessEG))
      return { ok: false, code: "dumpInvalid", params: { what: `events[${i}]` } };
    events.push(event);
  }
  return store.write(async (q) => {
    const counts = await q.counts();
    if (counts.establishments > 0 || counts.events > 0)
      return { ok: false, code: "notEmpty", params: { establishments: counts.establishments } } as const;
    await q.insertEstablishments(records);
    await q.insertEventsWithIds(events);
    await q.insertCertificates(certificatesOf(events));
    return { ok: true, establishments: records.length, events: events.length } as const;
  });
}
