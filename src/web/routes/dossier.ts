import type { FastifyInstance } from "fastify";
import { DOSSIER_WORK_LIMITS, type WebDeps } from "../deps.js";
import { errorBody, invalidAnswersBody } from "../errors.js";
import { createWorkGate } from "../work-gate.js";

/** Header of the dossier's reply carrying its notes: `{findings: string[], next: string[]}`. */
export const DOSSIER_NOTES_HEADER = "x-dossier-notes";

/**
 * POST /api/dossier: valid answers → the dossier ZIP, built in memory and forgotten once sent. The work in flight
 * is bounded: a request beyond the queue gets a French 503 with Retry-After, before its body is read.
 */
export function registerDossierRoute(app: FastifyInstance, deps: WebDeps): void {
  const gate = createWorkGate(deps.dossierWork ?? DOSSIER_WORK_LIMITS);
  app.post(
    "/api/dossier",
    {
      onRequest: async (_request, reply) => {
        const place = gate.admit();
        if (!place) {
          return reply
            .code(503)
            .header("retry-after", String(gate.limits.retryAfterSeconds))
            .send(errorBody(deps.texts.http, "BUSY", { seconds: gate.limits.retryAfterSeconds }));
        }
        // Given back however the exchange ends: sent, failed or abandoned by the client.
        reply.raw.once("close", place.release);
        reply.raw.once("finish", place.release);
      },
    },
    async (request, reply) => {
      const result = deps.validator.validate(request.body);
      if (!result.ok) {
        return reply.code(422).send(invalidAnswersBody(deps.texts.http, result));
      }
      const build = deps.buildDossier;
      if (!build) return reply.code(503).send(errorBody(deps.texts.http, "DOSSIER_UNAVAILABLE"));
      const archive = await gate.run(() => build(result.answers, result.warnings));
      return (
        reply
          .type("application/zip")
          .header(
            "content-disposition",
            `attachment; filename="${archive.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
          )
          // The notes shown beside the download (French, percent-encoded JSON: a header is ASCII).
          .header(
            DOSSIER_NOTES_HEADER,
            encodeURIComponent(
              JSON.stringify({ findings: archive.findings.slice(0, 50), next: archive.next }),
            ),
          )
          .send(Buffer.from(archive.bytes))
      );
    },
  );
}
