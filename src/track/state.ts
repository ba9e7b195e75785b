import type { Plan, PlanAwaited, PlanStep } from "../plan/types.js";
import { fill, type TrackTexts } from "./texts.js";
import type { CertificateRow, EventKind, Summary, TrackEvent } from "./types.js";

/**
 * An establishment's state = its plan + the facts recorded in its history. Pure: no IO, no clock (the day is
 * passed in). The register never decides a step itself: what a step comes after and waits for is the plan's.
 */

export interface Fact {
  day: string;
  by: string;
  note: string | null;
  eventId: number;
  forced?: string;
}

export interface CertificateFact {
  profile: string;
  serialNumber: string;
  fingerprint: string;
  commonName: string;
  notBefore: string;
  notAfter: string;
  /** Calendar day of the renewal alert (one month before expiry). */
  renewal: string;
  /** French label of the chain it was checked against. */
  chain: string;
  recordedOn: string;
  status: "inService" | "replaced" | "revoked";
  revokedOn?: string;
  replacedBy?: string;
  eventId: number;
}

export interface Facts {
  steps: Map<string, Fact>;
  received: Map<string, Fact>;
  certificates: CertificateFact[];
}

/** The entries an undo has cancelled. */
export function undoneIds(events: readonly TrackEvent[]): Set<number> {
  const undone = new Set<number>();
  for (const e of events) if (e.kind === "undo" && e.undoes !== null) undone.add(e.undoes);
  return undone;
}

/** Folds the history (in id order) into the facts in force. */
export function factsOf(events: readonly TrackEvent[]): Facts {
  const undone = undoneIds(events);
  const facts: Facts = { steps: new Map(), received: new Map(), certificates: [] };
  for (const e of events) {
    if (undone.has(e.id)) continue;
    const fact: Fact = { day: e.day ?? e.at.slice(0, 10), by: e.by, note: e.note, eventId: e.id };
    if (e.kind === "done") {
      const after = e.after ? (JSON.parse(e.after) as { forced?: string }) : {};
      facts.steps.set(e.target, after.forced ? { ...fact, forced: after.forced } : fact);
    } else if (e.kind === "received") facts.received.set(e.target, fact);
    else if (e.kind === "certificate" && e.after) {
      // Completed in place: the object is fresh from JSON.parse, and copying it costs more than parsing it.
      const cert = JSON.parse(e.after) as CertificateFact;
      for (const c of facts.certificates) {
        if (c.profile === cert.profile && c.status === "inService") {
          c.status = "replaced";
          c.replacedBy = cert.serialNumber;
        }
      }
      cert.recordedOn = fact.day;
      cert.status = "inService";
      cert.eventId = e.id;
      facts.certificates.push(cert);
    } else if (e.kind === "certificate-revoked") {
      for (const c of facts.certificates) {
        if (c.serialNumber === e.target && c.status !== "revoked") {
          c.status = "revoked";
          c.revokedOn = fact.day;
        }
      }
    }
  }
  return facts;
}

/** What the timeline of expiries keeps of an establishment's certificates, in the order they were recorded. */
export function certificateRows(
  finessEG: string,
  certificates: readonly CertificateFact[],
): CertificateRow[] {
  return certificates.map((c) => ({
    finessEG,
    profile: c.profile,
    serialNumber: c.serialNumber,
    commonName: c.commonName,
    expiry: c.notAfter.slice(0, 10),
    renewal: c.renewal,
    status: c.status,
  }));
}

/** The history entries a certificate's state is folded from: recorded, revoked, or an undo of either. */
export const CERTIFICATE_KINDS: readonly EventKind[] = ["certificate", "certificate-revoked", "undo"];

/** The certificates of every establishment in `events` (any establishments, any order), as the table keeps them. */
export function certificatesOf(events: readonly TrackEvent[]): CertificateRow[] {
  const histories = new Map<string, TrackEvent[]>();
  for (const e of events) {
    if (!CERTIFICATE_KINDS.includes(e.kind)) continue;
    const list = histories.get(e.finessEG) ?? [];
    list.push(e);
    histories.set(e.finessEG, list);
  }
  return [...histories].flatMap(([finessEG, history]) =>
    certificateRows(finessEG, factsOf(history.sort((a, b) => a.id - b.id)).certificates),
  );
}

export type StepStatus = "done" | "ready" | "waiting" | "blocked";

export interface StepState {
  step: PlanStep;
  status: StepStatus;
  fact?: Fact;
  /** Steps it comes after that are not done. */
  pendingSteps: PlanStep[];
  /** What it waits for that has not been received: for each wait, the awaited events (any one is enough). */
  pendingWaits: PlanAwaited[][];
  /** For `ready` and `waiting`: since when (YYYY-MM-DD). */
  since?: string;
}

export interface AwaitedState {
  awaited: PlanAwaited;
  fact?: Fact;
  /** Expected since the steps that yield it are done (YYYY-MM-DD); undefined while they are not. */
  expectedSince?: string;
}

export interface EstablishmentState {
  steps: StepState[];
  awaited: AwaitedState[];
  summary: Summary;
}

function latest(days: readonly (string | undefined)[], floor: string): string {
  let out = floor;
  for (const d of days) if (d !== undefined && d > out) out = d;
  return out;
}

