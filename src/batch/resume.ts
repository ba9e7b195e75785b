import { join } from "node:path";
import type { DossierFile } from "../dossier/build.js";
import {
  type DossierIdentity,
  type DossierManifest,
  MANIFEST_FILE,
  manifestFile,
  parseManifest,
  sameIdentity,
  sha256Hex,
} from "../dossier/manifest.js";
import { READ_LIMITS, readFileBounded } from "../io/index.js";
import type { ReportIssue } from "./report.js";

/**
 * A batch's dossiers carry the mark every dossier carries (`empreinte.json`, src/dossier/manifest.ts, written
 * last): what the dossier was made from (hash of the normalized answers, tool and rules versions, options), its
 * files, and what the report says of it. `--resume` skips a dossier whose mark matches and whose files are all
 * there with their SHA-256: a dossier folder only ever appears complete (written aside, then renamed), and a
 * batch does not force each dossier to disk, so a power cut may leave a renamed folder whose files were never
 * written; their contents are checked, not just their names.
 */

/** What the report says of a dossier, kept in its mark so a resumed run reports it without redoing it. */
export interface DossierSummary {
  forms: string[];
  decisions: string[];
  warnings: ReportIssue[];
}

export type DossierMarker = DossierManifest & DossierIdentity & DossierSummary;

export function markerFile(
  identity: DossierIdentity,
  summary: DossierSummary,
  files: readonly DossierFile[],
  note: string,
): DossierFile {
  return manifestFile(files, note, { ...identity, ...summary });
}

/** The mark of a complete dossier made from the same input by the same versions, or undefined. */
export async function completeDossier(
  folder: string,
  expected: DossierIdentity,
): Promise<DossierMarker | undefined> {
  let marker: DossierMarker;
  try {
    const read = await readFileBounded(join(folder, MANIFEST_FILE), MANIFEST_FILE, "dossierFile");
    if (!read.ok) return undefined;
    marker = parseManifest(MANIFEST_FILE, Buffer.from(read.bytes).toString("utf8")) as DossierMarker;
  } catch {
    return undefined;
  }
  if (!marker || !sameIdentity(marker, expected)) return undefined;
  if (!Array.isArray(marker.forms) || !Array.isArray(marker.decisions) || !Array.isArray(marker.warnings))
    return undefined;
  for (const file of marker.files) {
    try {
      // Never more than the size noted: a file replaced by a huge one is simply not the same.
      const limit = Math.min(Number(file.size) || 0, READ_LIMITS.dossierFile);
      const read = await readFileBounded(join(folder, file.name), file.name, "dossierFile", limit);
      if (!read.ok) return undefined;
      if (read.bytes.length !== file.size || sha256Hex(read.bytes) !== file.sha256) return undefined;
    } catch {
      return undefined;
    }
  }
  return marker;
}
