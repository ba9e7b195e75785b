import type { Answers, AnswerWarning } from "../answers/types.js";
import type { Planner } from "../plan/planner.js";
import type { Plan } from "../plan/types.js";
import { buildDossier, type DossierDeps, type DossierFile, type DossierResult } from "./build.js";
import type { DossierDates } from "./dates.js";
import { markDossier } from "./manifest.js";

/** How a dossier is made: its dates, editable or flattened forms, and the signal that stops it. */
export interface DossierOptions {
  dates: DossierDates;
  flatten: boolean;
  signal?: AbortSignal;
}

export interface MadeDossier {
  plan: Plan;
  built: DossierResult;
  /** The dossier's files with the tool's mark (empreinte.json), as generate writes them and the web zips them. */
  files: DossierFile[];
}

/**
 * The one assembly of validated answers → plan → dossier. Every adapter that makes dossiers goes through it:
 * generate (and questionnaire --generate, which runs generate), the web's ZIP and batch (which plans first, for
 * --check, then builds). Validation stays with each adapter: a file, a request body or a spreadsheet row each
 * validate their own way and hand over validated, normalized answers.
 */
export interface DossierPipeline {
  readonly deps: DossierDeps;
  plan(answers: Answers, warnings: AnswerWarning[]): Promise<Plan>;
  /** The dossier of a plan already made (batch plans every row, and builds only outside --check). */
  build(answers: Answers, plan: Plan, options: DossierOptions): Promise<DossierResult>;
  /** Plan, dossier and mark, in one call. */
  make(answers: Answers, warnings: AnswerWarning[], options: DossierOptions): Promise<MadeDossier>;
}

export function createDossierPipeline(planner: Planner, deps: DossierDeps): DossierPipeline {
  const build = (answers: Answers, plan: Plan, options: DossierOptions) =>
    buildDossier(
      {
        answers,
        plan,
        dates: options.dates,
        flatten: options.flatten,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      deps,
    );
  return {
    deps,
    plan: (answers, warnings) => planner.plan(answers, warnings),
    build,
    async make(answers, warnings, options) {
      const plan = await planner.plan(answers, warnings);
      const built = await build(answers, plan, options);
      const files = markDossier(built, plan.generator, {
        flatten: options.flatten,
        dates: options.dates,
        note: deps.texts.manifestNote,
      });
      return { plan, built, files };
    },
  };
}
