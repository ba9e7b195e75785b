import type { KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readCertificateFile } from "../../src/certificates/certificate-file.js";
import type { x509 } from "../../src/certificates/crypto.js";
import { buildPkcs12, looksLikePkcs12, readPkcs12 } from "../../src/certificates/pkcs12.js";
import { pkcs12Kdf } from "../../src/certificates/pkcs12-legacy.js";
import { keyObjectFromCryptoKey, publicKeySpki } from "../../src/certificates/private-key.js";
import { createTestPki, OPENSSL, openssl, pem, type TestPki, tempDir, write } from "./pki.js";

let pki: TestPki;
let certificate: x509.X509Certificate;
let key: KeyObject;
let p12: Uint8Array;

beforeAll(async () => {
  pki = await createTestPki();
  certificate = await pki.issue({
    cn: "gap01.ch-ville.fr",
    dns: ["gap01.ch-ville.fr"],
    usage: "server",
    serial: "0c01",
  });
  key = await keyObjectFromCryptoKey(pki.leafKeys.privateKey);
  p12 = await buildPkcs12({
    key,
    certificate,
    chain: [pki.intermediate.certificate, pki.root.certificate],
    password: "Mot-de-passe-ÉÀ",
    friendlyName: "gap01.ch-ville.fr",
    iterations: 2048,
  });
});

describe("PKCS#12", () => {
  it("reads back what it writes: the key and the three certificates in order", async () => {
    expect(looksLikePkcs12(p12)).toBe(true);
    const read = await readPkcs12(p12, "Mot-de-passe-ÉÀ", "a.p12");
    if (!read.ok) throw new Error(read.errors[0]?.message);
    expect(read.value.certificates.map((c) => c.serialNumber)).toEqual([
      certificate.serialNumber,
      pki.intermediate.certificate.serialNumber,
      pki.root.certificate.serialNumber,
    ]);
    expect(read.value.keys.map((k) => publicKeySpki(k).equals(publicKeySpki(key)))).toEqual([true]);
  });

  it("says the password is wrong, and that a truncated file is damaged", async () => {
    const wrong = await readPkcs12(p12, "mot-de-passe-ÉÀ", "a.p12");
    expect(wrong.ok ? [] : wrong.errors.map((e) => e.code)).toEqual(["PKCS12_PASSWORD"]);
    for (const cut of [20, p12.length / 2, p12.length - 5]) {
      const truncated = await readPkcs12(p12.slice(0, Math.floor(cut)), "Mot-de-passe-ÉÀ", "a.p12");
      expect(truncated.ok).toBe(false);
    }
    expect(looksLikePkcs12(new TextEncoder().encode("bonjour"))).toBe(false);
  });

  it("derives keys as RFC 7292 Appendix B does (published SHA-1 test vectors)", () => {
    const hex = (password: string, salt: string, iterations: number, id: number, length: number) =>
      pkcs12Kdf(password, Buffer.from(salt, "hex"), iterations, id, length).toString("hex").toUpperCase();
    expect(hex("smeg", "0A58CF64530D823F", 1, 1, 24)).toBe(
      "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3",
    );
    expect(hex("smeg", "0A58CF64530D823F", 1, 2, 8)).toBe("79993DFE048D3B76");
    expect(hex("queeg", "1682C0FC5B3F7EC5", 1000, 1, 24)).toBe(
      "483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F",
    );
  });

  it.skipIf(!OPENSSL)(
    "reads a PKCS#12 that openssl wrote with legacy 3DES, and explains an RC2 one",
    async () => {
      const dir = tempDir("p12");
      const bundle = write(
        dir,
        "all.pem",
        pem(certificate, pki.intermediate.certificate) + (await pki.leafKeyPem()),
      );
      const tripleDes = join(dir, "3des.p12");
      const made = openssl([
        "pkcs12",
        "-export",
        "-in",
        bundle,
        "-out",
        tripleDes,
        "-certpbe",
        "PBE-SHA1-3DES",
        "-keypbe",
        "PBE-SHA1-3DES",
        "-macalg",
        "sha1",
        "-passout",
        "pass:ancien-format",
      ]);
      expect(made.status, made.output).toBe(0);
      const secrets = { pkcs12Password: async () => "ancien-format", keyPassphrase: async () => undefined };
      const read = await readCertificateFile(new Uint8Array(readFileSync(tripleDes)), "3des.p12", secrets);
      if (!read.ok) throw new Error(read.errors[0]?.message);
      expect(read.value.format).toBe("pkcs12");
      expect(read.value.certificates).toHaveLength(2);
      expect(read.value.keys).toHaveLength(1);

      const rc2 = join(dir, "rc2.p12");
      if (
        openssl([
          "pkcs12",
          "-export",
          "-legacy",
          "-in",
          bundle,
          "-out",
          rc2,
          "-passout",
          "pass:ancien-format",
        ]).status === 0
      ) {
        const refused = await readCertificateFile(new Uint8Array(readFileSync(rc2)), "rc2.p12", secrets);
        expect(refused.ok ? "" : refused.errors[0]?.message).toContain(
          "openssl pkcs12 -legacy -in rc2.p12 -nodes | openssl pkcs12 -export",
        );
      }
    },
  );
});
