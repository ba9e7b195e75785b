import { domainToASCII, domainToUnicode } from "node:url";

/** RFC 1035 §2.3.1 checks on a host or domain name, as the procedure (§3) requires. */

export interface DnsProblem {
  code: string;
  params: Record<string, string | number>;
}

/** A character a label may not hold (the names checked here are printable ASCII: one code unit per character). */
const NOT_LABEL_CHAR = /[^A-Za-z0-9-]/;

/** The ASCII (xn--) form of a name with non-ASCII characters, or undefined when it has none or no valid form. */
export function asciiForm(name: string): string | undefined {
  if (/^[\x20-\x7e]*$/.test(name)) return undefined;
  const ascii = domainToASCII(name.trim().toLowerCase());
  return ascii === "" ? undefined : ascii;
}

/** Syntax problems of a dotted name (errors), in the order a person would fix them; empty when valid. */
export function dnsSyntaxProblems(name: string): DnsProblem[] {
  const suggestion = asciiForm(name);
  if (suggestion !== undefined || /[^\x20-\x7e]/.test(name)) {
    return [{ code: "DNS_NON_ASCII", params: suggestion === undefined ? {} : { suggestion } }];
  }
  if (name.endsWith(".") && name.length > 1) {
    return [{ code: "DNS_TRAILING_DOT", params: { suggestion: name.replace(/\.+$/, "") } }];
  }
  const labels = name.split(".");
  if (labels.some((l) => l === "")) return [{ code: "DNS_EMPTY_LABEL", params: {} }];
  const problems: DnsProblem[] = [];
  for (const label of labels) {
    const bad = NOT_LABEL_CHAR.exec(label)?.[0];
    if (bad !== undefined) {
      problems.push({
        code: "DNS_LABEL_CHARACTERS",
        params: { label, character: bad === " " ? "espace" : bad },
      });
    } else if (label.startsWith("-")) {
      problems.push({ code: "DNS_LABEL_START", params: { label } });
    } else if (label.endsWith("-")) {
      problems.push({ code: "DNS_LABEL_END", params: { label } });
    }
    if (label.length > 63)
      problems.push({ code: "DNS_LABEL_LENGTH", params: { label, actual: label.length } });
  }
  if (problems.length > 0) return problems;
  for (const label of labels) {
    if (!isValidALabel(label)) problems.push({ code: "DNS_PUNYCODE_INVALID", params: { label } });
  }
  if (problems.length > 0) return problems;
  if (labels.length < 2) return [{ code: "DNS_SINGLE_LABEL", params: {} }];
  const tld = labels[labels.length - 1] ?? "";
  if (/^[0-9]+$/.test(tld)) return [{ code: "DNS_NUMERIC_TLD", params: { label: tld } }];
  return [];
}

/**
 * An `xn--` label (IDNA A-label) is valid when it decodes, by WHATWG URL's IDNA (node:url), to a name whose
 * encoded form is the label again: not `xn--zz` (undecodable), nor `xn--abc-` (the encoding of plain `abc`).
 * Any other label is not an A-label and passes.
 */
function isValidALabel(label: string): boolean {
  const lower = label.toLowerCase();
  if (!lower.startsWith("xn--")) return true;
  const unicode = domainToUnicode(lower);
  return unicode !== "" && unicode !== lower && domainToASCII(unicode) === lower;
}

/**
 * A name as a message shows it: with its Unicode form beside when it has `xn--` labels
 * (« xn--hpital-ixa.fr (hôpital.fr) »); as typed otherwise.
 */
export function displayName(name: string): string {
  if (!/(^|\.)xn--/i.test(name)) return name;
  const unicode = domainToUnicode(name.toLowerCase());
  return unicode === "" || unicode === name.toLowerCase() ? name : `${name} (${unicode})`;
}

/** First label starting with a digit: allowed by RFC 1123, not by RFC 1035 (a warning). */
export function leadingDigitLabel(name: string): string | undefined {
  return name.split(".").find((l) => /^[0-9]/.test(l));
}

export function isInsideDomain(fqdn: string, domain: string): boolean {
  return fqdn.toLowerCase().endsWith(`.${domain.toLowerCase()}`);
}
