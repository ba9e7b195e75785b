import { Comparison, previousReport } from "../batch/compare.js";
import { planDecisions } from "../batch/decisions.js";
import { parisIsoDay } from "../certificates/dates.js";
import { departementFromFiness } from "../certificates/departement.js";
import type { Plan } from "../plan/types.js";
import { ghtOf } from "./ght.js";
import {
  type CertificateFact,
  certificateRows,
  deriveState,
  type EstablishmentState,
  type Fact,
  type Facts,
  factsOf,
  searchKey,
  stepBlockers,
  undoneIds,
} from "./state.js";
import {
  type ListedEstablishment,
  type ListQuery,
  type Queries,
  type TrackStore,
  VersionConflict,
} from "./store/store.js";
import { fill, type TrackTexts } from "./texts.js";
import type { CertificateRow, EstablishmentRecord, EventKind, TrackEvent } from "./types.js";

/**
 * The register's operations. The store, the texts and the clock are passed in; nothing here reads a file or
 * the time. Each operation is one transaction; a refusal is a value and leaves the register as it was.
 */

export interface RegisterDeps {
  store: TrackStore;
  texts: TrackTexts;
  now: () => Date;
  toolVersion: string;
}

/** A refusal: a code of track.fr.json's errors, its values, and the exit code the README gives it. */
export interface TrackFailure {
  ok: false;
  code: string;
  params: Record<string, string | number>;
  /** 1: the register refuses it (procedure, conflict); 2: what was given cannot be used. */
  exit: 1 | 2;
  /** For a version conflict: the establishment as it is now. */
  current?: EstablishmentView;
}

export type Result<T> = { ok: true; value: T } | TrackFailure;

export function fail(
  code: string,
  params: Record<string, string | number>,
  exit: 1 | 2,
  current?: EstablishmentView,
): TrackFailure {
  return { ok: false, code, params, exit, ...(current ? { current } : {}) };
}

export interface EstablishmentView {
  record: EstablishmentRecord;
  plan: Plan;
  facts: Facts;
  state: EstablishmentState;
  events: TrackEvent[];
}

/** The calendar day in Paris of an instant, YYYY-MM-DD. */
export const parisDay = parisIsoDay;

function view(record: EstablishmentRecord, events: TrackEvent[], texts: TrackTexts): EstablishmentView {
  const plan = JSON.parse(record.plan) as Plan;
  const facts = factsOf(events);
  return { record, plan, facts, state: deriveState(plan, facts, record.registeredOn, texts), events };
}

async function load(q: Queries, finessEG: string, texts: TrackTexts): Promise<EstablishmentView | undefined> {
  const found = await q.establishmentWithEvents(finessEG);
  return found ? view(found.record, found.events, texts) : undefined;
}

export function normaliseFiness(text: string): string {
  return text.replace(/\s+/g, "").toUpperCase();
}

export async function establishmentView(
  deps: RegisterDeps,
  finessText: string,
): Promise<Result<EstablishmentView>> {
  const finessEG = normaliseFiness(finessText);
  const found = await deps.store.read((q) => load(q, finessEG, deps.texts));
  return found ? { ok: true, value: found } : fail("unknownFiness", { finess: finessText }, 2);
}

function withSummary(record: EstablishmentRecord, state: EstablishmentState): EstablishmentRecord {
  const s = state.summary;
  return { ...record, ...s, actorKey: searchKey(s.actor) };
}

interface Change {
  kind: EventKind;
  target: string;
  day?: string | null;
  note?: string | null;
  before?: unknown;
  after?: unknown;
  undoes?: number | null;
  /** A new plan (and what comes with it), for a replanning. */
  replace?: Partial<EstablishmentRecord>;
}

/** An establishment after a change: its view, with the history entry to append (its id not yet known). */
interface Changed {
  view: EstablishmentView;
  event: Omit<TrackEvent, "id">;
  expected: number;
  dossierChanged: boolean;
  /** The establishment's certificates, when the change alters them (a certificate recorded, revoked, undone). */
  certificates?: CertificateRow[];
}

