import { slugify } from "../dossier/names.js";
import { batchTexts } from "./messages.js";

/**
 * Dossier folder names: `<FINESS EG>-<raison sociale>`, lower-case ASCII. The first line (in input order) of an
 * establishment gets the plain name, a later line with the same name `…-ligne-<n>`: the same input always gives
 * the same names, whatever the order in which the rows finish.
 */

export interface FolderName {
  folder: string;
  /** The line that already took the plain name, for a duplicate. */
  duplicateOf?: number;
}

export class FolderNames {
  private readonly firstLine = new Map<string, number>();
  private readonly taken = new Set<string>();

  assign(finessEG: string, name: string, line: number): FolderName {
    const t = batchTexts().rows;
    const base =
      [slugify(finessEG, 12), slugify(name)].filter((p) => p !== "").join("-") || t.unnamedFolder();
    const first = this.firstLine.get(base);
    if (first === undefined && !this.taken.has(base)) {
      this.firstLine.set(base, line);
      this.taken.add(base);
      return { folder: base };
    }
    const named = t.duplicateFolder({ base, line });
    let folder = named;
    for (let n = 2; this.taken.has(folder); n++) folder = `${named}-${n}`;
    this.taken.add(folder);
    return first === undefined ? { folder } : { folder, duplicateOf: first };
  }
}
