import { loadDossierDeps } from "../dossier/deps.js";
import { createDossierPipeline, type DossierPipeline, dossierDates, zipDossier } from "../dossier/index.js";
import { nextActionsText } from "../dossier/next-text.js";
import { loadDossierTexts } from "../dossier/texts.js";
import type { Labels } from "../plan/labels.js";
import type { Planner } from "../plan/planner.js";
import type { DossierBuilder } from "./dossier-port.js";

/**
 * The dossier of the generate command, as one ZIP built in memory: the same files (filled forms, route sheet,
 * e-mail of the forms n°413, plan and answers, the tool's mark), dated like generate (today in France, or SOURCE_DATE_EPOCH).
 * Nothing is written to disk; the archive is forgotten once sent.
 */
export function createDossierBuilder(options: {
  planner: Planner;
  labels: Labels;
  env: Readonly<Record<string, string | undefined>>;
  now: () => Date;
}): DossierBuilder {
  // The form templates are parsed once, on the first dossier asked for, then kept with this builder.
  let pipeline: Promise<DossierPipeline> | undefined;
  const pipelineOnce = () => {
    pipeline ??= loadDossierDeps().then((loaded) => {
      // The shipped templates are part of the installation: a problem with them is not the user's doing.
      if (!loaded.ok)
        throw new Error(`gabarits de formulaires : ${loaded.errors.map((e) => e.message).join(" ; ")}`);
      return createDossierPipeline(options.planner, loaded.deps);
    });
    return pipeline;
  };
  return async (answers, warnings) => {
    const dates = dossierDates(options.env, options.now);
    if (!dates.ok) throw new Error(`date du dossier invalide (${dates.code} : ${dates.value})`);
    const { plan, built, files } = await (await pipelineOnce()).make(answers, warnings, {
      dates: dates.dates,
      flatten: false,
    });
    const bytes = await zipDossier(files, dates.dates.stamp);
    // The same notes as generate prints: the dossier's own findings (the plan's are on the page already).
    const texts = loadDossierTexts();
    const findings = built.findings.map(({ file, finding }) =>
      texts.message("FINDING", {
        severity: options.labels.severities[finding.severity] ?? finding.severity,
        file,
        message: finding.message,
      }),
    );
    return {
      fileName: `dossier-diapason-${plan.establishment.presentedFiness}.zip`,
      bytes,
      findings,
      // As generate ends: the route sheet, then what to do now and what to wait for.
      next: [
        texts.message("NEXT", { routeSheet: texts.files.routeSheet }),
        ...nextActionsText(plan, texts)
          .trimEnd()
          .split("\n")
          .map((line) => line.trim()),
      ],
    };
  };
}