/**
 * The establishment after one more history entry: the entry and the re-derived summary, the version raised.
 * Pure: the caller writes it (`expected` is the version the write checks).
 */
function applyChange(
  deps: RegisterDeps,
  current: EstablishmentView,
  change: Change,
  by: string,
  expected: number,
): Changed {
  const at = deps.now().toISOString();
  const summaryOf = (v: { phase: string; nextAction: string }) => ({ phase: v.phase, next: v.nextAction });
  const event: Omit<TrackEvent, "id"> = {
    finessEG: current.record.finessEG,
    at,
    by,
    kind: change.kind,
    target: change.target,
    day: change.day ?? null,
    note: change.note ?? null,
    before: JSON.stringify({ ...summaryOf(current.state.summary), ...(change.before ?? {}) }),
    // What the facts read of the entry (a certificate, a forced step), before the summary is added to it.
    after: JSON.stringify(change.after ?? {}),
    undoes: change.undoes ?? null,
  };
  const base = { ...current.record, ...(change.replace ?? {}) };
  const plan = change.replace?.plan === undefined ? current.plan : (JSON.parse(base.plan) as Plan);
  // The summary after the change, computed from the history with the new entry.
  const tentative = [...current.events, { ...event, id: Number.MAX_SAFE_INTEGER }];
  const facts = factsOf(tentative);
  const state = deriveState(plan, facts, base.registeredOn, deps.texts);
  event.after = JSON.stringify({ ...summaryOf(state.summary), ...(change.after ?? {}) });
  const record = withSummary({ ...base, updatedAt: at, version: expected + 1 }, state);
  const certificates = certificateRows(record.finessEG, facts.certificates);
  const certificatesChanged =
    JSON.stringify(certificates) !==
    JSON.stringify(certificateRows(record.finessEG, current.facts.certificates));
  return {
    view: { record, plan, facts, state, events: current.events },
    event,
    expected,
    dossierChanged: change.replace !== undefined,
    ...(certificatesChanged ? { certificates } : {}),
  };
}

/** The view once the change's entry is written with its id. */
function written(changed: Changed, id: number): EstablishmentView {
  return { ...changed.view, events: [...changed.view.events, { ...changed.event, id }] };
}

/** How many times a change nobody pinned to a version is decided again when another one got there first. */
const RETRIES = 3;

/**
 * Runs a change of one establishment: read, decide, then one write that checks the version read (optimistic
 * versioning). A change pinned to a version (`expectedVersion`) that is no longer current is refused with the
 * newer state; an unpinned one is decided again on the newer state.
 */
async function mutate(
  deps: RegisterDeps,
  finessText: string,
  expectedVersion: number | undefined,
  decide: (current: EstablishmentView, today: string) => Result<Change>,
  by: string,
): Promise<Result<EstablishmentView>> {
  const finessEG = normaliseFiness(finessText);
  for (let attempt = 0; ; attempt++) {
    const current = await deps.store.read((q) => load(q, finessEG, deps.texts));
    if (!current) return fail("unknownFiness", { finess: finessText }, 2);
    if (expectedVersion !== undefined && expectedVersion !== current.record.version)
      return conflict(finessEG, current);
    const decided = decide(current, parisDay(deps.now()));
    if (!decided.ok) return decided;
    const changed = applyChange(deps, current, decided.value, by, current.record.version);
    try {
      const id = await deps.store.commitChange(
        changed.view.record,
        changed.expected,
        changed.dossierChanged,
        changed.event,
        changed.certificates,
      );
      return { ok: true, value: written(changed, id) };
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      if (expectedVersion === undefined && attempt < RETRIES) continue;
      return conflict(finessEG, await deps.store.read((q) => load(q, finessEG, deps.texts)));
    }
  }
}

/** A change refused because the establishment changed since: who changed it last, and the newer state. */
function conflict(finessEG: string, now: EstablishmentView | undefined): Result<EstablishmentView> {
  const last = now?.events[now.events.length - 1];
  return fail(
    "conflict",
    { finess: finessEG, by: last?.by ?? "", at: last?.at ?? "", version: now?.record.version ?? 0 },
    1,
    now,
  );
}

