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
  PROFILE_LABELS,
  RENEWAL_ALERT_MONTHS,
} from "./profile.js";

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
  /** French, short. */
  label: string;
  /** French: what was found and, when something is wrong, what to do. */
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

const CHAIN_PROBLEMS: Record<Exclude<ChainResult, { ok: true }>["problem"], (issuer: string) => string> = {
  selfSigned: () => "Le certificat est auto-signé : il n'a pas été émis par IGC-Santé.",
  issuerUnknown: (issuer) =>
    `L'émetteur « ${issuer} » n'est pas une autorité IGC-Santé connue : ce certificat n'a pas été émis par l'AC IGC-Santé Élémentaire Organisations. Utilisez le certificat téléchargé sur la Plateforme IGC-Santé.`,
  badSignature: (issuer) =>
    `La signature du certificat ne correspond pas à l'autorité « ${issuer} » : certificat altéré ou émis par une autre autorité du même nom.`,
  issuerNotCa: (issuer) =>
    `« ${issuer} » n'est pas une autorité de certification : la chaîne fournie est incorrecte.`,
  untrustedRoot: (issuer) =>
    `La chaîne remonte à la racine « ${issuer} », qui n'est pas une racine IGC-Santé (production ou test).`,
  tooLong: () => "La chaîne de certification est anormalement longue.",
};

function chainCheck(chain: ChainResult, now: Date): CheckItem {
  const label = "Chaîne de certification (parenté)";
  if (!chain.ok)
    return { id: "chain", status: "failed", label, detail: CHAIN_PROBLEMS[chain.problem](chain.issuer) };
  const names = chain.path.slice(1).map((c) => commonNameOf(c) ?? c.subject);
  const outdated = chain.path.slice(1).find((c) => now < c.notBefore || now > c.notAfter);
  if (outdated) {
    return {
      id: "chain",
      status: "failed",
      label,
      detail: `L'autorité « ${commonNameOf(outdated) ?? outdated.subject} » n'est pas valide à cette date (du ${frenchDate(outdated.notBefore)} au ${frenchDate(outdated.notAfter)}).`,
    };
  }
  const other = chain.anchor.environment === "other";
  return {
    id: "chain",
    status: other ? "warning" : "ok",
    label,
    detail: `${names.join(" → ")} (${chain.anchor.label})${other ? " : cette autorité ne fait pas partie d'IGC-Santé, le PSP et le TPE ne l'accepteront pas." : "."}${chain.anchor.environment === "test" ? " Certificat de TEST : il ne convient pas à la production." : ""}`,
  };
}

