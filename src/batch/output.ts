import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../cli/io.js";
import { batchText } from "./messages.js";
import { REPORT_CSV, REPORT_JSON, REPORT_XLSX } from "./report.js";

/**
 * The output folder of a batch: created when missing; refused when it holds anything but leftovers of an
 * interrupted run, unless --resume or --force. Leftovers (temporary copies `.<nom>.tmp-…`, which are never
 * complete dossiers) are removed.
 */

const LEFTOVER = /^\.[^/\\]+\.tmp-/;
const REPORT_FILES = [REPORT_CSV, REPORT_JSON, REPORT_XLSX];

export async function prepareOutput(
  dir: string,
  shown: string,
  mode: { resume: boolean; force: boolean },
): Promise<void> {
  let entries: string[] = [];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new UsageError(batchText.outputNotFolder(shown));
    entries = await readdir(dir);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw new UsageError(batchText.writeFailed(shown, String(code)));
  }
  const leftovers = entries.filter((name) => LEFTOVER.test(name));
  // A folder holding only a report (of a --check run, say) may receive the batch: the report is replaced.
  const others = entries.filter((name) => !LEFTOVER.test(name) && !REPORT_FILES.includes(name));
  if (others.length > 0 && !mode.resume && !mode.force) {
    throw new UsageError(batchText.outputNotEmpty(shown));
  }
  for (const name of leftovers) await rm(join(dir, name), { recursive: true, force: true });
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(batchText.writeFailed(shown, String((error as NodeJS.ErrnoException).code)));
  }
}
