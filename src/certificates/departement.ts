/**
 * French départements, for the `ST` attribute of the certificate subject (`Côte-d'Or (21)`).
 * Metropolitan ones, Corsica (2A, 2B), the overseas départements (971–976) and the overseas
 * collectivities and territories that have a three-digit code (975, 977, 978, 984, 986–988).
 */

export interface Departement {
  code: string;
  name: string;
}

const NAMES: Readonly<Record<string, string>> = {
  "01": "Ain",
  "02": "Aisne",
  "03": "Allier",
  "04": "Alpes-de-Haute-Provence",
  "05": "Hautes-Alpes",
  "06": "Alpes-Maritimes",
  "07": "Ardèche",
  "08": "Ardennes",
  "09": "Ariège",
  "10": "Aube",
  "11": "Aude",
  "12": "Aveyron",
  "13": "Bouches-du-Rhône",
  "14": "Calvados",
  "15": "Cantal",
  "16": "Charente",
  "17": "Charente-Maritime",
  "18": "Cher",
  "19": "Corrèze",
  "2A": "Corse-du-Sud",
  "2B": "Haute-Corse",
  "21": "Côte-d'Or",
  "22": "Côtes-d'Armor",
  "23": "Creuse",
  "24": "Dordogne",
  "25": "Doubs",
  "26": "Drôme",
  "27": "Eure",
  "28": "Eure-et-Loir",
  "29": "Finistère",
  "30": "Gard",
  "31": "Haute-Garonne",
  "32": "Gers",
  "33": "Gironde",
  "34": "Hérault",
  "35": "Ille-et-Vilaine",
  "36": "Indre",
  "37": "Indre-et-Loire",
  "38": "Isère",
  "39": "Jura",
  "40": "Landes",
  "41": "Loir-et-Cher",
  "42": "Loire",
  "43": "Haute-Loire",
  "44": "Loire-Atlantique",
  "45": "Loiret",
  "46": "Lot",
  "47": "Lot-et-Garonne",
  "48": "Lozère",
  "49": "Maine-et-Loire",
  "50": "Manche",
  "51": "Marne",
  "52": "Haute-Marne",
  "53": "Mayenne",
  "54": "Meurthe-et-Moselle",
  "55": "Meuse",
  "56": "Morbihan",
  "57": "Moselle",
  "58": "Nièvre",
  "59": "Nord",
  "60": "Oise",
  "61": "Orne",
  "62": "Pas-de-Calais",
  "63": "Puy-de-Dôme",
  "64": "Pyrénées-Atlantiques",
  "65": "Hautes-Pyrénées",
  "66": "Pyrénées-Orientales",
  "67": "Bas-Rhin",
  "68": "Haut-Rhin",
  "69": "Rhône",
  "70": "Haute-Saône",
  "71": "Saône-et-Loire",
  "72": "Sarthe",
  "73": "Savoie",
  "74": "Haute-Savoie",
  "75": "Paris",
  "76": "Seine-Maritime",
  "77": "Seine-et-Marne",
  "78": "Yvelines",
  "79": "Deux-Sèvres",
  "80": "Somme",
  "81": "Tarn",
  "82": "Tarn-et-Garonne",
  "83": "Var",
  "84": "Vaucluse",
  "85": "Vendée",
  "86": "Vienne",
  "87": "Haute-Vienne",
  "88": "Vosges",
  "89": "Yonne",
  "90": "Territoire de Belfort",
  "91": "Essonne",
  "92": "Hauts-de-Seine",
  "93": "Seine-Saint-Denis",
  "94": "Val-de-Marne",
  "95": "Val-d'Oise",
  "971": "Guadeloupe",
  "972": "Martinique",
  "973": "Guyane",
  "974": "La Réunion",
  "975": "Saint-Pierre-et-Miquelon",
  "976": "Mayotte",
  "977": "Saint-Barthélemy",
  "978": "Saint-Martin",
  "984": "Terres australes et antarctiques françaises",
  "986": "Wallis-et-Futuna",
  "987": "Polynésie française",
  "988": "Nouvelle-Calédonie",
};

export const DEPARTEMENT_CODES: readonly string[] = Object.keys(NAMES);

export function departementByCode(code: string): Departement | undefined {
  const name = NAMES[code.toUpperCase()];
  return name === undefined ? undefined : { code: code.toUpperCase(), name };
}

/**
 * The département a FINESS number starts with: two characters (`2A`/`2B` for Corsica), or three
 * when they start with 97 or 98 (overseas, ../shared/DOMAIN.md). Undefined when the prefix is no
 * known département, e.g. an overseas FINESS numbered `970…`.
 */
export function departementFromFiness(finess: string): Departement | undefined {
  const value = finess.trim().toUpperCase();
  const overseas = value.startsWith("97") || value.startsWith("98");
  return departementByCode(value.slice(0, overseas ? 3 : 2));
}

/**
 * Overseas FINESS numbers seen as `970` + the last digit of the département (e.g. `9704…` for
 * La Réunion). No ANS text confirms it: callers must flag the result as unverified.
 */
export function departementFromOverseasFinessGuess(finess: string): Departement | undefined {
  const match = /^970([1-6])/.exec(finess.trim());
  return match ? departementByCode(`97${match[1]}`) : undefined;
}

/** The département of a French postal code (Corsica: 200–201 → 2A, 202–206 → 2B). */
export function departementFromPostalCode(postalCode: string): Departement | undefined {
  const value = postalCode.trim();
  if (!/^[0-9]{5}$/.test(value)) return undefined;
  if (value.startsWith("20")) return departementByCode(value < "20200" ? "2A" : "2B");
  if (value.startsWith("97") || value.startsWith("98")) return departementByCode(value.slice(0, 3));
  return departementByCode(value.slice(0, 2));
}

/** `Côte-d'Or (21)`: the form IGC-Santé certificates carry in `ST`. */
export function formatDepartement(departement: Departement): string {
  return `${departement.name} (${departement.code})`;
}
