/**
 * Reads what a user points the tool at: a certificate (PEM or DER), a PEM bundle (certificates,
 * key, CRL), a PKCS#7 chain (.p7b), a PKCS#12 file (.p12/.pfx), a CRL or a private key.
 * Every problem is a value with a French message, never an exception.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import { toArrayBuffer, x509 } from "./crypto.js";
import { type Finding, failure, finding, type Outcome, success } from "./finding.js";
import { looksLikePkcs12, readPkcs12 } from "./pkcs12.js";
import { describePublicKey } from "./private-key.js";
import { certificateTexts } from "./text.js";

export type CertificateFileFormat = "pem" | "der" | "pkcs12" | "pkcs7" | "crl";

export interface CertificateMaterial {
  format: CertificateFileFormat;
  certificates: x509.X509Certificate[];
  keys: KeyObject[];
  crls: x509.X509Crl[];
}

export interface SecretSources {
  /** Password of a PKCS#12 file; undefined when none can be obtained. */
  pkcs12Password(path: string): Promise<string | undefined>;
  /** Passphrase of an encrypted private key; undefined when none can be obtained. */
  keyPassphrase(path: string): Promise<string | undefined>;
}

export const NO_SECRETS: SecretSources = {
  pkcs12Password: async () => undefined,
  keyPassphrase: async () => undefined,
};

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function empty(format: CertificateFileFormat): CertificateMaterial {
  return { format, certificates: [], keys: [], crls: [] };
}

const texts = () => certificateTexts();

/** What cannot be read of a certificate file, said why (a text of certificates/messages.fr.json `unreadable`). */
function unreadable(path: string, what: string): Finding {
  return finding(path, "FILE_UNREADABLE", texts().unreadable.file({ file: path, what }));
}

function passphraseMissing(path: string): Finding {
  return finding(path, "KEY_PASSPHRASE_REQUIRED", texts().files.keyPassphraseRequired({ file: path }));
}

async function readPemKey(block: string, path: string, secrets: SecretSources): Promise<Outcome<KeyObject>> {
  const encrypted = block.includes("ENCRYPTED");
  let passphrase: string | undefined;
  if (encrypted) {
    passphrase = await secrets.keyPassphrase(path);
    if (passphrase === undefined) return failure(passphraseMissing(path));
  }
  try {
    return success(createPrivateKey(passphrase === undefined ? { key: block } : { key: block, passphrase }));
  } catch {
    return failure(
      encrypted
        ? finding(path, "KEY_PASSPHRASE", texts().files.keyPassphraseWrong({ file: path }))
        : unreadable(path, texts().unreadable.keyUnreadable()),
    );
  }
}

async function readPem(
  text: string,
  path: string,
  secrets: SecretSources,
): Promise<Outcome<CertificateMaterial>> {
  const material = empty("pem");
  const begins = text.match(/-----BEGIN /g)?.length ?? 0;
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length !== begins) return failure(unreadable(path, texts().unreadable.pemIncomplete()));
  for (const block of blocks) {
    const label = block[1] ?? "";
    const der = Buffer.from((block[2] ?? "").replace(/^[A-Za-z-]+:.*$/gm, "").replace(/\s+/g, ""), "base64");
    try {
      switch (label) {
        case "CERTIFICATE":
        case "X509 CERTIFICATE":
          material.certificates.push(new x509.X509Certificate(toArrayBuffer(der)));
          break;
        case "PKCS7":
        case "CMS": {
          const chain = new x509.X509Certificates();
          chain.import(toArrayBuffer(der));
          material.certificates.push(...chain);
          break;
        }
        case "X509 CRL":
        case "CRL":
          material.crls.push(new x509.X509Crl(toArrayBuffer(der)));
          break;
        case "PRIVATE KEY":
        case "ENCRYPTED PRIVATE KEY":
        case "RSA PRIVATE KEY":
        case "EC PRIVATE KEY": {
          const key = await readPemKey(block[0], path, secrets);
          if (!key.ok) return key;
          material.keys.push(key.value);
          break;
        }
        case "CERTIFICATE REQUEST":
        case "NEW CERTIFICATE REQUEST":
          return failure(finding(path, "FILE_IS_CSR", texts().files.csr({ file: path })));
        default:
          break;
      }
    } catch {
      return failure(unreadable(path, texts().unreadable.pemBlock({ label })));
    }
  }
  if (material.certificates.length + material.keys.length + material.crls.length === 0) {
    return failure(unreadable(path, texts().unreadable.pemEmpty()));
  }
  return success(material);
}

