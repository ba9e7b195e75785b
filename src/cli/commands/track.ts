import { readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  checkCertificate,
  customAnchor,
  dnsNamesOf,
  endEntityCertificates,
  igcSanteAnchors,
  isoDay,
  isSelfIssued,
  readCertificateFile,
  renderCheckText,
  sha256Hex,
  type TrustAnchor,
  type x509,
} from "../../certificates/index.js";
import { type ReminderSubject, reminderEvents, renderCalendar } from "../../certificates/reminders.js";
import { answersHash } from "../../dossier/canonical.js";
import { type CliIo, EXIT, UsageError } from "../../io/port.js";
import type { Plan } from "../../plan/types.js";
import {
  addDossiers,
  allViews,
  certificateTimeline,
  type DossierInput,
  type EstablishmentView,
  establishmentView,
  exportRegister,
  frenchDay,
  ghtKey,
  historyText,
  importRegister,
  type ListFilter,
  listCsv,
  listEstablishments,
  listText,
  listXlsx,
  loadTrackTexts,
  markDone,
  markReceived,
  message,
  openStore,
  parisDay,
  type RegisterDeps,
  recordCertificate,
  registerGhts,
  revokeCertificate,
  SORT_KEYS,
  type SortKey,
  searchKey,
  showText,
  storeConfig,
  TRACK_PHASES,
  type TrackFailure,
  type TrackStore,
  type TrackTexts,
  timelineJson,
  timelineText,
  undoLast,
  viewJson,
  waitingText,
} from "../../track/index.js";
import { readInputFile, secretSources } from "../certificate-io.js";
import { booleanOption, type Command, type OptionSpec, type OptionValues, stringOption } from "../command.js";
import { cliTexts } from "../texts.js";
import { toolVersion } from "../version.js";

/** `track`: the register of establishments carried through the procedure (src/track holds the logic). */

interface Sub {
  usage: string;
  min: number;
  max: number;
  options: string[];
  /** Creates the SQLite file when missing. */
  creates?: boolean;
  run(ctx: SubContext): Promise<number>;
}

interface SubContext {
  deps: RegisterDeps;
  args: string[];
  values: OptionValues;
  io: CliIo;
  texts: TrackTexts;
}

const PHASES: readonly string[] = TRACK_PHASES;
const SORTS: readonly SortKey[] = SORT_KEYS;

function who(io: CliIo, values: OptionValues, texts: TrackTexts): string {
  return (
    stringOption(values, "by") ?? io.env.DIAPASON_USER ?? io.env.USER ?? texts.messages.unknownUser ?? ""
  );
}

function errorLine(
  io: CliIo,
  texts: TrackTexts,
  code: string,
  params: Record<string, string | number>,
): void {
  io.stderr.write(`${cliTexts().errorPrefix({ message: message(texts.errors, code, params) })}\n`);
}

function failed(io: CliIo, texts: TrackTexts, failure: TrackFailure): number {
  errorLine(io, texts, failure.code, failure.params);
  if (failure.current) io.stderr.write(showText(failure.current, parisDay(io.now()), texts));
  return failure.exit;
}

function reasonOrForce(values: OptionValues, texts: TrackTexts): string | undefined {
  const force = booleanOption(values, "force");
  const reason = stringOption(values, "reason");
  if (force && (reason === undefined || reason.trim() === ""))
    throw new UsageError(texts.errors.forceWithoutReason ?? "");
  return force ? reason : undefined;
}

function positiveInteger(values: OptionValues, name: string, texts: TrackTexts): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text))
    throw new UsageError(message(texts.errors, "badNumber", { option: name, value: text }));
  return Number(text);
}

