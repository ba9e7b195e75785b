import type { AnswersValidator } from "../answers/validate.js";
import type { Labels } from "../plan/labels.js";
import type { Planner } from "../plan/planner.js";
import type { QuestionnaireAssets } from "../questionnaire/load.js";
import type { RegisterDeps } from "../track/register.js";
import type { DossierBuilder } from "./dossier-port.js";
import type { StaticFile } from "./static-files.js";
import type { ServeTexts } from "./texts.js";
import type { WorkLimits } from "./work-gate.js";

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
  /** The register the « Suivi » page shows; undefined when none is open (its API then answers 503). */
  track?: RegisterDeps;
  /** Largest request body, in bytes. */
  bodyLimit: number;
  /** Where unexpected server errors are reported (never to the client). */
  logError: (error: unknown) => void;
  /** Bounds of the dossier ZIP work in flight (DOSSIER_WORK_LIMITS unless a test sets others). */
  dossierWork?: WorkLimits;
}

export const DEFAULT_BODY_LIMIT = 256 * 1024;

/**
 * The dossier route's bounds: two dossiers built at once (a dossier is ~100 ms of CPU), eight more waiting, then
 * 503. Measured with bench/web-load.ts: 1,000 simultaneous requests stay far under 500 Mo.
 */
export const DOSSIER_WORK_LIMITS: WorkLimits = { concurrency: 2, queue: 8, retryAfterSeconds: 5 };