export interface FactInput {
  finess: string;
  /** YYYY-MM-DD; today when absent. */
  day?: string;
  by: string;
  note?: string;
  /** With --force: the reason, recorded. */
  force?: string;
  expectedVersion?: number;
}

function checkDay(day: string | undefined, today: string, record: EstablishmentRecord): Result<string> {
  const chosen = day ?? today;
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(chosen) ||
    Number.isNaN(Date.parse(`${chosen}T00:00:00Z`)) ||
    new Date(`${chosen}T00:00:00Z`).toISOString().slice(0, 10) !== chosen
  )
    return fail("badDate", { date: chosen }, 2);
  if (chosen > today) return fail("futureDate", { date: chosen, today }, 2);
  if (chosen < record.registeredOn)
    return fail("dateBeforeRegistration", { date: chosen, registered: record.registeredOn }, 2);
  return { ok: true, value: chosen };
}

function stepLabel(step: { number: number; action: string }): string {
  return `${step.number} (${step.action})`;
}

/** A fact to note (a step done, an awaited event received), found in the establishment's plan. */
interface FactTarget {
  kind: "done" | "received";
  id: string;
  /** Its status before and after, in the history entry. */
  statuses: readonly [string, string];
  /** The fact already noted, and how that is refused. */
  already: Fact | undefined;
  refuseAlready: (fact: Fact) => TrackFailure;
  /** What it still waits for (empty when ready), the refusal unless forced, what the entry keeps when forced. */
  missing: readonly unknown[];
  notReady: () => TrackFailure;
  forcedDetail: Record<string, unknown>;
}

/** Notes a fact: found in the plan, on a valid day, not noted yet, and ready (or forced, with its reason). */
function markFact(
  deps: RegisterDeps,
  input: FactInput,
  find: (current: EstablishmentView) => FactTarget | TrackFailure,
): Promise<Result<EstablishmentView>> {
  return mutate(
    deps,
    input.finess,
    input.expectedVersion,
    (current, today) => {
      const target = find(current);
      if ("ok" in target) return target;
      const day = checkDay(input.day, today, current.record);
      if (!day.ok) return day;
      if (target.already) return target.refuseAlready(target.already);
      const forced = target.missing.length > 0;
      if (forced && input.force === undefined) return target.notReady();
      const [before, after] = target.statuses;
      return {
        ok: true,
        value: {
          kind: target.kind,
          target: target.id,
          day: day.value,
          note: input.note ?? null,
          before: { status: before },
          after: { status: after, ...(forced ? { forced: input.force, ...target.forcedDetail } : {}) },
        },
      };
    },
    input.by,
  );
}

export function markDone(
  deps: RegisterDeps,
  stepText: string,
  input: FactInput,
): Promise<Result<EstablishmentView>> {
  return markFact(deps, input, (current) => {
    const step =
      current.plan.steps.find((s) => s.id === stepText) ??
      current.plan.steps.find((s) => String(s.number) === stepText);
    if (!step)
      return fail(
        "unknownStep",
        {
          step: stepText,
          finess: current.record.finessEG,
          steps: current.plan.steps.map((s) => `${s.number} ${s.id}`).join(", "),
        },
        2,
      );
    const blockers = stepBlockers(current.plan, current.facts, step);
    const missing = [
      ...blockers.pendingSteps.map((s) => fill(deps.texts.messages.stepRef ?? "", { number: s.number })),
      ...blockers.pendingWaits.map((w) => w.map((a) => a.label).join(deps.texts.messages.or ?? ", ")),
    ];
    return {
      kind: "done",
      id: step.id,
      statuses: ["todo", "done"],
      already: current.facts.steps.get(step.id),
      refuseAlready: (f) => fail("alreadyDone", { step: stepLabel(step), date: f.day, by: f.by }, 1),
      missing,
      notReady: () => fail("notReady", { step: stepLabel(step), missing: missing.join(" ; ") }, 1),
      forcedDetail: { missing },
    };
  });
}

