/** Texts of the page that only the browser needs (the rest comes from the server, with the schema). */
export const STRINGS = {
  serverDown:
    "Le serveur local ne répond pas : vérifiez que « diapason-dossier serve » tourne toujours, puis réessayez.",
  loading: "Chargement du questionnaire…",
  loadFailed: "Le questionnaire n'a pas pu être chargé.",
  resumeReading: "Lecture du fichier…",
  resumeDone: "Réponses reprises.",
  resumeToFix: "{{count}} réponse(s) à compléter ou corriger : voir la liste en haut du questionnaire.",
  resumeIgnored: "Ces éléments du fichier ont été ignorés :",
  resumeFailed: "Ce fichier n'a pas pu être repris :",
  zipPreparing: "Préparation du dossier…",
  zipBlocked:
    "Le dossier ne peut pas être produit tant que des réponses sont à corriger : voir la liste en haut du questionnaire.",
  jsonReady:
    "Les réponses sont enregistrées dans « {{file}} » : gardez ce fichier pour reprendre plus tard avec « Reprendre ».",
  answersFileName: "reponses-diapason.json",
};
