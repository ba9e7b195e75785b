import { describe, expect, it } from "vitest";
import { addMonths, addYears, dossierDates, formatDay, parisDay, parseDay } from "../../src/dossier/dates.js";

describe("dossier dates", () => {
  it("adds years and months, clamping to the month's end", () => {
    expect(formatDay(addYears({ year: 2024, month: 2, day: 29 }, 3))).toBe("28/02/2027");
    expect(formatDay(addMonths({ year: 2028, month: 3, day: 31 }, -1))).toBe("29/02/2028");
    expect(formatDay(addMonths({ year: 2025, month: 1, day: 15 }, -1))).toBe("15/12/2024");
  });

  it("takes the day in France", () => {
    expect(parisDay(new Date("2025-03-13T23:30:00Z"))).toEqual({ year: 2025, month: 3, day: 14 });
    expect(parisDay(new Date("2025-07-01T21:59:00Z"))).toEqual({ year: 2025, month: 7, day: 1 });
  });

  it("parses real days only", () => {
    expect(parseDay("2025-03-14")).toEqual({ year: 2025, month: 3, day: 14 });
    for (const bad of ["2025-02-30", "14/03/2025", "2025-3-4", "", "1999-01-01"])
      expect(parseDay(bad)).toBeUndefined();
  });

  it("stamps with SOURCE_DATE_EPOCH, else the start of today", () => {
    const now = () => new Date("2026-11-29T09:00:00Z");
    const fixed = dossierDates({ SOURCE_DATE_EPOCH: "1741900000" }, now);
    expect(fixed.ok && fixed.dates.stamp.toISOString()).toBe("2025-03-13T21:06:40.000Z");
    expect(fixed.ok && formatDay(fixed.dates.orderDay)).toBe("13/03/2025");
    const today = dossierDates({}, now);
    expect(today.ok && today.dates.stamp.toISOString()).toBe("2026-11-29T00:00:00.000Z");
    const later = dossierDates({}, () => new Date("2026-11-29T17:45:00Z"));
    expect(later.ok && later.dates.stamp.getTime()).toBe(today.ok && today.dates.stamp.getTime());
    const given = dossierDates({}, now, "2027-01-15");
    expect(given.ok && given.dates.orderDayGiven && formatDay(given.dates.orderDay)).toBe("15/01/2027");
    expect(dossierDates({ SOURCE_DATE_EPOCH: "hier" }, now)).toMatchObject({
      ok: false,
      code: "SOURCE_DATE_EPOCH",
    });
    expect(dossierDates({}, now, "2027-13-01")).toMatchObject({ ok: false, code: "ORDER_DATE" });
  });
});
