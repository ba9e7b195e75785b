import { luhnValid } from "../src/answers/finess.js";
import type { ColumnCatalog } from "../src/batch/columns.js";
import { dataFromCells } from "../src/batch/row.js";

/**
 * Synthetic establishments for the batch benchmark and tests: valid answers v1 as spreadsheet cells (dotted
 * path → text), in four shapes that cover the plan's paths (new contract with forms 101/301/413, existing
 * contract at the EJ or the EG, a mandataire with form 502, TOM card request).
 */

/** A Luhn-valid FINESS: two département digits, six from `n`, the check digit. */
export function finess(departement: string, n: number): string {
  const prefix = `${departement}${String(n % 1_000_000).padStart(6, "0")}`;
  for (let d = 0; d <= 9; d++) if (luhnValid(`${prefix}${d}`)) return `${prefix}${d}`;
  throw new Error("unreachable");
}

const CITIES = ["Bourg-en-Bresse", "Mâcon", "Besançon", "Orléans", "Nîmes", "Évreux", "Saint-Étienne"];
const FIRST = ["Élodie", "Thomas", "Marie", "Hugo", "Chloé", "Noël", "Anaïs", "François"];
const LAST = ["Lefèvre", "Roux", "Durand", "Bernard", "Garnier", "Øster", "Œuvray", "Nguyễn"];

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

/** The i-th establishment (from 0), as dotted path → cell text. */
export function establishmentCells(i: number): Record<string, string> {
  const shape = i % 4;
  const domain = `etab${i}-sante-exemple.fr`;
  const cells: Record<string, string> = {
    "establishment.name": `${shape === 3 ? "EHPAD" : "Centre hospitalier"} ${pick(CITIES, i)} n°${i + 1}`,
    "establishment.finessEJ": finess("01", i * 2),
    "establishment.finessEG": finess("01", i * 2 + 1),
    "establishment.geographicEntities": String(shape === 3 ? 1 : 1 + (i % 5)),
    "legalRepresentative.firstName": pick(FIRST, i + 3),
    "legalRepresentative.lastName": pick(LAST, i + 5),
    "legalRepresentative.email": `direction@${domain}`,
    "legalRepresentative.hasActiveCard": shape === 0 || shape === 3 ? "non" : "oui",
    "designees.0.role": "Administrateur technique",
    "designees.0.firstName": pick(FIRST, i),
    "designees.0.lastName": pick(LAST, i),
    "designees.0.email": `dsi@${domain}`,
    "designees.0.phone": "04 74 00 00 01",
    "gap.fqdn": `gap01.${domain}`,
    "gap.domain": domain,
    keyGeneration: shape % 2 === 0 ? "online" : "csr",
  };
  if (i % 3 === 0) {
    cells["establishment.address.street"] = `${i + 1} route de Paris`;
    cells["establishment.address.postalCode"] = "01000";
    cells["establishment.address.city"] = pick(CITIES, i);
  }
  switch (shape) {
    case 0:
      cells["contract.exists"] = "non";
      cells["designees.0.hasActiveCard"] = "non";
      break;
    case 1:
      cells["contract.exists"] = "oui";
      cells["contract.signedAt"] = "EJ";
      cells["designees.0.hasActiveCard"] = "oui";
      break;
    case 2:
      cells["contract.exists"] = "oui";
      cells["contract.signedAt"] = "EG";
      cells["designees.0.hasActiveCard"] = "oui";
      cells["designees.0.habilitation.orgAuthCli"] = "oui";
      cells["designees.0.habilitation.sslServer"] = "restricted";
      break;
    default:
      cells["contract.exists"] = "non";
      cells["contract.signatory"] = "EG";
      cells["designees.0.hasActiveCard"] = "non";
      cells["designees.0.cardRequest"] = "tom";
      cells["designees.1.role"] = "mandatary";
      cells["designees.1.firstName"] = pick(FIRST, i + 1);
      cells["designees.1.lastName"] = pick(LAST, i + 2);
      cells["designees.1.email"] = `mandataire@${domain}`;
      cells["designees.1.hasActiveCard"] = "non";
      cells.form413SignedBy = "mandatary";
      break;
  }
  return cells;
}

/** Every column the shapes use, in a stable order. */
export const ESTABLISHMENT_COLUMNS: readonly string[] = [
  ...new Set([0, 1, 2, 3].flatMap((i) => Object.keys(establishmentCells(i)))),
].sort();

/** One CSV field for `;`. */
export function csvCell(value: string): string {
  return /[";\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV line (`;`, CRLF) of the establishment's cells in the given column order. */
export function csvLine(cells: Record<string, string>, columns: readonly string[]): string {
  return `${columns.map((c) => csvCell(cells[c] ?? "")).join(";")}\r\n`;
}

/** Establishment `i` as the answers data a spreadsheet row gives (headers and cells read as `batch` reads them). */
export function establishmentData(i: number, catalog: ColumnCatalog): unknown {
  return dataFromCells(establishmentCells(i), catalog);
}
