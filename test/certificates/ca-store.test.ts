import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IGC_SANTE_CAS, igcSanteAnchors, loadIgcSanteAnchors } from "../../src/certificates/ca-store.js";
import { buildChain } from "../../src/certificates/chain.js";
import {
  addMonthsUtc,
  addYearsUtc,
  daysBetween,
  parisCalendarDay,
  parseIsoDate,
} from "../../src/certificates/dates.js";
import { ROOT } from "../helpers/answers.js";

const shipped = (file: string) => readFileSync(join(ROOT, "data", "igc-sante", file), "utf8");

describe("IGC-Santé CA store", () => {
  it("loads the four shipped CAs, pinned to the fingerprints of ../shared/igc-sante/README.md", () => {
    const anchors = igcSanteAnchors();
    expect(
      anchors.map((a) => [
        a.label,
        a.root.subjectName.getField("CN")[0],
        a.intermediates.map((c) => c.subjectName.getField("CN")[0]),
      ]),
    ).toEqual([
      [
        "IGC-Santé (production)",
        "AC RACINE IGC-SANTE ELEMENTAIRE",
        ["AC IGC-SANTE ELEMENTAIRE ORGANISATIONS"],
      ],
      [
        "IGC-Santé (test)",
        "TEST AC RACINE IGC-SANTE ELEMENTAIRE",
        ["TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS"],
      ],
    ]);
    expect(IGC_SANTE_CAS.find((ca) => ca.file === "ACR-EL.pem")?.sha256).toBe(
      "2D:9E:22:CA:19:F7:77:C6:B7:45:25:7C:72:3E:CB:8D:F3:C3:5F:A6:F1:F6:EC:36:B8:36:00:C9:73:46:96:7F".replace(
        /:/g,
        "",
      ),
    );
  });

  it("refuses a replaced CA file", () => {
    expect(() =>
      loadIgcSanteAnchors((file) =>
        file === "ACI-EL-ORG.pem" ? shipped("TEST-ACI-EL-ORG.pem") : shipped(file),
      ),
    ).toThrow(/ACI-EL-ORG\.pem a été remplacé ou altéré/);
  });

  it("links each real intermediate to its real root", async () => {
    for (const anchor of igcSanteAnchors()) {
      const [intermediate] = anchor.intermediates;
      if (!intermediate) throw new Error("intermédiaire absent");
      const chain = await buildChain(intermediate, [], igcSanteAnchors());
      expect(chain.ok && chain.anchor.label).toBe(anchor.label);
    }
  });
});

describe("dates", () => {
  it("subtracts a calendar month, clamping to the month's end", () => {
    expect(addMonthsUtc(new Date("2029-03-31T10:00:00Z"), -1).toISOString()).toBe("2029-02-28T10:00:00.000Z");
    expect(addMonthsUtc(new Date("2028-03-31T10:00:00Z"), -1).toISOString()).toBe("2028-02-29T10:00:00.000Z");
    expect(addMonthsUtc(new Date("2029-01-15T00:00:00Z"), -1).toISOString()).toBe("2028-12-15T00:00:00.000Z");
    expect(addYearsUtc(new Date("2028-02-29T00:00:00Z"), 3).toISOString()).toBe("2031-02-28T00:00:00.000Z");
  });

  it("parses strict calendar dates and finds the Paris day of an instant", () => {
    expect(parseIsoDate("2026-02-30")).toBeUndefined();
    expect(parseIsoDate("26-02-01")).toBeUndefined();
    expect(parseIsoDate("2026-04-01")?.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect(parisCalendarDay(new Date("2029-03-30T23:30:00Z")).toISOString()).toBe("2029-03-31T00:00:00.000Z");
    expect(parisCalendarDay(new Date("2029-01-15T22:59:00Z")).toISOString()).toBe("2029-01-15T00:00:00.000Z");
    expect(daysBetween(new Date("2026-01-01T12:00:00Z"), new Date("2026-01-02T11:00:00Z"))).toBe(0);
  });
});
