import type { FastifyInstance } from "fastify";
import type { WebDeps } from "../deps.js";
import { errorBody, invalidAnswersBody } from "../errors.js";

/** POST /api/dossier: valid answers → the dossier ZIP, built in memory and forgotten once sent. */
export function registerDossierRoute(app: FastifyInstance, deps: WebDeps): void {
  app.post("/api/dossier", async (request, reply) => {
    const result = deps.validator.validate(request.body);
    if (!result.ok) {
      return reply.code(422).send(invalidAnswersBody(deps.texts.http, result));
    }
    if (!deps.buildDossier) return reply.code(503).send(errorBody(deps.texts.http, "DOSSIER_UNAVAILABLE"));
    const archive = await deps.buildDossier(result.answers, result.warnings);
    return reply
      .type("application/zip")
      .header(
        "content-disposition",
        `attachment; filename="${archive.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      )
      .send(Buffer.from(archive.bytes));
  });
}
