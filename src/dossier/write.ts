import { randomBytes } from "node:crypto";
import { lstat, readdir, readFile, rm, rmdir } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { READ_LIMITS, readFileBounded } from "../io/index.js";
import type { DossierFile } from "./build.js";
import {
  type DossierManifest,
  LEGACY_MANIFEST_FILE,
  MANIFEST_FILE,
  parseManifest,
  sha256Hex,
} from "./manifest.js";
import { assertSafeFileName } from "./names.js";
import type { DossierTexts } from "./texts.js";
import { nodeWritePort, type WritePort } from "./write-port.js";
import { archiveMark, zipDossier } from "./zip.js";

/**
 * Writes a dossier so that nobody ever sees half of it: a folder is written under a temporary name beside the
 * target and renamed into place; an archive likewise. An existing dossier is replaced only with `force`, and
 * only when it holds nothing but what the tool wrote there: the files its mark (src/dossier/manifest.ts) lists,
 * unchanged; an archive only when its own mark matches (src/dossier/zip.ts). On error or interruption the
 * temporary copy is removed.
 */

export interface WriteError {
  path: string;
  code:
    | "EXISTS"
    | "EXISTS_ZIP"
    | "NOT_A_DOSSIER"
    | "OLD_DOSSIER"
    | "FOREIGN_FILES"
    | "MODIFIED_FILES"
    | "NOT_A_FILE"
    | "ZIP_UNMARKED"
    | "ZIP_CHANGED"
    | "WRITE_FAILED"
    | "ABORTED";
  message: string;
  /** For WRITE_FAILED: the system's error code (ENOSPC, EACCES, EROFS...). */
  reason?: string;
}

export type WriteResult = { ok: true; path: string } | { ok: false; error: WriteError };

export interface WriteOptions {
  force: boolean;
  signal?: AbortSignal;
  texts: DossierTexts;
  /** The path as the user typed it, for messages (default: the target). */
  shown?: string;
  /**
   * When the written bytes are forced to disk before the rename: `file` (default) syncs each file; `none`
   * (batch) syncs nothing and writes the files with synchronous calls (a batch's worker thread has nothing else
   * to do meanwhile; one folder sync cost ~5 ms of waiting per dossier). A batch's mark lists each file's
   * SHA-256 and --resume checks them: a dossier cut short by a power loss is redone, never taken as done.
   */
  durability?: "file" | "none";
  /**
   * Whether a file the mark lists but whose bytes changed may be replaced: no for `generate` (the user may have
   * completed or signed it), yes for a batch's `--resume` and `--force` (a file damaged by a power cut is
   * redone). Files the mark does not list are never replaced.
   */
  replaceChanged?: boolean;
  /** Where the bytes go: the disk (default), or in tests a disk that refuses. */
  port?: WritePort;
}

class Refused extends Error {
  constructor(readonly error: WriteError) {
    super(error.message);
  }
}

