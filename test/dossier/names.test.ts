import { describe, expect, it } from "vitest";
import { formFileNames, isSafeFileName, MAX_FILE_NAME_LENGTH, slugify } from "../../src/dossier/names.js";
import type { PlanForm } from "../../src/plan/types.js";

const labels = {
  forms: { "contrat-structure": "Contrat de structure" },
  roles: {
    technicalAdministrator: "administrateur technique",
    mandatary: "mandataire",
    legalRepresentative: "représentant légal",
  },
};

function form(id: string, kind: PlanForm["form"], lastName: string, firstName: string, index = 0): PlanForm {
  const person = { firstName, lastName, email: "a@b.fr" };
  return {
    id,
    form: kind,
    title: kind,
    ...(kind === "101" || kind === "contrat-structure"
      ? {}
      : { designee: { ...person, index, role: kind === "502" ? "mandatary" : "technicalAdministrator" } }),
    signatory: { ...person, role: "legalRepresentative", label: "" },
    reasons: [],
    references: [],
  } as PlanForm;
}

describe("slugify", () => {
  it.each([
    ["Lefèvre Élodie", "lefevre-elodie"],
    ["Œuvray Łukasz", "oeuvray-lukasz"],
    ["Nguyễn Văn", "nguyen-van"],
    ["García-Márquez  José", "garcia-marquez-jose"],
    ["Straße Æsir Øre", "strasse-aesir-ore"],
    ["../../etc", "etc"],
    ["..", ""],
    ["/etc/passwd", "etc-passwd"],
    ["C:\\Windows\\system32", "c-windows-system32"],
    ["名前", ""],
  ])("%s → %s", (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  it("bounds the length, cutting at a hyphen", () => {
    const slug = slugify("Jean-Baptiste ".repeat(20));
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe("formFileNames", () => {
  it("names forms so a person can tell them apart", () => {
    const names = formFileNames(
      [
        form("contrat-structure", "contrat-structure", "Durand", "Marie"),
        form("101", "101", "Durand", "Marie"),
        form("301-1", "301", "Lefèvre", "Élodie"),
        form("413-1", "413", "Lefèvre", "Élodie"),
        form("502-2", "502", "Nguyễn", "Łukasz", 1),
      ],
      labels,
    );
    expect([...names.values()]).toEqual([
      "contrat-de-structure.pdf",
      "101-representant-legal-durand-marie.pdf",
      "301-administrateur-technique-lefevre-elodie.pdf",
      "413-administrateur-technique-lefevre-elodie.pdf",
      "502-mandataire-nguyen-lukasz.pdf",
    ]);
  });

  it("de-duplicates homonyms and keeps hostile names inside the folder", () => {
    const names = [
      ...formFileNames(
        [
          form("413-1", "413", "Martin", "Paul"),
          form("413-2", "413", "Martin", "Paul", 1),
          form("413-3", "413", "../../etc", "..", 2),
          form("413-4", "413", "/".repeat(50), "\\", 3),
          form("413-5", "413", "X".repeat(100), "Y".repeat(100), 4),
        ],
        labels,
      ).values(),
    ];
    expect(names.slice(0, 4)).toEqual([
      "413-administrateur-technique-martin-paul.pdf",
      "413-administrateur-technique-martin-paul-2.pdf",
      "413-administrateur-technique-etc.pdf",
      "413-administrateur-technique-sans-nom.pdf",
    ]);
    for (const name of names) {
      expect(isSafeFileName(name)).toBe(true);
      expect(name.length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
    }
  });

  it("refuses unsafe names", () => {
    for (const bad of ["", "..", "../a.pdf", "a/b.pdf", ".hidden", "a\\b", "a..pdf", "É.pdf"]) {
      expect(isSafeFileName(bad)).toBe(false);
    }
  });
});
