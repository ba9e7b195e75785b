/**
 * The subject of a CSR, built from the answers in the order IGC-Santé certificates use
 * (../shared/DOMAIN.md, "Certificates as issued"):
 * `C=FR, ST=<Département (code)>, O=<raison sociale, 40 characters>, OU=1<FINESS>, CN=<service>`.
 */
import type { Answers } from "../answers/types.js";
import {
  departementFromFiness,
  departementFromOverseasFinessGuess,
  departementFromPostalCode,
  formatDepartement,
} from "./departement.js";
import { type Finding, failure, finding, type Outcome, success } from "./finding.js";
import { type CertificateProfile, CLIENT_SERVICE_NAME } from "./profile.js";
import { certificateTexts } from "./text.js";

/** IGC-Santé cuts the raison sociale at 40 characters. */
export const ORGANIZATION_MAX = 40;
/** RFC 5280 upper bound of a common name. */
export const COMMON_NAME_MAX = 64;
/** Structure-id type digit for a FINESS number. */
export const FINESS_STRUCTURE_TYPE = "1";

export interface SubjectSpec {
  country: "FR";
  state: string;
  organization: string;
  organizationalUnit: string;
  commonName: string;
  /** subjectAltName dNSName entries (the FQDN for SSL_SERVEUR). */
  dnsNames: string[];
}

/** A name in @peculiar/x509's JSON form, string types chosen explicitly. */
export type JsonName = Record<string, ({ utf8String: string } | { printableString: string })[]>[];

function cutCharacters(value: string, max: number): string {
  return Array.from(value).slice(0, max).join("").trimEnd();
}

const texts = () => certificateTexts().subject;

function stateFor(answers: Answers, finess: string, finessPath: string): Outcome<string> {
  const fromFiness = departementFromFiness(finess);
  if (fromFiness) return success(formatDepartement(fromFiness));
  const postalCode = answers.establishment.address?.postalCode;
  const fromPostalCode = postalCode ? departementFromPostalCode(postalCode) : undefined;
  if (fromPostalCode) {
    return success(formatDepartement(fromPostalCode), [
      finding(
        finessPath,
        "ST_FROM_POSTAL_CODE",
        texts().stFromPostalCode({
          finess,
          postalCode: postalCode ?? "",
          state: formatDepartement(fromPostalCode),
        }),
      ),
    ]);
  }
  const guess = departementFromOverseasFinessGuess(finess);
  if (guess) {
    return success(formatDepartement(guess), [
      finding(
        finessPath,
        "ST_FROM_FINESS_GUESS",
        texts().stFromFinessGuess({
          finess,
          digit: guess.code.slice(2),
          code: guess.code,
          state: formatDepartement(guess),
        }),
      ),
    ]);
  }
  return failure(finding("establishment.address.postalCode", "ST_UNKNOWN", texts().stUnknown({ finess })));
}

/**
 * The structure the certificates are attached to. The issue text says the FINESS EG; per Annexe 2 it
 * is the entity presented externally (the plan's `contract.presentedFiness`), which callers pass.
 */
export interface SubjectStructure {
  entity: "EJ" | "EG";
  finess: string;
}

export function buildSubject(
  answers: Answers,
  profile: CertificateProfile,
  structure: SubjectStructure = { entity: "EG", finess: answers.establishment.finessEG },
): Outcome<SubjectSpec> {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const finess = structure.finess.trim().toUpperCase();
  const finessPath =
    structure.entity === "EJ"
      ? "establishment.finessEJ"
      : answers.contract.finessEG === undefined
        ? "establishment.finessEG"
        : "contract.finessEG";

  const state = stateFor(answers, finess, finessPath);
  if (state.ok) warnings.push(...state.warnings);
  else errors.push(...state.errors);

  const name = answers.establishment.name.trim().replace(/\s+/g, " ");
  if (name === "") {
    errors.push(finding("establishment.name", "O_EMPTY", texts().nameEmpty()));
  }
  const organization = cutCharacters(name, ORGANIZATION_MAX);
  if (organization !== name) {
    warnings.push(
      finding(
        "establishment.name",
        "O_TRUNCATED",
        texts().nameTruncated({ max: ORGANIZATION_MAX, organization }),
      ),
    );
  }

  let commonName = CLIENT_SERVICE_NAME;
  const dnsNames: string[] = [];
  if (profile === "SSL_SERVEUR") {
    commonName = answers.gap.fqdn.trim().toLowerCase().replace(/\.$/, "");
    if (commonName === "") {
      errors.push(finding("gap.fqdn", "CN_EMPTY", texts().fqdnEmpty()));
    } else if (commonName.length > COMMON_NAME_MAX) {
      errors.push(
        finding(
          "gap.fqdn",
          "CN_TOO_LONG",
          texts().fqdnTooLong({ fqdn: commonName, length: commonName.length, max: COMMON_NAME_MAX }),
        ),
      );
    }
    dnsNames.push(commonName);
  }

  if (errors.length > 0) return { ok: false, errors };
  return success(
    {
      country: "FR",
      state: state.ok ? state.value : "",
      organization,
      organizationalUnit: `${FINESS_STRUCTURE_TYPE}${finess}`,
      commonName,
      dnsNames,
    },
    warnings,
  );
}

/** The DN in IGC-Santé order; text as UTF8String (accents, `_` in Client_Diapason_PSP), C and OU printable. */
export function subjectToJsonName(subject: SubjectSpec): JsonName {
  return [
    { C: [{ printableString: subject.country }] },
    { ST: [{ utf8String: subject.state }] },
    { O: [{ utf8String: subject.organization }] },
    { OU: [{ printableString: subject.organizationalUnit }] },
    { CN: [{ utf8String: subject.commonName }] },
  ];
}

/** `C=FR, ST=…, O=…, OU=…, CN=…` for reports. */
export function formatSubject(subject: SubjectSpec): string {
  return `C=${subject.country}, ST=${subject.state}, O=${subject.organization}, OU=${subject.organizationalUnit}, CN=${subject.commonName}`;
}
