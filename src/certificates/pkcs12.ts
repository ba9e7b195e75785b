/**
 * PKCS#12 (.p12/.pfx) files: written with modern encryption that `openssl pkcs12` 3.x opens without
 * `-legacy` (PBES2, AES-256-CBC, PBKDF2 with HMAC-SHA-256, MAC SHA-256), read back for the checks.
 */
import { createHash, createPrivateKey, type KeyObject } from "node:crypto";
import * as asn1js from "asn1js";
import { pkijs, toArrayBuffer, x509 } from "./crypto.js";
import { type Finding, finding, type Outcome, success } from "./finding.js";
import { decryptPbeSha1TripleDes, PBE_SHA1_3DES, PBES2 } from "./pkcs12-legacy.js";
import { certificateTexts } from "./text.js";

export const PKCS12_ITERATIONS = 100_000;

const OID = {
  keyBag: "1.2.840.113549.1.12.10.1.1",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509Certificate: "1.2.840.113549.1.9.22.1",
  friendlyName: "1.2.840.113549.1.9.20",
  localKeyId: "1.2.840.113549.1.9.21",
  data: "1.2.840.113549.1.7.1",
  encryptedData: "1.2.840.113549.1.7.6",
} as const;

export interface Pkcs12Content {
  key: KeyObject;
  certificate: x509.X509Certificate;
  /** Issuers after the certificate, ACI then ACR. */
  chain: x509.X509Certificate[];
  password: string;
  friendlyName: string;
  iterations?: number;
}

function passwordBuffer(password: string): ArrayBuffer {
  return toArrayBuffer(new TextEncoder().encode(password));
}

function bagAttributes(friendlyName: string, localKeyId: Buffer): pkijs.Attribute[] {
  return [
    new pkijs.Attribute({ type: OID.friendlyName, values: [new asn1js.BmpString({ value: friendlyName })] }),
    new pkijs.Attribute({
      type: OID.localKeyId,
      values: [new asn1js.OctetString({ valueHex: toArrayBuffer(localKeyId) })],
    }),
  ];
}

function certBag(certificate: x509.X509Certificate, attributes?: pkijs.Attribute[]): pkijs.SafeBag {
  return new pkijs.SafeBag({
    bagId: OID.certBag,
    bagValue: new pkijs.CertBag({
      certId: OID.x509Certificate,
      certValue: new asn1js.OctetString({ valueHex: certificate.rawData }),
    }),
    ...(attributes ? { bagAttributes: attributes } : {}),
  });
}

export async function buildPkcs12(content: Pkcs12Content): Promise<Uint8Array> {
  const iterations = content.iterations ?? PKCS12_ITERATIONS;
  const password = passwordBuffer(content.password);
  const localKeyId = createHash("sha1").update(Buffer.from(content.certificate.rawData)).digest();
  const attributes = bagAttributes(content.friendlyName, localKeyId);
  const encryption = {
    password,
    // pkijs draws the IV itself.
    contentEncryptionAlgorithm: { name: "AES-CBC", length: 256 } as pkijs.ContentEncryptionAlgorithm,
    hmacHashAlgorithm: "SHA-256",
    iterationCount: iterations,
  };

  const keyInfo = pkijs.PrivateKeyInfo.fromBER(content.key.export({ format: "der", type: "pkcs8" }));
  const shrouded = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo });
  await shrouded.makeInternalValues(encryption);

  const certificates = new pkijs.SafeContents({
    safeBags: [certBag(content.certificate, attributes), ...content.chain.map((c) => certBag(c))],
  });
  const keys = new pkijs.SafeContents({
    safeBags: [
      new pkijs.SafeBag({ bagId: OID.shroudedKeyBag, bagValue: shrouded, bagAttributes: attributes }),
    ],
  });
  const authenticatedSafe = new pkijs.AuthenticatedSafe({
    parsedValue: {
      safeContents: [
        { privacyMode: 1, value: certificates },
        { privacyMode: 0, value: keys },
      ],
    },
  });
  await authenticatedSafe.makeInternalValues({ safeContents: [encryption, {}] });

  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe } });
  await pfx.makeInternalValues({
    password,
    iterations,
    pbkdf2HashAlgorithm: "SHA-256",
    hmacHashAlgorithm: "SHA-256",
  });
  return new Uint8Array(pfx.toSchema().toBER(false));
}

export interface Pkcs12Reading {
  keys: KeyObject[];
  certificates: x509.X509Certificate[];
}

/** True when the bytes look like a PKCS#12 PFX (version 3 then a ContentInfo). */
export function looksLikePkcs12(bytes: Uint8Array): boolean {
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(toArrayBuffer(bytes));
  } catch {
    // asn1js throws on some malformed values (a UniversalString of 3 bytes…): not a PKCS#12.
    return false;
  }
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return false;
  const [version, authSafe] = parsed.result.valueBlock.value;
  return (
    version instanceof asn1js.Integer &&
    version.valueBlock.valueDec === 3 &&
    authSafe instanceof asn1js.Sequence
  );
}

