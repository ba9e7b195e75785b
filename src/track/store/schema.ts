import type { Generated } from "kysely";
import type { CertificateRow } from "../types.js";

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

/**
 * Each establishment's certificates as its history folds them (recorded, replaced, revoked, undone): derived
 * data, rewritten with the establishment's row whenever they change, so that the timeline of expiries reads
 * short rows in expiry order instead of folding every history.
 */
export type CertificateTable = Omit<CertificateRow, "finessEG" | "status"> & {
  finessEg: string;
  /** inService, replaced or revoked. */
  status: string;
};

export interface TrackDatabase {
  trackMeta: MetaTable;
  trackEstablishment: EstablishmentTable;
  trackEvent: EventTable;
  trackCertificate: CertificateTable;
}

export type Dialect = "sqlite" | "postgres";
