import { normalizeFiness } from "./finess.js";
import type { Answers, Designee } from "./types.js";

/** Trims and NFC-normalizes every string, lower-cases DNS names and e-mail domains. */
function clean(value: unknown): unknown {
  if (typeof value === "string") {
    const text = value.trim().normalize("NFC");
    return text.includes("  ") ? text.replace(/ {2,}/g, " ") : text;
  }
  if (Array.isArray(value)) return value.map(clean);
  if (typeof value === "object" && value !== null) {
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      // An own "__proto__" key must stay a key, as Object.fromEntries makes it; assigning it would set the prototype.
      if (key === "__proto__")
        return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, clean(v)]));
      out[key] = clean(source[key]);
    }
    return out;
  }
  return value;
}

function lowerDomain(email: string): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? email : email.slice(0, at + 1) + email.slice(at + 1).toLowerCase();
}

/**
 * Validated answers in their canonical form: cleaned strings, FINESS numbers without separators, and the
 * documented defaults made explicit
 * (card request by form n°301, no habilitation, form n°413 signed by the legal representative).
 */
export function normalizeAnswers(valid: Answers): Answers {
  const a = clean(valid) as Answers;
  const designees: Designee[] = a.designees.map((d) => {
    const out: Designee = { ...d, email: lowerDomain(d.email) };
    if (!d.hasActiveCard && d.cardRequest === undefined) out.cardRequest = "form301";
    if (d.role === "technicalAdministrator" && d.habilitation === undefined) {
      out.habilitation = { orgAuthCli: false, sslServer: "none" };
    }
    return out;
  });
  return {
    ...a,
    establishment: {
      ...a.establishment,
      finessEJ: normalizeFiness(a.establishment.finessEJ),
      finessEG: normalizeFiness(a.establishment.finessEG),
    },
    legalRepresentative: { ...a.legalRepresentative, email: lowerDomain(a.legalRepresentative.email) },
    designees,
    gap: { fqdn: a.gap.fqdn.toLowerCase(), domain: a.gap.domain.toLowerCase() },
    form413SignedBy: a.form413SignedBy ?? "legalRepresentative",
  };
}
