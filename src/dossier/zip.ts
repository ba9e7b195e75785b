import yazl from "yazl";
import type { DossierFile } from "./build.js";
import { assertSafeFileName } from "./names.js";

/**
 * The dossier as one ZIP archive, byte-identical for the same files and stamp: entries sorted by name, every
 * entry dated with the stamp (DOS date only, so the computer's time zone does not matter), fixed permissions.
 */
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
    zip.outputStream.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    zip.end();
  });
}
