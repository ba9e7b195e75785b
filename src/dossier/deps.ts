import { loadLabels, loadRuleSet } from "../assets/planner.js";
import { toolVersion } from "../assets/root.js";
import { loadFormFiller } from "../forms/fill.js";
import { BlockMemo } from "../layout/text-document.js";
import { parameterValues } from "../plan/context.js";
import type { DossierDeps } from "./build.js";
import { loadDossierTexts } from "./texts.js";

/** The real dependencies of buildDossier: the form templates and filler of src/forms, the shipped wording. */

export interface TemplateProblem {
  path: string;
  code: string;
  message: string;
}

export type DepsResult = { ok: true; deps: DossierDeps } | { ok: false; errors: TemplateProblem[] };

/**
 * Loads the form templates (the bundled ones, or a user's `--templates` folder in their place; each parsed
 * once per process) and returns what buildDossier needs, or the templates' problems as French values.
 */
export async function loadDossierDeps(options: { dir?: string } = {}): Promise<DepsResult> {
  const labels = loadLabels();
  const filler = await loadFormFiller({ ...options, labels });
  if (!filler.ok) return { ok: false, errors: filler.errors };
  const texts = loadDossierTexts();
  return {
    ok: true,
    deps: {
      labels,
      parameters: parameterValues(loadRuleSet().parameters),
      texts,
      toolVersion: toolVersion(),
      fillForm: filler.fill,
      blockMemo: new BlockMemo(),
    },
  };
}
