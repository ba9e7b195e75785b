import { createPrivateKey } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { x509 } from "../../src/certificates/crypto.js";
import { baseAnswers, patch } from "../helpers/answers.js";
import { run } from "../helpers/io.js";
import { OPENSSL, openssl, tempDir, write } from "./pki.js";

const PASSPHRASE = "une phrase de passe assez longue";
const env = { DIAPASON_KEY_PASSPHRASE: PASSPHRASE };
let dir: string;

function answersFile(name: string, change: unknown = {}): string {
  write(dir, name, JSON.stringify(patch(baseAnswers(), change)));
  return name;
}

function readCsr(path: string): x509.Pkcs10CertificateRequest {
  return new x509.Pkcs10CertificateRequest(readFileSync(path, "utf8"));
}

beforeAll(() => {
  dir = tempDir("csr");
  answersFile("reponses.json", {
    establishment: {
      name: "Centre hospitalier intercommunal de la Haute-Côte-d'Or et du Morvan",
      finessEJ: "210780581",
      finessEG: "210000014",
    },
    keyGeneration: "csr",
  });
});

describe("csr", () => {
  it("writes an encrypted key (mode 0600) and a CSR with the IGC-Santé subject for SSL_SERVEUR", async () => {
    const { code, stdout, stderr } = await run(
      ["csr", "reponses.json", "--profile", "SSL_SERVEUR", "-o", "server"],
      { cwd: dir, env },
    );
    expect(code, stderr).toBe(0);
    const keyPath = join(dir, "server", "SSL_SERVEUR.key");
    const csrPath = join(dir, "server", "SSL_SERVEUR.csr");
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const keyPem = readFileSync(keyPath, "utf8");
    expect(keyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(() => createPrivateKey({ key: keyPem, passphrase: "mauvaise phrase" })).toThrow();
    const key = createPrivateKey({ key: keyPem, passphrase: PASSPHRASE });
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);

    const csr = readCsr(csrPath);
    expect(await csr.verify()).toBe(true);
    expect(csr.subject).toBe(
      "C=FR, ST=Côte-d'Or (21), O=Centre hospitalier intercommunal de la H, OU=1210780581, CN=gap01.ch-ville.fr",
    );
    const san = csr.extensions.find((e) => e instanceof x509.SubjectAlternativeNameExtension);
    expect(san?.names.items.map((n) => [n.type, n.value])).toEqual([["dns", "gap01.ch-ville.fr"]]);
    expect(csr.signatureAlgorithm).toMatchObject({ name: "RSASSA-PKCS1-v1_5", hash: { name: "SHA-256" } });
    expect(stderr).toContain("La raison sociale dépasse 40 caractères");
    expect(stdout).toContain("service applicatif « gap01.ch-ville.fr »");
    expect(stdout + stderr).not.toContain(PASSPHRASE);
  });

  it("uses Client_Diapason_PSP as CN for ORG_AUTH_CLI, without subjectAltName, and the structure presented externally as OU", async () => {
    answersFile("contrat-eg.json", { contract: { exists: true, signedAt: "EG" } });
    const { code, stderr } = await run(
      ["csr", "contrat-eg.json", "--profile", "ORG_AUTH_CLI", "-o", "client"],
      { cwd: dir, env },
    );
    expect(code, stderr).toBe(0);
    const csr = readCsr(join(dir, "client", "ORG_AUTH_CLI.csr"));
    expect(csr.subject).toBe(
      "C=FR, ST=Ain (01), O=Centre hospitalier de Ville, OU=1010003820, CN=Client_Diapason_PSP",
    );
    expect(csr.extensions.some((e) => e instanceof x509.SubjectAlternativeNameExtension)).toBe(false);
    expect(stderr).toContain("keyGeneration: online");
  });

  it("puts in the OU the FINESS of the EG under contract when it is not the GAP's (Annexe 2)", async () => {
    answersFile("contrat-autre-eg.json", {
      contract: { exists: true, signedAt: "EG", finessEG: "010000016" },
    });
    const { code, stderr } = await run(
      ["csr", "contrat-autre-eg.json", "--profile", "ORG_AUTH_CLI", "-o", "client-autre-eg"],
      { cwd: dir, env },
    );
    expect(code, stderr).toBe(0);
    const csr = readCsr(join(dir, "client-autre-eg", "ORG_AUTH_CLI.csr"));
    expect(csr.subject).toBe(
      "C=FR, ST=Ain (01), O=Centre hospitalier de Ville, OU=1010000016, CN=Client_Diapason_PSP",
    );
  });

  it("writes the key in clear only with --no-encrypt", async () => {
    const { code } = await run(
      ["csr", "reponses.json", "--profile", "ORG_AUTH_CLI", "-o", "clear", "--no-encrypt"],
      { cwd: dir },
    );
    expect(code).toBe(0);
    expect(readFileSync(join(dir, "clear", "ORG_AUTH_CLI.key"), "utf8")).toMatch(
      /^-----BEGIN PRIVATE KEY-----/,
    );
  });

  it("refuses to run without a passphrase outside a terminal, or with a short one", async () => {
    const none = await run(["csr", "reponses.json", "--profile", "ORG_AUTH_CLI", "-o", "none"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("DIAPASON_KEY_PASSPHRASE");
    const short = await run(["csr", "reponses.json", "--profile", "ORG_AUTH_CLI", "-o", "short"], {
      cwd: dir,
      env: { DIAPASON_KEY_PASSPHRASE: "court" },
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("au moins 8 caractères");
    expect(short.stderr).not.toContain("court");
  });

  it("never overwrites an existing key", async () => {
    const first = await run(["csr", "reponses.json", "--profile", "ORG_AUTH_CLI", "-o", "twice"], {
      cwd: dir,
      env,
    });
    expect(first.code).toBe(0);
    const before = readFileSync(join(dir, "twice", "ORG_AUTH_CLI.key"), "utf8");
    const second = await run(["csr", "reponses.json", "--profile", "ORG_AUTH_CLI", "-o", "twice"], {
      cwd: dir,
      env,
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("existe déjà");
    expect(readFileSync(join(dir, "twice", "ORG_AUTH_CLI.key"), "utf8")).toBe(before);
  });

  it("reports usage errors and invalid answers in French", async () => {
    const noProfile = await run(["csr", "reponses.json", "-o", "x"], { cwd: dir, env });
    expect(noProfile.code).toBe(2);
    expect(noProfile.stderr).toContain("--profile ORG_AUTH_CLI ou --profile SSL_SERVEUR");
    const size = await run(
      ["csr", "reponses.json", "--profile", "ORG_AUTH_CLI", "-o", "x", "--key-size", "1024"],
      { cwd: dir, env },
    );
    expect(size.code).toBe(2);
    expect(size.stderr).toContain("--key-size accepte 2048, 3072 ou 4096");
    answersFile("invalide.json", { establishment: { finessEG: "010003821" } });
    const invalid = await run(["csr", "invalide.json", "--profile", "ORG_AUTH_CLI", "-o", "x"], {
      cwd: dir,
      env,
    });
    expect(invalid.code).toBe(1);
    const missing = await run(["csr", "absent.json", "--profile", "ORG_AUTH_CLI", "-o", "x"], {
      cwd: dir,
      env,
    });
    expect(missing.code).toBe(2);
  });

  it.skipIf(!OPENSSL)(
    "produces a CSR that openssl req -verify accepts and a key openssl opens with the passphrase",
    () => {
      const csrPath = join(dir, "server", "SSL_SERVEUR.csr");
      const verified = openssl([
        "req",
        "-in",
        csrPath,
        "-verify",
        "-noout",
        "-subject",
        "-nameopt",
        "utf8,sep_comma_plus_space",
      ]);
      expect(verified.status).toBe(0);
      expect(verified.output).toContain("verify OK");
      expect(verified.output).toContain(
        "subject=C=FR, ST=Côte-d'Or (21), O=Centre hospitalier intercommunal de la H, OU=1210780581, CN=gap01.ch-ville.fr",
      );
      const keyPath = join(dir, "server", "SSL_SERVEUR.key");
      expect(openssl(["asn1parse", "-in", keyPath]).output).toMatch(/aes-256-cbc/);
      expect(
        openssl(["pkey", "-in", keyPath, "-passin", "env:PASS", "-noout"], { env: { PASS: PASSPHRASE } })
          .status,
      ).toBe(0);
      expect(openssl(["pkey", "-in", keyPath, "-passin", "pass:mauvaise", "-noout"]).status).not.toBe(0);
    },
  );
});
