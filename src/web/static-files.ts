import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";

/**
 * The web page's files (web/), read once into memory at start. Requests are answered from this table only:
 * no client-supplied name ever reaches the file system.
 */

export interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** URL path → file; `/` is index.html. Only regular files with a known type, no sub-folder. */
export function loadStaticFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir).sort()) {
    const type = TYPES[extname(name)];
    const path = join(dir, name);
    if (type === undefined || !/^[a-z0-9][a-z0-9._-]*$/.test(name) || !statSync(path).isFile()) continue;
    const body = readFileSync(path);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    files.set(name === "index.html" ? "/" : `/${name}`, { body, type, etag });
  }
  if (!files.has("/")) throw new Error(`page d'accueil index.html absente de ${dir}`);
  return files;
}
