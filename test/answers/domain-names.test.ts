import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { displayName, dnsSyntaxProblems } from "../../src/answers/dns.js";
import { isPublicSuffix, registrableDomain } from "../../src/answers/public-suffix.js";
import type { AnswerError } from "../../src/answers/types.js";
import { loadAnswersValidator } from "../../src/assets/index.js";
import { baseAnswers, patch } from "../helpers/answers.js";

/** The GAP's names as the certification desk reads them: public suffixes, xn-- labels, and what the tool suggests. */

function check(gap: { fqdn: string; domain: string }) {
  const result = loadAnswersValidator().validate(patch(baseAnswers(), { gap }));
  return { errors: result.ok ? [] : result.errors, warnings: result.warnings };
}

describe("Public Suffix List (section ICANN)", () => {
  it("knows the suffixes the desk would refuse, and not the establishments' domains", () => {
    for (const suffix of ["fr", "asso.fr", "gouv.fr", "com.fr", "nom.fr", "xn--p1ai", "co.uk"])
      expect(isPublicSuffix(suffix), suffix).toBe(true);
    for (const domain of ["ch-ville.fr", "sante.gouv.fr", "aphp.fr", "localhost", "github.io"])
      expect(isPublicSuffix(domain), domain).toBe(false);
  });

  it("gives the registrable domain, with or without the private section", () => {
    expect(registrableDomain("gap01.interne.ch-ville.fr", { privateSuffixes: true })).toBe("ch-ville.fr");
    expect(registrableDomain("asso.fr", { privateSuffixes: true })).toBeUndefined();
    // github.io is a private suffix: what lies under it belongs to its user.
    expect(registrableDomain("ch-ville.github.io", { privateSuffixes: true })).toBe("ch-ville.github.io");
    expect(registrableDomain("ch-ville.github.io", { privateSuffixes: false })).toBe("github.io");
  });

  it("refuses no name of the private section, and measures a subdomain under it against its user's domain", () => {
    expect(check({ fqdn: "gap01.github.io", domain: "github.io" })).toEqual({ errors: [], warnings: [] });
    expect(check({ fqdn: "gap01.ch-ville.github.io", domain: "ch-ville.github.io" }).warnings).toEqual([]);
  });
});

describe("xn-- labels", () => {
  it("accepts a label that decodes, refuses one that does not", () => {
    expect(dnsSyntaxProblems("xn--hpital-ixa.fr")).toEqual([]);
    expect(dnsSyntaxProblems("xn--zz.fr").map((p) => p.code)).toEqual(["DNS_PUNYCODE_INVALID"]);
    expect(dnsSyntaxProblems("gap.xn--hpital-ixa9.fr").map((p) => p.code)).toEqual(["DNS_PUNYCODE_INVALID"]);
    expect(dnsSyntaxProblems("XN--HPITAL-IXA.fr")).toEqual([]);
  });

  it("shows the Unicode form beside the ASCII one", () => {
    expect(displayName("xn--hpital-ixa.fr")).toBe("xn--hpital-ixa.fr (hôpital.fr)");
    expect(displayName("gap01.xn--hpital-ixa.fr")).toBe("gap01.xn--hpital-ixa.fr (gap01.hôpital.fr)");
    expect(displayName("ch-ville.fr")).toBe("ch-ville.fr");
    expect(displayName("xn--zz.fr")).toBe("xn--zz.fr");
    const [error] = check({ fqdn: "gap01.xn--hpital-ixa.fr", domain: "ch-ville.fr" }).errors;
    expect(error?.message).toContain("« gap01.xn--hpital-ixa.fr (gap01.hôpital.fr) »");
  });
});

/** Names a person might type: real and public-suffix labels, wildcards, dots, accents, bad xn-- labels. */
const LABELS = [
  "gap01",
  "gap",
  "ch-ville",
  "interne",
  "fr",
  "FR",
  "asso",
  "gouv",
  "com",
  "co",
  "uk",
  "ck",
  "io",
  "github",
  "xn--hpital-ixa",
  "xn--zz",
  "hôpital",
  "ｆｒ",
  "-x",
  "1",
  "",
  "a".repeat(64),
];
const typedName = fc
  .tuple(
    fc.constantFrom("", "", "*", "*.", "."),
    fc.array(fc.constantFrom(...LABELS), { minLength: 1, maxLength: 4 }),
    fc.constantFrom("", "", "."),
  )
  .map(([head, labels, tail]) => `${head}${labels.join(".")}${tail}`);

/** Errors that involve the other field: a suggestion fixes its own field, not the pair. */
const PAIR_CODES = new Set(["FQDN_OUTSIDE_DOMAIN", "FQDN_IS_DOMAIN"]);

describe("suggestions", () => {
  it("every suggested name is valid for its field, never a public suffix such as « fr »", () => {
    let suggested = 0;
    fc.assert(
      fc.property(typedName, typedName, (fqdn, domain) => {
        const found = check({ fqdn, domain });
        const all: AnswerError[] = [...found.errors, ...found.warnings];
        for (const x of all.filter((a) => a.suggestion !== undefined)) {
          suggested++;
          const suggestion = x.suggestion ?? "";
          expect(isPublicSuffix(suggestion), `${x.code} → ${suggestion}`).toBe(false);
          const fixed = x.path === "gap.domain" ? { fqdn, domain: suggestion } : { fqdn: suggestion, domain };
          const again = check(fixed).errors.filter((e) => e.path === x.path && !PAIR_CODES.has(e.code));
          expect(again, `${x.path} ${x.code} → ${suggestion}`).toEqual([]);
        }
      }),
      { numRuns: 600 },
    );
    // The property is not vacuous: suggestions were made and checked.
    expect(suggested).toBeGreaterThan(50);
  });
});
