import type { FastifyInstance, FastifyReply } from "fastify";
import {
  establishmentView,
  ghtKey,
  listEstablishments,
  markDone,
  message,
  parisDay,
  registerGhts,
  SORT_KEYS,
  type SortKey,
  searchKey,
  TRACK_PHASES,
  type TrackFailure,
  viewJson,
  waitingText,
} from "../../track/index.js";
import type { WebDeps } from "../deps.js";
import { errorBody } from "../errors.js";

/**
 * The « Suivi » page's API: the list with its filters, the register's GHTs (the GHT filter's choices), one
 * establishment, marking a step done. A change sends the
 * version the page showed; if someone changed the establishment since, the answer is 409 with the newer state.
 */

const PHASES = new Set(TRACK_PHASES);
const SORTS = new Set<SortKey>(SORT_KEYS);
const PAGE = 50;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function registerTrackRoutes(app: FastifyInstance, deps: WebDeps): void {
  const unavailable = (reply: FastifyReply) =>
    reply.code(503).send(errorBody(deps.texts.http, "REGISTER_UNAVAILABLE"));
  const refused = (reply: FastifyReply, failure: TrackFailure, today: string) => {
    const track = deps.track;
    if (!track) return unavailable(reply);
    const status = failure.code === "conflict" ? 409 : failure.code === "unknownFiness" ? 404 : 422;
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
    const phase = text(q.phase);
    const sort = (text(q.sort) ?? "finess") as SortKey;
    const overdue = Number(text(q.overdue) ?? "");
    const page = Math.max(1, Math.floor(Number(text(q.page) ?? "1")) || 1);
    const person = text(q.person);
    const department = text(q.department);
    const ght = ghtKey(text(q.ght) ?? "");
    const { rows, total } = await listEstablishments(track, {
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

  app.get("/api/suivi/:finess", async (request, reply) => {
    const track = deps.track;
    if (!track) return unavailable(reply);
    const today = parisDay(track.now());
    const found = await establishmentView(track, (request.params as { finess: string }).finess);
    if (!found.ok) return refused(reply, found, today);
    return viewJson(found.value, today, track.texts);
  });

  app.post("/api/suivi/:finess/done", async (request, reply) => {
    const track = deps.track;
    if (!track) return unavailable(reply);
    const today = parisDay(track.now());
    const body = (request.body ?? {}) as Record<string, unknown>;
    const step = text(body.step);
    if (!step || !Number.isInteger(body.version))
      return reply.code(400).send({ error: { code: "badBody", message: track.texts.errors.badBody } });
    const day = text(body.date);
    const note = text(body.note);
    const result = await markDone(track, step, {
      finess: (request.params as { finess: string }).finess,
      by: text(body.by) ?? track.texts.messages.webUser ?? "",
      expectedVersion: body.version as number,
      ...(day ? { day } : {}),
      ...(note ? { note } : {}),
    });
    if (!result.ok) return refused(reply, result, today);
    return viewJson(result.value, today, track.texts);
  });
}
