import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { x509 } from "../../src/certificates/crypto.js";
import { readPkcs12 } from "../../src/certificates/pkcs12.js";
import { run } from "../helpers/io.js";
import { createTestPki, NOW, OPENSSL, openssl, pem, type TestPki, tempDir, write } from "./pki.js";

const KEY_PASSPHRASE = "phrase de passe de la clé";
const P12_PASSWORD = "mot de passe du p12 é";
const env = { DIAPASON_KEY_PASSPHRASE: KEY_PASSPHRASE, DIAPASON_P12_PASSPHRASE: P12_PASSWORD };
let pki: TestPki;
let dir: string;
let client: x509.X509Certificate;

/**
 * The throw-away PKI is not IGC-Santé: a run with --chain accepts it explicitly (--accept-non-igc-chain),
 * unless `igcOnly` asks for the default behaviour.
 */
async function bundle(args: string[], options: { env?: Record<string, string>; igcOnly?: boolean } = {}) {
  const accept = args.includes("--chain") && !options.igcOnly ? ["--accept-non-igc-chain"] : [];
  return run(["bundle", ...args, ...accept], { cwd: dir, now: NOW, env: options.env ?? env });
}

beforeAll(async () => {
  pki = await createTestPki();
  dir = tempDir("bundle");
  client = await pki.issue({ cn: "Client_Diapason_PSP", serial: "0b01" });
  const stranger = await pki.issue({ cn: "Client_Diapason_PSP", serial: "0b02", issuer: "other" });
  write(dir, "client.pem", pem(client));
  write(dir, "client.der", client.rawData);
  write(dir, "stranger.pem", pem(stranger));
  write(dir, "client.key", await pki.leafKeyPem(KEY_PASSPHRASE));
  write(dir, "other.key", await pki.leafKeyPem(undefined, "other"));
  write(dir, "chain.pem", pem(pki.intermediate.certificate, pki.root.certificate));
  write(dir, "aci-only.pem", pem(pki.intermediate.certificate));
  write(dir, "wrong-chain.pem", pem(pki.otherRoot.certificate));
  const p7b = new x509.X509Certificates([pki.intermediate.certificate, pki.root.certificate]);
  write(dir, "chain.p7b", p7b.export("raw"));
});

