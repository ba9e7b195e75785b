import { open, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { loadDossierTexts } from "../dossier/texts.js";
import { removeSetAside } from "../dossier/write.js";
import { refusedIn, type WritePort, WriteRefused } from "../dossier/write-port.js";
import { UsageError } from "../io/port.js";
import { batchTexts } from "./messages.js";
import { isBatchReport, REPORT_CSV, REPORT_JSON, REPORT_XLSX } from "./report.js";

/**
 * The output folder of a batch: created when missing; refused when it holds anything but leftovers of an
 * interrupted run, unless --resume or --force. Even then, the batch only ever replaces what it wrote: dossier
 * folders through their mark (src/dossier/write.ts), and its own reports; anything else in the folder stays.
 * Leftovers of an interrupted run are removed: temporary copies (`.<nom>.tmp-<12 hex>`, never complete dossiers,
 * and `.rapport.csv.tmp-<pid>`), and folders set aside for replacement (`….old`), of which only the files their
 * mark lists.
 */

const TEMPORARY = /^\.[^/\\]+\.tmp-(?:[0-9a-f]{12}|[0-9]+)$/;
const SET_ASIDE = /^\.[^/\\]+\.tmp-[0-9a-f]{12}\.old$/;
const REPORT_FILES = [REPORT_CSV, REPORT_JSON, REPORT_XLSX];

/** The first bytes of a file, as text (empty when it cannot be read). */
async function head(path: string): Promise<string> {
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(512);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return "";
  }
}

/**
 * Checks and readies the output folder. Throws a UsageError for a folder the batch may not use (exit code 2);
 * returns the system's refusal when the folder cannot be looked at, created or cleaned (read-only disk or share,
 * no permission, full disk): the batch then writes no dossier and keeps its report elsewhere.
 */
export async function prepareOutput(
  dir: string,
  shown: string,
  mode: { resume: boolean; force: boolean },
  port: WritePort,
): Promise<WriteRefused | undefined> {
  let entries: string[] = [];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new UsageError(batchTexts().output.outputNotFolder({ dir: shown }));
    entries = await readdir(dir);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") return refusal(error, shown);
  }
  const leftover = (name: string) => TEMPORARY.test(name) || SET_ASIDE.test(name);
  // A folder holding only a report (of a --check run, say) may receive the batch: the report is replaced.
  const others = entries.filter((name) => !leftover(name) && !REPORT_FILES.includes(name));
  if (others.length > 0 && !mode.resume && !mode.force) {
    throw new UsageError(batchTexts().output.outputNotEmpty({ dir: shown }));
  }
  for (const name of REPORT_FILES.filter((n) => entries.includes(n))) {
    if (!isBatchReport(name, await head(join(dir, name))))
      throw new UsageError(loadDossierTexts().message("BATCH_FOREIGN_REPORT", { path: join(shown, name) }));
  }
  try {
    for (const name of entries.filter((n) => TEMPORARY.test(n)))
      await rm(join(dir, name), { recursive: true, force: true });
    for (const name of entries.filter((n) => SET_ASIDE.test(n))) await removeSetAside(join(dir, name));
    await port.mkdir(dir, { recursive: true });
  } catch (error) {
    return refusal(error, shown);
  }
  return undefined;
}

function refusal(error: unknown, shown: string): WriteRefused {
  const refused = refusedIn(error, shown);
  if (refused instanceof WriteRefused) return refused;
  throw error;
}