export function markReceived(
  deps: RegisterDeps,
  awaitedText: string,
  input: FactInput,
): Promise<Result<EstablishmentView>> {
  return markFact(deps, input, (current) => {
    const awaited = current.plan.awaited.find((a) => a.id === awaitedText);
    if (!awaited)
      return fail(
        "unknownAwaited",
        {
          awaited: awaitedText,
          finess: current.record.finessEG,
          ids: current.plan.awaited.map((a) => a.id).join(", "),
        },
        2,
      );
    const pending = awaited.yieldedBy
      .filter((id) => !current.facts.steps.has(id))
      .map((id) => current.plan.steps.find((s) => s.id === id)?.number ?? id);
    return {
      kind: "received",
      id: awaited.id,
      statuses: ["awaited", "received"],
      already: current.facts.received.get(awaited.id),
      refuseAlready: (f) => fail("alreadyReceived", { label: awaited.label, date: f.day, by: f.by }, 1),
      missing: pending,
      notReady: () => fail("notYielded", { label: awaited.label, steps: pending.join(", ") }, 1),
      forcedDetail: {},
    };
  });
}

const UNDOABLE: readonly EventKind[] = ["done", "received", "certificate", "certificate-revoked"];

/** Cancels the latest fact still in force (of one establishment, or of the whole register). */
export async function undoLast(
  deps: RegisterDeps,
  by: string,
  finessText?: string,
): Promise<Result<{ undone: TrackEvent; view: EstablishmentView }>> {
  const finess = finessText === undefined ? undefined : normaliseFiness(finessText);
  const target = await deps.store.read(async (q) => {
    const latest = await q.latestEvents(2000, finess);
    const undone = undoneIds(latest);
    return latest.find((e) => UNDOABLE.includes(e.kind) && !undone.has(e.id));
  });
  if (!target) return fail("nothingToUndo", {}, 1);
  const result = await mutate(
    deps,
    target.finessEG,
    undefined,
    (current) => {
      if (undoneIds(current.events).has(target.id)) return fail("nothingToUndo", {}, 1);
      return {
        ok: true,
        value: {
          kind: "undo",
          target: target.target,
          day: target.day,
          undoes: target.id,
          before: { undoneKind: target.kind, undoneAt: target.at, undoneBy: target.by },
        },
      };
    },
    by,
  );
  return result.ok ? { ok: true, value: { undone: target, view: result.value } } : result;
}

export interface CertificateInput {
  finess: string;
  by: string;
  certificate: Omit<CertificateFact, "status" | "eventId" | "recordedOn" | "revokedOn" | "replacedBy">;
  /** FINESS carried by the certificate's OU (without the leading structure type). */
  finessInCertificate: string | undefined;
  /** DNS names of an SSL_SERVEUR certificate. */
  names: string[];
}

/** Records an issued certificate after the checks of `check`: it must also be this establishment's. */
export function recordCertificate(
  deps: RegisterDeps,
  input: CertificateInput,
): Promise<Result<EstablishmentView>> {
  return mutate(
    deps,
    input.finess,
    undefined,
    (current) => {
      const e = current.plan.establishment;
      const accepted = new Set([
        e.finessEG,
        e.finessEJ,
        e.presentedFiness,
        current.plan.contract.signatoryFiness,
      ]);
      if (input.finessInCertificate === undefined || !accepted.has(input.finessInCertificate))
        return fail(
          "certificateFiness",
          {
            found: input.finessInCertificate ?? deps.texts.messages.noFiness ?? "",
            finess: [...accepted].join(", "),
          },
          1,
        );
      const expected = current.plan.certificates.find((c) => c.profile === input.certificate.profile);
      if (!expected) return fail("certificateProfile", { profile: input.certificate.profile }, 1);
      if (input.certificate.profile === "SSL_SERVEUR") {
        const fqdn = current.plan.gap.fqdn.toLowerCase();
        if (input.certificate.commonName.toLowerCase() !== fqdn && !input.names.includes(fqdn))
          return fail("certificateFqdn", { found: input.certificate.commonName, fqdn }, 1);
      }
      const known = current.facts.certificates.find((c) => c.fingerprint === input.certificate.fingerprint);
      if (known) return fail("certificateKnown", { serial: known.serialNumber, date: known.recordedOn }, 1);
      const replaced = current.facts.certificates.find(
        (c) => c.profile === input.certificate.profile && c.status === "inService",
      );
      return {
        ok: true,
        value: {
          kind: "certificate",
          target: input.certificate.profile,
          before: replaced ? { inService: replaced.serialNumber } : { inService: null },
          after: input.certificate,
        },
      };
    },
    input.by,
  );
}

