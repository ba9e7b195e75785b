/**
 * The checks a certificate must pass before it goes on the GAP (Annexe 1 and §3): chain up to an
 * IGC-Santé root, validity dates and renewal alert, revocation against a CRL, CN and subjectAltName,
 * extended key usage, key and signature algorithms, and the match with a private key when one is given.
 */
import type { KeyObject } from "node:crypto";
import type { TrustAnchor } from "./ca-store.js";
import { buildChain, type ChainResult, isCa } from "./chain.js";
import { x509 } from "./crypto.js";
import { addMonthsUtc, daysBetween, frenchDate, frenchDateTime } from "./dates.js";
import { describePublicKey, privateKeyMatches } from "./private-key.js";
import {
  type CertificateProfile,
  CLIENT_SERVICE_NAME,
  PROFILE_EKU,
  RENEWAL_ALERT_MONTHS,
} from "./profile.js";
import { certificateTexts } from "./text.js";

export type CheckStatus = "ok" | "warning" | "failed" | "info";
export type CheckId =
  | "chain"
  | "validity"
  | "renewal"
  | "revocation"
  | "name"
  | "extendedKeyUsage"
  | "keyAlgorithm"
  | "signatureAlgorithm"
  | "keyMatch";

export interface CheckItem {
  id: CheckId;
  status: CheckStatus;
  /** Short (templates/text/certificates/messages.fr.json, like every word here). */
  label: string;
  /** What was found and, when something is wrong, what to do. */
  detail: string;
}

export interface CheckRequest {
  certificate: x509.X509Certificate;
  /** Other certificates found with it (intermediates of a PEM bundle or PKCS#12). */
  pool: readonly x509.X509Certificate[];
  privateKeys: readonly KeyObject[];
  anchors: readonly TrustAnchor[];
  crls: readonly x509.X509Crl[];
  now: Date;
  profile?: CertificateProfile;
  fqdn?: string;
}

export interface CertificateReport {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  daysLeft: number;
  renewalAlert: Date;
  profile: CertificateProfile | null;
  profileSource: "option" | "deduced" | null;
  chain: string[];
  anchor: string | null;
  checks: CheckItem[];
  ok: boolean;
}

const CLIENT_AUTH = PROFILE_EKU.ORG_AUTH_CLI.oid;
const SERVER_AUTH = PROFILE_EKU.SSL_SERVEUR.oid;
const CRL_BASE = "http://igc-sante.esante.gouv.fr/CRL/";

export function commonNameOf(certificate: x509.X509Certificate): string | undefined {
  return certificate.subjectName.getField("CN")[0];
}

export function dnsNamesOf(certificate: x509.X509Certificate): string[] {
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  return san ? san.names.items.filter((name) => name.type === "dns").map((name) => name.value) : [];
}

function extendedKeyUsagesOf(certificate: x509.X509Certificate): string[] | undefined {
  const eku = certificate.getExtension(x509.ExtendedKeyUsageExtension);
  return eku ? eku.usages.map(String) : undefined;
}

/** The profile a certificate was issued for, from its CN, SAN or extended key usage. */
export function deduceProfile(certificate: x509.X509Certificate): CertificateProfile | undefined {
  if (commonNameOf(certificate) === CLIENT_SERVICE_NAME) return "ORG_AUTH_CLI";
  const usages = extendedKeyUsagesOf(certificate) ?? [];
  if (usages.includes(SERVER_AUTH) || dnsNamesOf(certificate).length > 0) return "SSL_SERVEUR";
  if (usages.includes(CLIENT_AUTH)) return "ORG_AUTH_CLI";
  return undefined;
}

export function renewalAlertDate(notAfter: Date): Date {
  return addMonthsUtc(notAfter, -RENEWAL_ALERT_MONTHS);
}

/** The certificates of a file that are not CAs: the ones to check. */
export function endEntityCertificates(certificates: readonly x509.X509Certificate[]): x509.X509Certificate[] {
  return certificates.filter((certificate) => !isCa(certificate));
}

