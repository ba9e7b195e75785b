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

/** A file of the table, its ETag computed from its body; `extension` gives its type (.js, .css…). */
export function staticFile(body: Buffer, extension: string): StaticFile {
  const type = TYPES[extension];
  if (type === undefined) throw new Error(`type de fichier inconnu : ${extension}`);
  return { body, type, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"` };
}

/**
 * URL path → file; `/` is index.html. Only regular files with a known type, no sub-folder; then the files the
 * server generates (the pages' wording), none of which may also be written in the folder.
 */
export function loadStaticFiles(
  dir: string,
  generated: ReadonlyMap<string, StaticFile> = new Map(),
): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (
      TYPES[extname(name)] === undefined ||
      !/^[a-z0-9][a-z0-9._-]*$/.test(name) ||
      !statSync(path).isFile()
    )
      continue;
    files.set(name === "index.html" ? "/" : `/${name}`, staticFile(readFileSync(path), extname(name)));
  }
  if (!files.has("/")) throw new Error(`page d'accueil index.html absente de ${dir}`);
  for (const [url, file] of generated) {
    if (files.has(url)) throw new Error(`${url} est à la fois un fichier de ${dir} et un fichier généré`);
    files.set(url, file);
  }
  return files;
}
