/** Texts of the « Suivi » page that only the browser needs (the rest comes from the server, in French). */
export const SUIVI = {
  serverDown:
    "Le serveur local ne répond pas : vérifiez que « diapason-dossier serve » tourne toujours, puis réessayez.",
  caption: "{{total}} établissement(s) ; page {{page}} sur {{pages}}.",
  empty: "Aucun établissement ne correspond aux filtres.",
  summary: "Phase : {{phase}}. Maintenant : {{next}} — {{actor}}.",
  markDone: "Marquer l'étape {{number}} faite",
  doneOn: "fait le {{day}} par {{by}}",
  waitsFor: "attend : {{what}}",
  after: "après l'étape {{steps}}",
  readySince: "possible depuis {{days}} jour(s)",
  received: "reçu le {{day}}",
  expected: "attendu depuis {{days}} jour(s)",
  later: "pas encore demandé",
  noCertificate: "Aucun certificat enregistré (commande track certificate).",
  certificate:
    "{{profile}} n° {{serial}} : échéance le {{expiry}}, renouvellement dès le {{renewal}} ({{status}}, {{days}} jour(s) restants)",
  marked: "Étape {{number}} notée faite.",
  markReceived: "Noter reçu : {{label}}",
  receivedNoted: "Noté reçu : {{label}}.",
  dateLabel: "Date",
  noteLabel: "Note (facultative)",
  byLabel: "Noté par",
  finess: "(FINESS EG {{finess}})",
  conflict: "{{message}} L'état affiché est maintenant à jour.",
};
