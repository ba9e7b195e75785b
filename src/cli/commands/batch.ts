import { resolve } from "node:path";
import { batchText } from "../../batch/messages.js";
import { defaultJobs, runBatch } from "../../batch/run.js";
import { EXIT, UsageError } from "../../io/port.js";
import { booleanOption, type Command, stringOption } from "../command.js";
import { toolVersion } from "../version.js";

function jobsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,2}$/.test(value.trim()) || Number(value) > 64) throw new UsageError(batchText.jobs(value));
  return Number(value);
}

export const batchCommand: Command = {
  name: "batch",
  usage: "<établissements.csv|.xlsx|.jsonl|dossier> -o <dossier>",
  help: `Une ligne par établissement : un dossier complet par ligne valide (formulaires PDF remplis, feuille de
route, courriel du formulaire n°413, plan.json, reponses.json), dans un sous-dossier nommé
<FINESS EG>-<raison sociale>. Une ligne en erreur n'arrête jamais le lot et ne laisse aucun dossier partiel.
Les en-têtes de colonnes sont les intitulés français du modèle ou les chemins techniques
(establishment.finessEJ, designees.0.email…) ; une cellule vide signifie « champ absent » ;
oui/non (vrai/faux, true/false, 1/0) pour les questions fermées. CSV : UTF-8 (avec ou sans BOM) ou
Windows-1252, séparateur « ; » ou « , » détecté.
Le rapport (rapport.xlsx, rapport.csv et rapport.json dans le dossier de sortie) donne pour chaque ligne le statut
(ok, erreur, interrompu), les formulaires produits, les avertissements et chaque erreur avec sa colonne.
Ctrl-C arrête proprement : les dossiers terminés restent, les lignes non traitées sont « interrompu »
dans le rapport ; --resume reprend sans refaire les dossiers déjà complets (mêmes réponses, même version).
Modèle à remplir : diapason-dossier batch --template modele.xlsx (ou modele.csv).
Disque plein ou dossier en lecture seule : le lot s'arrête, dit ce que le système a refusé et où, garde les
dossiers terminés et écrit le rapport (ailleurs s'il le faut, chemin affiché) ; les lignes non produites y ont
le statut « non écrit ». --check n'a pas besoin d'un dossier de sortie accessible en écriture.
Codes de sortie : 0 toutes les lignes sont ok, 1 des lignes sont rejetées (le rapport est complet),
2 erreur d'utilisation, 4 écriture refusée par le système (disque plein, lecture seule, droits),
130 lot interrompu.`,
  options: {
    output: {
      type: "string",
      short: "o",
      description: "Dossier où écrire les dossiers et le rapport.",
      valueName: "<dossier>",
    },
    template: {
      type: "string",
      description: "Écrit le modèle de tableur à remplir (.xlsx ou .csv) et s'arrête.",
      valueName: "<modele.xlsx>",
    },
    resume: {
      type: "boolean",
      description:
        "Reprend un lot : les dossiers déjà complets pour les mêmes réponses et la même version ne sont pas refaits.",
    },
    force: { type: "boolean", description: "Refait tous les dossiers d'un dossier de sortie déjà utilisé." },
    compare: {
      type: "string",
      description: "Signale, par établissement, ce qui a changé depuis ce rapport d'un lot précédent.",
      valueName: "<rapport.json>",
    },
    check: {
      type: "boolean",
      description:
        "Vérifie seulement : contrôle chaque ligne et calcule son plan, écrit le rapport sans produire de dossier.",
    },
    quiet: { type: "boolean", short: "q", description: "N'affiche que le bilan final." },
    jobs: {
      type: "string",
      short: "j",
      description: `Fils de calcul en parallèle (par défaut ${defaultJobs()}, un par cœur ; 0 : sans fil, pour le diagnostic).`,
      valueName: "<n>",
    },
    flatten: { type: "boolean", description: "Rend les champs des formulaires non modifiables." },
    date: {
      type: "string",
      description: "Date de génération prévue des certificats (AAAA-MM-JJ) pour les dates du cycle de vie.",
      valueName: "<date>",
    },
    templates: {
      type: "string",
      description: "Dossier de modèles de formulaires à utiliser à la place des modèles fournis.",
      valueName: "<dossier>",
    },
  },
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    const template = stringOption(values, "template");
    if (template !== undefined) {
      if (positionals.length > 0) throw new UsageError(batchText.templateWithInput);
      // Loaded only here: exceljs costs ~28 MB of memory, which a batch of CSV lines does not need.
      const { writeTemplate } = await import("../../batch/template.js");
      const written = await writeTemplate(resolve(io.cwd, template), template);
      if (!written.ok) throw new UsageError(written.message);
      io.stdout.write(batchText.templateWritten(written.files));
      return EXIT.ok;
    }
    const input = positionals[0];
    if (input === undefined)
      throw new UsageError(`Argument manquant. Utilisation : diapason-dossier batch ${batchCommand.usage}`);
    const output = stringOption(values, "output");
    if (output === undefined) throw new UsageError(batchText.outputRequired);
    const compare = stringOption(values, "compare");
    const jobs = jobsOption(stringOption(values, "jobs"));
    const orderDate = stringOption(values, "date");
    const templatesDir = stringOption(values, "templates");
    return runBatch(
      {
        input,
        output,
        resume: booleanOption(values, "resume"),
        force: booleanOption(values, "force"),
        quiet: booleanOption(values, "quiet"),
        flatten: booleanOption(values, "flatten"),
        check: booleanOption(values, "check"),
        toolVersion,
        ...(compare === undefined ? {} : { compare }),
        ...(jobs === undefined ? {} : { jobs }),
        ...(orderDate === undefined ? {} : { orderDate }),
        ...(templatesDir === undefined ? {} : { templatesDir }),
      },
      io,
    );
  },
};