describe("bundle", () => {
  it("writes a PKCS#12 (mode 0600) holding the key, the certificate, the ACI and the ACR", async () => {
    const { code, stdout, stderr } = await bundle([
      "--cert",
      "client.pem",
      "--key",
      "client.key",
      "--chain",
      "chain.pem",
      "-o",
      "client.p12",
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("PKCS#12 écrit : client.p12");
    const path = join(dir, "client.p12");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const read = await readPkcs12(new Uint8Array(readFileSync(path)), P12_PASSWORD, "client.p12");
    if (!read.ok) throw new Error(read.errors[0]?.message);
    expect(read.value.keys).toHaveLength(1);
    expect(read.value.certificates.map((c) => c.subjectName.getField("CN")[0])).toEqual([
      "Client_Diapason_PSP",
      "TEST AC DIAPASON ORGANISATIONS",
      "TEST AC RACINE DIAPASON",
    ]);
    expect(stdout + stderr).not.toContain(P12_PASSWORD);
    expect(stdout + stderr).not.toContain(KEY_PASSPHRASE);
  });

  it("writes a PEM chain in the order certificate, ACI, ACR, from a DER certificate and a P7B chain", async () => {
    const { code, stderr } = await bundle([
      "--cert",
      "client.der",
      "--key",
      "client.key",
      "--chain",
      "chain.p7b",
      "-o",
      "chaine.pem",
    ]);
    expect(code, stderr).toBe(0);
    const text = readFileSync(join(dir, "chaine.pem"), "utf8");
    expect(text).not.toContain("PRIVATE KEY");
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    expect(blocks.map((b) => new x509.X509Certificate(b).subjectName.getField("CN")[0])).toEqual([
      "Client_Diapason_PSP",
      "TEST AC DIAPASON ORGANISATIONS",
      "TEST AC RACINE DIAPASON",
    ]);
  });

  it("refuses a key that does not match the certificate", async () => {
    const { code, stderr } = await bundle([
      "--cert",
      "client.pem",
      "--key",
      "other.key",
      "--chain",
      "chain.pem",
      "-o",
      "mismatch.p12",
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain("La clé privée de other.key ne correspond pas au certificat client.pem");
  });

  it("refuses a chain that does not link, and a certificate not issued by IGC-Santé without --chain", async () => {
    const wrong = await bundle([
      "--cert",
      "client.pem",
      "--key",
      "client.key",
      "--chain",
      "wrong-chain.pem",
      "-o",
      "wrong.p12",
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("ne se rattache pas à une racine par la chaîne wrong-chain.pem");
    const partial = await bundle([
      "--cert",
      "client.pem",
      "--key",
      "client.key",
      "--chain",
      "aci-only.pem",
      "-o",
      "partial.p12",
    ]);
    expect(partial.code).toBe(1);
    const igc = await bundle(["--cert", "stranger.pem", "--key", "client.key", "-o", "stranger.p12"]);
    expect(igc.code).toBe(1);
    expect(igc.stderr).toContain("la chaîne IGC-Santé fournie avec l'outil");
  });

  it("exits 2 on a wrong key passphrase, a missing password or an unknown output type", async () => {
    const wrongPassphrase = await bundle(
      ["--cert", "client.pem", "--key", "client.key", "--chain", "chain.pem", "-o", "x.p12"],
      {
        env: { DIAPASON_KEY_PASSPHRASE: "pas la bonne", DIAPASON_P12_PASSPHRASE: P12_PASSWORD },
      },
    );
    expect(wrongPassphrase.code).toBe(2);
    expect(wrongPassphrase.stderr).toContain("Phrase de passe incorrecte pour la clé privée de client.key");
    const noPassword = await bundle(
      ["--cert", "client.pem", "--key", "client.key", "--chain", "chain.pem", "-o", "y.p12"],
      {
        env: { DIAPASON_KEY_PASSPHRASE: KEY_PASSPHRASE },
      },
    );
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain("DIAPASON_P12_PASSPHRASE");
    const extension = await bundle(["--cert", "client.pem", "--key", "client.key", "-o", "client.zip"]);
    expect(extension.code).toBe(2);
    expect(extension.stderr).toContain(".p12, .pfx ou .pem");
  });

  it("does not overwrite an existing file", async () => {
    write(dir, "existant.pem", "ancien contenu\n");
    const { code, stderr } = await bundle([
      "--cert",
      "client.pem",
      "--key",
      "client.key",
      "--chain",
      "chain.pem",
      "-o",
      "existant.pem",
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain("existe déjà");
    expect(readFileSync(join(dir, "existant.pem"), "utf8")).toBe("ancien contenu\n");
  });

  it("refuses, with the checks of check, a chain that is not IGC-Santé unless --accept-non-igc-chain", async () => {
    const args = ["--cert", "client.pem", "--key", "client.key", "--chain", "chain.pem", "-o", "recette.pem"];
    const refused = await bundle(args, { igcOnly: true });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "La chaîne chain.pem remonte à « TEST AC RACINE DIAPASON », qui n'est pas une autorité IGC-Santé",
    );
    expect(refused.stderr).toContain("ajoutez --accept-non-igc-chain");
    expect(existsSync(join(dir, "recette.pem"))).toBe(false);
    const accepted = await bundle(args);
    expect(accepted.code, accepted.stderr).toBe(0);
  });

  it("refuses a certificate with a 512-bit RSA key, even with --accept-non-igc-chain, as check does", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 512 });
    const weakPublic = await crypto.subtle.importKey(
      "spki",
      publicKey.export({ format: "der", type: "spki" }),
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      true,
      ["verify"],
    );
    const weak = await pki.issue({ cn: "Client_Diapason_PSP", serial: "0b09", publicKey: weakPublic });
    write(dir, "weak.pem", pem(weak));
    write(dir, "weak.key", privateKey.export({ format: "pem", type: "pkcs8" }).toString());
    const args = ["--cert", "weak.pem", "--key", "weak.key", "--chain", "chain.pem", "-o", "weak.p12"];
    const { code, stderr } = await bundle(args);
    expect(code).toBe(1);
    expect(stderr).toContain(
      "weak.pem ne peut pas être assemblé — Algorithme et taille de clé : RSA 512 bits : au moins 2048 bits sont nécessaires.",
    );
    expect(existsSync(join(dir, "weak.p12"))).toBe(false);
    // The very same check, from the check command.
    const checked = await run(["check", "weak.pem", "--ca", "chain.pem"], { cwd: dir, now: NOW });
    expect(checked.stdout).toContain("RSA 512 bits : au moins 2048 bits sont nécessaires.");
  });

  it.skipIf(!OPENSSL)(
    "makes a PKCS#12 that openssl pkcs12 3.x opens without -legacy, with AES-256-CBC and a SHA-256 MAC",
    () => {
      const path = join(dir, "client.p12");
      const info = openssl(["pkcs12", "-info", "-noout", "-in", path, "-passin", "env:P12"], {
        env: { P12: P12_PASSWORD },
      });
      expect(info.status, info.output).toBe(0);
      expect(info.output).toContain("MAC: sha256");
      expect(info.output).toMatch(
        /PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/,
      );
      expect(info.output).toMatch(
        /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/,
      );
      const wrong = openssl(["pkcs12", "-info", "-noout", "-in", path, "-passin", "pass:faux"]);
      expect(wrong.status).not.toBe(0);
      const dump = openssl(["pkcs12", "-in", path, "-passin", "env:P12", "-nodes"], {
        env: { P12: P12_PASSWORD },
      }).output;
      expect(dump).toContain("friendlyName: Client_Diapason_PSP");
      expect(dump).toContain("-----BEGIN PRIVATE KEY-----");
    },
  );

  it.skipIf(!OPENSSL)("makes a PEM chain that openssl verify accepts", () => {
    const chainFile = join(dir, "chaine.pem");
    const rootFile = write(dir, "root-only.pem", pem(pki.root.certificate));
    const result = openssl([
      "verify",
      "-attime",
      String(Math.floor(NOW.getTime() / 1000)),
      "-CAfile",
      rootFile,
      "-untrusted",
      chainFile,
      chainFile,
    ]);
    expect(result.status, result.output).toBe(0);
  });
});