function validityChecks(certificate: x509.X509Certificate, now: Date): CheckItem[] {
  const { notBefore, notAfter } = certificate;
  const alert = renewalAlertDate(notAfter);
  const days = daysBetween(now, notAfter);
  const validity: CheckItem =
    now < notBefore
      ? {
          id: "validity",
          status: "failed",
          label: "Dates de validité",
          detail: `Pas encore valide : il le sera à partir du ${frenchDateTime(notBefore)} (heure de Paris). Vérifiez l'horloge du serveur ou attendez cette date.`,
        }
      : now > notAfter
        ? {
            id: "validity",
            status: "failed",
            label: "Dates de validité",
            detail: `Expiré depuis le ${frenchDateTime(notAfter)} (heure de Paris) : commandez un nouveau certificat sur la Plateforme IGC-Santé.`,
          }
        : {
            id: "validity",
            status: "ok",
            label: "Dates de validité",
            detail: `Valide du ${frenchDate(notBefore)} au ${frenchDate(notAfter)} : ${days} jour${days > 1 ? "s" : ""} restant${days > 1 ? "s" : ""}.`,
          };
  const renewal: CheckItem =
    now > notAfter || now < notBefore
      ? {
          id: "renewal",
          status: "info",
          label: "Alerte de renouvellement",
          detail: `Prévue le ${frenchDate(alert)}, un mois avant l'échéance.`,
        }
      : now >= alert
        ? {
            id: "renewal",
            status: "warning",
            label: "Alerte de renouvellement",
            detail: `L'alerte d'un mois avant l'échéance est passée (le ${frenchDate(alert)}) : commandez dès maintenant le nouveau certificat et installez-le sur la GAP avant le ${frenchDate(notAfter)}.`,
          }
        : {
            id: "renewal",
            status: "ok",
            label: "Alerte de renouvellement",
            detail: `Le ${frenchDate(alert)}, un mois avant l'échéance (IGC-Santé prévient aussi les administrateurs techniques par courriel).`,
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
  const label = "Révocation (CRL)";
  const testChain = chain.ok && chain.anchor.environment === "test";
  const crlUrl = `${CRL_BASE}${testChain ? "ACI-EL-ORG-TEST.crl" : "ACI-EL-ORG.crl"}`;
  if (request.crls.length === 0) {
    return profile === "ORG_AUTH_CLI"
      ? {
          id: "revocation",
          status: "warning",
          label,
          detail: `Non vérifiée : pour un certificat client, le PSP vérifie obligatoirement la révocation (Annexe 1). Téléchargez la CRL (${crlUrl}) et relancez avec --crl.`,
        }
      : {
          id: "revocation",
          status: "info",
          label,
          detail: `Non vérifiée (aucune CRL donnée). Pour la vérifier : téléchargez ${crlUrl} et relancez avec --crl.`,
        };
  }
  if (!chain.ok) {
    return {
      id: "revocation",
      status: "warning",
      label,
      detail: "Non vérifiée : la chaîne de certification n'a pas pu être établie.",
    };
  }
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
          `la CRL de « ${commonNameOf(issuer) ?? issuer.subject} » est périmée depuis le ${frenchDate(crl.nextUpdate)} : téléchargez la version à jour`,
        );
      }
      const entry = crl.findRevoked(subject);
      if (entry) {
        const who = i === 0 ? "Le certificat" : `L'autorité « ${commonNameOf(subject) ?? subject.subject} »`;
        return {
          id: "revocation",
          status: "failed",
          label,
          detail: `${who} est révoqué${i === 0 ? "" : "e"} depuis le ${frenchDate(entry.revocationDate)} : il ne doit plus être utilisé. Commandez un nouveau certificat sur la Plateforme IGC-Santé.`,
        };
      }
    }
  }
  if (!checkedLeaf) {
    return {
      id: "revocation",
      status: "warning",
      label,
      detail: `Non vérifiée : aucune CRL fournie n'a été signée par l'émetteur du certificat. Téléchargez ${crlUrl}.`,
    };
  }
  return {
    id: "revocation",
    status: notes.length > 0 ? "warning" : "ok",
    label,
    detail:
      notes.length > 0
        ? `Non révoqué selon la CRL fournie, mais ${notes.join(" ; ")}.`
        : "Non révoqué selon la CRL fournie.",
  };
}

function nameCheck(
  certificate: x509.X509Certificate,
  profile: CertificateProfile | undefined,
  fqdn: string | undefined,
): CheckItem {
  const label = "Nom (CN et subjectAltName)";
  const cn = commonNameOf(certificate) ?? "";
  const dns = dnsNamesOf(certificate).map((name) => name.toLowerCase());
  if (profile === undefined) {
    return {
      id: "name",
      status: "warning",
      label,
      detail: `CN=« ${cn} » : profil non reconnu, précisez --profile ORG_AUTH_CLI ou --profile SSL_SERVEUR.`,
    };
  }
  if (profile === "ORG_AUTH_CLI") {
    return cn === CLIENT_SERVICE_NAME
      ? {
          id: "name",
          status: "ok",
          label,
          detail: `CN=« ${cn} », comme le demande la procédure (§3 Étape 3).`,
        }
      : {
          id: "name",
          status: "failed",
          label,
          detail: `CN=« ${cn} » : la procédure (§3 Étape 3) demande le service applicatif « ${CLIENT_SERVICE_NAME} ». Révoquez ce certificat et commandez-en un nouveau avec ce nom.`,
        };
  }
  const expected = fqdn?.trim().toLowerCase().replace(/\.$/, "");
  const problems: string[] = [];
  if (cn.startsWith("*"))
    problems.push(`le CN « ${cn} » est un joker : il doit être le FQDN du serveur GAP/Diapason`);
  else if (!cn.includes(".")) problems.push(`le CN « ${cn} » n'est pas un FQDN (<serveur>.<domaine>)`);
  if (expected !== undefined && cn.toLowerCase() !== expected)
    problems.push(`le CN « ${cn} » diffère du FQDN attendu « ${expected} »`);
  const wanted = expected ?? cn.toLowerCase();
  if (!dns.includes(wanted)) {
    problems.push(
      dns.length === 0
        ? "le certificat n'a pas de subjectAltName dNSName"
        : `le subjectAltName (${dns.join(", ")}) ne contient pas « ${wanted} »`,
    );
  }
  if (problems.length > 0) {
    return {
      id: "name",
      status: "failed",
      label,
      detail: `${problems.join(" ; ")}. Le FQDN saisi dans le TPE doit être identique au CN (§3) : révoquez ce certificat et commandez-en un avec le bon FQDN.`,
    };
  }
  return {
    id: "name",
    status: expected === undefined ? "info" : "ok",
    label,
    detail:
      expected === undefined
        ? `CN et subjectAltName = « ${cn} ». Précisez --fqdn pour le comparer au FQDN saisi dans le TPE.`
        : `CN et subjectAltName = « ${cn} », le FQDN attendu (à saisir à l'identique dans le TPE).`,
  };
}

