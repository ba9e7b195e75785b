import { open, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { type AnswersValidator, parseAnswersText } from "../answers/index.js";
import { renderMessage } from "../answers/messages.js";
import { sizeLabel } from "../answers/shape.js";
import type { AnswerError, ValidationResult } from "../answers/types.js";
import { READ_LIMITS } from "../io/limits.js";
import { errnoText } from "../io/texts.js";

/** An answers file is a few kilobytes; anything far larger is a wrong file, refused before reading. */
export const MAX_ANSWERS_FILE_BYTES: number = READ_LIMITS.answers;

export type FileResult =
  | { ok: true; file: string; data: unknown; text: string }
  | { ok: false; file: string; errors: AnswerError[] };

function fileError(
  validator: AnswersValidator,
  file: string,
  code: string,
  params: Record<string, string | number> = {},
): FileResult {
  const template = validator.catalog.input[code];
  if (template === undefined) throw new Error(`message manquant pour ${code}`);
  return {
    ok: false,
    file,
    errors: [{ path: "", code, message: renderMessage(template, { file, ...params }) }],
  };
}

/** Reads and parses one answers file (JSON or YAML), refusing missing, huge, binary or non-UTF-8 files. */
export async function readAnswersData(
  file: string,
  cwd: string,
  validator: AnswersValidator,
): Promise<FileResult> {
  const path = resolve(cwd, file);
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return fileError(validator, file, "FILE_IS_DIRECTORY");
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return fileError(validator, file, "FILE_NOT_FOUND");
    return fileError(validator, file, "FILE_UNREADABLE", { reason: errnoText(error) });
  }
  if (size > MAX_ANSWERS_FILE_BYTES) {
    return fileError(validator, file, "FILE_TOO_LARGE", {
      size: sizeLabel(size),
      limit: sizeLabel(MAX_ANSWERS_FILE_BYTES),
    });
  }
  let bytes: Buffer;
  try {
    const handle = await open(path, "r");
    try {
      // Read at most one byte past the limit: a file growing meanwhile is still refused.
      const buffer = Buffer.alloc(MAX_ANSWERS_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return fileError(validator, file, "FILE_UNREADABLE", { reason: errnoText(error) });
  }
  if (bytes.length > MAX_ANSWERS_FILE_BYTES) {
    return fileError(validator, file, "FILE_TOO_LARGE", {
      size: sizeLabel(bytes.length),
      limit: sizeLabel(MAX_ANSWERS_FILE_BYTES),
    });
  }
  return decodeAnswersBytes(bytes, file, validator);
}

/** Bytes of an answers file (upload, archive entry) as parsed data, with the same checks as a file. */
export function decodeAnswersBytes(bytes: Uint8Array, file: string, validator: AnswersValidator): FileResult {
  if (
    bytes.length === 0 ||
    (/^\s*$/.test(Buffer.from(bytes.subarray(0, 4096)).toString("latin1")) && bytes.length < 4096)
  ) {
    return fileError(validator, file, "FILE_EMPTY");
  }
  if (bytes.includes(0)) return fileError(validator, file, "FILE_BINARY");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const decoded = new TextDecoder("utf-8").decode(bytes);
    const line = decoded.slice(0, decoded.indexOf("\ufffd")).split("\n").length;
    return fileError(validator, file, "FILE_ENCODING", { line });
  }
  const parsed = parseAnswersText(text, basename(file), validator.catalog);
  if (!parsed.ok) return { ok: false, file, errors: parsed.errors };
  return { ok: true, file, data: parsed.data, text };
}

/** Reads, parses and validates one answers file. */
export async function readAnswersFile(
  file: string,
  cwd: string,
  validator: AnswersValidator,
): Promise<ValidationResult & { file: string }> {
  const read = await readAnswersData(file, cwd, validator);
  if (!read.ok) return { ok: false, file, errors: read.errors, warnings: [] };
  return { ...validator.validate(read.data), file };
}
