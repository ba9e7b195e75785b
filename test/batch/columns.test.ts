import { describe, expect, it } from "vitest";
import { loadColumnCatalog } from "../../src/batch/catalog.js";
import { readHeader, rowData } from "../../src/batch/row.js";

const catalog = loadColumnCatalog();

function layoutOf(headers: string[]) {
  const header = readHeader(headers, catalog);
  if (!header.ok) throw new Error(header.problems.map((p) => p.message).join("\n"));
  return header.layout;
}

describe("colonnes du tableur", () => {
  it("reconnaît les chemins techniques et les intitulés français, aux variantes de saisie près", () => {
    for (const [header, path] of [
      ["establishment.finessEJ", "establishment.finessEJ"],
      ["ESTABLISHMENT.FINESSEJ", "establishment.finessEJ"],
      ["Numéro FINESS de l’entité juridique (EJ)", "establishment.finessEJ"],
      ["numero finess de l'entite juridique (ej)", "establishment.finessEJ"],
      ["Représentant légal de l'établissement : Prénom", "legalRepresentative.firstName"],
      ["Personne désignée n°2 : Adresse électronique", "designees.1.email"],
      ["Personne désignée n° 12 : Rôle de la personne désignée", "designees.11.role"],
      ["designees.3.habilitation.sslServer", "designees.3.habilitation.sslServer"],
      ["Groupement hospitalier de territoire (GHT)", "establishment.ght"],
      ["groupement hospitalier de territoire (ght)", "establishment.ght"],
      ["establishment.ght", "establishment.ght"],
    ]) {
      expect(catalog.match(header as string)?.path, header).toBe(path);
    }
    expect(catalog.match("Prénom")).toBeUndefined();
    expect(catalog.match("designees.50.email")).toBeUndefined();
    expect(catalog.match("designees.01.email")).toBeUndefined();
  });

  it("refuse un en-tête inconnu (avec une suggestion) ou en double, ignore les colonnes # et sans en-tête", () => {
    const header = readHeader(
      ["Raison sociale de l'etablisement", "gap.fqdn", "gap.fqdn", "# notes", ""],
      catalog,
    );
    expect(header.ok).toBe(false);
    if (header.ok) return;
    expect(header.problems.map((p) => p.code)).toEqual(["UNKNOWN_COLUMN", "DUPLICATE_COLUMN"]);
    expect(header.problems[0]?.message).toContain("La colonne A « Raison sociale de l'etablisement »");
    expect(header.problems[0]?.message).toContain(
      "Vouliez-vous dire « Raison sociale de l'établissement » ?",
    );
    expect(header.problems[1]?.message).toContain("même champ que la colonne B");
    expect(readHeader(["gap.fqdn", "# notes", " "], catalog).ok).toBe(true);
  });

  it("convertit les cellules selon le type du champ ; une cellule vide est un champ absent", () => {
    const layout = layoutOf([
      "contract.exists",
      "legalRepresentative.hasActiveCard",
      "designees.0.hasActiveCard",
      "designees.0.habilitation.orgAuthCli",
      "establishment.geographicEntities",
      "designees.0.role",
      "contract.signatory",
      "establishment.address.street",
      "keyGeneration",
    ]);
    const row = rowData(
      ["OUI", "Non", "1", "faux", "3", "Mandataire", "ej", "  ", "Je charge mon propre CSR"],
      layout,
      catalog,
    );
    expect(row.data).toEqual({
      version: 1,
      establishment: { geographicEntities: 3 },
      contract: { exists: true, signatory: "EJ" },
      legalRepresentative: { hasActiveCard: false },
      gap: {},
      designees: [{ hasActiveCard: true, habilitation: { orgAuthCli: false }, role: "mandatary" }],
      keyGeneration: "csr",
    });
    const typed = rowData(
      [true, 0, 1, false, 3, "technicalAdministrator", "EG", null, "online"],
      layout,
      catalog,
    );
    expect(typed.data.contract).toEqual({ exists: true, signatory: "EG" });
    expect(typed.data.legalRepresentative).toEqual({ hasActiveCard: false });
  });

  it("laisse en texte une valeur qui ne convient pas, pour que le schéma l'explique", () => {
    const layout = layoutOf(["contract.exists", "establishment.geographicEntities", "keyGeneration"]);
    const row = rowData(["peut-être", "3,5", "papier"], layout, catalog);
    expect(row.data.contract).toEqual({ exists: "peut-être" });
    expect(row.data.establishment).toEqual({ geographicEntities: "3,5" });
    expect(row.data.keyGeneration).toBe("papier");
  });

  it("rétablit le zéro initial d'un FINESS ou d'un code postal devenu nombre, avec un avertissement", () => {
    const layout = layoutOf([
      "Numéro FINESS de l'entité juridique (EJ)",
      "establishment.address.postalCode",
      "establishment.finessEG",
    ]);
    const row = rowData([10003812, "1000", "12345"], layout, catalog);
    expect(row.data.establishment).toEqual({
      finessEJ: "010003812",
      address: { postalCode: "01000" },
      finessEG: "12345",
    });
    expect(row.warnings.map((w) => [w.code, w.column])).toEqual([
      ["LEADING_ZERO_RESTORED", "Numéro FINESS de l'entité juridique (EJ)"],
      ["LEADING_ZERO_RESTORED", "establishment.address.postalCode"],
    ]);
  });

  it("rétablit le zéro initial d'un numéro de téléphone devenu nombre, avec un avertissement", () => {
    const layout = layoutOf([
      "legalRepresentative.phone",
      "Personne désignée n°1 : Téléphone",
      "designees.1.phone",
      "designees.2.phone",
    ]);
    const row = rowData([474000001, "0474000002", "+33474000003", 12345678], layout, catalog);
    expect(row.data.legalRepresentative).toEqual({ phone: "0474000001" });
    expect(row.data.designees).toEqual([
      { phone: "0474000002" },
      { phone: "+33474000003" },
      { phone: "12345678" },
    ]);
    expect(row.warnings.map((w) => [w.code, w.column, w.message])).toEqual([
      [
        "LEADING_ZERO_RESTORED",
        "legalRepresentative.phone",
        expect.stringContaining(
          "contient 474000001 : le zéro initial perdu par le tableur a été rétabli (0474000001)",
        ),
      ],
    ]);
  });

  it("regroupe les personnes désignées, renumérote après un trou et retrouve la colonne d'origine", () => {
    const layout = layoutOf([
      "Personne désignée n°1 : Prénom",
      "Personne désignée n°3 : Prénom",
      "designees.2.email",
    ]);
    const row = rowData(["", "Léa", "lea@ch.fr"], layout, catalog);
    expect(row.data.designees).toEqual([{ firstName: "Léa", email: "lea@ch.fr" }]);
    expect(row.warnings[0]?.code).toBe("DESIGNEE_RENUMBERED");
    expect(row.locate("designees.0.firstName")).toEqual({ column: "Personne désignée n°3 : Prénom" });
    expect(row.locate("designees.0.role")).toEqual({
      column: "Personne désignée n°3 : Rôle de la personne désignée",
      columnMissing: true,
    });
    expect(row.locate("designees.0")).toEqual({ column: "Personne désignée n°3" });
    expect(row.locate("gap.fqdn")).toEqual({
      column: "Nom complet (FQDN) du serveur GAP/Diapason",
      columnMissing: true,
    });
    expect(row.locate("designees")).toEqual({ column: "" });
  });

  it("signale une cellule en erreur de formule et des cellules en trop", () => {
    const layout = layoutOf(["gap.fqdn", "gap.domain"]);
    const row = rowData([{ error: "#N/A" }, "ch.fr", "en trop"], layout, catalog);
    expect(row.errors.map((e) => [e.code, e.column])).toEqual([
      ["EXTRA_CELLS", "C"],
      ["CELL_ERROR", "gap.fqdn"],
    ]);
  });
});