/** The list's filters (--phase, --person, --department, --ght, --overdue), also those of `expiries`. */
function listFilter(values: OptionValues, texts: TrackTexts, today: string): ListFilter {
  const phase = stringOption(values, "phase");
  if (phase !== undefined && !PHASES.includes(phase))
    throw new UsageError(message(texts.errors, "badPhase", { phase, list: PHASES.join(", ") }));
  const overdue = positiveInteger(values, "overdue", texts);
  const person = stringOption(values, "person");
  const department = stringOption(values, "department");
  const ght = stringOption(values, "ght");
  if (ght !== undefined && ghtKey(ght) === "") throw new UsageError(texts.errors.emptyGht ?? "");
  return {
    ...(phase !== undefined ? { phase } : {}),
    ...(person !== undefined ? { person: searchKey(person) } : {}),
    ...(department !== undefined ? { department: department.toUpperCase() } : {}),
    ...(ght !== undefined ? { ght: ghtKey(ght) } : {}),
    ...(overdue !== undefined
      ? { sinceOnOrBefore: isoDay(new Date(Date.parse(`${today}T00:00:00Z`) - overdue * 86_400_000)) }
      : {}),
  };
}

/**
 * With --ght and nothing found: a GHT no establishment names is most often mistyped, so the register's GHTs are
 * said (exit 2). Undefined when there is no --ght or the register knows the GHT.
 */
async function unknownGht(
  deps: RegisterDeps,
  values: OptionValues,
  io: CliIo,
  texts: TrackTexts,
): Promise<number | undefined> {
  const ght = stringOption(values, "ght");
  if (ght === undefined) return undefined;
  const known = await registerGhts(deps);
  if (known.some((name) => ghtKey(name) === ghtKey(ght))) return undefined;
  errorLine(io, texts, known.length > 0 ? "unknownGht" : "noGht", { ght, list: known.join(", ") });
  return EXIT.usage;
}

function afterFact(io: CliIo, texts: TrackTexts, view: EstablishmentView): void {
  const r = view.record;
  io.stdout.write(
    `${message(texts.messages, "next", { next: waitingText(r, parisDay(io.now()), texts) || r.nextAction, actor: r.actor })}\n`,
  );
}

async function factCommand(ctx: SubContext, kind: "done" | "received"): Promise<number> {
  const { deps, args, values, io, texts } = ctx;
  const [finess = "", target = ""] = args;
  const force = reasonOrForce(values, texts);
  const date = stringOption(values, "date");
  const note = stringOption(values, "note");
  const expected = positiveInteger(values, "expect-version", texts);
  const input = {
    finess,
    by: who(io, values, texts),
    ...(date !== undefined ? { day: date } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(force !== undefined ? { force } : {}),
    ...(expected !== undefined ? { expectedVersion: expected } : {}),
  };
  const result =
    kind === "done" ? await markDone(deps, target, input) : await markReceived(deps, target, input);
  if (!result.ok) return failed(io, texts, result);
  const view = result.value;
  const last = view.events[view.events.length - 1];
  const day = frenchDay(last?.day ?? null);
  if (kind === "done") {
    const step = view.plan.steps.find((s) => s.id === last?.target);
    io.stdout.write(
      `${message(texts.messages, "done", { name: view.record.name, step: step ? `${step.number} (${step.action})` : target, day })}\n`,
    );
  } else {
    const awaited = view.plan.awaited.find((a) => a.id === last?.target);
    io.stdout.write(
      `${message(texts.messages, "received", { name: view.record.name, label: awaited?.label ?? target, day })}\n`,
    );
  }
  if (force !== undefined) io.stdout.write(`${message(texts.messages, "forcedNote", { reason: force })}\n`);
  afterFact(io, texts, view);
  return EXIT.ok;
}

type Loaded =
  | { ok: true; dossiers: DossierInput[] }
  | { ok: false; code: string; params: Record<string, string> };

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function readJson(
  file: string,
  shown: string,
  texts: TrackTexts,
): Promise<{ ok: true; value: unknown } | { ok: false; code: string; params: Record<string, string> }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    return {
      ok: false,
      code: "dossierUnreadable",
      params: { file: shown, reason: code === "ENOENT" ? (texts.messages.fileMissing ?? code) : code },
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, code: "planInvalid", params: { file: shown } };
  }
}

