import type { FastifyInstance, FastifyReply } from "fastify";
import {
  type EstablishmentView,
  establishmentView,
  type FactInput,
  fail,
  ghtKey,
  type ListFilter,
  listEstablishments,
  markDone,
  markReceived,
  message,
  parisDay,
  periodPage,
  type RegisterDeps,
  type Result,
  registerGhts,
  SORT_KEYS,
  type SortKey,
  searchKey,
  TRACK_PHASES,
  type TrackFailure,
  timelineJson,
  timelinePage,
  timelinePreview,
  viewJson,
  waitingText,
} from "../../track/index.js";
import type { WebDeps } from "../deps.js";
import { errorBody } from "../errors.js";

/**
 * The « Suivi » page's API: the list with its filters, the register's GHTs (the GHT filter's choices), the
 * timeline of certificate expiries under the same filters, one establishment, marking a step done or an awaited
 * event received. A change sends the version the page showed; if someone changed the establishment since, the
 * answer is 409 with the newer state.
 */

const PHASES = new Set(TRACK_PHASES);
const SORTS = new Set<SortKey>(SORT_KEYS);
const PAGE = 50;
/** Entries of each period in the timeline's first answer; the page asks for the rest, this many at a time. */
export const TIMELINE_PREVIEW = 12;
export const TIMELINE_PAGE = 100;
const NOT_FOUND = new Set(["unknownFiness", "unknownPeriod"]);

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** The page's filters (the list's and the timeline's), from the query string; unknown values are ignored. */
function filterOf(q: Record<string, unknown>, today: string): ListFilter {
  const phase = text(q.phase);
  const overdue = Number(text(q.overdue) ?? "");
  const person = text(q.person);
  const department = text(q.department);
  const ght = ghtKey(text(q.ght) ?? "");
  return {
    ...(phase && PHASES.has(phase) ? { phase } : {}),
    ...(person ? { person: searchKey(person) } : {}),
    ...(department ? { department: department.toUpperCase() } : {}),
    ...(ght ? { ght } : {}),
    ...(Number.isInteger(overdue) && overdue > 0
      ? {
          sinceOnOrBefore: new Date(Date.parse(`${today}T00:00:00Z`) - overdue * 86_400_000)
            .toISOString()
            .slice(0, 10),
        }
      : {}),
  };
}

export function registerTrackRoutes(app: FastifyInstance, deps: WebDeps): void {
  const unavailable = (reply: FastifyReply) =>
    reply.code(503).send(errorBody(deps.texts.http, "REGISTER_UNAVAILABLE"));
  const refused = (reply: FastifyReply, failure: TrackFailure, today: string) => {
    const track = deps.track;
    if (!track) return unavailable(reply);
    const status = failure.code === "conflict" ? 409 : NOT_FOUND.has(failure.code) ? 404 : 422;
    return reply.code(status).send({
      error: { code: failure.code, message: message(track.texts.errors, failure.code, failure.params) },
      ...(failure.current ? { current: viewJson(failure.current, today, track.texts) } : {}),
    });
  };

  app.get("/api/suivi", async (request, reply) => {
    const track = deps.track;
    if (!track) return unavailable(reply);
    const q = request.query as Record<string, unknown>;
    const today = parisDay(track.now());
    const sort = (text(q.sort) ?? "finess") as SortKey;
    const page = Math.max(1, Math.floor(Number(text(q.page) ?? "1")) || 1);
    const { rows, total } = await listEstablishments(track, {
      ...filterOf(q, today),
      sort: SORTS.has(sort) ? sort : "finess",
      descending: q.desc === "1",
      limit: PAGE,
      offset: (page - 1) * PAGE,
    });
    return {
      total,
      page,
      pageSize: PAGE,
      today,
      rows: rows.map(({ actorKey: _k, ...row }) => ({
        ...row,
        phaseLabel: track.texts.phases[row.phase] ?? row.phase,
        waiting: waitingText(row, today, track.texts),
      })),
    };
  });

  app.get("/api/suivi/ght", async (_request, reply) => {
    const track = deps.track;
    if (!track) return unavailable(reply);
    return { ghts: await registerGhts(track) };
  });

  // Every certificate in service under the page's filters, by period; `period` (and `offset`) asks for more of one.
  app.get("/api/suivi/echeances", async (request, reply) => {
    const track = deps.track;
    if (!track) return unavailable(reply);
    const q = request.query as Record<string, unknown>;
    const today = parisDay(track.now());
    const filter = filterOf(q, today);
    const key = text(q.period);
    if (key === undefined)
      return timelineJson(
        await timelinePreview(track, filter, today, TIMELINE_PREVIEW),
        Object.keys(filter).length > 0,
        TIMELINE_PREVIEW,
        track.texts,
      );
    const offset = Math.max(0, Math.floor(Number(text(q.offset) ?? "0")) || 0);
    const page = await timelinePage(track, filter, today, key, offset, TIMELINE_PAGE);
    if (!page) return refused(reply, fail("unknownPeriod", { period: key }, 2), today);
    return periodPage(page.period, offset, page.entries, TIMELINE_PAGE, track.texts);
  });

  app.get("/api/suivi/:finess", async (request, reply) => {
    const track = deps.track;
    if (!track) return unavailable(reply);
    const today = parisDay(track.now());
    const found = await establishmentView(track, (request.params as { finess: string }).finess);
    if (!found.ok) return refused(reply, found, today);
    return viewJson(found.value, today, track.texts);
  });

  /** A fact noted from the page (a step done, an awaited event received), through the register as `track` does. */
  const factRoute = (
    path: string,
    field: string,
    record: (track: RegisterDeps, target: string, input: FactInput) => Promise<Result<EstablishmentView>>,
  ) =>
    app.post(path, async (request, reply) => {
      const track = deps.track;
      if (!track) return unavailable(reply);
      const today = parisDay(track.now());
      const body = (request.body ?? {}) as Record<string, unknown>;
      const target = text(body[field]);
      if (!target || !Number.isInteger(body.version))
        return reply.code(400).send({ error: { code: "badBody", message: track.texts.errors.badBody } });
      const day = text(body.date);
      const note = text(body.note);
      const result = await record(track, target, {
        finess: (request.params as { finess: string }).finess,
        by: text(body.by) ?? track.texts.messages.webUser ?? "",
        expectedVersion: body.version as number,
        ...(day ? { day } : {}),
        ...(note ? { note } : {}),
      });
      if (!result.ok) return refused(reply, result, today);
      return viewJson(result.value, today, track.texts);
    });
  factRoute("/api/suivi/:finess/done", "step", markDone);
  factRoute("/api/suivi/:finess/received", "awaited", markReceived);
}