class UnsupportedCipher extends Error {
  constructor(readonly oid: string) {
    super(oid);
  }
}

async function decrypt(
  algorithm: pkijs.AlgorithmIdentifier,
  encrypted: ArrayBuffer,
  password: string,
): Promise<ArrayBuffer> {
  if (algorithm.algorithmId === PBES2) {
    const data = new pkijs.EncryptedData({
      encryptedContentInfo: new pkijs.EncryptedContentInfo({
        contentType: OID.data,
        contentEncryptionAlgorithm: algorithm,
        encryptedContent: new asn1js.OctetString({ valueHex: encrypted }),
      }),
    });
    return data.decrypt({ password: passwordBuffer(password) });
  }
  if (algorithm.algorithmId === PBE_SHA1_3DES) {
    const params = algorithm.algorithmParams as asn1js.Sequence;
    const [salt, iterations] = params.valueBlock.value as [asn1js.OctetString, asn1js.Integer];
    const clear = decryptPbeSha1TripleDes(
      password,
      Buffer.from(salt.valueBlock.valueHexView),
      iterations.valueBlock.valueDec,
      Buffer.from(encrypted),
    );
    return toArrayBuffer(clear);
  }
  throw new UnsupportedCipher(algorithm.algorithmId);
}

const texts = () => certificateTexts().files;

function pkcs12Error(path: string, code: string, message: string): Outcome<Pkcs12Reading> {
  return { ok: false, errors: [finding(path, code, message)] };
}

/** Opens a PKCS#12 file: a wrong password, a damaged file or an old cipher are values, not throws. */
export async function readPkcs12(
  bytes: Uint8Array,
  password: string,
  path: string,
): Promise<Outcome<Pkcs12Reading>> {
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(toArrayBuffer(bytes));
  } catch {
    return pkcs12Error(path, "PKCS12_UNREADABLE", texts().pkcs12Unreadable({ file: path }));
  }
  try {
    await pfx.parseInternalValues({ password: passwordBuffer(password), checkIntegrity: true });
  } catch (error) {
    const broken = error instanceof Error && /Integrity/i.test(error.message);
    return broken
      ? pkcs12Error(path, "PKCS12_PASSWORD", texts().pkcs12Password({ file: path }))
      : pkcs12Error(path, "PKCS12_UNREADABLE", texts().pkcs12Unreadable({ file: path }));
  }
  const reading: Pkcs12Reading = { keys: [], certificates: [] };
  const warnings: Finding[] = [];
  try {
    const safe = pfx.parsedValue?.authenticatedSafe;
    for (const info of safe?.safeContents ?? []) {
      let contents: pkijs.SafeContents;
      if (info.contentType === OID.data) {
        contents = pkijs.SafeContents.fromBER((info.content as asn1js.OctetString).getValue());
      } else if (info.contentType === OID.encryptedData) {
        const encrypted = new pkijs.EncryptedData({ schema: info.content });
        const eci = encrypted.encryptedContentInfo;
        contents = pkijs.SafeContents.fromBER(
          await decrypt(eci.contentEncryptionAlgorithm, eci.getEncryptedContent(), password),
        );
      } else {
        warnings.push(finding(path, "PKCS12_ENVELOPED", texts().pkcs12Enveloped({ file: path })));
        continue;
      }
      for (const bag of contents.safeBags) await readBag(bag, password, reading);
    }
  } catch (error) {
    if (error instanceof UnsupportedCipher) {
      return pkcs12Error(
        path,
        "PKCS12_LEGACY_CIPHER",
        texts().pkcs12LegacyCipher({ file: path, oid: error.oid }),
      );
    }
    return pkcs12Error(path, "PKCS12_UNREADABLE", texts().pkcs12Content({ file: path }));
  }
  return success(reading, warnings);
}

async function readBag(bag: pkijs.SafeBag, password: string, reading: Pkcs12Reading): Promise<void> {
  if (bag.bagId === OID.certBag) {
    const value = bag.bagValue as pkijs.CertBag;
    if (value.certId !== OID.x509Certificate) return;
    const der = (value.certValue as asn1js.OctetString).getValue();
    reading.certificates.push(new x509.X509Certificate(der));
  } else if (bag.bagId === OID.keyBag) {
    const info = bag.bagValue as pkijs.PrivateKeyInfo;
    reading.keys.push(
      createPrivateKey({ key: Buffer.from(info.toSchema().toBER(false)), format: "der", type: "pkcs8" }),
    );
  } else if (bag.bagId === OID.shroudedKeyBag) {
    const value = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
    const clear = await decrypt(value.encryptionAlgorithm, value.encryptedData.getValue(), password);
    reading.keys.push(createPrivateKey({ key: Buffer.from(clear), format: "der", type: "pkcs8" }));
  }
}