export function revokeCertificate(
  deps: RegisterDeps,
  serialText: string,
  input: FactInput,
): Promise<Result<EstablishmentView>> {
  const serial = serialText.replace(/[:\s]/g, "").toUpperCase();
  return mutate(
    deps,
    input.finess,
    input.expectedVersion,
    (current, today) => {
      const cert = current.facts.certificates.find((c) => c.serialNumber === serial);
      if (!cert)
        return fail("unknownCertificate", { serial: serialText, finess: current.record.finessEG }, 2);
      if (cert.status === "revoked") return fail("alreadyRevoked", { serial, date: cert.revokedOn ?? "" }, 1);
      const day = checkDay(input.day, today, current.record);
      if (!day.ok) return day;
      return {
        ok: true,
        value: {
          kind: "certificate-revoked",
          target: serial,
          day: day.value,
          note: input.note ?? null,
          before: { status: cert.status },
          after: { status: "revoked" },
        },
      };
    },
    input.by,
  );
}

export interface DossierInput {
  /** The folder as given. */
  dossier: string;
  plan: Plan;
  answers: unknown;
  answersHash: string;
}

export type AddOutcome =
  | { kind: "added"; finessEG: string; name: string }
  | { kind: "unchanged"; finessEG: string; name: string }
  | { kind: "replanned"; finessEG: string; name: string; details: string[]; rulesChanged: boolean };

function planRow(finessEG: string, name: string, plan: Plan, answersHash: string) {
  return {
    line: 1,
    finessEG,
    establishment: name,
    status: "ok" as const,
    forms: [],
    decisions: planDecisions(plan),
    answersHash,
  };
}

/** The differences between a stored plan and a new one, as `batch --compare` words them. */
export function planChanges(
  before: { plan: Plan; answersHash: string; rulesVersion: string; dossier: string },
  after: { plan: Plan; answersHash: string; rulesVersion: string },
): { details: string[]; rulesChanged: boolean } {
  const finess = after.plan.establishment.finessEG;
  const name = after.plan.establishment.name;
  const previous = previousReport(before.dossier, "", before.rulesVersion, [
    planRow(finess, before.plan.establishment.name, before.plan, before.answersHash),
  ]);
  const comparison = new Comparison(previous, after.rulesVersion);
  const change = comparison.compare({
    ...planRow(finess, name, after.plan, after.answersHash),
    warnings: [],
    errors: [],
  });
  return { details: change?.details ?? [], rulesChanged: comparison.summary().rulesChanged };
}

