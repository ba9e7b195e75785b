import type { Answers, AnswerWarning } from "../src/answers/types.js";
import { loadAnswersValidator, loadPlanner } from "../src/assets/index.js";
import { loadColumnCatalog } from "../src/batch/catalog.js";
import type { DossierDeps } from "../src/dossier/build.js";
import { loadDossierDeps } from "../src/dossier/deps.js";
import { establishmentData } from "./establishments.js";

/** What the benchmarks load once: the dossier's dependencies, the planner, and the i-th establishment's valid answers. */
export interface BenchPipeline {
  deps: DossierDeps;
  planner: ReturnType<typeof loadPlanner>;
  /** Establishment `i` read as `batch` reads a line, then validated (it always is). */
  valid(i: number): { answers: Answers; warnings: AnswerWarning[] };
}

export async function loadPipeline(): Promise<BenchPipeline> {
  const loaded = await loadDossierDeps();
  if (!loaded.ok) throw new Error("gabarits illisibles");
  const validator = loadAnswersValidator();
  const catalog = loadColumnCatalog();
  return {
    deps: loaded.deps,
    planner: loadPlanner(),
    valid(i) {
      const result = validator.validate(establishmentData(i, catalog));
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result;
    },
  };
}
