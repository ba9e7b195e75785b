import type { Answers } from "../answers/types.js";
import { loadPlanner } from "../assets/planner.js";
import { dossierFormNames } from "../dossier/build.js";
import { loadDossierDeps } from "../dossier/deps.js";
import { createDossierPipeline } from "../dossier/pipeline.js";
import type { Plan } from "../plan/types.js";
import type { DossierMaker, ProducerSettings } from "./producer.js";

/**
 * The dossier builder with everything it needs loaded once (planner, wording, form templates parsed once): one
 * per worker thread. The dependencies are `generate`'s (src/dossier/deps.ts), so a line's dossier is the one
 * `generate` writes for the same answers.
 */
export async function loadDossierMaker(settings: ProducerSettings): Promise<DossierMaker> {
  const loaded = await loadDossierDeps(
    settings.templatesDir === undefined ? {} : { dir: settings.templatesDir },
  );
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  const deps = { ...loaded.deps, toolVersion: settings.toolVersion };
  const { texts } = deps;
  const pipeline = createDossierPipeline(loadPlanner(), deps);
  return {
    plan: pipeline.plan,
    texts,
    // As buildDossier names them (src/dossier/build.ts), for --check.
    formNames: (plan: Plan) => {
      const names = dossierFormNames(plan, deps);
      return plan.forms.map((f) => names.get(f.id) ?? f.id);
    },
    build: (answers: Answers, plan: Plan, signal: AbortSignal) =>
      pipeline.build(answers, plan, { dates: settings.dates, flatten: settings.flatten, signal }),
  };
}
