import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFiness, normalizeFiness } from "../../src/answers/finess.js";
import { loadAnswersValidator } from "../../src/assets/load.js";
import { batch, csvOf, dossierFolders, goodRows, readReport, tempDir, writeInput } from "../batch/helpers.js";
import { baseAnswers, patch } from "../helpers/answers.js";
import { run } from "../helpers/io.js";

/** FINESS numbers as people type or paste them: accepted everywhere, the number retained said. */

describe("normalizeFiness", () => {
  it.each([
    ["01 000 381 2", "010003812"],
    ["010-003-812", "010003812"],
    ["010.003.812", "010003812"],
    [" 01\u00a0000\u202f381 2 ", "010003812"],
    ["010–003–812", "010003812"],
    ["2a 000 001 6", "2A0000016"],
    ["010003812", "010003812"],
  ])("« %s » → %s", (typed, number) => {
    expect(normalizeFiness(typed)).toBe(number);
  });

  it("leaves what is not a FINESS once cleaned as typed, for the format check to name", () => {
    for (const typed of ["01 000 381", "abc-def-ghi", "0100038123", "010/003/812"]) {
      expect(normalizeFiness(typed)).toBe(typed);
      expect(checkFiness(normalizeFiness(typed))).toBe("format");
    }
  });
});

describe("answers with typed FINESS numbers", () => {
  it("are valid, normalized, with a warning saying the number retained", () => {
    const result = loadAnswersValidator().validate(
      patch(baseAnswers(), { establishment: { finessEJ: "01 000 381 2", finessEG: "010-003-820" } }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.answers.establishment.finessEJ).toBe("010003812");
    expect(result.answers.establishment.finessEG).toBe("010003820");
    expect(result.warnings.map((w) => [w.path, w.code, w.message])).toEqual([
      [
        "establishment.finessEJ",
        "FINESS_NORMALIZED",
        "« Numéro FINESS de l'entité juridique (EJ) » : « 01 000 381 2 » est lu 010003812 (espaces, points et tirets retirés).",
      ],
      ["establishment.finessEG", "FINESS_NORMALIZED", expect.stringContaining("est lu 010003820")],
    ]);
  });

  it("a wrong key is named on the number retained", () => {
    const result = loadAnswersValidator().validate(
      patch(baseAnswers(), { establishment: { finessEJ: "01 000 381 3" } }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.code)).toEqual(["FINESS_KEY"]);
    expect(result.errors[0]?.message).toContain("« 010003813 »");
    expect(result.warnings.map((w) => w.code)).toEqual([]);
  });

  it("the CLI accepts them and shows the number retained", async () => {
    const dir = tempDir("diapason-finess-");
    const file = writeInput(
      dir,
      "reponses.json",
      JSON.stringify(patch(baseAnswers(), { establishment: { finessEJ: "01 000 381 2" } })),
    );
    const validated = await run(["validate", file]);
    expect(validated.code, validated.stderr).toBe(0);
    expect(`${validated.stdout}${validated.stderr}`).toContain("« 01 000 381 2 » est lu 010003812");
    const planned = await run(["plan", "--json", file]);
    expect(planned.code).toBe(0);
    expect(JSON.parse(planned.stdout).establishment.finessEJ).toBe("010003812");
  });

  it("the batch accepts them: the dossier named after the number retained, the report giving it", async () => {
    const dir = tempDir();
    const [row] = goodRows(1);
    const typed = `${row?.["establishment.finessEG"]?.slice(0, 3)}-${row?.["establishment.finessEG"]?.slice(3, 6)}-${row?.["establishment.finessEG"]?.slice(6)}`;
    const input = writeInput(dir, "lot.csv", csvOf([{ ...row, "establishment.finessEG": typed }]));
    const out = join(dir, "out");
    const result = await batch([input, "-o", out, "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(out);
    expect(report.rows[0]?.finessEG).toBe(row?.["establishment.finessEG"]);
    expect(JSON.stringify(report.rows[0])).toContain(
      `« ${typed} » est lu ${row?.["establishment.finessEG"]}`,
    );
    expect(dossierFolders(out)[0]?.startsWith(`${row?.["establishment.finessEG"]}-`)).toBe(true);
  });
});
