import type { Generated } from "kysely";

/** The register's tables, as Kysely sees them (columns are snake_case in the database). */

export interface MetaTable {
  key: string;
  value: string;
}

export interface EstablishmentTable {
  finessEg: string;
  finessEj: string;
  name: string;
  department: string;
  /** Schema version 2. */
  ght: string | null;
  /** ghtKey(ght): what the GHT filter compares. */
  ghtKey: string | null;
  dossier: string;
  rulesVersion: string;
  toolVersion: string;
  answersHash: string;
  answers: string;
  plan: string;
  registeredAt: string;
  registeredOn: string;
  updatedAt: string;
  version: number;
  phase: string;
  phaseRank: number;
  nextStep: string | null;
  nextAction: string;
  actor: string;
  actorKey: string;
  waitingFor: string | null;
  since: string | null;
  renewal: string | null;
}

export interface EventTable {
  id: Generated<number>;
  finessEg: string;
  at: string;
  by: string;
  kind: string;
  target: string;
  day: string | null;
  note: string | null;
  before: string | null;
  after: string | null;
  undoes: number | null;
}

export interface TrackDatabase {
  trackMeta: MetaTable;
  trackEstablishment: EstablishmentTable;
  trackEvent: EventTable;
}

export type Dialect = "sqlite" | "postgres";
