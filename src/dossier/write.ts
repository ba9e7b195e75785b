import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { lstat, mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { DossierFile } from "./build.js";
import { assertSafeFileName, isSafeFileName } from "./names.js";
import type { DossierTexts } from "./texts.js";
import { zipDossier } from "./zip.js";

/**
 * Writes a dossier so that nobody ever sees half of it: a folder is written under a temporary name beside the
 * target and renamed into place; an archive likewise. An existing dossier is replaced only with `force`, and
 * never something that is not a dossier. On error or interruption the temporary copy is removed.
 */

export interface WriteError {
  path: string;
  code: "EXISTS" | "EXISTS_ZIP" | "NOT_A_DOSSIER" | "NOT_A_FILE" | "WRITE_FAILED" | "ABORTED";
  message: string;
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
   * to do meanwhile; one folder sync cost ~5 ms of waiting per dossier). A batch's marker lists each file's
   * SHA-256 and --resume checks them: a dossier cut short by a power loss is redone, never taken as done.
   */
  durability?: "file" | "none";
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

/** A folder we may replace: empty, or only plain files with dossier names, plan.json among them. */
async function isDossierFolder(path: string, planName: string): Promise<boolean> {
  const entries = await readdir(path, { withFileTypes: true });
  if (entries.length === 0) return true;
  return (
    entries.every((e) => e.isFile() && isSafeFileName(e.name)) && entries.some((e) => e.name === planName)
  );
}

async function writeNew(path: string, bytes: Uint8Array, sync = true): Promise<void> {
  if (!sync) {
    writeFileSync(path, bytes, { flag: "wx", mode: 0o644 });
    return;
  }
  const handle = await open(path, "wx", 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function failure(error: unknown, path: string, texts: DossierTexts): WriteResult {
  if (error instanceof Refused) return { ok: false, error: error.error };
  const e = error as NodeJS.ErrnoException;
  if (e?.name === "AbortError" || e?.code === "ABORT_ERR") {
    return { ok: false, error: { path, code: "ABORTED", message: texts.message("ABORTED", { path }) } };
  }
  if (typeof e?.code === "string" && e.code.startsWith("E")) {
    const message = texts.message("WRITE_FAILED", { path, reason: texts.reason(e.code) });
    return { ok: false, error: { path, code: "WRITE_FAILED", message } };
  }
  throw error;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw Object.assign(new Error("interrompu"), { name: "AbortError" });
}

/**
 * Why `path` may not receive the dossier, or undefined when it may: an existing dossier without `force`, or
 * anything that is not a dossier (or, for `zip`, not a file), even with `force`. `shown` is the path as typed.
 */
export async function checkTarget(
  path: string,
  shown: string,
  options: { force: boolean; zip: boolean; texts: DossierTexts },
): Promise<WriteError | undefined> {
  return (await inspectTarget(path, shown, options)).refused;
}

/** `checkTarget`, and whether something is there (one look at the disk). */
async function inspectTarget(
  path: string,
  shown: string,
  options: { force: boolean; zip: boolean; texts: DossierTexts },
): Promise<{ refused?: WriteError; exists: boolean }> {
  const { texts } = options;
  const refuse = (code: WriteError["code"]) => ({
    exists: true,
    refused: { path: shown, code, message: texts.message(code, { path: shown }) },
  });
  const before = await existing(path);
  if (!before) return { exists: false };
  if (options.zip) {
    if (!before.isFile()) return refuse("NOT_A_FILE");
    return options.force ? { exists: true } : refuse("EXISTS_ZIP");
  }
  if (!before.isDirectory() || !(await isDossierFolder(path, texts.files.plan)))
    return refuse("NOT_A_DOSSIER");
  return options.force ? { exists: true } : refuse("EXISTS");
}

/** Writes the files as the folder `target` (created with its parents). */
export async function writeDossierFolder(
  target: string,
  files: readonly DossierFile[],
  options: WriteOptions,
): Promise<WriteResult> {
  const { texts, signal } = options;
  const path = resolve(target);
  const shown = options.shown ?? target;
  const parent = dirname(path);
  let temp: string | undefined;
  let old: string | undefined;
  try {
    const target = await inspectTarget(path, shown, { force: options.force, zip: false, texts });
    if (target.refused) throw new Refused(target.refused);
    const before = target.exists;
    await mkdir(parent, { recursive: true });
    // Not mkdtemp (mode 0700): the dossier folder gets the usual permissions, as files do.
    temp = join(parent, `.${basename(path)}.tmp-${randomBytes(6).toString("hex")}`);
    await mkdir(temp);
    const eachFile = options.durability !== "none";
    for (const file of files) {
      checkAborted(signal);
      const into = join(temp, assertSafeFileName(file.name));
      if (dirname(into) !== temp) throw new Error(`nom de fichier hors du dossier : ${file.name}`);
      await writeNew(into, file.bytes, eachFile);
    }
    checkAborted(signal);
    if (before) {
      old = `${temp}.old`;
      await rename(path, old);
      try {
        await rename(temp, path);
      } catch (error) {
        await rename(old, path);
        old = undefined;
        throw error;
      }
    } else {
      await rename(temp, path);
    }
    temp = undefined;
    return { ok: true, path };
  } catch (error) {
    return failure(error, shown, texts);
  } finally {
    if (temp) await rm(temp, { recursive: true, force: true });
    if (old) await rm(old, { recursive: true, force: true });
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
  const path = resolve(target);
  const shown = options.shown ?? target;
  let temp: string | undefined;
  try {
    const refused = await checkTarget(path, shown, { force: options.force, zip: true, texts });
    if (refused) throw new Refused(refused);
    const bytes = await zipDossier(files, stamp);
    checkAborted(signal);
    await mkdir(dirname(path), { recursive: true });
    temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${bytes.length}`);
    await rm(temp, { force: true });
    await writeNew(temp, bytes);
    checkAborted(signal);
    await rename(temp, path);
    temp = undefined;
    return { ok: true, path };
  } catch (error) {
    return failure(error, shown, texts);
  } finally {
    if (temp) await rm(temp, { force: true });
  }
}
