import { createHash } from "node:crypto";
import { join } from "node:path";
import type { DossierFile } from "../dossier/build.js";
import { READ_LIMITS, readFileBounded } from "../io/index.js";
import type { ReportIssue } from "./report.js";

/**
 * The marker a batch writes last in each dossier (`empreinte-lot.json`): what the dossier was made from (hash of
 * the normalized answers, tool and rules versions, options) and its files. `--resume` skips a dossier whose
 * marker matches and whose files are all there with their SHA-256: a dossier folder only ever appears complete
 * (written aside, then renamed), and a batch does not force each dossier to disk, so a power cut may leave a
 * renamed folder whose files were never written; their contents are checked, not just their names.
 */

export const MARKER_FILE = "empreinte-lot.json";
const FORMAT = "diapason-dossier/empreinte-lot/1";

/** What must be equal for a dossier to be reused. */
export interface DossierIdentity {
  answersHash: string;
  toolVersion: string;
  rulesVersion: string;
  /** Options that change the files: fields made non-editable, an order day given explicitly. */
  options: { flatten: boolean; orderDay: string | null };
}

/** What the report says of a dossier, kept in its marker so a resumed run reports it without redoing it. */
export interface DossierSummary {
  forms: string[];
  decisions: string[];
  warnings: ReportIssue[];
}

export interface DossierMarker extends DossierIdentity, DossierSummary {
  format: typeof FORMAT;
  files: { name: string; size: number; sha256: string }[];
}

export function markerFile(
  identity: DossierIdentity,
  summary: DossierSummary,
  files: readonly DossierFile[],
): DossierFile {
  const marker: DossierMarker = {
    format: FORMAT,
    ...identity,
    files: files.map((f) => ({
      name: f.name,
      size: f.bytes.length,
      sha256: createHash("sha256").update(f.bytes).digest("hex"),
    })),
    ...summary,
  };
  return { name: MARKER_FILE, bytes: new TextEncoder().encode(`${JSON.stringify(marker, null, 2)}\n`) };
}

function sameIdentity(a: DossierIdentity, b: DossierIdentity): boolean {
  return (
    a.answersHash === b.answersHash &&
    a.toolVersion === b.toolVersion &&
    a.rulesVersion === b.rulesVersion &&
    a.options.flatten === b.options.flatten &&
    a.options.orderDay === b.options.orderDay
  );
}

/** The marker of a complete dossier made from the same input by the same versions, or undefined. */
export async function completeDossier(
  folder: string,
  expected: DossierIdentity,
): Promise<DossierMarker | undefined> {
  let marker: DossierMarker;
  try {
    const read = await readFileBounded(join(folder, MARKER_FILE), MARKER_FILE, "dossierFile");
    if (!read.ok) return undefined;
    marker = JSON.parse(Buffer.from(read.bytes).toString("utf8")) as DossierMarker;
  } catch {
    return undefined;
  }
  if (marker?.format !== FORMAT || !Array.isArray(marker.files) || !sameIdentity(marker, expected))
    return undefined;
  for (const file of marker.files) {
    try {
      // Never more than the size noted: a file replaced by a huge one is simply not the same.
      const limit = Math.min(Number(file.size) || 0, READ_LIMITS.dossierFile);
      const read = await readFileBounded(join(folder, file.name), file.name, "dossierFile", limit);
      if (!read.ok) return undefined;
      const bytes = read.bytes;
      if (bytes.length !== file.size) return undefined;
      if (createHash("sha256").update(bytes).digest("hex") !== file.sha256) return undefined;
    } catch {
      return undefined;
    }
  }
  return marker;
}
