/** The batch's French wording: messages about the input, the report's words, the progress lines. */

const fr = new Intl.NumberFormat("fr-FR");

/** 10 000 with the narrow no-break space French typing uses. */
export function count(n: number): string {
  return fr.format(n);
}

function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n >= 2 ? many : one}`;
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

export const batchText = {
  // Input: the header line.
  unknownColumn: (header: string, letter: string, near: string | undefined) =>
    `La colonne ${letter} « ${header} » ne correspond à aucun champ du format des réponses v1.` +
    (near ? ` Vouliez-vous dire « ${near} » ?` : "") +
    " Les en-têtes possibles sont dans le modèle (diapason-dossier batch --template modele.xlsx) ;" +
    " une colonne dont l'en-tête commence par « # » est ignorée.",
  duplicateColumn: (header: string, letter: string, first: string) =>
    `La colonne ${letter} « ${header} » désigne le même champ que la colonne ${first} : gardez-en une seule.`,
  noColumns:
    "La première ligne ne contient aucun en-tête de colonne : elle doit nommer les champs (voir le modèle, diapason-dossier batch --template modele.xlsx).",

  // Input: one line.
  extraCells: (cells: number, headers: number) =>
    `La ligne compte ${cells} cellules mais l'en-tête n'en nomme que ${headers} : une valeur contient-elle le séparateur sans être entre guillemets ?`,
  cellError: (header: string, error: string) =>
    `La cellule de la colonne « ${header} » contient une erreur de formule (${error}) : remplacez-la par une valeur.`,
  leadingZero: (header: string, written: string, restored: string) =>
    `La colonne « ${header} » contient ${written} : le zéro initial perdu par le tableur a été rétabli (${restored}). Vérifiez le numéro ; pour l'éviter, mettez la colonne au format Texte.`,
  designeeRenumbered: (written: number, used: number) =>
    `Les colonnes de la personne désignée n°${written} décrivent la personne désignée n°${used} du dossier (les précédentes sont vides).`,
  designeeLabel: (n: number) => `Personne désignée n°${n}`,
  csvSyntax: (reason: string) => `La ligne n'a pas pu être lue : ${reason}.`,
  csvQuoteNotClosed: (from: number, to: number) =>
    `un guillemet ouvert n'est jamais refermé : les lignes ${from} à ${to} du fichier n'ont pas pu être lues`,
  csvOther: "syntaxe CSV incorrecte (guillemets mal placés ?)",
  jsonlLine: "La ligne n'est pas un objet JSON de réponses.",

  // Input: the file itself (usage errors, exit code 2).
  unknownFormat: (file: string) =>
    `Format de « ${file} » non reconnu : indiquez un fichier .csv, .xlsx, .jsonl ou un dossier de fichiers de réponses (.json, .yaml).`,
  notFound: (file: string) => `« ${file} » est introuvable. Vérifiez le chemin.`,
  unreadable: (file: string, reason: string) => `« ${file} » ne peut pas être lu (${reason}).`,
  emptyFile: (file: string) =>
    `« ${file} » est vide : la première ligne doit nommer les colonnes (voir diapason-dossier batch --template modele.xlsx).`,
  binaryCsv: (file: string) =>
    `« ${file} » n'est pas un fichier texte CSV (il contient des données binaires). Un classeur Excel doit porter l'extension .xlsx.`,
  badXlsx: (file: string, reason: string) =>
    `« ${file} » n'est pas un classeur Excel (.xlsx) lisible : ${reason}. Réenregistrez-le depuis le tableur au format « Classeur Excel (.xlsx) ».`,
  emptyFolder: (folder: string) =>
    `Le dossier « ${folder} » ne contient aucun fichier de réponses (.json, .yaml, .yml).`,
  headerProblems: (file: string) => `L'en-tête de « ${file} » est à corriger :`,

  // Output folder and options.
  outputRequired: "Indiquez le dossier de sortie avec -o <dossier>.",
  outputNotEmpty: (dir: string) =>
    `Le dossier de sortie « ${dir} » n'est pas vide. Pour reprendre un lot interrompu ou corrigé : --resume ; pour tout refaire : --force ; sinon choisissez un dossier vide.`,
  outputNotFolder: (dir: string) =>
    `« ${dir} » existe et n'est pas un dossier : choisissez un autre dossier de sortie.`,
  resumeAndForce:
    "--resume et --force s'excluent : --resume garde les dossiers à jour, --force les refait tous.",
  templateWithInput: "--template écrit un modèle vide : il ne prend pas de fichier d'entrée.",
  templateFormat: (file: string) => `Le modèle « ${file} » doit porter l'extension .xlsx ou .csv.`,
  templateExists: (file: string) => `« ${file} » existe déjà : il n'est pas écrasé. Choisissez un autre nom.`,
  templateWritten: (files: string[]) => `Modèle écrit : ${files.join(", ")}.\n`,
  jobs: (value: string) => `--jobs attend un nombre entier de 0 à 64, pas « ${value} ».`,
  compareNotReport: (file: string) =>
    `« ${file} » n'est pas un rapport.json de diapason-dossier batch : indiquez le rapport.json d'un lot précédent.`,
  writeFailed: (path: string, reason: string) => `Impossible d'écrire « ${path} » (${reason}).`,

  // Rows.
  internalError: (detail: string) =>
    `Erreur interne lors de la production du dossier (${detail}) : ce n'est pas une erreur de vos données, merci de la signaler. Aucun dossier partiel n'a été laissé.`,
  checkOnly: "Vérification seule (--check) : ligne valide, dossier non produit.",
  resumed: "Dossier déjà complet pour les mêmes réponses et la même version : non refait (--resume).",
  interrupted: "Non traité : le lot a été interrompu (Ctrl-C). Relancez avec --resume pour le terminer.",
  duplicateEstablishment: (firstLine: number, folder: string) =>
    `Même établissement (FINESS EG et raison sociale) qu'à la ligne ${firstLine} : ce dossier est nommé « ${folder} ».`,

  // Progress.
  reading: (file: string, rows: number, description: string) =>
    `Lecture de « ${file} » (${description}) : ${plural(rows, "ligne", "lignes")} à traiter.\n`,
  progressLine: (done: number, total: number, rate: number, left: number, rejected: number) =>
    `${count(done)}/${count(total)} lignes (${total === 0 ? 100 : Math.floor((done * 100) / total)} %), ` +
    `${rate.toFixed(1).replace(".", ",")} lignes/s, reste environ ${duration(left)}` +
    (rejected > 0 ? `, ${plural(rejected, "ligne rejetée", "lignes rejetées")}` : "") +
    ".\n",
  progressBar: "Lot |{bar}| {value}/{total} lignes · {speed} lignes/s · reste {left} · {rejected} rejet(s)",
  interruptedNotice:
    "Interruption demandée : les dossiers terminés sont conservés, aucun dossier partiel n'est laissé.\n",

  // Summary.
  summary: (
    s: { total: number; ok: number; rejected: number; interrupted: number; resumed: number },
    check: boolean,
  ) =>
    `${check ? "Vérification" : "Lot"} ${s.interrupted > 0 ? "interrompu" : "terminé"}${check ? "e" : ""} : ${plural(s.total, "ligne", "lignes")}, ` +
    `${check ? plural(s.ok, "ligne valide", "lignes valides") : plural(s.ok, "dossier prêt", "dossiers prêts")}` +
    (s.resumed > 0 ? ` (dont ${count(s.resumed)} déjà à jour, non refaits)` : "") +
    `, ${plural(s.rejected, "ligne rejetée", "lignes rejetées")}` +
    (s.interrupted > 0 ? `, ${plural(s.interrupted, "ligne non traitée", "lignes non traitées")}` : "") +
    ".\n",
  noRows: "Aucune ligne d'établissement sous l'en-tête : le rapport est vide.\n",
  reportWritten: (xlsx: string, csv: string, json: string) =>
    `Rapport : ${xlsx} (pour Excel ou LibreOffice), ${csv} et ${json}.\n`,
  seeReport: "Les lignes rejetées et leurs erreurs, colonne par colonne, sont dans le rapport.\n",
  resumeHint: "Relancez la même commande avec --resume pour traiter les lignes restantes.\n",
} as const;