async function existing(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** A mark larger than this is not one (a dossier lists a dozen files). */
const MAX_MANIFEST_BYTES = 256 * 1024;
/** An archive larger than this is not one the tool wrote (a dossier's is about 1 MB). */
const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;

/** What is at a dossier folder's path. */
type FolderFound =
  | { kind: "absent" }
  | { kind: "notFolder" }
  | { kind: "unmarked"; hasPlan: boolean }
  /** Empty, or marked: `listed` are the names the mark allows to remove (the mark itself included). */
  | { kind: "marked"; listed: string[]; foreign: string[]; changed: string[] };

/** The mark of a folder (current name first, then the earlier batches' one), or undefined. */
async function readMark(
  path: string,
  names: ReadonlySet<string>,
): Promise<(DossierManifest & { name: string }) | undefined> {
  for (const name of [MANIFEST_FILE, LEGACY_MANIFEST_FILE]) {
    if (!names.has(name)) continue;
    const info = await lstat(join(path, name));
    if (!info.isFile() || info.size > MAX_MANIFEST_BYTES) continue;
    const manifest = parseManifest(name, await readFile(join(path, name), "utf8"));
    if (manifest) return { ...manifest, name };
  }
  return undefined;
}

/** Looks at `path`: its entries against its mark, and with `hashes` each listed file against its SHA-256. */
async function inspectFolder(path: string, planName: string, hashes: boolean): Promise<FolderFound> {
  const info = await existing(path);
  if (!info) return { kind: "absent" };
  if (!info.isDirectory()) return { kind: "notFolder" };
  const entries = await readdir(path, { withFileTypes: true });
  if (entries.length === 0) return { kind: "marked", listed: [], foreign: [], changed: [] };
  const mark = await readMark(path, new Set(entries.map((e) => e.name)));
  if (!mark) return { kind: "unmarked", hasPlan: entries.some((e) => e.name === planName) };
  const listed = new Map(mark.files.map((f) => [f.name, f]));
  const foreign: string[] = [];
  const changed: string[] = [];
  for (const entry of entries) {
    if (entry.name === mark.name) continue;
    const expected = listed.get(entry.name);
    if (!entry.isFile() || !expected) {
      foreign.push(entry.isDirectory() ? `${entry.name}/` : entry.name);
      continue;
    }
    if (!hashes) continue;
    // Read no more than the size noted: a file of another size has changed, whatever it holds.
    const limit = Math.min(Number(expected.size) || 0, READ_LIMITS.dossierFile);
    const read = await readFileBounded(join(path, entry.name), entry.name, "dossierFile", limit);
    if (!read.ok || read.bytes.length !== expected.size || sha256Hex(read.bytes) !== expected.sha256)
      changed.push(entry.name);
  }
  return { kind: "marked", listed: [mark.name, ...listed.keys()], foreign, changed };
}

/** The names in a message: the first ten, « quoted », and how many more. */
function nameList(names: readonly string[], texts: DossierTexts): { files: string; more: number } {
  const shown = [...names].sort().slice(0, 10);
  return {
    files: shown.map((name) => texts.message("FILE_NAME", { name })).join(", "),
    more: names.length - shown.length,
  };
}

function failure(error: unknown, path: string, texts: DossierTexts): WriteResult {
  if (error instanceof Refused) return { ok: false, error: error.error };
  const e = error as NodeJS.ErrnoException;
  if (e?.name === "AbortError" || e?.code === "ABORT_ERR") {
    return { ok: false, error: { path, code: "ABORTED", message: texts.message("ABORTED", { path }) } };
  }
  if (typeof e?.code === "string" && e.code.startsWith("E")) {
    const message = texts.message("WRITE_FAILED", { path, reason: texts.reason(e.code) });
    return { ok: false, error: { path, code: "WRITE_FAILED", message, reason: e.code } };
  }
  throw error;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw Object.assign(new Error("interrompu"), { name: "AbortError" });
}

interface TargetOptions {
  force: boolean;
  zip: boolean;
  texts: DossierTexts;
  replaceChanged?: boolean;
}

/**
 * Why `path` may not receive the dossier, or undefined when it may: an existing dossier without `force`; even
 * with `force`, anything the tool did not write, or wrote but was changed since (see WriteOptions.replaceChanged).
 * `shown` is the path as typed.
 */
export async function checkTarget(
  path: string,
  shown: string,
  options: TargetOptions,
): Promise<WriteError | undefined> {
  return (await inspectTarget(path, shown, options)).refused;
}

/** `checkTarget`, and what the mark allows to remove (one look at the disk). */
async function inspectTarget(
  path: string,
  shown: string,
  options: TargetOptions,
): Promise<{ refused?: WriteError; listed?: string[] }> {
  const { texts } = options;
  const refuse = (code: WriteError["code"], params: object = {}) => ({
    refused: {
      path: shown,
      code,
      message: texts.message(code, { path: shown, mark: MANIFEST_FILE, ...params }),
    },
  });
  if (options.zip) {
    const before = await existing(path);
    if (!before) return {};
    if (!before.isFile()) return refuse("NOT_A_FILE");
    if (!options.force) return refuse("EXISTS_ZIP");
    if (before.size > MAX_ARCHIVE_BYTES) return refuse("ZIP_UNMARKED");
    const mark = archiveMark(await readFile(path));
    if (mark === "ours") return {};
    return refuse(mark === "changed" ? "ZIP_CHANGED" : "ZIP_UNMARKED");
  }
  const hashes = options.replaceChanged !== true;
  const found = await inspectFolder(path, texts.files.plan, hashes);
  switch (found.kind) {
    case "absent":
      return {};
    case "notFolder":
      return refuse("NOT_A_DOSSIER");
    case "unmarked":
      return refuse(found.hasPlan ? "OLD_DOSSIER" : "NOT_A_DOSSIER");
    case "marked":
      if (found.foreign.length > 0) return refuse("FOREIGN_FILES", nameList(found.foreign, texts));
      if (found.changed.length > 0) return refuse("MODIFIED_FILES", nameList(found.changed, texts));
      // An empty folder is filled without --force: nothing is lost.
      if (found.listed.length > 0 && !options.force) return refuse("EXISTS");
      return { listed: found.listed };
  }
}

/** Every dossier the tool writes carries its mark: a caller that forgot it is a programmer fault. */
function assertMarked(files: readonly DossierFile[]): void {
  if (!files.some((f) => f.name === MANIFEST_FILE)) throw new Error(`dossier sans ${MANIFEST_FILE}`);
}

/** Removes the files the mark listed from the folder set aside, then the folder if nothing else is left. */
async function removeListed(folder: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const into = join(folder, name);
    if (dirname(into) !== folder) continue;
    await rm(into, { force: true }).catch(() => undefined);
  }
  // Something that appeared meanwhile stays in the set-aside folder rather than being removed.
  await rmdir(folder).catch(() => undefined);
}

