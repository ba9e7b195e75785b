/** Answers format v1: the public contract described by schemas/answers.schema.json. */

export type Entity = "EJ" | "EG";
export type Role = "technicalAdministrator" | "mandatary";
export type CardRequest = "form301" | "tom";
export type SslHabilitation = "none" | "restricted" | "wholeDomain";
export type KeyGeneration = "online" | "csr";

export interface Address {
  street: string;
  postalCode: string;
  city: string;
}

export interface Establishment {
  name: string;
  finessEJ: string;
  finessEG: string;
  geographicEntities: number;
  address?: Address;
  /** The GHT (groupement hospitalier de territoire) the establishment belongs to: read by no rule, shown and filtered on. */
  ght?: string;
}

export interface Contract {
  exists: boolean;
  signedAt?: Entity;
  signatory?: Entity;
  /** The FINESS of the EG under contract when it is not the GAP's EG (contract signed, or to be signed, at an EG). */
  finessEG?: string;
}

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
}

export interface LegalRepresentative extends Person {
  hasActiveCard: boolean;
  position?: string;
}

export interface Habilitation {
  orgAuthCli: boolean;
  sslServer: SslHabilitation;
}

export interface Designee extends Person {
  role: Role;
  hasActiveCard: boolean;
  cardRequest?: CardRequest;
  vendor?: string;
  position?: string;
  habilitation?: Habilitation;
  /** A mandataire designated in an earlier request: no new form n°502. */
  alreadyDesignated?: boolean;
}

export interface Gap {
  fqdn: string;
  domain: string;
}

export interface Answers {
  version: 1;
  establishment: Establishment;
  contract: Contract;
  legalRepresentative: LegalRepresentative;
  designees: Designee[];
  gap: Gap;
  keyGeneration: KeyGeneration;
  form413SignedBy?: "legalRepresentative" | "mandatary";
}

/** An error the user can cause and fix: a value, never an exception. */
export interface AnswerError {
  /** Dotted path of the field, e.g. `designees.0.email`; empty for the whole file. */
  path: string;
  /** Stable code, e.g. `FINESS_KEY`. */
  code: string;
  /** French: what is wrong and how to fix it. */
  message: string;
  /** The value the message proposes for the field, when it proposes one: valid by construction. */
  suggestion?: string;
}

export type AnswerWarning = AnswerError;

export type ValidationResult =
  | { ok: true; answers: Answers; warnings: AnswerWarning[] }
  | { ok: false; errors: AnswerError[]; warnings: AnswerWarning[] };