function looksLikePlan(value: unknown): value is Plan {
  const p = value as Partial<Plan>;
  return (
    typeof p === "object" &&
    p !== null &&
    p.planVersion === 1 &&
    Array.isArray(p.steps) &&
    Array.isArray(p.awaited) &&
    typeof p.establishment?.finessEG === "string" &&
    typeof p.generator?.rulesVersion === "string"
  );
}

/** One dossier folder, or every dossier of a batch output (its rapport.json's produced rows, else its sub-folders). */
async function loadDossiers(io: CliIo, inputs: readonly string[], texts: TrackTexts): Promise<Loaded> {
  const folders: string[] = [];
  for (const input of inputs) {
    const path = resolve(io.cwd, input);
    if (!(await isDirectory(path))) return { ok: false, code: "notDossier", params: { path: input } };
    if (
      await isDirectory(path).then(
        async () => (await stat(join(path, "plan.json")).catch(() => null)) !== null,
      )
    ) {
      folders.push(input);
      continue;
    }
    const report = await readJson(join(path, "rapport.json"), join(input, "rapport.json"), texts);
    if (report.ok) {
      const rows = (report.value as { rows?: { status?: string; folder?: string }[] }).rows ?? [];
      for (const row of rows)
        if (row.status === "ok" && typeof row.folder === "string") folders.push(join(input, row.folder));
      continue;
    }
    return { ok: false, code: "notDossier", params: { path: input } };
  }
  const dossiers: DossierInput[] = [];
  const queue = [...folders];
  const readOne = async (
    folder: string,
  ): Promise<DossierInput | { ok: false; code: string; params: Record<string, string> }> => {
    const path = resolve(io.cwd, folder);
    const plan = await readJson(join(path, "plan.json"), join(folder, "plan.json"), texts);
    if (!plan.ok) return plan;
    if (!looksLikePlan(plan.value))
      return { ok: false, code: "planInvalid", params: { file: join(folder, "plan.json") } };
    const answers = await readJson(join(path, "reponses.json"), join(folder, "reponses.json"), texts);
    if (!answers.ok) return answers;
    return {
      dossier: folder,
      plan: plan.value,
      answers: answers.value,
      answersHash: answersHash(answers.value),
    };
  };
  // A few files at a time: a batch output holds thousands of dossiers.
  const results: (DossierInput | { ok: false; code: string; params: Record<string, string> })[] = new Array(
    queue.length,
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < queue.length) {
        const i = next++;
        results[i] = await readOne(queue[i] as string);
      }
    }),
  );
  for (const r of results) {
    if ("ok" in r) return r;
    dossiers.push(r);
  }
  return { ok: true, dossiers };
}

async function writeOut(
  io: CliIo,
  texts: TrackTexts,
  file: string,
  data: string | Uint8Array,
): Promise<boolean> {
  try {
    await writeFile(resolve(io.cwd, file), data);
    return true;
  } catch (error) {
    errorLine(io, texts, "fileUnwritable", { file, reason: (error as NodeJS.ErrnoException).code ?? "" });
    return false;
  }
}

function factSub(kind: "done" | "received", usage: string): Sub {
  return {
    usage,
    min: 2,
    max: 2,
    options: ["db", "date", "by", "note", "force", "reason", "expect-version"],
    run: (ctx) => factCommand(ctx, kind),
  };
}

/** A read of one establishment: `show` and `history`, as text or, with --json, as data. */
function viewSub(
  usage: string,
  json: (view: EstablishmentView, io: CliIo, texts: TrackTexts) => unknown,
  text: (view: EstablishmentView, io: CliIo, texts: TrackTexts) => string,
): Sub {
  return {
    usage,
    min: 1,
    max: 1,
    options: ["db", "json"],
    async run({ deps, args, values, io, texts }) {
      const result = await establishmentView(deps, args[0] ?? "");
      if (!result.ok) return failed(io, texts, result);
      io.stdout.write(
        booleanOption(values, "json")
          ? `${JSON.stringify(json(result.value, io, texts), null, 2)}\n`
          : text(result.value, io, texts),
      );
      return EXIT.ok;
    },
  };
}

