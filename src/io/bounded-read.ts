/**
 * Reading a file the user names, never past a limit: the size is counted while reading (a pipe, /dev/zero or a
 * file growing meanwhile have no trustworthy size beforehand), so at most `limit` bytes and one chunk are ever
 * held. Problems are values with a French message naming the file.
 */
import { open } from "node:fs/promises";
import { READ_LIMITS, type SizedFileKind } from "./limits.js";
import { errnoText, fileErrorText, kindText, sizeText } from "./texts.js";

export type ReadProblemCode = "FILE_NOT_FOUND" | "FILE_IS_DIRECTORY" | "FILE_UNREADABLE" | "FILE_TOO_LARGE";

export interface ReadProblem {
  /** A ReadProblemCode, or a reader's own code (a damaged workbook…). */
  code: string;
  /** The path as the user wrote it. */
  file: string;
  /** French, names the file and, for FILE_TOO_LARGE, the limit. */
  message: string;
}

export type BoundedRead = { ok: true; bytes: Uint8Array } | { ok: false; problem: ReadProblem };

const CHUNK = 64 * 1024;

export function readProblem(code: string, file: string, params: Record<string, string> = {}): ReadProblem {
  return { code, file, message: fileErrorText(code, { file, ...params }) };
}

function tooLarge(file: string, kind: SizedFileKind, limit: number): ReadProblem {
  return readProblem("FILE_TOO_LARGE", file, { limit: sizeText(limit), kind: kindText(kind) });
}

function systemProblem(error: unknown, file: string): ReadProblem {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return readProblem("FILE_NOT_FOUND", file);
  if (code === "EISDIR") return readProblem("FILE_IS_DIRECTORY", file);
  return readProblem("FILE_UNREADABLE", file, { reason: errnoText(error) });
}

/** Thrown by `readChunks` (a stream has no other way to stop); `problem` is the value to report. */
export class ReadProblemError extends Error {
  constructor(readonly problem: ReadProblem) {
    super(problem.message);
    this.name = "ReadProblemError";
  }
}

/**
 * The file's bytes chunk by chunk, from its start; throws a ReadProblemError as soon as more than `limit` bytes
 * came (or when the file cannot be opened or read). For streamed inputs (CSV, JSON Lines, workbooks).
 */
export async function* readChunks(
  path: string,
  file: string,
  kind: SizedFileKind,
  limit: number = READ_LIMITS[kind],
): AsyncGenerator<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new ReadProblemError(systemProblem(error, file));
  }
  try {
    try {
      if ((await handle.stat()).isDirectory())
        throw new ReadProblemError(readProblem("FILE_IS_DIRECTORY", file));
    } catch (error) {
      if (error instanceof ReadProblemError) throw error;
      throw new ReadProblemError(systemProblem(error, file));
    }
    let total = 0;
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      let bytesRead: number;
      try {
        // position null: read on from the current position, the only way a pipe or a device can be read.
        ({ bytesRead } = await handle.read(buffer, 0, CHUNK, null));
      } catch (error) {
        throw new ReadProblemError(systemProblem(error, file));
      }
      if (bytesRead === 0) return;
      total += bytesRead;
      if (total > limit) throw new ReadProblemError(tooLarge(file, kind, limit));
      // A copy of what was read: a slow pipe's tiny reads never pin a whole chunk each.
      yield Buffer.from(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The whole file, at most `limit` bytes of it; a larger file is refused once the limit is passed. */
export async function readFileBounded(
  path: string,
  file: string,
  kind: SizedFileKind,
  limit: number = READ_LIMITS[kind],
): Promise<BoundedRead> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of readChunks(path, file, kind, limit)) chunks.push(chunk);
  } catch (error) {
    if (error instanceof ReadProblemError) return { ok: false, problem: error.problem };
    throw error;
  }
  return { ok: true, bytes: new Uint8Array(Buffer.concat(chunks)) };
}

/** One line of a text file: its number (from 1) and its text, or `tooLong` when it passed the line limit. */
export type BoundedLine = { number: number; text: string } | { number: number; tooLong: true };

/**
 * The lines of a UTF-8 text file (LF or CRLF), within the file's limit; a line longer than `maxLine` bytes is
 * given as `tooLong` and skipped to its end, never held whole.
 */
export async function* readLines(
  path: string,
  file: string,
  kind: SizedFileKind,
  maxLine: number,
): AsyncGenerator<BoundedLine> {
  let parts: Buffer[] = [];
  let length = 0;
  let skipping = false;
  let number = 0;
  const finish = (): BoundedLine => {
    number += 1;
    const line: BoundedLine = skipping
      ? { number, tooLong: true }
      : { number, text: Buffer.concat(parts).toString("utf8").replace(/\r$/, "") };
    parts = [];
    length = 0;
    skipping = false;
    return line;
  };
  for await (const chunk of readChunks(path, file, kind)) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      if (!skipping && length + (end - start) <= maxLine) parts.push(chunk.subarray(start, end));
      else skipping = true;
      yield finish();
      start = end + 1;
    }
    const rest = chunk.length - start;
    if (skipping || length + rest > maxLine) {
      skipping = true;
      parts = [];
    } else if (rest > 0) {
      parts.push(chunk.subarray(start));
      length += rest;
    }
  }
  if (skipping || length > 0) yield finish();
}
