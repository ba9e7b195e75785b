import { displayName, dnsSyntaxProblems, isInsideDomain, leadingDigitLabel } from "./dns.js";
import { emailProblem } from "./email.js";
import { checkFiness, normalizeFiness } from "./finess.js";
import {
  capitalize,
  displayText,
  type FieldNames,
  type MessageCatalog,
  type MessageParams,
  renderMessage,
} from "./messages.js";
import { isPublicSuffix, registrableDomain } from "./public-suffix.js";
import type { AnswerError } from "./types.js";

/** Checks beyond the schema (FINESS key, RFC 1035 names, e-mail syntax, consistency), on data of any shape. */

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

type GapPath = "gap.fqdn" | "gap.domain";

/** A server name holds a label below its registrable domain (gap01.ch-ville.fr, not ch-ville.fr nor asso.fr). */
function hasServerLabel(fqdn: string): boolean {
  const registrable = registrableDomain(fqdn, { privateSuffixes: false });
  return registrable !== undefined && registrable !== fqdn;
}

/**
 * What the tool may suggest for a name: a valid name (RFC 1035) that is never a public suffix; for the server,
 * one that has a server label.
 */
export function isValidSuggestion(path: GapPath, name: string): boolean {
  if (name === "" || name.length > 253 || dnsSyntaxProblems(name).length > 0) return false;
  return path === "gap.domain" ? !isPublicSuffix(name) : hasServerLabel(name);
}

export interface DomainFindings {
  errors: AnswerError[];
  warnings: AnswerError[];
}

