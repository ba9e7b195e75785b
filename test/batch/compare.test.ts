import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { establishmentCells } from "../../bench/establishments.js";
import { batch, csvOf, readCsvReport, readReport, tempDir, writeInput } from "./helpers.js";

describe("batch --compare", () => {
  it("signale par établissement les décisions, formulaires et statuts changés depuis un lot précédent", async () => {
    const dir = tempDir();
    const rows = [0, 1, 2, 3, 4].map((i) => establishmentCells(i));
    const input = writeInput(dir, "lot.csv", csvOf(rows));
    const first = join(dir, "avant");
    expect((await batch([input, "-o", first, "--check", "--jobs", "0", "-q"])).code).toBe(0);
    const previous = join(dir, "avant.json");
    copyFileSync(join(first, "rapport.json"), previous);

    const next = [
      rows[0], // unchanged
      { ...rows[1], "legalRepresentative.hasActiveCard": "non" }, // form 101 now needed
      { ...rows[2], "designees.0.phone": "04 74 12 34 56" }, // data only
      { ...rows[3], "gap.fqdn": "" }, // now rejected
      // rows[4] removed
      establishmentCells(9), // new
    ] as Record<string, string>[];
    writeFileSync(input, csvOf(next));
    const out = join(dir, "apres");
    const r = await batch([input, "-o", out, "--check", "--jobs", "0", "-q", "--compare", previous]);
    expect(r.code).toBe(1);
    const report = readReport(out);
    expect(report.rows.map((row) => row.change?.kind)).toEqual([
      "inchangé",
      "modifié",
      "modifié",
      "modifié",
      "nouveau",
    ]);
    expect(report.rows[1]?.change?.details).toContain(
      "formulaire ajouté : 101-representant-legal-oeuvray-chloe.pdf",
    );
    expect(
      report.rows[1]?.change?.details.some((d) =>
        d.startsWith("nouveau : Demande de carte de représentant légal"),
      ),
    ).toBe(true);
    expect(report.rows[2]?.change?.details).toEqual([
      "réponses modifiées, mêmes décisions : les formulaires sont à réimprimer",
    ]);
    expect(report.rows[3]?.change?.details).toEqual(["statut ok → erreur"]);
    const comparison = report.comparison as { missing: { establishment: string }[]; unchanged: number };
    expect(comparison.unchanged).toBe(1);
    expect(comparison.missing.map((m) => m.establishment)).toEqual([rows[4]?.["establishment.name"]]);
    expect(r.stdout).toContain(`Comparaison avec « ${previous} » :`);
    expect(r.stdout).toContain(
      "3 établissement(s) modifié(s), 1 inchangé(s), 1 nouveau(x), 1 absent(s) de ce lot.",
    );
    expect(r.stdout).toContain("ligne 4, Centre hospitalier Besançon n°3 : réponses modifiées");
    expect(readCsvReport(out)).toContain("Changements depuis le lot précédent");

    const notAReport = writeInput(dir, "pas-un-rapport.json", "{}");
    const refused = await batch([input, "-o", join(dir, "x"), "--check", "--compare", notAReport]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("n'est pas un rapport.json");
  });
});
