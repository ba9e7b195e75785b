import type { Answers, AnswerWarning } from "../answers/types.js";

/** The dossier as one ZIP archive: the same files as the generate command, built in memory. */
export interface DossierArchive {
  /** Suggested download name, ASCII, e.g. dossier-diapason-010003812.zip. */
  fileName: string;
  bytes: Uint8Array;
  /** What generate prints after the dossier, in French: the points of attention (a character no font draws…). */
  findings: string[];
  /** What to do next, in order (« Ouvrez feuille-de-route.pdf… »); one line each. */
  next: string[];
}

/** Builds the dossier of valid answers; undefined while the dossier builder is not available. */
export type DossierBuilder = (answers: Answers, warnings: AnswerWarning[]) => Promise<DossierArchive>;
