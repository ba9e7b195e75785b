import type { FastifyInstance } from "fastify";
import type { WebDeps } from "../deps.js";

/** The page and its scripts and styles, from the in-memory table: the URL only selects an entry. */
export function registerPageRoutes(app: FastifyInstance, deps: WebDeps): void {
  for (const [url, file] of deps.staticFiles) {
    app.get(url, async (request, reply) => {
      reply.header("etag", file.etag).header("cache-control", "no-cache").type(file.type);
      if (request.headers["if-none-match"] === file.etag) return reply.code(304).send();
      return reply.send(file.body);
    });
  }
}