const texts = () => certificateTexts().checks;

function chainCheck(chain: ChainResult, now: Date): CheckItem {
  const t = texts().chain;
  const label = texts().labels.chain();
  if (!chain.ok) {
    const { issuer } = chain;
    const detail =
      chain.problem === "selfSigned" || chain.problem === "tooLong"
        ? t[chain.problem]()
        : t[chain.problem]({ issuer });
    return { id: "chain", status: "failed", label, detail };
  }
  const names = chain.path.slice(1).map((c) => commonNameOf(c) ?? c.subject);
  const outdated = chain.path.slice(1).find((c) => now < c.notBefore || now > c.notAfter);
  if (outdated) {
    return {
      id: "chain",
      status: "failed",
      label,
      detail: t.outdated({
        name: commonNameOf(outdated) ?? outdated.subject,
        from: frenchDate(outdated.notBefore),
        to: frenchDate(outdated.notAfter),
      }),
    };
  }
  const other = chain.anchor.environment === "other";
  const path = { path: names.join(t.pathSeparator()), anchor: chain.anchor.label };
  const test = chain.anchor.environment === "test" ? t.test() : "";
  return {
    id: "chain",
    status: other ? "warning" : "ok",
    label,
    detail: (other ? t.otherPath : t.path)({ ...path, test }),
  };
}

function validityChecks(certificate: x509.X509Certificate, now: Date): CheckItem[] {
  const { notBefore, notAfter } = certificate;
  const alert = renewalAlertDate(notAfter);
  const days = daysBetween(now, notAfter);
  const labels = texts().labels;
  const v = texts().validity;
  const r = texts().renewal;
  const validity: CheckItem =
    now < notBefore
      ? {
          id: "validity",
          status: "failed",
          label: labels.validity(),
          detail: v.notYet({ date: frenchDateTime(notBefore) }),
        }
      : now > notAfter
        ? {
            id: "validity",
            status: "failed",
            label: labels.validity(),
            detail: v.expired({ date: frenchDateTime(notAfter) }),
          }
        : {
            id: "validity",
            status: "ok",
            label: labels.validity(),
            detail: (days > 1 ? v.validDays : v.validOneDay)({
              from: frenchDate(notBefore),
              to: frenchDate(notAfter),
              days,
            }),
          };
  const renewal: CheckItem =
    now > notAfter || now < notBefore
      ? {
          id: "renewal",
          status: "info",
          label: labels.renewal(),
          detail: r.planned({ date: frenchDate(alert) }),
        }
      : now >= alert
        ? {
            id: "renewal",
            status: "warning",
            label: labels.renewal(),
            detail: r.due({ alert: frenchDate(alert), expiry: frenchDate(notAfter) }),
          }
        : {
            id: "renewal",
            status: "ok",
            label: labels.renewal(),
            detail: r.ahead({ date: frenchDate(alert) }),
          };
  return [validity, renewal];
}

async function issuedBy(crl: x509.X509Crl, issuer: x509.X509Certificate): Promise<boolean> {
  if (crl.issuer !== issuer.subject) return false;
  try {
    return await crl.verify({ publicKey: issuer });
  } catch {
    return false;
  }
}

