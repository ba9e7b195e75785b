/**
 * Texts the page needs before, or without, the server's (templates/text/questionnaire.fr.json, sent with the
 * schema): when the server cannot be reached.
 */
export const STRINGS = {
  serverDown:
    "Le serveur local ne répond pas : vérifiez que « diapason-dossier serve » tourne toujours, puis réessayez.",
  loading: "Chargement du questionnaire…",
  loadFailed: "Le questionnaire n'a pas pu être chargé.",
};
