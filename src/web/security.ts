import type { FastifyInstance } from "fastify";

/** Headers of every response: the page runs only its own scripts and styles, and is never framed. */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** The host name of a Host header or an Origin, lower-cased, without port. */
export function hostName(value: string): string {
  const host = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").split("/")[0] ?? "";
  const bracketed = /^\[[^\]]*\]/.exec(host);
  return (bracketed ? bracketed[0] : (host.split(":")[0] ?? "")).toLowerCase();
}

export function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.has(name) || /^127(\.[0-9]{1,3}){3}$/.test(name);
}

/** True when `origin` is the server's own, as the browser names it: the scheme and exactly the Host it was sent to. */
export function isOwnOrigin(origin: string, host: string): boolean {
  const own = host.toLowerCase();
  return own !== "" && [`http://${own}`, `https://${own}`].includes(origin.toLowerCase());
}

/**
 * Bound to loopback, the server answers only requests addressed to a loopback name: a web page elsewhere cannot
 * reach it through DNS rebinding. A request sent from a page (it has an Origin) must come from the server's own
 * pages: not another site, not another local one (http://localhost:3000), whatever the address listened on.
 */
export function registerSecurity(
  app: FastifyInstance,
  loopbackOnly: boolean,
  texts: { forbiddenHost: string; forbiddenOrigin: (origin: string) => string },
): void {
  app.addHook("onRequest", async (request, reply) => {
    const host = request.headers.host ?? "";
    if (loopbackOnly && !isLoopbackName(hostName(host))) {
      return reply.code(403).send({ error: { code: "FORBIDDEN_HOST", message: texts.forbiddenHost } });
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !isOwnOrigin(origin, host)) {
      return reply
        .code(403)
        .send({ error: { code: "FORBIDDEN_ORIGIN", message: texts.forbiddenOrigin(origin.slice(0, 100)) } });
    }
  });
  app.addHook("onSend", async (request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    if (request.url.startsWith("/api/")) reply.header("cache-control", "no-store");
    return payload;
  });
}