async function revocationCheck(
  request: CheckRequest,
  chain: ChainResult,
  profile: CertificateProfile | undefined,
): Promise<CheckItem> {
  const t = texts().revocation;
  const label = texts().labels.revocation();
  const testChain = chain.ok && chain.anchor.environment === "test";
  const url = `${CRL_BASE}${testChain ? "ACI-EL-ORG-TEST.crl" : "ACI-EL-ORG.crl"}`;
  if (request.crls.length === 0) {
    return profile === "ORG_AUTH_CLI"
      ? { id: "revocation", status: "warning", label, detail: t.noCrlClient({ url }) }
      : { id: "revocation", status: "info", label, detail: t.noCrl({ url }) };
  }
  if (!chain.ok) return { id: "revocation", status: "warning", label, detail: t.noChain() };
  const notes: string[] = [];
  let checkedLeaf = false;
  for (let i = 0; i < chain.path.length - 1; i++) {
    const subject = chain.path[i];
    const issuer = chain.path[i + 1];
    if (!subject || !issuer) continue;
    for (const crl of request.crls) {
      if (!(await issuedBy(crl, issuer))) continue;
      if (i === 0) checkedLeaf = true;
      if (crl.nextUpdate && crl.nextUpdate < request.now) {
        notes.push(
          t.crlOutdated({ issuer: commonNameOf(issuer) ?? issuer.subject, date: frenchDate(crl.nextUpdate) }),
        );
      }
      const entry = crl.findRevoked(subject);
      if (entry) {
        const date = frenchDate(entry.revocationDate);
        return {
          id: "revocation",
          status: "failed",
          label,
          detail:
            i === 0
              ? t.revoked({ date })
              : t.authorityRevoked({ name: commonNameOf(subject) ?? subject.subject, date }),
        };
      }
    }
  }
  if (!checkedLeaf) return { id: "revocation", status: "warning", label, detail: t.noIssuerCrl({ url }) };
  return {
    id: "revocation",
    status: notes.length > 0 ? "warning" : "ok",
    label,
    detail: notes.length > 0 ? t.notRevokedBut({ notes: notes.join(t.noteSeparator()) }) : t.notRevoked(),
  };
}

function nameCheck(
  certificate: x509.X509Certificate,
  profile: CertificateProfile | undefined,
  fqdn: string | undefined,
): CheckItem {
  const t = texts().name;
  const label = texts().labels.name();
  const cn = commonNameOf(certificate) ?? "";
  const dns = dnsNamesOf(certificate).map((name) => name.toLowerCase());
  if (profile === undefined)
    return { id: "name", status: "warning", label, detail: t.unknownProfile({ cn }) };
  if (profile === "ORG_AUTH_CLI") {
    return cn === CLIENT_SERVICE_NAME
      ? { id: "name", status: "ok", label, detail: t.clientOk({ cn }) }
      : { id: "name", status: "failed", label, detail: t.clientWrong({ cn, expected: CLIENT_SERVICE_NAME }) };
  }
  const expected = fqdn?.trim().toLowerCase().replace(/\.$/, "");
  const problems: string[] = [];
  if (cn.startsWith("*")) problems.push(t.wildcard({ cn }));
  else if (!cn.includes(".")) problems.push(t.notFqdn({ cn }));
  if (expected !== undefined && cn.toLowerCase() !== expected) problems.push(t.differs({ cn, expected }));
  const wanted = expected ?? cn.toLowerCase();
  if (!dns.includes(wanted))
    problems.push(dns.length === 0 ? t.noSan() : t.sanMissing({ names: dns.join(", "), wanted }));
  if (problems.length > 0) {
    return {
      id: "name",
      status: "failed",
      label,
      detail: t.serverWrong({ problems: problems.join(t.problemSeparator()) }),
    };
  }
  return {
    id: "name",
    status: expected === undefined ? "info" : "ok",
    label,
    detail: expected === undefined ? t.serverUnchecked({ cn }) : t.serverOk({ cn }),
  };
}

function extendedKeyUsageCheck(
  certificate: x509.X509Certificate,
  profile: CertificateProfile | undefined,
): CheckItem | undefined {
  if (profile === undefined) return undefined;
  const t = texts().extendedKeyUsage;
  const label = texts().labels.extendedKeyUsage();
  const usage = certificateTexts().usages[profile]();
  const usages = extendedKeyUsagesOf(certificate);
  if (usages === undefined)
    return { id: "extendedKeyUsage", status: "info", label, detail: t.unrestricted({ usage }) };
  return usages.includes(PROFILE_EKU[profile].oid)
    ? { id: "extendedKeyUsage", status: "ok", label, detail: t.allowed({ usage }) }
    : {
        id: "extendedKeyUsage",
        status: "failed",
        label,
        detail: t.missing({ usage, profile: certificateTexts().profiles[profile]() }),
      };
}

