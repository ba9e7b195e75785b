import { fill, loadTexts } from "../assets/texts.js";

/** The register's French wording (templates/text/track.fr.json): the code holds none. */
export interface TrackTexts {
  summary: {
    step: string;
    waiting: string;
    finished: string;
    renewal: string;
    sinceToday: string;
    sinceOneDay: string;
    sinceDays: string;
    waitingSince: string;
    todoSince: string;
  };
  phases: Record<string, string>;
  stepStatus: Record<string, string>;
  certificateStatus: Record<string, string>;
  errors: Record<string, string>;
  messages: Record<string, string>;
  history: Record<string, string>;
  /** The timeline of certificate expiries (page « Suivi » and `track expiries`). */
  timeline: Record<string, string>;
  columns: Record<string, string>;
  help: Record<string, string>;
  options: Record<string, string>;
  valueNames: Record<string, string>;
  usages: Record<string, string>;
}

/** Read on each call: the caller keeps what it loaded (no process-wide cache). */
export function loadTrackTexts(): TrackTexts {
  return loadTexts<TrackTexts>("text/track.fr.json");
}

/** The one interpolation of the wording files, kept here under its name for the register's modules. */
export { fill } from "../assets/texts.js";

/** A message of a section, filled; a missing message is a programmer fault. */
export function message(
  table: Readonly<Record<string, string>>,
  code: string,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const template = table[code];
  if (template === undefined) throw new Error(`message du registre manquant : ${code}`);
  return fill(template, params);
}
