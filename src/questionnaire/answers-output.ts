import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import YAML from "yaml";
import { renderText } from "./texts.js";

/** The answers as a YAML file, with a short French header; numbers-as-text (FINESS, postal code) stay quoted. */
export function answersYaml(data: unknown, header: string, file: string, now: Date): string {
  const comment = renderText(header, { date: now.toISOString().slice(0, 10), file: basename(file) });
  return `${comment}${YAML.stringify(data, { lineWidth: 0 })}`;
}

/**
 * Writes a file atomically: a temporary file in the same folder, flushed, then renamed over the target.
 * An interruption leaves either the old file or the new one, never a partial one.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", 0o644);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
