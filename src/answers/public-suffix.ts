import { getDomain, parse } from "tldts";

/**
 * The Public Suffix List (publicsuffix.org), as the tldts package ships it: which names are nobody's domain.
 * The list changes with the package (PUBLIC_SUFFIX_PACKAGE): its name and version are part of the rules' version
 * (src/assets/rules-version.ts).
 *
 * ICANN section only for what is refused: an ICANN suffix (fr, asso.fr, gouv.fr…) is a registry's namespace,
 * where any organisation registers its own domain. The private section lists names that a company holds and
 * lends out by subdomain (a host, or a GHT lending to its members): its owner may rightly ask the habilitation
 * for it, so such a name is not refused. It does tell the registrable domain under it: a subdomain of
 * ch-ville.example-host.fr (private suffix example-host.fr) is measured against ch-ville.example-host.fr.
 */

const ICANN = { allowPrivateDomains: false, extractHostname: false, validateHostname: false } as const;
const WITH_PRIVATE = { allowPrivateDomains: true, extractHostname: false, validateHostname: false } as const;

/**
 * True when the whole name is a suffix of the list's ICANN section (fr, asso.fr, gouv.fr…): no one's domain.
 * A single label the list does not hold (localhost) is not one: the list's default rule does not count.
 */
export function isPublicSuffix(name: string): boolean {
  const lower = name.toLowerCase();
  const parsed = parse(lower, ICANN);
  return parsed.isIcann === true && parsed.publicSuffix === lower;
}

/**
 * The registrable domain holding a name (ch-ville.fr for gap01.ch-ville.fr), or undefined for a public suffix.
 * `privateSuffixes`: whether the private section's suffixes count too.
 */
export function registrableDomain(name: string, options: { privateSuffixes: boolean }): string | undefined {
  return getDomain(name.toLowerCase(), options.privateSuffixes ? WITH_PRIVATE : ICANN) ?? undefined;
}
