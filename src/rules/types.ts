import type { TopLevelCondition } from "json-rules-engine";

/**
 * The shapes of rules/*.json and rules/parametres.json, as schemas/rules.schema.json describes them (the schema is
 * checked when the rules are loaded: these types then hold).
 */

export type Scope = "establishment" | "designee";
export const EVENT_TYPES = ["contract", "form", "step", "finding", "keyGeneration", "signatory"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The words of the procedure the rules decide with. */
export type Entity = "EJ" | "EG";
export type FormId = "contrat-structure" | "101" | "301" | "502" | "413";
export const FORM_IDS: readonly FormId[] = ["contrat-structure", "101", "301", "502", "413"];
export type Profile = "ORG_AUTH_CLI" | "SSL_SERVEUR";
export const PROFILES: readonly Profile[] = ["ORG_AUTH_CLI", "SSL_SERVEUR"];
export type Phase = "prerequisites" | "habilitation" | "order" | "installation" | "tpe" | "lifecycle";
export const PHASES: readonly Phase[] = [
  "prerequisites",
  "habilitation",
  "order",
  "installation",
  "tpe",
  "lifecycle",
];
export type Severity = "error" | "warning" | "info";
export type KeyGenerationMode = "online" | "csr";
/** Whose: the designee the rule runs for, the legal representative, the signatory of form n°413, or the technical administrators (one of them). */
export type Whose = "designee" | "legalRepresentative" | "form413Signatory" | "technicalAdministrators";
/** Outside events the procedure waits for. */
export const AWAITED_EVENTS = [
  "contratEnregistre",
  "carte",
  "designationMandataire",
  "courrielHabilitation",
  "certificatsEmis",
] as const;
export type AwaitedEvent = (typeof AWAITED_EVENTS)[number];

/** Every event names the procedure section it encodes and quotes its sentence. */
export interface Cited {
  section: string;
  quote: string;
  /** Where the procedure needs an interpretation: which, and where it is written (DOMAIN.md). */
  interpretation?: string;
}

export type FactValue = string | number | boolean;
export type Facts = Record<string, FactValue>;

interface Base extends Cited {
  /** Decisions later rules read, as runtime facts. */
  setFacts?: Facts;
}

export interface ContractParams extends Base {
  required: boolean;
  signatory: Entity;
  presentedEntity: Entity;
  reason: string;
}

export interface FormParams extends Base {
  form: FormId;
  signedBy: "legalRepresentative" | "form413Signatory";
  reason: string;
  /** Form 413: the offer this rule asks for. */
  offer?: Profile;
}

/** An outside event a step yields: received by someone some time after the step is done. */
export interface Yield {
  event: AwaitedEvent;
  of?: Whose;
}

/** An outside event a step waits for, with the sentence that makes it wait. */
export interface Wait extends Cited {
  event: AwaitedEvent;
  of?: Whose;
}

export interface StepParams extends Base {
  id: string;
  phase: Phase;
  order: number;
  actor: string;
  action: string;
  reason?: string;
  documents?: FormId[];
  sendTo?: string;
  /** Steps (ids as in the rules) that come first when they are in the plan. */
  after?: string[];
  /** What the step sets going, that later steps wait for. */
  yields?: Yield[];
  waitsFor?: Wait[];
}

export interface FindingParams extends Base {
  code: string;
  severity: Severity;
  message: string;
}

export interface KeyGenerationParams extends Base {
  mode: KeyGenerationMode;
  implies: string[];
}

export interface SignatoryParams extends Base {
  form: "413";
  by: "legalRepresentative" | "mandatary";
  reason: string;
}

export type RuleEvent =
  | { type: "contract"; params: ContractParams }
  | { type: "form"; params: FormParams }
  | { type: "step"; params: StepParams }
  | { type: "finding"; params: FindingParams }
  | { type: "keyGeneration"; params: KeyGenerationParams }
  | { type: "signatory"; params: SignatoryParams };

export type EventOf<T extends EventType> = Extract<RuleEvent, { type: T }>;

export interface RuleSpec {
  name: string;
  /** Overrides the file's scope. */
  scope?: Scope;
  priority?: number;
  conditions: TopLevelCondition;
  event: RuleEvent;
}

/** One file of rules/: one section of the procedure. */
export interface RuleFile {
  section: string;
  title: string;
  scope: Scope;
  rules: RuleSpec[];
}

/** A constant of the procedure, with the sentence that gives it. Text values may name answers (`{{gap.fqdn}}`). */
export interface Parameter<T extends string | number = string> extends Cited {
  value: T;
}

/** rules/parametres.json: the procedure's constants, apart from the rules. */
export interface Parameters {
  deskEmail: Parameter;
  validityYears: Parameter<number>;
  renewalNoticeMonths: Parameter<number>;
  intermediateCa: Parameter;
  intermediateCaUrl: Parameter;
  rootCa: Parameter;
  tpeAuthority: Parameter;
  pspAuthority: Parameter;
  authoritiesContact: Parameter;
  certificates: {
    ORG_AUTH_CLI: CertificateParameters;
    SSL_SERVEUR: CertificateParameters & { habilitationDomain: Parameter };
  };
}

export interface CertificateParameters {
  serviceName: Parameter;
  commonName: Parameter;
  offer: Parameter;
  usage: Parameter;
  habilitationDomain?: Parameter;
}

export interface RuleSet {
  files: { name: string; rules: RuleFile }[];
  parameters: Parameters;
  /** Identifies the rules' content: changes whenever a rule, a parameter or the public suffix list does. */
  version: string;
}

/** A rule that fired, with its event. */
export type Fired = {
  rule: string;
  /** Position of the rule in the rule set: events are ordered by it, never by completion order. */
  index: number;
} & RuleEvent;

/** A rule evaluated, fired or not, with the facts its conditions read. */
export type Evaluated = Fired & { fired: boolean; facts: Facts };

export interface Decision {
  fired: Fired[];
  evaluated: Evaluated[];
}

/** The events of one type among fired ones, typed. */
export function ofType<T extends EventType, E extends { type: EventType }>(
  events: readonly E[],
  type: T,
): (E & EventOf<T>)[] {
  return events.filter((e): e is E & EventOf<T> => e.type === type);
}
