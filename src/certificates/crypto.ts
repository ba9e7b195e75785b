/** One place that wires the X.509 and PKCS#12 libraries to Node's WebCrypto. Import it before using them. */
import "reflect-metadata";
import { createHash, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import * as pkijs from "pkijs";

export const webCrypto = webcrypto as unknown as Crypto;

x509.cryptoProvider.set(webCrypto);
pkijs.setEngine("diapason-dossier", new pkijs.CryptoEngine({ name: "node-webcrypto", crypto: webCrypto }));

export { pkijs, x509 };

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function sha256Hex(bytes: ArrayBuffer | Uint8Array): string {
  return createHash("sha256")
    .update(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .digest("hex")
    .toUpperCase();
}

/** `AB:CD:…` form of a hex fingerprint, as openssl prints it. */
export function colonHex(hex: string): string {
  return hex.match(/../g)?.join(":") ?? hex;
}
