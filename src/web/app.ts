import Fastify, { type FastifyInstance } from "fastify";
import type { WebDeps } from "./deps.js";
import { registerErrorHandlers } from "./errors.js";
import { registerApiRoutes } from "./routes/api.js";
import { registerDossierRoute } from "./routes/dossier.js";
import { registerPageRoutes } from "./routes/pages.js";
import { registerTrackRoutes } from "./routes/track.js";
import { registerSecurity } from "./security.js";
import { serveMessage } from "./texts.js";

/** The web questionnaire's application, not yet listening: tests call it with `app.inject`. */
export function createApp(deps: WebDeps): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: deps.bodyLimit,
    return503OnClosing: true,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 5_000,
  });
  // Answers come as JSON; a saved answers file as raw bytes. No text/plain: a cross-site form cannot post.
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser("application/octet-stream", { parseAs: "buffer" }, (_request, body, done) => {
    done(null, body);
  });
  registerSecurity(app, deps.loopbackOnly, {
    forbiddenHost: serveMessage(deps.texts.http, "FORBIDDEN_HOST"),
    forbiddenOrigin: (origin) => serveMessage(deps.texts.http, "FORBIDDEN_ORIGIN", { origin }),
  });
  registerErrorHandlers(app, deps.texts.http, deps.bodyLimit, deps.logError);
  registerPageRoutes(app, deps);
  registerApiRoutes(app, deps);
  registerDossierRoute(app, deps);
  registerTrackRoutes(app, deps);
  return app;
}