function extendedKeyUsageCheck(
  certificate: x509.X509Certificate,
  profile: CertificateProfile | undefined,
): CheckItem | undefined {
  if (profile === undefined) return undefined;
  const label = "Usage étendu de la clé (EKU)";
  const wanted = PROFILE_EKU[profile];
  const usages = extendedKeyUsagesOf(certificate);
  if (usages === undefined) {
    return {
      id: "extendedKeyUsage",
      status: "info",
      label,
      detail: `Aucune restriction d'usage : ${wanted.label} est permise.`,
    };
  }
  return usages.includes(wanted.oid)
    ? { id: "extendedKeyUsage", status: "ok", label, detail: `Permet ${wanted.label}.` }
    : {
        id: "extendedKeyUsage",
        status: "failed",
        label,
        detail: `Le certificat ne permet pas ${wanted.label}, nécessaire à un ${PROFILE_LABELS[profile]} : vérifiez l'offre commandée.`,
      };
}

function keyAlgorithmCheck(certificate: x509.X509Certificate): CheckItem {
  const label = "Algorithme et taille de clé";
  const key = describePublicKey(certificate.publicKey.rawData);
  if (key.algorithm === "RSA") {
    const bits = key.bits ?? 0;
    return bits >= 2048
      ? { id: "keyAlgorithm", status: "ok", label, detail: `RSA ${bits} bits.` }
      : {
          id: "keyAlgorithm",
          status: "failed",
          label,
          detail: `RSA ${bits} bits : au moins 2048 bits sont nécessaires.`,
        };
  }
  return {
    id: "keyAlgorithm",
    status: "warning",
    label,
    detail: `${key.algorithm}${key.curve ? ` (${key.curve})` : ""} : IGC-Santé délivre des certificats à clé RSA (2048 bits).`,
  };
}

function signatureAlgorithmCheck(certificate: x509.X509Certificate): CheckItem {
  const label = "Algorithme de signature";
  const algorithm = certificate.signatureAlgorithm;
  const hash = "hash" in algorithm && algorithm.hash ? algorithm.hash.name : "?";
  const name = `${algorithm.name} avec ${hash}`;
  if (hash === "SHA-1" || hash === "MD5") {
    return {
      id: "signatureAlgorithm",
      status: "failed",
      label,
      detail: `${name} : algorithme trop faible, refusé par les clients TLS actuels.`,
    };
  }
  return {
    id: "signatureAlgorithm",
    status: hash.startsWith("SHA-") ? "ok" : "warning",
    label,
    detail: `${name}.`,
  };
}

function keyMatchCheck(certificate: x509.X509Certificate, keys: readonly KeyObject[]): CheckItem | undefined {
  if (keys.length === 0) return undefined;
  const matches = keys.some((key) => privateKeyMatches(key, certificate.publicKey.rawData));
  return matches
    ? {
        id: "keyMatch",
        status: "ok",
        label: "Clé privée",
        detail: "La clé privée fournie correspond au certificat.",
      }
    : {
        id: "keyMatch",
        status: "failed",
        label: "Clé privée",
        detail:
          "La clé privée fournie ne correspond pas à ce certificat : retrouvez la clé générée avec le CSR de ce certificat.",
      };
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