/**
 * Removes a dossier folder set aside by a run that stopped between its two renames (`.<nom>.tmp-….old`): the
 * files its mark lists, then the folder if nothing else is in it. Anything else stays.
 */
export async function removeSetAside(path: string): Promise<void> {
  const entries = await readdir(path).catch(() => [] as string[]);
  const mark = await readMark(path, new Set(entries)).catch(() => undefined);
  await removeListed(path, mark ? [mark.name, ...mark.files.map((f) => f.name)] : []);
}

/** Writes the files as the folder `target` (created with its parents). */
export async function writeDossierFolder(
  target: string,
  files: readonly DossierFile[],
  options: WriteOptions,
): Promise<WriteResult> {
  const { texts, signal } = options;
  const port = options.port ?? nodeWritePort;
  const path = resolve(target);
  const shown = options.shown ?? target;
  const parent = dirname(path);
  let temp: string | undefined;
  let old: string | undefined;
  let listed: readonly string[] = [];
  assertMarked(files);
  try {
    const target = await inspectTarget(path, shown, {
      force: options.force,
      zip: false,
      texts,
      ...(options.replaceChanged === undefined ? {} : { replaceChanged: options.replaceChanged }),
    });
    if (target.refused) throw new Refused(target.refused);
    const before = target.listed;
    await port.mkdir(parent, { recursive: true });
    // Not mkdtemp (mode 0700): the dossier folder gets the usual permissions, as files do.
    temp = join(parent, `.${basename(path)}.tmp-${randomBytes(6).toString("hex")}`);
    await port.mkdir(temp);
    const eachFile = options.durability !== "none";
    for (const file of files) {
      checkAborted(signal);
      const into = join(temp, assertSafeFileName(file.name));
      if (dirname(into) !== temp) throw new Error(`nom de fichier hors du dossier : ${file.name}`);
      await port.writeNew(into, file.bytes, eachFile);
    }
    checkAborted(signal);
    if (before) {
      listed = before;
      old = `${temp}.old`;
      await port.rename(path, old);
      try {
        await port.rename(temp, path);
      } catch (error) {
        await port.rename(old, path);
        old = undefined;
        throw error;
      }
    } else {
      await port.rename(temp, path);
    }
    temp = undefined;
    return { ok: true, path };
  } catch (error) {
    return failure(error, shown, texts);
  } finally {
    if (temp) await rm(temp, { recursive: true, force: true });
    if (old) await removeListed(old, listed);
  }
}

/** Writes the files as one ZIP archive at `target`. */
export async function writeDossierZip(
  target: string,
  files: readonly DossierFile[],
  stamp: Date,
  options: WriteOptions,
): Promise<WriteResult> {
  const { texts, signal } = options;
  const port = options.port ?? nodeWritePort;
  const path = resolve(target);
  const shown = options.shown ?? target;
  let temp: string | undefined;
  assertMarked(files);
  try {
    const refused = await checkTarget(path, shown, { force: options.force, zip: true, texts });
    if (refused) throw new Refused(refused);
    const bytes = await zipDossier(files, stamp);
    checkAborted(signal);
    await port.mkdir(dirname(path), { recursive: true });
    temp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString("hex")}`);
    await port.writeNew(temp, bytes, true);
    checkAborted(signal);
    await port.rename(temp, path);
    temp = undefined;
    return { ok: true, path };
  } catch (error) {
    return failure(error, shown, texts);
  } finally {
    if (temp) await rm(temp, { force: true });
  }
}