const subs: Record<string, Sub> = {
  add: {
    usage: "add",
    min: 1,
    max: Number.POSITIVE_INFINITY,
    options: ["db", "by"],
    creates: true,
    async run({ deps, args, values, io, texts }) {
      const loaded = await loadDossiers(io, args, texts);
      if (!loaded.ok) {
        errorLine(io, texts, loaded.code, loaded.params);
        return EXIT.usage;
      }
      if (loaded.dossiers.length === 0) {
        errorLine(io, texts, "nothingToAdd", { path: args.join(", ") });
        return EXIT.usage;
      }
      const result = await addDossiers(deps, loaded.dossiers, who(io, values, texts));
      if (!result.ok) return failed(io, texts, result);
      const m = texts.messages;
      const counts = { added: 0, replanned: 0, unchanged: 0 };
      const lines: string[] = [];
      for (const o of result.value) {
        counts[o.kind] += 1;
        const params = { name: o.name, finess: o.finessEG };
        if (o.kind === "replanned") {
          lines.push(message(m, "replanned", params));
          if (o.rulesChanged) lines.push(m.rulesChanged ?? "");
          for (const detail of o.details) lines.push(message(m, "change", { detail }));
        } else if (result.value.length <= 50) lines.push(message(m, o.kind, params));
      }
      lines.push(message(m, "addSummary", { where: deps.store.location, ...counts }));
      io.stdout.write(`${lines.join("\n")}\n`);
      return EXIT.ok;
    },
  },
  done: factSub("done", "done"),
  received: factSub("received", "received"),
  undo: {
    usage: "undo",
    min: 0,
    max: 1,
    options: ["db", "by"],
    async run({ deps, args, values, io, texts }) {
      const result = await undoLast(deps, who(io, values, texts), args[0]);
      if (!result.ok) return failed(io, texts, result);
      const { undone, view } = result.value;
      const what = `${texts.history[`kind-${undone.kind}`] ?? undone.kind} ${undone.target}`.trim();
      io.stdout.write(
        `${message(texts.messages, "undone", { what, name: view.record.name, id: undone.id })}\n`,
      );
      afterFact(io, texts, view);
      return EXIT.ok;
    },
  },
  list: {
    usage: "list",
    min: 0,
    max: 0,
    options: [
      "db",
      "phase",
      "person",
      "overdue",
      "department",
      "ght",
      "sort",
      "desc",
      "limit",
      "page",
      "json",
      "xlsx",
      "csv",
    ],
    async run({ deps, values, io, texts }) {
      const sort = (stringOption(values, "sort") ?? "finess") as SortKey;
      if (!SORTS.includes(sort))
        throw new UsageError(message(texts.errors, "badSort", { sort, list: SORTS.join(", ") }));
      const limit = positiveInteger(values, "limit", texts) ?? 50;
      const page = Math.max(1, positiveInteger(values, "page", texts) ?? 1);
      const today = parisDay(io.now());
      const xlsx = stringOption(values, "xlsx");
      const csv = stringOption(values, "csv");
      const whole = xlsx !== undefined || csv !== undefined;
      const query = {
        ...listFilter(values, texts, today),
        sort,
        descending: booleanOption(values, "desc"),
        limit: whole ? 1_000_000 : limit,
        offset: whole ? 0 : (page - 1) * limit,
      };
      const { rows, total } = await listEstablishments(deps, query);
      const unknown = total === 0 ? await unknownGht(deps, values, io, texts) : undefined;
      if (unknown !== undefined) return unknown;
      if (whole) {
        if (csv !== undefined && !(await writeOut(io, texts, csv, listCsv(rows, today, texts))))
          return EXIT.usage;
        if (xlsx !== undefined && !(await writeOut(io, texts, xlsx, await listXlsx(rows, today, texts))))
          return EXIT.usage;
        for (const file of [csv, xlsx].filter((f): f is string => f !== undefined))
          io.stdout.write(`${message(texts.messages, "listWritten", { file, count: rows.length })}\n`);
        return EXIT.ok;
      }
      if (booleanOption(values, "json")) {
        const out = rows.map(({ actorKey: _k, ...row }) => ({
          ...row,
          phaseLabel: texts.phases[row.phase] ?? row.phase,
          waiting: waitingText(row, today, texts),
        }));
        io.stdout.write(`${JSON.stringify({ total, offset: query.offset, establishments: out }, null, 2)}\n`);
      } else io.stdout.write(listText(rows, total, query.offset, today, texts));
      return EXIT.ok;
    },
  },
  expiries: {
    usage: "expiries",
    min: 0,
    max: 0,
    options: ["db", "phase", "person", "overdue", "department", "ght", "json"],
    async run({ deps, values, io, texts }) {
      const today = parisDay(io.now());
      const filter = listFilter(values, texts, today);
      const filtered = Object.keys(filter).length > 0;
      const timeline = await certificateTimeline(deps, filter, today);
      const unknown =
        timeline.total + timeline.retired === 0 ? await unknownGht(deps, values, io, texts) : undefined;
      if (unknown !== undefined) return unknown;
      io.stdout.write(
        booleanOption(values, "json")
          ? `${JSON.stringify(timelineJson(timeline, filtered, Number.POSITIVE_INFINITY, texts), null, 2)}\n`
          : timelineText(timeline, filtered, texts),
      );
      return EXIT.ok;
    },
  },
  show: viewSub(
    "show",
    (view, io, texts) => viewJson(view, parisDay(io.now()), texts),
    (view, io, texts) => showText(view, parisDay(io.now()), texts),
  ),
  history: viewSub(
    "history",
    (view) => view.events,
    (view, _io, texts) => historyText(view, texts),
  ),
  certificate: {
    usage: "certificate",
    min: 2,
    max: 2,
    options: ["db", "by", "ca", "crl"],
    run: certificateCommand,
  },
  revoke: {
    usage: "revoke",
    min: 2,
    max: 2,
    options: ["db", "date", "by", "note"],
    async run({ deps, args, values, io, texts }) {
      const date = stringOption(values, "date");
      const note = stringOption(values, "note");
      const result = await revokeCertificate(deps, args[1] ?? "", {
        finess: args[0] ?? "",
        by: who(io, values, texts),
        ...(date !== undefined ? { day: date } : {}),
        ...(note !== undefined ? { note } : {}),
      });
      if (!result.ok) return failed(io, texts, result);
      const last = result.value.events[result.value.events.length - 1];
      io.stdout.write(
        `${message(texts.messages, "certificateRevoked", { name: result.value.record.name, serial: last?.target ?? "", day: frenchDay(last?.day ?? null) })}\n`,
      );
      return EXIT.ok;
    },
  },
  reminders: {
    usage: "reminders",
    min: 0,
    max: 0,
    options: ["db", "ics"],
    async run({ deps, values, io, texts }) {
      const ics = stringOption(values, "ics");
      if (ics === undefined) throw new UsageError(texts.errors.icsRequired ?? "");
      const subjects: ReminderSubject[] = [];
      for (const view of await allViews(deps)) {
        const admins = view.plan.forms
          .map((f) => f.designee)
          .filter((d) => d?.role === "technicalAdministrator")
          .map((d) => `${d?.firstName} ${d?.lastName} (${d?.email})`);
        for (const c of view.facts.certificates) {
          if (c.status !== "inService") continue;
          subjects.push({
            establishment: view.record.name,
            profile: c.profile as ReminderSubject["profile"],
            serviceName: c.commonName,
            expiry: new Date(c.notAfter),
            status: "issued",
            key: c.fingerprint,
            serialNumber: c.serialNumber,
            contacts: [...new Set(admins)],
          });
        }
      }
      const events = reminderEvents(subjects);
      if (!(await writeOut(io, texts, ics, renderCalendar(events, io.now())))) return EXIT.usage;
      if (subjects.length === 0) io.stdout.write(`${texts.messages.noCertificates}\n`);
      io.stdout.write(
        `${message(texts.messages, "remindersWritten", { file: ics, events: events.length, certificates: subjects.length })}\n`,
      );
      return EXIT.ok;
    },
  },
  export: {
    usage: "export",
    min: 0,
    max: 0,
    options: ["db", "output"],
    async run({ deps, values, io, texts }) {
      const output = stringOption(values, "output");
      if (output === undefined) throw new UsageError(texts.errors.outputRequired ?? "");
      const text = await exportRegister(deps.store);
      if (!(await writeOut(io, texts, output, text))) return EXIT.usage;
      const counts = await deps.store.read((q) => q.counts());
      io.stdout.write(`${message(texts.messages, "exported", { file: output, ...counts })}\n`);
      return EXIT.ok;
    },
  },
  import: {
    usage: "import",
    min: 1,
    max: 1,
    options: ["db"],
    creates: true,
    async run({ deps, args, io, texts }) {
      const file = args[0] ?? "";
      let text: string;
      try {
        text = await readFile(resolve(io.cwd, file), "utf8");
      } catch (error) {
        errorLine(io, texts, "fileUnreadable", { file, reason: (error as NodeJS.ErrnoException).code ?? "" });
        return EXIT.usage;
      }
      const result = await importRegister(deps.store, text);
      if (!result.ok) {
        errorLine(io, texts, result.code, result.params);
        return EXIT.usage;
      }
      io.stdout.write(
        `${message(texts.messages, "imported", { establishments: result.establishments, events: result.events })}\n`,
      );
      return EXIT.ok;
    },
  },
};

