/** The two IGC-Santé certificate profiles Diapason needs (procedure §3). */

export type CertificateProfile = "ORG_AUTH_CLI" | "SSL_SERVEUR";

export const PROFILES: readonly CertificateProfile[] = ["ORG_AUTH_CLI", "SSL_SERVEUR"];

/** Service name (and CN) of the client certificate, §3 Étape 3. */
export const CLIENT_SERVICE_NAME = "Client_Diapason_PSP";

/** Validity of an IGC-Santé software certificate ("Cycle de vie"). */
export const VALIDITY_YEARS = 3;
/** IGC-Santé e-mails the technical administrators one month before expiry ("Cycle de vie"). */
export const RENEWAL_ALERT_MONTHS = 1;

/** Extended key usage each profile needs for TLS (Annexe 1); its name is in certificates/messages.fr.json. */
export const PROFILE_EKU: Record<CertificateProfile, { oid: string }> = {
  ORG_AUTH_CLI: { oid: "1.3.6.1.5.5.7.3.2" },
  SSL_SERVEUR: { oid: "1.3.6.1.5.5.7.3.1" },
};

/** Accepts the spellings of the procedure (`ORG_AUTH_CLI`, `ORG AUTH_CLI`, `SSL_Serveur`…). */
export function parseProfile(value: string): CertificateProfile | undefined {
  const normalized = value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");
  if (normalized === "ORG_AUTH_CLI" || normalized === "AUTH_CLI") return "ORG_AUTH_CLI";
  if (normalized === "SSL_SERVEUR" || normalized === "SSL_SERVER" || normalized === "SERVEUR_SSL_SERVEUR") {
    return "SSL_SERVEUR";
  }
  return undefined;
}