export function domainChecks(data: unknown, names: FieldNames, catalog: MessageCatalog): DomainFindings {
  const errors: AnswerError[] = [];
  const warnings: AnswerError[] = [];
  const emit = (into: AnswerError[], path: string, code: string, params: MessageParams = {}) => {
    const template = names.ownMessage(path, code) ?? catalog.domain[code];
    if (template === undefined) throw new Error(`message manquant pour ${code}`);
    const suggestion = params.suggestion;
    into.push({
      path,
      code,
      message: capitalize(renderMessage(template, { field: names.field(path), ...params })),
      ...(typeof suggestion === "string" ? { suggestion } : {}),
    });
  };
  const root = obj(data) ?? {};

  // Every text: not blank, on one line.
  const designees = Array.isArray(root.designees) ? root.designees : [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === "string") {
      if (value !== "" && value.trim() === "") emit(errors, path, "BLANK");
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
      else if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value))
        emit(errors, path, "CONTROL_CHARACTERS");
    } else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, path === "" ? k : `${path}.${k}`);
    }
  };
  walk(root, "");

  // FINESS numbers, read as people type them (« 01 000 381 2 »): the number retained is said.
  const establishment = obj(root.establishment);
  const finess: Record<string, string | undefined> = {};
  for (const key of ["finessEJ", "finessEG"] as const) {
    const value = str(establishment?.[key]);
    if (value === undefined || value === "") continue;
    const path = `establishment.${key}`;
    const number = normalizeFiness(value);
    finess[key] = number;
    const check = checkFiness(number);
    if (check === "format") emit(errors, path, "FINESS_FORMAT", { value: displayText(value) });
    else if (check === "key") emit(errors, path, "FINESS_KEY", { value: number });
    else if (check === "corsicaUnverified") emit(warnings, path, "FINESS_CORSICA_KEY", { value: number });
    if ((check === "ok" || check === "corsicaUnverified") && number !== value.trim())
      emit(warnings, path, "FINESS_NORMALIZED", { value: displayText(value.trim()), number });
  }
  const ej = finess.finessEJ;
  if (ej && ej === finess.finessEG && checkFiness(ej) !== "format") {
    emit(errors, "establishment.finessEG", "FINESS_EJ_EQUALS_EG", { value: ej });
  }
  const contractEG = str(obj(root.contract)?.finessEG)?.trim();
  if (contractEG) {
    const path = "contract.finessEG";
    const check = checkFiness(contractEG);
    if (check === "format") emit(errors, path, "FINESS_FORMAT", { value: displayText(contractEG) });
    else if (check === "key") emit(errors, path, "FINESS_KEY", { value: contractEG });
    else if (check === "corsicaUnverified") emit(warnings, path, "FINESS_CORSICA_KEY", { value: contractEG });
    if (contractEG === ej && check !== "format") emit(errors, path, "CONTRACT_FINESS_IS_EJ", { value: ej });
  }

  // E-mail addresses.
  const people: [string, unknown][] = [["legalRepresentative", root.legalRepresentative]];
  designees.forEach((d, i) => {
    people.push([`designees.${i}`, d]);
  });
  for (const [base, person] of people) {
    const email = str(obj(person)?.email)?.trim();
    if (email === undefined || email === "") continue; // absent or blank: reported above
    const problem = emailProblem(email);
    if (problem) {
      const reason = catalog.emailReasons[problem] ?? problem;
      emit(errors, `${base}.email`, "EMAIL_SYNTAX", { value: displayText(email), reason });
    }
  }

  // The GAP server name and the domain (RFC 1035, §2 and §3; public suffixes from the PSL).
  const gap = obj(root.gap);
  let fqdn = str(gap?.fqdn)?.trim().toLowerCase();
  let domain = str(gap?.domain)?.trim().toLowerCase();
  // Names in messages show their Unicode form beside the xn-- one; a suggestion is kept only when valid.
  const emitName = (into: AnswerError[], path: GapPath, code: string, params: MessageParams) => {
    const shown: MessageParams = { ...params };
    for (const key of ["value", "domain"] as const) {
      const v = shown[key];
      if (typeof v === "string") shown[key] = displayName(v);
    }
    const suggestion = typeof params.suggestion === "string" ? params.suggestion : undefined;
    if (suggestion === undefined || !isValidSuggestion(path, suggestion)) delete shown.suggestion;
    emit(into, path, code, shown);
  };
  if (domain?.startsWith("*")) {
    emitName(errors, "gap.domain", "DOMAIN_WILDCARD", {
      value: displayText(domain),
      suggestion: domain.replace(/^[*.]+/, ""),
    });
    domain = undefined;
  }
  for (const [path, name] of [
    ["gap.fqdn", fqdn],
    ["gap.domain", domain],
  ] as const) {
    if (name === undefined || name === "") continue;
    let problems = dnsSyntaxProblems(name);
    // A bare extension (fr) is told as what it is, a public suffix, rather than a name without a dot.
    if (path === "gap.domain" && problems.length === 1 && problems[0]?.code === "DNS_SINGLE_LABEL")
      problems = isPublicSuffix(name) ? [] : problems;
    for (const problem of problems)
      emitName(errors, path, problem.code, { value: displayText(name), ...problem.params });
    if (problems.length > 0) {
      if (path === "gap.fqdn") fqdn = undefined;
      else domain = undefined;
    }
  }
  if (domain && isPublicSuffix(domain)) {
    emitName(errors, "gap.domain", "DOMAIN_PUBLIC_SUFFIX", { value: domain });
    domain = undefined;
  } else if (domain) {
    const registrable = registrableDomain(domain, { privateSuffixes: true });
    if (registrable !== undefined && registrable !== domain)
      emitName(warnings, "gap.domain", "DOMAIN_SUBDOMAIN", { value: domain, suggestion: registrable });
  }
  if (fqdn && domain) {
    if (fqdn === domain) {
      const wider = registrableDomain(domain, { privateSuffixes: true });
      emitName(errors, "gap.fqdn", "FQDN_IS_DOMAIN", {
        value: fqdn,
        suffix: domain,
        ...(wider !== undefined && wider !== domain ? { wider } : {}),
      });
    } else if (!isInsideDomain(fqdn, domain))
      emitName(errors, "gap.fqdn", "FQDN_OUTSIDE_DOMAIN", { value: fqdn, domain, suffix: domain });
  }
  if (fqdn) {
    if (!domain && !hasServerLabel(fqdn)) emitName(errors, "gap.fqdn", "FQDN_TOO_SHORT", { value: fqdn });
    const digitLabel = leadingDigitLabel(fqdn);
    if (digitLabel !== undefined)
      emitName(warnings, "gap.fqdn", "FQDN_LEADING_DIGIT", { value: fqdn, label: digitLabel });
  }

  // Consistency between designees.
  const seen = new Map<string, number>();
  designees.forEach((d, i) => {
    const email = str(obj(d)?.email)?.trim().toLowerCase();
    const role = str(obj(d)?.role);
    if (!email || !role) return;
    const key = `${role} ${email}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      emit(errors, `designees.${i}`, "DUPLICATE_DESIGNEE", {
        n: i + 1,
        first: first + 1,
        value: displayText(email),
      });
  });
  personChecks(
    root,
    designees,
    (path, code, params) => emit(errors, path, code, params),
    (path, code, params) => emit(warnings, path, code, params),
  );
  if (root.form413SignedBy === "mandatary") {
    const roles = designees.map((d) => str(obj(d)?.role));
    if (!roles.includes("mandatary")) emit(errors, "form413SignedBy", "FORM413_NO_MANDATARY");
  }
  return { errors, warnings };
}

type Emit = (path: string, code: string, params: MessageParams) => void;

/** The name of a person as compared across roles: case, accents and spaces aside. */
function nameKey(person: Json | undefined): string | undefined {
  const first = str(person?.firstName);
  const last = str(person?.lastName);
  if (!first || !last) return undefined;
  return `${first} ${last}`.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * One person is one e-mail address (DOMAIN.md, rule 10): the legal representative cannot be his own mandataire, the
 * same person holds one card whatever their roles, and the same name under two addresses is worth a check.
 */
function personChecks(root: Json, designees: unknown[], error: Emit, warning: Emit): void {
  const legal = obj(root.legalRepresentative);
  const legalEmail = str(legal?.email)?.trim().toLowerCase();
  const people: { email: string; name: string | undefined; card: unknown; n: number }[] = [];
  const legalName = nameKey(legal);
  designees.forEach((value, i) => {
    const d = obj(value);
    const email = str(d?.email)?.trim().toLowerCase();
    if (!d || !email) return;
    const name = nameKey(d);
    const display = displayText(`${str(d.firstName) ?? ""} ${str(d.lastName) ?? ""}`.trim());
    if (email === legalEmail && d.role === "mandatary") {
      error(`designees.${i}`, "SELF_MANDATARY", { n: i + 1, value: displayText(email) });
    }
    const same = people.find((p) => p.email === email);
    if (
      same &&
      typeof d.hasActiveCard === "boolean" &&
      typeof same.card === "boolean" &&
      same.card !== d.hasActiveCard
    ) {
      error(`designees.${i}.hasActiveCard`, "PERSON_CARD_MISMATCH", {
        n: i + 1,
        first: same.n,
        value: displayText(email),
      });
    }
    if (name !== undefined && email !== legalEmail && name === legalName) {
      warning(`designees.${i}.email`, "SAME_NAME_AS_LEGAL_REPRESENTATIVE", { n: i + 1, name: display });
    } else if (name !== undefined) {
      const namesake = people.find((p) => p.name === name && p.email !== email);
      if (namesake)
        warning(`designees.${i}.email`, "SAME_NAME_OTHER_EMAIL", {
          n: i + 1,
          name: display,
          first: namesake.n,
        });
    }
    if (!same) people.push({ email, name, card: d.hasActiveCard, n: i + 1 });
  });
}
