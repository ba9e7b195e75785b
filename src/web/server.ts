import type { FastifyInstance } from "fastify";
import { isLoopbackName } from "./security.js";

/** Listening on a host and port, with the failures a user can cause returned as values. */

export type ListenResult =
  | { ok: true; url: string; port: number }
  | { ok: false; code: "PORT_IN_USE" | "INVALID_HOST" | "LISTEN_FAILED"; reason: string };

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8080;

export function isLoopbackHost(host: string): boolean {
  return isLoopbackName(host.toLowerCase()) || host === "::1";
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export async function listen(app: FastifyInstance, host: string, port: number): Promise<ListenResult> {
  try {
    await app.listen({ host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = String(code ?? (error as Error).message);
    if (code === "EADDRINUSE") return { ok: false, code: "PORT_IN_USE", reason };
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EINVAL")
      return { ok: false, code: "INVALID_HOST", reason };
    return { ok: false, code: "LISTEN_FAILED", reason };
  }
  const address = app.server.address();
  const actual = typeof address === "object" && address !== null ? address.port : port;
  return { ok: true, url: `http://${urlHost(host)}:${actual}/`, port: actual };
}