async function readDer(
  bytes: Uint8Array,
  path: string,
  secrets: SecretSources,
): Promise<Outcome<CertificateMaterial>> {
  const buffer = toArrayBuffer(bytes);
  try {
    return success({ ...empty("der"), certificates: [new x509.X509Certificate(buffer)] });
  } catch {
    // not a single certificate
  }
  if (looksLikePkcs12(bytes)) {
    const password = await secrets.pkcs12Password(path);
    if (password === undefined) {
      return failure(
        finding(path, "PKCS12_PASSWORD_REQUIRED", texts().files.pkcs12PasswordRequired({ file: path })),
      );
    }
    const reading = await readPkcs12(bytes, password, path);
    if (!reading.ok) return reading;
    return success({ ...empty("pkcs12"), ...reading.value }, reading.warnings);
  }
  try {
    const chain = new x509.X509Certificates();
    chain.import(buffer);
    if (chain.length > 0) return success({ ...empty("pkcs7"), certificates: [...chain] });
  } catch {
    // not a PKCS#7 chain
  }
  try {
    return success({ ...empty("crl"), crls: [new x509.X509Crl(buffer)] });
  } catch {
    // not a CRL
  }
  try {
    const key = createPrivateKey({ key: Buffer.from(bytes), format: "der", type: "pkcs8" });
    return success({ ...empty("der"), keys: [key] });
  } catch {
    return failure(unreadable(path, texts().unreadable.unknownFormat()));
  }
}

export function isPem(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, Math.min(bytes.length, 65536)))
    .toString("latin1")
    .includes("-----BEGIN ");
}

/**
 * Everything the checks, the bundle and the reminders read of a certificate, read once here: a part that cannot
 * be decoded (a crafted extension, an unknown key type) makes the file unreadable, never a fault later.
 */
function inspectCertificate(certificate: x509.X509Certificate): void {
  void [certificate.subject, certificate.issuer, certificate.serialNumber, certificate.signatureAlgorithm];
  void [
    certificate.notBefore.getTime(),
    certificate.notAfter.getTime(),
    certificate.subjectName.getField("CN"),
  ];
  for (const type of [
    x509.BasicConstraintsExtension,
    x509.SubjectAlternativeNameExtension,
    x509.ExtendedKeyUsageExtension,
  ] as const) {
    const extension = certificate.getExtension(type as typeof x509.BasicConstraintsExtension);
    if (extension instanceof x509.SubjectAlternativeNameExtension) void extension.names.items;
    if (extension instanceof x509.ExtendedKeyUsageExtension) void extension.usages.map(String);
  }
  describePublicKey(certificate.publicKey.rawData);
}

function inspectCrl(crl: x509.X509Crl): void {
  void [crl.issuer, crl.thisUpdate.getTime(), crl.nextUpdate?.getTime(), crl.signatureAlgorithm];
  for (const entry of crl.entries) void [entry.serialNumber, entry.revocationDate.getTime()];
}

/** Checks what was read; the first part that cannot be decoded is the file's error. */
function inspected(material: CertificateMaterial, path: string): Outcome<CertificateMaterial> {
  for (const certificate of material.certificates) {
    try {
      inspectCertificate(certificate);
    } catch {
      let subject = "?";
      try {
        subject = certificate.subject;
      } catch {
        // the subject itself is the damaged part
      }
      return failure(unreadable(path, texts().unreadable.certificateDamaged({ subject })));
    }
  }
  for (const crl of material.crls) {
    try {
      inspectCrl(crl);
    } catch {
      return failure(unreadable(path, texts().unreadable.crlDamaged()));
    }
  }
  return success(material);
}

export async function readCertificateFile(
  bytes: Uint8Array,
  path: string,
  secrets: SecretSources = NO_SECRETS,
): Promise<Outcome<CertificateMaterial>> {
  if (bytes.length === 0) return failure(unreadable(path, texts().unreadable.empty()));
  let read: Outcome<CertificateMaterial>;
  try {
    read = isPem(bytes)
      ? await readPem(Buffer.from(bytes).toString("utf8"), path, secrets)
      : await readDer(bytes, path, secrets);
  } catch {
    // The ASN.1 and crypto libraries throw on crafted input of every kind: all of it is a damaged file.
    return failure(unreadable(path, texts().unreadable.damaged()));
  }
  if (!read.ok) return read;
  const checked = inspected(read.value, path);
  return checked.ok ? { ...checked, warnings: read.warnings } : checked;
}