function keyAlgorithmCheck(certificate: x509.X509Certificate): CheckItem {
  const t = texts().keyAlgorithm;
  const label = texts().labels.keyAlgorithm();
  const key = describePublicKey(certificate.publicKey.rawData);
  if (key.algorithm === "RSA") {
    const bits = key.bits ?? 0;
    return bits >= 2048
      ? { id: "keyAlgorithm", status: "ok", label, detail: t.rsa({ bits }) }
      : { id: "keyAlgorithm", status: "failed", label, detail: t.rsaWeak({ bits }) };
  }
  const algorithm = key.curve ? t.curve({ algorithm: key.algorithm, curve: key.curve }) : key.algorithm;
  return { id: "keyAlgorithm", status: "warning", label, detail: t.notRsa({ algorithm }) };
}

function signatureAlgorithmCheck(certificate: x509.X509Certificate): CheckItem {
  const t = texts().signatureAlgorithm;
  const label = texts().labels.signatureAlgorithm();
  const algorithm = certificate.signatureAlgorithm;
  const hash = "hash" in algorithm && algorithm.hash ? algorithm.hash.name : "?";
  const name = t.name({ algorithm: algorithm.name, hash });
  if (hash === "SHA-1" || hash === "MD5")
    return { id: "signatureAlgorithm", status: "failed", label, detail: t.weak({ name }) };
  return {
    id: "signatureAlgorithm",
    status: hash.startsWith("SHA-") ? "ok" : "warning",
    label,
    detail: t.ok({ name }),
  };
}

function keyMatchCheck(certificate: x509.X509Certificate, keys: readonly KeyObject[]): CheckItem | undefined {
  if (keys.length === 0) return undefined;
  const t = texts().keyMatch;
  const label = texts().labels.keyMatch();
  const matches = keys.some((key) => privateKeyMatches(key, certificate.publicKey.rawData));
  return matches
    ? { id: "keyMatch", status: "ok", label, detail: t.match() }
    : { id: "keyMatch", status: "failed", label, detail: t.mismatch() };
}

/** The checks of Annexe 1 and §3 on a certificate whose chain was built from `request`: check's, bundle's. */
export async function certificateChecks(
  request: CheckRequest,
  chain: ChainResult,
  profile: CertificateProfile | undefined,
): Promise<CheckItem[]> {
  const { certificate, now } = request;
  const checks: CheckItem[] = [
    chainCheck(chain, now),
    ...validityChecks(certificate, now),
    await revocationCheck(request, chain, profile),
    nameCheck(certificate, profile, request.fqdn),
  ];
  const eku = extendedKeyUsageCheck(certificate, profile);
  if (eku) checks.push(eku);
  checks.push(keyAlgorithmCheck(certificate), signatureAlgorithmCheck(certificate));
  const keyMatch = keyMatchCheck(certificate, request.privateKeys);
  if (keyMatch) checks.push(keyMatch);
  return checks;
}

export async function checkCertificate(request: CheckRequest): Promise<CertificateReport> {
  const { certificate, now } = request;
  const deduced = deduceProfile(certificate);
  const profile = request.profile ?? deduced;
  const chain = await buildChain(certificate, request.pool, request.anchors);
  const checks = await certificateChecks(request, chain, profile);
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber.toUpperCase(),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    daysLeft: daysBetween(now, certificate.notAfter),
    renewalAlert: renewalAlertDate(certificate.notAfter),
    profile: profile ?? null,
    profileSource: request.profile ? "option" : deduced ? "deduced" : null,
    chain: chain.path.map((c) => c.subject),
    anchor: chain.ok ? chain.anchor.label : null,
    checks,
    ok: checks.every((check) => check.status !== "failed"),
  };
}