function awaitedStates(plan: Plan, facts: Facts, registeredOn: string): AwaitedState[] {
  return plan.awaited.map((awaited) => {
    const fact = facts.received.get(awaited.id);
    const yielded = awaited.yieldedBy.map((id) => facts.steps.get(id)?.day);
    const expected = yielded.every((d) => d !== undefined) ? latest(yielded, registeredOn) : undefined;
    return { awaited, ...(fact ? { fact } : {}), ...(expected ? { expectedSince: expected } : {}) };
  });
}

/** What stops a step from being done now: the steps it comes after, the awaited events not received. */
export function stepBlockers(
  plan: Plan,
  facts: Facts,
  step: PlanStep,
): { pendingSteps: PlanStep[]; pendingWaits: PlanAwaited[][] } {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const awaitedById = new Map(plan.awaited.map((a) => [a.id, a]));
  const pendingSteps = step.after
    .filter((id) => !facts.steps.has(id))
    .map((id) => byId.get(id))
    .filter((s): s is PlanStep => s !== undefined);
  const pendingWaits = step.waitsFor
    .filter((wait) => !wait.awaited.some((id) => facts.received.has(id)))
    .map((wait) => wait.awaited.map((id) => awaitedById.get(id)).filter((a): a is PlanAwaited => !!a));
  return { pendingSteps, pendingWaits };
}

/** The lifecycle steps run for three years: they never hold the procedure back. */
const ONGOING_PHASE = "lifecycle";

export function deriveState(
  plan: Plan,
  facts: Facts,
  registeredOn: string,
  texts: TrackTexts,
): EstablishmentState {
  const awaited = awaitedStates(plan, facts, registeredOn);
  const awaitedById = new Map(awaited.map((a) => [a.awaited.id, a]));
  const steps: StepState[] = plan.steps.map((step) => {
    const fact = facts.steps.get(step.id);
    const { pendingSteps, pendingWaits } = stepBlockers(plan, facts, step);
    if (fact) return { step, status: "done", fact, pendingSteps, pendingWaits };
    if (pendingSteps.length > 0) return { step, status: "blocked", pendingSteps, pendingWaits };
    const afterDays = step.after.map((id) => facts.steps.get(id)?.day);
    if (pendingWaits.length > 0) {
      const expected = pendingWaits.flat().map((a) => awaitedById.get(a.id)?.expectedSince);
      return {
        step,
        status: "waiting",
        pendingSteps,
        pendingWaits,
        since: latest([...afterDays, ...expected], registeredOn),
      };
    }
    const receivedDays = step.waitsFor.flatMap((w) => w.awaited.map((id) => facts.received.get(id)?.day));
    return {
      step,
      status: "ready",
      pendingSteps,
      pendingWaits,
      since: latest([...afterDays, ...receivedDays], registeredOn),
    };
  });
  return { steps, awaited, summary: summarize(steps, facts, texts) };
}

function summarize(steps: readonly StepState[], facts: Facts, texts: TrackTexts): Summary {
  const renewal =
    facts.certificates
      .filter((c) => c.status === "inService")
      .map((c) => c.renewal)
      .sort()[0] ?? null;
  const open = steps.filter((s) => s.status !== "done" && s.step.phase !== ONGOING_PHASE);
  const first = open[0];
  if (!first) {
    const owner = steps.find((s) => s.step.phase === ONGOING_PHASE)?.step.actor ?? "";
    return {
      phase: "done",
      nextStep: null,
      nextAction: renewal ? fill(texts.summary.renewal, { day: renewal }) : texts.summary.finished,
      actor: owner,
      waitingFor: null,
      since: null,
      renewal,
    };
  }
  const ready = open.find((s) => s.status === "ready");
  if (ready) {
    return {
      phase: first.step.phase,
      nextStep: ready.step.id,
      nextAction: fill(texts.summary.step, { number: ready.step.number, action: ready.step.action }),
      actor: ready.step.actor,
      waitingFor: null,
      since: ready.since ?? null,
      renewal,
    };
  }
  const waiting = open.find((s) => s.status === "waiting");
  const awaited = waiting?.pendingWaits[0]?.[0];
  if (waiting && awaited) {
    return {
      phase: first.step.phase,
      nextStep: null,
      nextAction: fill(texts.summary.waiting, { label: awaited.label }),
      actor: awaited.receivedBy,
      waitingFor: awaited.id,
      since: waiting.since ?? null,
      renewal,
    };
  }
  // Every open step waits for another open step: only a plan without a first step can get here.
  return {
    phase: first.step.phase,
    nextStep: null,
    nextAction: fill(texts.summary.step, { number: first.step.number, action: first.step.action }),
    actor: first.step.actor,
    waitingFor: null,
    since: null,
    renewal,
  };
}

/** Whole days between two calendar days (YYYY-MM-DD). */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** « en attente de la carte CPx d'Élodie Lefèvre depuis 12 jours », « à faire depuis aujourd'hui ». */
export function waitingText(summary: Summary, today: string, texts: TrackTexts): string {
  if (summary.since === null) return "";
  const since = sinceText(summary.since, today, texts);
  return summary.waitingFor
    ? fill(texts.summary.waitingSince, { action: summary.nextAction, since })
    : fill(texts.summary.todoSince, { action: summary.nextAction, since });
}

/** « depuis aujourd'hui », « depuis 1 jour », « depuis 12 jours ». */
export function sinceText(since: string, today: string, texts: TrackTexts): string {
  const days = daysFrom(since, today);
  if (days <= 0) return texts.summary.sinceToday;
  return fill(days === 1 ? texts.summary.sinceOneDay : texts.summary.sinceDays, { days });
}

/** Lower case without accents: the person filter compares these. */
export function searchKey(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}
