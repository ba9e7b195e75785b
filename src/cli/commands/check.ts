import {
  type CheckedFile,
  checkCertificate,
  checkJson,
  customAnchor,
  endEntityCertificates,
  type Finding,
  finding,
  igcSanteAnchors,
  isSelfIssued,
  parseProfile,
  readCertificateFile,
  renderCheckText,
  type TrustAnchor,
  verdictOf,
  type x509,
} from "../../certificates/index.js";
import { EXIT, UsageError } from "../../io/port.js";
import { readInputFile, secretSources } from "../certificate-io.js";
import { booleanOption, type Command, type OptionValues, stringOption } from "../command.js";

function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

export const checkCommand: Command = {
  name: "check",
  usage: "<certificat|p12|pem…>",
  help: `Les vérifications de l'Annexe 1 et du §3 : parenté jusqu'à une racine IGC-Santé (production ou test),
dates de validité et alerte de renouvellement (un mois avant l'échéance), révocation d'après une CRL
(obligatoire côté PSP pour le certificat client), CN et subjectAltName (Client_Diapason_PSP ou le FQDN),
usage TLS, algorithme et taille de clé, correspondance avec la clé privée quand le fichier en contient une.
Mot de passe d'un PKCS#12 : variable DIAPASON_P12_PASSPHRASE ou saisie ; clé chiffrée : DIAPASON_KEY_PASSPHRASE.
Codes de sortie : 0 tout est conforme, 1 une vérification a échoué, 2 fichier illisible ou erreur d'utilisation.`,
  options: {
    fqdn: {
      type: "string",
      description: "FQDN attendu pour un certificat SSL_SERVEUR (celui saisi dans le TPE).",
      valueName: "<nom>",
    },
    profile: {
      type: "string",
      description: "Profil attendu : ORG_AUTH_CLI ou SSL_SERVEUR (déduit du certificat sinon).",
      valueName: "<profil>",
    },
    crl: {
      type: "string",
      multiple: true,
      description: "Liste de révocation (CRL) téléchargée d'IGC-Santé, PEM ou DER ; répétable.",
      valueName: "<fichier>",
    },
    ca: {
      type: "string",
      multiple: true,
      description:
        "Autorité supplémentaire acceptée (par exemple une AC de recette), signalée hors IGC-Santé.",
      valueName: "<fichier>",
    },
    json: { type: "boolean", description: "Écrit le rapport en JSON au lieu du texte." },
  },
  minPositionals: 1,
  async run({ values, positionals, io }) {
    const profileText = stringOption(values, "profile");
    const profile = profileText === undefined ? undefined : parseProfile(profileText);
    if (profileText !== undefined && !profile)
      throw new UsageError(`profil « ${profileText} » inconnu : ORG_AUTH_CLI ou SSL_SERVEUR.`);
    const fqdn = stringOption(values, "fqdn");
    const secrets = secretSources(io);
    const now = io.now();
    const files: CheckedFile[] = [];

    const crls: x509.X509Crl[] = [];
    const anchors: TrustAnchor[] = [...igcSanteAnchors()];
    const extraPool: x509.X509Certificate[] = [];
    for (const [option, file] of [
      ...listOption(values, "crl").map((f) => ["crl", f] as const),
      ...listOption(values, "ca").map((f) => ["ca", f] as const),
    ]) {
      const errors: Finding[] = [];
      const bytes = await readInputFile(io, file, option === "crl" ? "crl" : "chain");
      if (!bytes.ok) errors.push(...bytes.errors);
      else {
        const material = await readCertificateFile(bytes.value, file, secrets);
        if (!material.ok) errors.push(...material.errors);
        else if (option === "crl") {
          if (material.value.crls.length === 0)
            errors.push(
              finding(file, "CRL_MISSING", `${file} (--crl) ne contient pas de liste de révocation (CRL).`),
            );
          crls.push(...material.value.crls);
        } else {
          if (material.value.certificates.length === 0)
            errors.push(
              finding(file, "CA_MISSING", `${file} (--ca) ne contient pas de certificat d'autorité.`),
            );
          for (const certificate of material.value.certificates) {
            if (isSelfIssued(certificate)) anchors.push(customAnchor(certificate));
            else extraPool.push(certificate);
          }
        }
      }
      if (errors.length > 0)
        files.push({ source: `${file} (--${option})`, errors, warnings: [], certificates: [] });
    }

    for (const file of positionals) {
      const checked: CheckedFile = { source: file, errors: [], warnings: [], certificates: [] };
      files.push(checked);
      const bytes = await readInputFile(io, file, "certificate");
      if (!bytes.ok) {
        checked.errors.push(...bytes.errors);
        continue;
      }
      const material = await readCertificateFile(bytes.value, file, secrets);
      if (!material.ok) {
        checked.errors.push(...material.errors);
        continue;
      }
      checked.warnings.push(...material.warnings);
      const leaves = endEntityCertificates(material.value.certificates);
      if (leaves.length === 0) {
        checked.errors.push(
          finding(
            file,
            "NO_END_ENTITY",
            `${file} ne contient aucun certificat de service (seulement des autorités, une clé ou une CRL) : indiquez le certificat reçu d'IGC-Santé.`,
          ),
        );
        continue;
      }
      for (const certificate of leaves) {
        checked.certificates.push(
          await checkCertificate({
            certificate,
            pool: [...material.value.certificates, ...extraPool],
            privateKeys: material.value.keys,
            anchors,
            crls: [...crls, ...material.value.crls],
            now,
            ...(profile ? { profile } : {}),
            ...(fqdn !== undefined ? { fqdn } : {}),
          }),
        );
      }
    }

    if (booleanOption(values, "json")) io.stdout.write(`${JSON.stringify(checkJson(files, now), null, 2)}\n`);
    else io.stdout.write(renderCheckText(files));
    const verdict = verdictOf(files);
    return verdict === "ok" ? EXIT.ok : verdict === "failed" ? EXIT.invalid : EXIT.usage;
  },
};