async function certificateCommand({ deps, args, values, io, texts }: SubContext): Promise<number> {
  const [finess = "", file = ""] = args;
  const known = await establishmentView(deps, finess);
  if (!known.ok) return failed(io, texts, known);
  const plan = known.value.plan;
  const secrets = secretSources(io);
  const anchors: TrustAnchor[] = [...igcSanteAnchors()];
  const extra: x509.X509Certificate[] = [];
  const crls: x509.X509Crl[] = [];
  const list = (name: string) => {
    const v = values[name];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
      (x): x is string => typeof x === "string",
    );
  };
  for (const [option, path] of [
    ...list("ca").map((f) => ["ca", f] as const),
    ...list("crl").map((f) => ["crl", f] as const),
  ]) {
    const bytes = await readInputFile(io, path, option === "crl" ? "crl" : "chain");
    const material = bytes.ok ? await readCertificateFile(bytes.value, path, secrets) : bytes;
    if (!material.ok) {
      for (const e of material.errors) io.stderr.write(`${cliTexts().errorPrefix({ message: e.message })}\n`);
      return EXIT.usage;
    }
    if (option === "crl") crls.push(...material.value.crls);
    else
      for (const c of material.value.certificates)
        isSelfIssued(c) ? anchors.push(customAnchor(c)) : extra.push(c);
  }
  const bytes = await readInputFile(io, file, "certificate");
  const material = bytes.ok ? await readCertificateFile(bytes.value, file, secrets) : bytes;
  if (!material.ok) {
    for (const e of material.errors) io.stderr.write(`${cliTexts().errorPrefix({ message: e.message })}\n`);
    return EXIT.usage;
  }
  const leaf = endEntityCertificates(material.value.certificates)[0];
  if (!leaf) {
    errorLine(io, texts, "certificateNone", { file });
    return EXIT.usage;
  }
  const now = io.now();
  const report = await checkCertificate({
    certificate: leaf,
    pool: [...material.value.certificates, ...extra],
    privateKeys: material.value.keys,
    anchors,
    crls: [...crls, ...material.value.crls],
    now,
    fqdn: plan.gap.fqdn,
  });
  if (!report.ok) {
    io.stderr.write(renderCheckText([{ source: file, errors: [], warnings: [], certificates: [report] }]));
    errorLine(io, texts, "certificateChecks", {});
    return EXIT.invalid;
  }
  if (!report.profile) {
    errorLine(io, texts, "certificateProfileUnknown", {});
    return EXIT.invalid;
  }
  const ou = leaf.subjectName.getField("OU")[0];
  const result = await recordCertificate(deps, {
    finess,
    by: who(io, values, texts),
    finessInCertificate: ou?.startsWith("1") ? ou.slice(1) : ou,
    names: dnsNamesOf(leaf).map((n) => n.toLowerCase()),
    certificate: {
      profile: report.profile,
      serialNumber: report.serialNumber,
      fingerprint: sha256Hex(new Uint8Array(leaf.rawData)),
      commonName: leaf.subjectName.getField("CN")[0] ?? "",
      notBefore: report.notBefore.toISOString(),
      notAfter: report.notAfter.toISOString(),
      renewal: isoDay(report.renewalAlert),
      chain: report.anchor ?? "",
    },
  });
  if (!result.ok) return failed(io, texts, result);
  io.stdout.write(
    `${message(texts.messages, "certificateRecorded", {
      name: result.value.record.name,
      profile: report.profile,
      serial: report.serialNumber,
      chain: report.anchor ?? "",
      expiry: frenchDay(isoDay(report.notAfter)),
      renewal: frenchDay(isoDay(report.renewalAlert)),
    })}\n`,
  );
  return EXIT.ok;
}

