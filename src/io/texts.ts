import { loadTexts } from "../assets/texts.js";
import { compileText } from "../templating/index.js";
import type { SizedFileKind } from "./limits.js";

/** The French wording of file reading (templates/text/files.fr.json). */
interface FileTexts {
  errors: Record<string, string>;
  kinds: Record<SizedFileKind, string>;
  reasons: Record<string, string>;
  details: Record<string, string>;
  sizes: { bytes: string; kilobytes: string; megabytes: string };
}

function fileTexts(): FileTexts {
  return loadTexts<FileTexts>("text/files.fr.json");
}

function render(template: string | undefined, what: string, params: Record<string, string | number>): string {
  if (template === undefined) throw new Error(`texte manquant dans templates/text/files.fr.json : ${what}`);
  return compileText(template, { strict: true })(params);
}

/** 1 Mo, 256 Ko, 512 octets: a limit as French users read it. */
export function sizeText(bytes: number): string {
  const { sizes } = fileTexts();
  const MIB = 1024 * 1024;
  if (bytes >= MIB) {
    const n = bytes / MIB;
    return render(sizes.megabytes, "sizes", { n: Number.isInteger(n) ? n : n.toFixed(1).replace(".", ",") });
  }
  if (bytes >= 1024) return render(sizes.kilobytes, "sizes", { n: Math.ceil(bytes / 1024) });
  return render(sizes.bytes, "sizes", { n: bytes });
}

export function kindText(kind: SizedFileKind): string {
  return render(fileTexts().kinds[kind], `kinds.${kind}`, {});
}

export function fileErrorText(code: string, params: Record<string, string | number>): string {
  return render(fileTexts().errors[code], `errors.${code}`, params);
}

export function detailText(code: string, params: Record<string, string | number> = {}): string {
  return render(fileTexts().details[code], `details.${code}`, params);
}

/** A system error as a reason in French (« accès refusé »), its code when the catalog has no wording. */
export function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === undefined) return String((error as Error)?.message ?? error);
  return fileTexts().reasons[code] ?? code;
}
