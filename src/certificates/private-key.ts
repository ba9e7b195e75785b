/** RSA key generation and the PKCS#8 files the tool writes and reads (Node's OpenSSL does the crypto). */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { webCrypto } from "./crypto.js";
import { type Finding, finding } from "./finding.js";
import { certificateTexts } from "./text.js";

export const KEY_SIZES = [2048, 3072, 4096] as const;
export type KeySize = (typeof KEY_SIZES)[number];
export const DEFAULT_KEY_SIZE: KeySize = 2048;
/** A passphrase shorter than this is refused. */
export const MIN_PASSPHRASE_LENGTH = 8;

export const RSA_SIGNING = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

export function parseKeySize(value: string): KeySize | undefined {
  return KEY_SIZES.find((size) => String(size) === value.trim());
}

export async function generateRsaKeyPair(size: KeySize): Promise<CryptoKeyPair> {
  return webCrypto.subtle.generateKey(
    { ...RSA_SIGNING, modulusLength: size, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  );
}

export async function keyObjectFromCryptoKey(key: CryptoKey): Promise<KeyObject> {
  const der = Buffer.from(await webCrypto.subtle.exportKey("pkcs8", key));
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
}

export function passphraseProblem(passphrase: string, path: string): Finding | undefined {
  if (Array.from(passphrase).length < MIN_PASSPHRASE_LENGTH) {
    return finding(
      path,
      "PASSPHRASE_TOO_SHORT",
      certificateTexts().files.passphraseTooShort({ min: MIN_PASSPHRASE_LENGTH }),
    );
  }
  return undefined;
}

/** PKCS#8 PEM, encrypted with AES-256-CBC (PBES2, PBKDF2) when a passphrase is given. */
export function privateKeyToPem(key: KeyObject, passphrase: string | undefined): string {
  const pem =
    passphrase === undefined
      ? key.export({ format: "pem", type: "pkcs8" })
      : key.export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase });
  return pem.toString();
}

export function privateKeyToPkcs8Der(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "pkcs8" });
}

/** DER SubjectPublicKeyInfo of the public half, to compare with a certificate's key. */
export function publicKeySpki(key: KeyObject): Buffer {
  return createPublicKey(key).export({ format: "der", type: "spki" });
}

export function privateKeyMatches(key: KeyObject, certificateSpki: ArrayBuffer): boolean {
  return publicKeySpki(key).equals(Buffer.from(certificateSpki));
}

export interface KeyDescription {
  algorithm: string;
  /** RSA modulus length or EC curve size, in bits. */
  bits: number | undefined;
  curve: string | undefined;
}

export function describePublicKey(spki: ArrayBuffer): KeyDescription {
  const key = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
  const details = key.asymmetricKeyDetails ?? {};
  return {
    algorithm: (key.asymmetricKeyType ?? "inconnu").toUpperCase(),
    bits: details.modulusLength,
    curve: details.namedCurve,
  };
}
