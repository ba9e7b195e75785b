import type { AnswersValidator } from "../answers/validate.js";
import type { Labels } from "../plan/labels.js";
import type { Planner } from "../plan/planner.js";
import type { QuestionnaireAssets } from "../questionnaire/load.js";
import type { DossierBuilder } from "./dossier-port.js";
import type { StaticFile } from "./static-files.js";
import type { ServeTexts } from "./texts.js";

/** What the web application is built from; tests pass their own. */
export interface WebDeps {
  validator: AnswersValidator;
  planner: Planner;
  labels: Labels;
  questionnaire: QuestionnaireAssets;
  texts: ServeTexts;
  staticFiles: Map<string, StaticFile>;
  /** Undefined while the dossier builder is not available: POST /api/dossier then answers 503. */
  buildDossier?: DossierBuilder;
  /** Answer only requests addressed to a loopback name (true unless the server listens elsewhere). */
  loopbackOnly: boolean;
  /** Largest request body, in bytes. */
  bodyLimit: number;
  /** Where unexpected server errors are reported (never to the client). */
  logError: (error: unknown) => void;
}

export const DEFAULT_BODY_LIMIT = 256 * 1024;
