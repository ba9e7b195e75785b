import { loadLabels, loadRuleSet } from "../assets/planner.js";
import { readJsonAsset } from "../assets/root.js";
import { parameterValues } from "../plan/context.js";
import { fillPlanForm } from "../render/fill.js";
import { FormTemplateError, loadFormTemplates } from "../render/form-templates.js";
import { setDocumentMetadata } from "../render/metadata.js";
import { routeSheetFonts } from "../render/route-sheet-fonts.js";
import type { DossierDeps } from "./build.js";
import { loadDossierTexts } from "./texts.js";

/** The real dependencies of buildDossier: the form templates and filler of src/pdf, the shipped wording. */

export interface TemplateProblem {
  path: string;
  code: string;
  message: string;
}

export type DepsResult = { ok: true; deps: DossierDeps } | { ok: false; errors: TemplateProblem[] };

let toolVersion: string | undefined;

/**
 * Loads the form templates (the bundled ones, or a user's `--templates` folder in their place; each parsed
 * once per process) and returns what buildDossier needs, or the templates' problems as French values.
 */
export async function loadDossierDeps(options: { dir?: string } = {}): Promise<DepsResult> {
  let set: Awaited<ReturnType<typeof loadFormTemplates>>;
  try {
    set = await loadFormTemplates(options);
  } catch (error) {
    if (error instanceof FormTemplateError) return { ok: false, errors: error.errors };
    throw error;
  }
  const texts = loadDossierTexts();
  toolVersion ??= readJsonAsset<{ version: string }>("package.json").version;
  return {
    ok: true,
    deps: {
      labels: loadLabels(),
      parameters: parameterValues(loadRuleSet().parameters),
      texts,
      toolVersion,
      fillForm: (form, plan, answers, options) => fillPlanForm(set, form, plan, answers, options),
      fonts: (doc, announced) => routeSheetFonts(doc, announced, texts.routeSheetPlace),
      metadata: setDocumentMetadata,
    },
  };
}
