import yazl from "yazl";
import type { DossierFile } from "./build.js";
import { sha256Hex } from "./manifest.js";
import { assertSafeFileName } from "./names.js";

/**
 * The dossier as one ZIP archive, byte-identical for the same files and stamp: entries sorted by name, every
 * entry dated with the stamp (DOS date only, so the computer's time zone does not matter), fixed permissions.
 * The archive's comment is the tool's mark: `diapason-dossier/archive/1 sha256:<hex>`, the SHA-256 of every byte
 * before the end record. `--zip --force` replaces an archive only when its mark matches (archiveMark): one
 * written by another program, or changed since (an entry added, a signed form put in), is never overwritten.
 */

const MARK_PREFIX = "diapason-dossier/archive/1 sha256:";
/** End of central directory record: signature, then 18 bytes, the last two being the comment's length. */
const EOCD_SIGNATURE = 0x06054b50;
const EOCD_LENGTH = 22;

/** Appends the mark as the archive's comment (yazl ends the archive with a comment-less end record). */
function marked(bytes: Buffer): Uint8Array {
  const end = bytes.length - EOCD_LENGTH;
  if (end < 0 || bytes.readUInt32LE(end) !== EOCD_SIGNATURE || bytes.readUInt16LE(bytes.length - 2) !== 0)
    throw new Error("archive ZIP sans enregistrement de fin");
  const comment = Buffer.from(`${MARK_PREFIX}${sha256Hex(bytes.subarray(0, end))}`, "latin1");
  const out = Buffer.concat([bytes, comment]);
  out.writeUInt16LE(comment.length, bytes.length - 2);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * What an archive's bytes say of who wrote them: `ours` (the mark matches the bytes), `changed` (our mark, but
 * the bytes changed since), `unmarked` (no mark: another program, or an earlier version of the tool).
 */
export function archiveMark(bytes: Uint8Array): "ours" | "changed" | "unmarked" {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const lowest = Math.max(0, buffer.length - EOCD_LENGTH - 0xffff);
  for (let at = buffer.length - EOCD_LENGTH; at >= lowest; at -= 1) {
    if (buffer.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    if (at + EOCD_LENGTH + buffer.readUInt16LE(at + EOCD_LENGTH - 2) !== buffer.length) continue;
    const comment = buffer.subarray(at + EOCD_LENGTH).toString("latin1");
    if (!comment.startsWith(MARK_PREFIX)) return "unmarked";
    return comment.slice(MARK_PREFIX.length) === sha256Hex(buffer.subarray(0, at)) ? "ours" : "changed";
  }
  return "unmarked";
}

export function zipDossier(files: readonly DossierFile[], stamp: Date): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  // yazl writes the DOS date from local-time getters: give it a date whose local fields are the stamp's UTC ones.
  const mtime = new Date(
    stamp.getUTCFullYear(),
    stamp.getUTCMonth(),
    stamp.getUTCDate(),
    stamp.getUTCHours(),
    stamp.getUTCMinutes(),
    stamp.getUTCSeconds(),
  );
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const file of sorted) {
    zip.addBuffer(Buffer.from(file.bytes), assertSafeFileName(file.name), {
      mtime,
      mode: 0o100644,
      compress: true,
      forceDosTimestamp: true,
    });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => {
      try {
        resolve(marked(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    zip.end();
  });
}
