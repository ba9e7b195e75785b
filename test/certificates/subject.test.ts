import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Answers } from "../../src/answers/types.js";
import {
  DEPARTEMENT_CODES,
  departementByCode,
  departementFromFiness,
  departementFromPostalCode,
  formatDepartement,
} from "../../src/certificates/departement.js";
import { buildSubject, formatSubject, ORGANIZATION_MAX } from "../../src/certificates/subject.js";
import { baseAnswers, patch } from "../helpers/answers.js";

function answers(change: unknown = {}): Answers {
  return patch(baseAnswers(), change) as Answers;
}

describe("départements", () => {
  it("has the 96 metropolitan départements with Corsica as 2A/2B, and the overseas codes", () => {
    const metropolitan = DEPARTEMENT_CODES.filter((code) => code.length === 2);
    expect(metropolitan).toHaveLength(96);
    expect(metropolitan).not.toContain("20");
    expect(DEPARTEMENT_CODES.filter((code) => code.length === 3)).toEqual([
      "971",
      "972",
      "973",
      "974",
      "975",
      "976",
      "977",
      "978",
      "984",
      "986",
      "987",
      "988",
    ]);
    expect(formatDepartement(departementByCode("21") ?? { code: "", name: "" })).toBe("Côte-d'Or (21)");
  });

  it("reads the département from the FINESS: two characters, three overseas", () => {
    expect(departementFromFiness("210780581")).toEqual({ code: "21", name: "Côte-d'Or" });
    expect(departementFromFiness("2A0000014")).toEqual({ code: "2A", name: "Corse-du-Sud" });
    expect(departementFromFiness("2b0000012")).toEqual({ code: "2B", name: "Haute-Corse" });
    expect(departementFromFiness("971000013")).toEqual({ code: "971", name: "Guadeloupe" });
    expect(departementFromFiness("976000018")).toEqual({ code: "976", name: "Mayotte" });
    expect(departementFromFiness("970421038")).toBeUndefined();
    expect(departementFromFiness("990000000")).toBeUndefined();
  });

  it("reads the département from a postal code, Corsica included", () => {
    expect(departementFromPostalCode("20000")?.code).toBe("2A");
    expect(departementFromPostalCode("20200")?.code).toBe("2B");
    expect(departementFromPostalCode("97400")?.code).toBe("974");
    expect(departementFromPostalCode("01000")?.code).toBe("01");
    expect(departementFromPostalCode("1000")).toBeUndefined();
  });
});

describe("CSR subject", () => {
  it("follows the IGC-Santé order and wording", () => {
    const client = buildSubject(answers(), "ORG_AUTH_CLI");
    expect(client.ok && formatSubject(client.value)).toBe(
      "C=FR, ST=Ain (01), O=Centre hospitalier de Ville, OU=1010003820, CN=Client_Diapason_PSP",
    );
    expect(client.ok && client.value.dnsNames).toEqual([]);
    const server = buildSubject(answers({ gap: { fqdn: "GAP01.ch-ville.fr." } }), "SSL_SERVEUR", {
      entity: "EJ",
      finess: "010003812",
    });
    expect(server.ok && formatSubject(server.value)).toBe(
      "C=FR, ST=Ain (01), O=Centre hospitalier de Ville, OU=1010003812, CN=gap01.ch-ville.fr",
    );
    expect(server.ok && server.value.dnsNames).toEqual(["gap01.ch-ville.fr"]);
  });

  it("cuts the raison sociale at 40 characters with a finding, never otherwise", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-composite", minLength: 1, maxLength: 90 }), (name) => {
        const result = buildSubject(answers({ establishment: { name } }), "ORG_AUTH_CLI");
        const normalized = name.trim().replace(/\s+/g, " ");
        if (normalized === "") return !result.ok;
        if (!result.ok) return false;
        const o = result.value.organization;
        const truncated = result.warnings.some((w) => w.code === "O_TRUNCATED");
        return (
          Array.from(o).length <= ORGANIZATION_MAX &&
          normalized.startsWith(o) &&
          truncated === Array.from(normalized).length > ORGANIZATION_MAX
        );
      }),
    );
  });

  it("falls back on the postal code, then on an unverified overseas rule, then asks for the postal code", () => {
    const postal = buildSubject(
      answers({
        establishment: {
          finessEG: "970421038",
          address: { street: "x", postalCode: "97400", city: "Saint-Denis" },
        },
      }),
      "ORG_AUTH_CLI",
    );
    expect(postal.ok && postal.value.state).toBe("La Réunion (974)");
    expect(postal.ok && postal.warnings.map((w) => w.code)).toEqual(["ST_FROM_POSTAL_CODE"]);
    const guess = buildSubject(answers({ establishment: { finessEG: "970421038" } }), "ORG_AUTH_CLI");
    expect(guess.ok && guess.value.state).toBe("La Réunion (974)");
    expect(guess.ok && guess.warnings.map((w) => w.code)).toEqual(["ST_FROM_FINESS_GUESS"]);
    const unknown = buildSubject(answers({ establishment: { finessEG: "990000000" } }), "ORG_AUTH_CLI");
    expect(unknown.ok ? [] : unknown.errors.map((e) => [e.path, e.code])).toEqual([
      ["establishment.address.postalCode", "ST_UNKNOWN"],
    ]);
  });

  it("refuses an FQDN longer than a CN may be", () => {
    const fqdn = `${"a".repeat(60)}.ch-ville.fr`;
    const result = buildSubject(answers({ gap: { fqdn } }), "SSL_SERVEUR");
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(["CN_TOO_LONG"]);
    expect(buildSubject(answers({ gap: { fqdn } }), "ORG_AUTH_CLI").ok).toBe(true);
  });
});
