import type { Entity, KeyGeneration, Role } from "../answers/types.js";
import type { AwaitedEvent, FormId, Phase, Profile, Severity } from "../rules/types.js";

/** The plan: public contract described by schemas/plan.schema.json. */

export {
  type AwaitedEvent,
  FORM_IDS,
  type FormId,
  PHASES,
  type Phase,
  PROFILES,
  type Profile,
  type Severity,
} from "../rules/types.js";

export interface Reference {
  rule: string;
  section: string;
  quote: string;
  interpretation?: string;
}

export interface PlanPerson {
  firstName: string;
  lastName: string;
  email: string;
}

export interface PlanDesignee extends PlanPerson {
  /** Position in the answers' designees list, from 0. */
  index: number;
  role: Role;
  vendor?: string;
}

export interface PlanSignatory extends PlanPerson {
  role: "legalRepresentative" | "mandatary";
  /** For a mandataire: their position in the answers' designees list, from 0. */
  designee?: number;
  label: string;
}

export interface PlanForm {
  /** Unique in the plan: the form, then the designee's number when the form is for a designee. */
  id: string;
  form: FormId;
  title: string;
  designee?: PlanDesignee;
  /** Form 413 only: the offers still missing. */
  offers?: Profile[];
  signatory: PlanSignatory;
  reasons: string[];
  references: Reference[];
}

export interface PlanContract {
  required: boolean;
  signatory: Entity;
  signatoryFiness: string;
  presentedEntity: Entity;
  presentedFiness: string;
  reasons: string[];
  references: Reference[];
}

export interface PlanCertificate {
  profile: Profile;
  label: string;
  offer: string;
  serviceName: string;
  commonName: string;
  /** SSL_SERVEUR only: `*<domain>`. */
  habilitationDomain?: string;
  /** The exact wording for « Précisions sur l'usage » of form 413. */
  usage: string;
  validityYears: number;
  renewalNoticeMonths: number;
  keyGeneration: { mode: KeyGeneration; label: string; implies: string[] };
  references: Reference[];
}

export interface PlanStep {
  number: number;
  id: string;
  phase: Phase;
  phaseTitle: string;
  actor: string;
  action: string;
  /** Ids of plan forms this step signs or sends. */
  documents: string[];
  sendTo?: string;
  designee?: number;
  /** Ids of the steps that come first: named by the rules, or yielding what this step waits for. */
  after: string[];
  /** What the step waits for: each entry is one awaited item, or any one of several (one of the administrators). */
  waitsFor: PlanWait[];
  /** French: when the step can be done (« Dès maintenant… », « Après l'étape 1, une fois reçue : … »). */
  when: string;
  references: Reference[];
}

export interface PlanWait {
  /** Ids of plan.awaited: any one of them is enough. */
  awaited: string[];
  reference: Reference;
}

/** An outside event the procedure waits for: a card, a registration, an e-mail, the certificates. */
export interface PlanAwaited {
  id: string;
  event: AwaitedEvent;
  /** French: « la carte CPx d'Élodie Lefèvre ». */
  label: string;
  /** French: who is expected to receive it. */
  receivedBy: string;
  /** Steps after which it comes. */
  yieldedBy: string[];
  /** Steps that wait for it. */
  awaitedBy: string[];
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  /** The answer it is about, for findings from the answers' checks. */
  path?: string;
  references?: Reference[];
}

export interface Explanation {
  /** What was decided, e.g. `form:101`, `contract`, `certificate:SSL_SERVEUR`, `step:formulaire-413`. */
  decision: string;
  rule: string;
  fired: boolean;
  /** French: the reason when it fired, why not otherwise. */
  summary: string;
  designee?: { index: number; name: string };
  facts: Record<string, string | number | boolean>;
  reference: Reference;
}

export interface Plan {
  planVersion: 1;
  generator: { tool: "diapason-dossier"; version: string; rulesVersion: string };
  establishment: {
    name: string;
    finessEJ: string;
    finessEG: string;
    geographicEntities: number;
    presentedEntity: Entity;
    presentedFiness: string;
  };
  gap: { fqdn: string; domain: string; habilitationDomain: string };
  contract: PlanContract;
  forms: PlanForm[];
  certificates: PlanCertificate[];
  steps: PlanStep[];
  /** The outside events the steps wait for, in the order they are first awaited. */
  awaited: PlanAwaited[];
  findings: Finding[];
  explanations: Explanation[];
}
