import { createHash } from "node:crypto";
import type { DossierFile } from "./build.js";
import type { DossierDates } from "./dates.js";

/**
 * The mark the tool leaves in every dossier folder it writes (`empreinte.json`, written last): each file it wrote
 * there, with its size and SHA-256. It is what makes a folder "a dossier written by diapason-dossier": `--force`
 * replaces a folder only when it holds nothing but the files its mark lists (src/dossier/write.ts), and a batch's
 * `--resume` trusts a dossier only when every listed file still has its hash (src/batch/resume.ts). `generate`
 * and `batch` write the same mark; a batch adds to it what its report says of the dossier.
 */

export const MANIFEST_FILE = "empreinte.json";
export const MANIFEST_FORMAT = "diapason-dossier/empreinte/1";
/** The mark earlier versions' batches wrote (same list of files): recognised, never written. */
export const LEGACY_MANIFEST_FILE = "empreinte-lot.json";
const LEGACY_FORMAT = "diapason-dossier/empreinte-lot/1";

/** What a dossier was made from: equal identities give the same files (batch `--resume` relies on it). */
export interface DossierIdentity {
  answersHash: string;
  toolVersion: string;
  rulesVersion: string;
  /** Options that change the files: fields made non-editable, an order day given explicitly. */
  options: { flatten: boolean; orderDay: string | null };
}

export function dossierIdentity(
  answersHash: string,
  versions: { toolVersion: string; rulesVersion: string },
  flatten: boolean,
  dates: DossierDates,
): DossierIdentity {
  const day = dates.orderDay;
  return {
    answersHash,
    toolVersion: versions.toolVersion,
    rulesVersion: versions.rulesVersion,
    options: {
      flatten,
      orderDay: dates.orderDayGiven
        ? `${day.year}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}`
        : null,
    },
  };
}

export function sameIdentity(a: DossierIdentity, b: DossierIdentity): boolean {
  return (
    a.answersHash === b.answersHash &&
    a.toolVersion === b.toolVersion &&
    a.rulesVersion === b.rulesVersion &&
    a.options?.flatten === b.options.flatten &&
    a.options?.orderDay === b.options.orderDay
  );
}

export interface ManifestEntry {
  name: string;
  size: number;
  sha256: string;
}

export interface DossierManifest {
  format: string;
  files: ManifestEntry[];
  [field: string]: unknown;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The mark of `files`: `note` (French, for whoever opens it) first, then `fields` (what the dossier was made
 * from, for `--resume`), then the list of files.
 */
export function manifestFile(
  files: readonly DossierFile[],
  note: string,
  fields: Record<string, unknown> = {},
): DossierFile {
  const manifest = {
    format: MANIFEST_FORMAT,
    note,
    ...fields,
    files: files.map((f) => ({ name: f.name, size: f.bytes.length, sha256: sha256Hex(f.bytes) })),
  };
  return { name: MANIFEST_FILE, bytes: new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`) };
}

/** `files` followed by their mark. */
export function withManifest(
  files: readonly DossierFile[],
  note: string,
  fields: Record<string, unknown> = {},
): DossierFile[] {
  return [...files, manifestFile(files, note, fields)];
}

/** A built dossier's files followed by their mark, with what they were made from (`generate`, the web's ZIP). */
export function markDossier(
  built: { files: readonly DossierFile[]; answersHash: string },
  generator: { version: string; rulesVersion: string },
  options: { flatten: boolean; dates: DossierDates; note: string },
): DossierFile[] {
  const versions = { toolVersion: generator.version, rulesVersion: generator.rulesVersion };
  const identity = dossierIdentity(built.answersHash, versions, options.flatten, options.dates);
  return withManifest(built.files, options.note, { ...identity });
}

function isEntry(value: unknown): value is ManifestEntry {
  const e = value as ManifestEntry;
  return (
    typeof e === "object" &&
    e !== null &&
    typeof e.name === "string" &&
    typeof e.size === "number" &&
    typeof e.sha256 === "string"
  );
}

/** The mark read from a file named `name` (current or earlier format), or undefined when it is not one. */
export function parseManifest(name: string, text: string): DossierManifest | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const manifest = data as DossierManifest;
  const expected = name === MANIFEST_FILE ? MANIFEST_FORMAT : LEGACY_FORMAT;
  if (typeof manifest !== "object" || manifest === null || manifest.format !== expected) return undefined;
  if (!Array.isArray(manifest.files) || !manifest.files.every(isEntry)) return undefined;
  return manifest;
}
