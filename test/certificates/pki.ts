/**
 * A throw-away PKI for the certificate tests: a root and an intermediate shaped like IGC-Santé's
 * (EC P-256 CA keys, fast to make), another root for "wrong issuer", and two RSA 2048 leaf keys
 * reused by every leaf certificate. Built once per test file.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { x509 } from "../../src/certificates/crypto.js";
import {
  generateRsaKeyPair,
  keyObjectFromCryptoKey,
  privateKeyToPem,
} from "../../src/certificates/private-key.js";

const EC_KEY = { name: "ECDSA", namedCurve: "P-256" } as const;
const EC_SIGN = { name: "ECDSA", hash: "SHA-256" } as const;
const webCrypto = globalThis.crypto;

export const NOW = new Date("2026-03-15T10:00:00Z");
const DAY = 86_400_000;
export const days = (n: number): Date => new Date(NOW.getTime() + n * DAY);

export interface Authority {
  certificate: x509.X509Certificate;
  keys: CryptoKeyPair;
}

export interface LeafOptions {
  cn: string;
  dns?: string[];
  notBefore?: Date;
  notAfter?: Date;
  usage?: "client" | "server";
  serial: string;
  issuer?: "intermediate" | "other";
  keys?: "leaf" | "other";
  /** Another public key for the certificate (e.g. a weak one); `keys` is then ignored. */
  publicKey?: CryptoKey;
  o?: string;
  /** The structure's FINESS with its type, as IGC-Santé writes it in OU. */
  ou?: string;
}

export interface TestPki {
  root: Authority;
  intermediate: Authority;
  otherRoot: Authority;
  leafKeys: CryptoKeyPair;
  otherLeafKeys: CryptoKeyPair;
  issue(options: LeafOptions): Promise<x509.X509Certificate>;
  crl(
    revoked: string[],
    options?: { nextUpdate?: Date; by?: "intermediate" | "other" },
  ): Promise<x509.X509Crl>;
  leafKeyPem(passphrase?: string, which?: "leaf" | "other"): Promise<string>;
}

async function authority(name: string, issuer?: Authority, pathLength?: number): Promise<Authority> {
  const keys = await webCrypto.subtle.generateKey(EC_KEY, true, ["sign", "verify"]);
  const extensions = [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: issuer ? "1002" : "1001",
    subject: name,
    issuer: issuer ? issuer.certificate.subjectName : name,
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2040-01-01T00:00:00Z"),
    signingAlgorithm: EC_SIGN,
    publicKey: keys.publicKey,
    signingKey: (issuer?.keys ?? keys).privateKey,
    extensions,
  });
  return { certificate, keys };
}

export async function createTestPki(): Promise<TestPki> {
  const root = await authority("C=FR, O=TEST DIAPASON, CN=TEST AC RACINE DIAPASON");
  const intermediate = await authority("C=FR, O=TEST DIAPASON, CN=TEST AC DIAPASON ORGANISATIONS", root, 0);
  const otherRoot = await authority("C=FR, O=AUTRE, CN=AUTRE AC RACINE");
  const [leafKeys, otherLeafKeys] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  return {
    root,
    intermediate,
    otherRoot,
    leafKeys,
    otherLeafKeys,
    async issue(options) {
      const issuer = options.issuer === "other" ? otherRoot : intermediate;
      const keys = options.keys === "other" ? otherLeafKeys : leafKeys;
      const extensions: x509.Extension[] = [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([
          options.usage === "server" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
        ]),
      ];
      if (options.dns) {
        extensions.push(
          new x509.SubjectAlternativeNameExtension(
            options.dns.map((value) => ({ type: "dns" as const, value })),
          ),
        );
      }
      return x509.X509CertificateGenerator.create({
        serialNumber: options.serial,
        subject: new x509.Name([
          { C: [{ printableString: "FR" }] },
          { ST: [{ utf8String: "Côte-d'Or (21)" }] },
          { O: [{ utf8String: options.o ?? "Centre hospitalier de Test" }] },
          { OU: [{ printableString: options.ou ?? "1210780581" }] },
          { CN: [{ utf8String: options.cn }] },
        ]),
        issuer: issuer.certificate.subjectName,
        notBefore: options.notBefore ?? days(-30),
        notAfter: options.notAfter ?? days(3 * 365 - 30),
        signingAlgorithm: EC_SIGN,
        publicKey: options.publicKey ?? keys.publicKey,
        signingKey: issuer.keys.privateKey,
        extensions,
      });
    },
    async crl(revoked, options = {}) {
      const issuer = options.by === "other" ? otherRoot : intermediate;
      return x509.X509CrlGenerator.create({
        issuer: issuer.certificate.subjectName,
        thisUpdate: days(-2),
        nextUpdate: options.nextUpdate ?? days(5),
        entries: revoked.map((serialNumber) => ({
          serialNumber,
          revocationDate: days(-1),
          reason: x509.X509CrlReason.keyCompromise,
        })),
        signingAlgorithm: EC_SIGN,
        signingKey: issuer.keys.privateKey,
      });
    },
    async leafKeyPem(passphrase, which = "leaf") {
      const keys = which === "other" ? otherLeafKeys : leafKeys;
      return privateKeyToPem(await keyObjectFromCryptoKey(keys.privateKey), passphrase);
    },
  };
}

export const pem = (...items: { toString(format: "pem"): string }[]): string =>
  items.map((item) => `${item.toString("pem")}\n`).join("");

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `diapason-${prefix}-`));
}

export function write(dir: string, name: string, data: string | Uint8Array | ArrayBuffer): string {
  const path = join(dir, name);
  writeFileSync(path, data instanceof ArrayBuffer ? new Uint8Array(data) : data);
  return path;
}

/** The openssl command when installed; the cross-checks are skipped without it. Output = stdout + stderr. */
export const OPENSSL = ["/usr/bin/openssl", "/usr/local/bin/openssl"].find((path) => existsSync(path));

export function openssl(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): {
  status: number;
  output: string;
} {
  if (!OPENSSL) throw new Error("openssl absent");
  const result = spawnSync(OPENSSL, args, {
    env: { ...process.env, ...options.env },
    input: options.input ?? "",
    encoding: "utf8",
  });
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}
