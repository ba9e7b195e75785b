/**
 * The one legacy PKCS#12 cipher still found in files made by older tools and Java keystores:
 * pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 Appendix B key derivation, SHA-1, then Node's 3DES).
 * Read-only: the tool never writes it. RC2-40 is not available in Node's OpenSSL and is refused.
 */
import { createDecipheriv, createHash } from "node:crypto";

export const PBE_SHA1_3DES = "1.2.840.113549.1.12.1.3";
export const PBE_SHA1_2DES = "1.2.840.113549.1.12.1.4";
export const PBE_SHA1_RC2_128 = "1.2.840.113549.1.12.1.5";
export const PBE_SHA1_RC2_40 = "1.2.840.113549.1.12.1.6";
export const PBES2 = "1.2.840.113549.1.5.13";

const SHA1_BLOCK = 64;
const SHA1_LENGTH = 20;

/** The password as a NUL-terminated big-endian BMPString, as RFC 7292 B.1 asks. */
function bmpPassword(password: string): Buffer {
  const out = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

function repeatToMultiple(source: Buffer, block: number): Buffer {
  if (source.length === 0) return Buffer.alloc(0);
  const length = block * Math.ceil(source.length / block);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = source[i % source.length] ?? 0;
  return out;
}

/** RFC 7292 B.2 with SHA-1. id 1: key material, 2: IV, 3: MAC key. */
export function pkcs12Kdf(
  password: string,
  salt: Buffer,
  iterations: number,
  id: number,
  length: number,
): Buffer {
  const diversifier = Buffer.alloc(SHA1_BLOCK, id);
  const input = Buffer.concat([
    repeatToMultiple(salt, SHA1_BLOCK),
    repeatToMultiple(bmpPassword(password), SHA1_BLOCK),
  ]);
  const blocks: Buffer[] = [];
  for (let produced = 0; produced < length; produced += SHA1_LENGTH) {
    let a = createHash("sha1").update(diversifier).update(input).digest();
    for (let i = 1; i < iterations; i++) a = createHash("sha1").update(a).digest();
    blocks.push(a);
    const b = repeatToMultiple(a, SHA1_BLOCK);
    for (let offset = 0; offset < input.length; offset += SHA1_BLOCK) {
      let carry = 1;
      for (let k = SHA1_BLOCK - 1; k >= 0; k--) {
        const sum = (input[offset + k] ?? 0) + (b[k] ?? 0) + carry;
        input[offset + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}

export function decryptPbeSha1TripleDes(
  password: string,
  salt: Buffer,
  iterations: number,
  data: Buffer,
): Buffer {
  const key = pkcs12Kdf(password, salt, iterations, 1, 24);
  const iv = pkcs12Kdf(password, salt, iterations, 2, 8);
  const decipher = createDecipheriv("des-ede3-cbc", key, iv);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}
