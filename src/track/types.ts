import type { Phase } from "../plan/types.js";

/** The register's records, as the store keeps them and the export writes them. */

export type EventKind =
  | "registered"
  | "replanned"
  | "done"
  | "received"
  | "certificate"
  | "certificate-revoked"
  | "undo";

/** One entry of an establishment's history: nothing is ever deleted, an undo is an entry too. */
export interface TrackEvent {
  id: number;
  finessEG: string;
  /** When it was recorded (ISO instant). */
  at: string;
  /** Who recorded it. */
  by: string;
  kind: EventKind;
  /** The step, awaited event, certificate profile or serial the entry is about; empty otherwise. */
  target: string;
  /** The day the fact happened (YYYY-MM-DD), for `done`, `received` and `certificate-revoked`. */
  day: string | null;
  note: string | null;
  /** JSON: what the entry changed, before and after. */
  before: string | null;
  after: string | null;
  /** For `undo`: the id of the entry it cancels. */
  undoes: number | null;
}

/** The establishment's summary, derived from its plan and facts and stored so lists are queries. */
export interface Summary {
  /** A plan phase, or `done` once every step before the certificates' life cycle is done. */
  phase: Phase | "done";
  /** Id of the next step to do, when one can be done now. */
  nextStep: string | null;
  /** French: the next action. */
  nextAction: string;
  /** French: who must act (or receive what is awaited). */
  actor: string;
  /** Id of the awaited event when the establishment waits for one. */
  waitingFor: string | null;
  /** Since when (YYYY-MM-DD) the actor has had something to do or to wait for. */
  since: string | null;
  /** The earliest renewal-alert day (YYYY-MM-DD) of the certificates in service. */
  renewal: string | null;
}

export interface EstablishmentRecord extends Summary {
  finessEG: string;
  finessEJ: string;
  name: string;
  /** Département code from the FINESS (« 01 », « 2A », « 971 »). */
  department: string;
  /** The GHT the answers name (establishment.ght), cleaned; null when they name none. */
  ght: string | null;
  /** The dossier's folder as given to `track add`. */
  dossier: string;
  rulesVersion: string;
  toolVersion: string;
  answersHash: string;
  /** JSON of the answers and of the plan. */
  answers: string;
  plan: string;
  /** ISO instant and calendar day of the registration. */
  registeredAt: string;
  registeredOn: string;
  updatedAt: string;
  /** Optimistic version: incremented by every write. */
  version: number;
  /** Lower-case, accent-free actor, for the person filter. */
  actorKey: string;
}

/** A certificate as the register keeps it for the timeline of expiries (derived from the history). */
export interface CertificateRow {
  finessEG: string;
  profile: string;
  serialNumber: string;
  commonName: string;
  /** Calendar days YYYY-MM-DD. */
  expiry: string;
  renewal: string;
  status: "inService" | "replaced" | "revoked";
}
