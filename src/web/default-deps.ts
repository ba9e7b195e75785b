import { loadAnswersValidator, loadLabels, loadPlanner } from "../assets/load.js";
import { assetPath } from "../assets/root.js";
import { loadQuestionnaire } from "../questionnaire/load.js";
import type { RegisterDeps } from "../track/register.js";
import { DEFAULT_BODY_LIMIT, type WebDeps } from "./deps.js";
import { createDossierBuilder } from "./dossier-builder.js";
import type { DossierBuilder } from "./dossier-port.js";
import { loadWebTexts, webTextModules } from "./page-texts.js";
import { loadStaticFiles } from "./static-files.js";
import { loadServeTexts } from "./texts.js";

/**
 * The application's dependencies from the shipped assets (schema, rules, texts, web/ and the modules of the pages'
 * wording), read once here. A damaged wording file is a fault of the installation: its problems, in French, naming
 * the file, are thrown as one error (the command line reports it as such, exit code 3).
 */
export function defaultWebDeps(options: {
  loopbackOnly: boolean;
  logError: (error: unknown) => void;
  /** Replaces the dossier builder of the generate command (tests). */
  buildDossier?: DossierBuilder;
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
  /** The register of the « Suivi » page, opened by the caller. */
  track?: RegisterDeps;
}): WebDeps {
  const webTexts = loadWebTexts();
  if (!webTexts.ok) throw new Error(webTexts.errors.join("\n"));
  const planner = loadPlanner();
  const labels = loadLabels();
  return {
    validator: loadAnswersValidator(),
    planner,
    labels,
    questionnaire: loadQuestionnaire(),
    texts: loadServeTexts(),
    staticFiles: loadStaticFiles(assetPath("web"), webTextModules(webTexts.data)),
    ...(options.track ? { track: options.track } : {}),
    loopbackOnly: options.loopbackOnly,
    bodyLimit: DEFAULT_BODY_LIMIT,
    logError: options.logError,
    buildDossier:
      options.buildDossier ??
      createDossierBuilder({
        planner,
        labels,
        env: options.env ?? {},
        now: options.now ?? (() => new Date()),
      }),
  };
}