const OPTION_SPECS: Record<string, Omit<OptionSpec, "description">> = {
  db: { type: "string" },
  date: { type: "string" },
  by: { type: "string" },
  note: { type: "string" },
  force: { type: "boolean" },
  reason: { type: "string" },
  "expect-version": { type: "string" },
  phase: { type: "string" },
  person: { type: "string" },
  overdue: { type: "string" },
  department: { type: "string" },
  ght: { type: "string" },
  sort: { type: "string" },
  desc: { type: "boolean" },
  limit: { type: "string" },
  page: { type: "string" },
  json: { type: "boolean" },
  xlsx: { type: "string" },
  csv: { type: "string" },
  ics: { type: "string" },
  output: { type: "string", short: "o" },
  ca: { type: "string", multiple: true },
  crl: { type: "string", multiple: true },
};

async function openFor(
  io: CliIo,
  values: OptionValues,
  sub: Sub,
  texts: TrackTexts,
): Promise<TrackStore | number> {
  const opened = await openStore(
    storeConfig(io.env, io.cwd, stringOption(values, "db"), sub.creates === true),
  );
  if (opened.ok) return opened.store;
  errorLine(io, texts, opened.code, opened.params);
  return EXIT.usage;
}

export function createTrackCommand(texts: TrackTexts): Command {
  const options: Record<string, OptionSpec> = {};
  for (const [name, spec] of Object.entries(OPTION_SPECS))
    options[name] = { ...spec, description: texts.options[name] ?? "" };
  return {
    name: "track",
    usage: texts.help.usage ?? "",
    help: texts.help.text ?? "",
    options,
    async run({ values, positionals, io }) {
      const [name = "list", ...args] = positionals;
      const sub = subs[name];
      if (!sub)
        throw new UsageError(
          message(texts.errors, "unknownSubcommand", { name, list: Object.keys(subs).join(", ") }),
        );
      for (const [option, value] of Object.entries(values)) {
        if (value !== undefined && option !== "help" && !sub.options.includes(option))
          throw new UsageError(message(texts.errors, "optionNotHere", { option, name }));
      }
      if (args.length < sub.min)
        throw new UsageError(
          message(texts.errors, "missingArgument", { usage: texts.usages[sub.usage] ?? sub.usage }),
        );
      if (args.length > sub.max)
        throw new UsageError(message(texts.errors, "extraArgument", { value: args[sub.max] ?? "" }));
      const store = await openFor(io, values, sub, texts);
      if (typeof store === "number") return store;
      try {
        return await sub.run({ deps: { store, texts, now: io.now, toolVersion }, args, values, io, texts });
      } finally {
        await store.close();
      }
    },
  };
}

export const trackCommand: Command = createTrackCommand(loadTrackTexts());