/** Registers dossiers in one transaction: new ones are added, known ones with new answers get the new plan. */
export async function addDossiers(
  deps: RegisterDeps,
  dossiers: readonly DossierInput[],
  by: string,
): Promise<Result<AddOutcome[]>> {
  const seen = new Map<string, string>();
  for (const d of dossiers) {
    const finess = d.plan.establishment.finessEG;
    const first = seen.get(finess);
    if (first !== undefined) return fail("duplicateInAdd", { finess, first, second: d.dossier }, 2);
    seen.set(finess, d.dossier);
  }
  try {
    return await deps.store.write(async (q) => {
      const known = await q.establishments([...seen.keys()]);
      const at = deps.now().toISOString();
      const today = parisDay(deps.now());
      const outcomes: AddOutcome[] = [];
      const newRecords: EstablishmentRecord[] = [];
      const newEvents: Omit<TrackEvent, "id">[] = [];
      for (const d of dossiers) {
        const e = d.plan.establishment;
        const rulesVersion = d.plan.generator.rulesVersion;
        const existing = known.get(e.finessEG);
        const fields = {
          finessEJ: e.finessEJ,
          name: e.name,
          department: departementFromFiness(e.finessEG)?.code ?? "",
          ght: ghtOf(d.answers),
          dossier: d.dossier,
          rulesVersion,
          toolVersion: d.plan.generator.version,
          answersHash: d.answersHash,
          answers: JSON.stringify(d.answers),
          plan: JSON.stringify(d.plan),
        };
        if (!existing) {
          const facts = factsOf([]);
          const state = deriveState(d.plan, facts, today, deps.texts);
          const record = withSummary(
            {
              finessEG: e.finessEG,
              ...fields,
              registeredAt: at,
              registeredOn: today,
              updatedAt: at,
              version: 1,
              ...state.summary,
              actorKey: "",
            },
            state,
          );
          newRecords.push(record);
          newEvents.push({
            finessEG: e.finessEG,
            at,
            by,
            kind: "registered",
            target: "",
            day: today,
            note: null,
            before: null,
            after: JSON.stringify({
              phase: state.summary.phase,
              next: state.summary.nextAction,
              dossier: d.dossier,
              answersHash: d.answersHash,
              rulesVersion,
            }),
            undoes: null,
          });
          outcomes.push({ kind: "added", finessEG: e.finessEG, name: e.name });
          continue;
        }
        if (existing.answersHash === d.answersHash && existing.rulesVersion === rulesVersion) {
          outcomes.push({ kind: "unchanged", finessEG: e.finessEG, name: e.name });
          continue;
        }
        const current = view(existing, await q.events(e.finessEG), deps.texts);
        const changes = planChanges(
          {
            plan: current.plan,
            answersHash: existing.answersHash,
            rulesVersion: existing.rulesVersion,
            dossier: existing.dossier,
          },
          { plan: d.plan, answersHash: d.answersHash, rulesVersion },
        );
        const changed = applyChange(
          deps,
          current,
          {
            kind: "replanned",
            target: "",
            note: null,
            before: {
              dossier: existing.dossier,
              answersHash: existing.answersHash,
              rulesVersion: existing.rulesVersion,
              answers: JSON.parse(existing.answers),
              plan: current.plan,
            },
            after: { dossier: d.dossier, answersHash: d.answersHash, rulesVersion, changes: changes.details },
            replace: fields,
          },
          by,
          existing.version,
        );
        await q.commitChange(changed.view.record, changed.expected, changed.dossierChanged, changed.event);
        outcomes.push({ kind: "replanned", finessEG: e.finessEG, name: e.name, ...changes });
      }
      await q.insertEstablishments(newRecords);
      await q.appendEvents(newEvents);
      return { ok: true, value: outcomes };
    });
  } catch (error) {
    if (error instanceof VersionConflict)
      return fail("conflict", { finess: error.finessEG, by: "", at: "", version: 0 }, 1);
    throw error;
  }
}

export function listEstablishments(
  deps: RegisterDeps,
  query: ListQuery,
): Promise<{ rows: ListedEstablishment[]; total: number }> {
  return deps.store.read((q) => q.list(query));
}

/** The GHTs named in the register, each once, by name: the choices of the GHT filter. */
export function registerGhts(deps: RegisterDeps): Promise<string[]> {
  return deps.store.read((q) => q.ghts());
}

export async function historyOf(deps: RegisterDeps, finessText: string): Promise<Result<EstablishmentView>> {
  return establishmentView(deps, finessText);
}

/** Every establishment with its history, for the calendar of reminders. */
export async function allViews(deps: RegisterDeps): Promise<EstablishmentView[]> {
  return deps.store.read(async (q) => {
    const records = await q.allEstablishments();
    const events = await q.allEvents();
    const byFiness = new Map<string, TrackEvent[]>();
    for (const e of events) {
      const list = byFiness.get(e.finessEG) ?? [];
      list.push(e);
      byFiness.set(e.finessEG, list);
    }
    return records.map((r) => view(r, byFiness.get(r.finessEG) ?? [], deps.texts));
  });
}
