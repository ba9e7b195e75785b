import { beforeAll, describe, expect, it } from "vitest";
import { buildPkcs12 } from "../../src/certificates/pkcs12.js";
import { keyObjectFromCryptoKey } from "../../src/certificates/private-key.js";
import { run } from "../helpers/io.js";
import { createTestPki, days, NOW, OPENSSL, openssl, pem, type TestPki, tempDir, write } from "./pki.js";

const SERVER = "gap01.ch-ville.fr";
let pki: TestPki;
let dir: string;
let ca: string[];
const files: Record<string, string> = {};

async function check(args: string[], env: Record<string, string> = {}) {
  const result = await run(["check", ...args, ...ca], { cwd: dir, now: NOW, env });
  return result;
}

beforeAll(async () => {
  pki = await createTestPki();
  dir = tempDir("check");
  const { root, intermediate } = pki;
  files.root = write(dir, "root.pem", pem(root.certificate));
  files.intermediate = write(dir, "aci.pem", pem(intermediate.certificate));
  ca = ["--ca", "root.pem", "--ca", "aci.pem"];
  const client = await pki.issue({ cn: "Client_Diapason_PSP", serial: "0a01" });
  const server = await pki.issue({ cn: SERVER, dns: [SERVER], usage: "server", serial: "0a02" });
  const expired = await pki.issue({
    cn: "Client_Diapason_PSP",
    serial: "0a03",
    notBefore: days(-1200),
    notAfter: days(-10),
  });
  const future = await pki.issue({
    cn: "Client_Diapason_PSP",
    serial: "0a04",
    notBefore: days(10),
    notAfter: days(1100),
  });
  const wrongCn = await pki.issue({ cn: "Client_PSP", serial: "0a05" });
  const otherIssuer = await pki.issue({ cn: "Client_Diapason_PSP", serial: "0a06", issuer: "other" });
  const soon = await pki.issue({
    cn: "Client_Diapason_PSP",
    serial: "0a07",
    notBefore: days(-1080),
    notAfter: days(20),
  });
  files.client = write(dir, "client.pem", pem(client, pki.intermediate.certificate));
  files.clientDer = write(dir, "client.der", client.rawData);
  files.server = write(dir, "server.pem", pem(server));
  files.expired = write(dir, "expired.pem", pem(expired));
  files.future = write(dir, "future.crt", pem(future));
  files.wrongCn = write(dir, "wrong-cn.pem", pem(wrongCn));
  files.otherIssuer = write(dir, "other.pem", pem(otherIssuer));
  files.soon = write(dir, "soon.pem", pem(soon));
  files.crlRevoked = write(dir, "revoked.crl", (await pki.crl(["0a01"])).rawData);
  files.crlClean = write(dir, "clean.crl", (await pki.crl(["0bff"])).toString("pem"));
  files.crlOther = write(dir, "other.crl", (await pki.crl(["0a01"], { by: "other" })).rawData);
  files.crlStale = write(dir, "stale.crl", (await pki.crl([], { nextUpdate: days(-1) })).rawData);
  files.mismatch = write(dir, "mismatch.pem", pem(client) + (await pki.leafKeyPem(undefined, "other")));
  files.matching = write(dir, "matching.pem", pem(client) + (await pki.leafKeyPem()));
  const key = await keyObjectFromCryptoKey(pki.leafKeys.privateKey);
  const p12 = await buildPkcs12({
    key,
    certificate: client,
    chain: [pki.intermediate.certificate, pki.root.certificate],
    password: "mot-de-passe-p12",
    friendlyName: "Client_Diapason_PSP",
  });
  files.p12 = write(dir, "client.p12", p12);
  files.truncated = write(dir, "truncated.p12", p12.slice(0, Math.floor(p12.length / 2)));
  files.truncatedPem = write(dir, "truncated.pem", pem(client).slice(0, 400));
  files.truncatedDer = write(dir, "truncated.der", new Uint8Array(client.rawData).slice(0, 300));
  files.csr = write(
    dir,
    "request.csr",
    "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
  );
  files.text = write(dir, "notes.txt", "ceci n'est pas un certificat\n");
});

describe("check", () => {
  it("passes a valid client certificate given as PEM with its chain, warning that revocation was not checked", async () => {
    const { code, stdout } = await check(["client.pem"]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "[ATTENTION] Chaîne de certification (parenté) : TEST AC DIAPASON ORGANISATIONS → TEST AC RACINE DIAPASON (autorité « TEST AC RACINE DIAPASON » donnée avec --ca) : cette autorité ne fait pas partie d'IGC-Santé",
    );
    expect(stdout).toContain("[OK       ] Nom (CN et subjectAltName) : CN=« Client_Diapason_PSP »");
    expect(stdout).toMatch(
      /\[ATTENTION\] Révocation \(CRL\) : Non vérifiée : pour un certificat client, le PSP vérifie obligatoirement/,
    );
    expect(stdout).toContain("Valide du 13 février 2026 au 12 février 2029 : 1065 jours restants.");
    expect(stdout).toContain("RSA 2048 bits");
    expect(stdout).toContain("=> Conforme");
  });

  it("reads a DER certificate the same way as PEM", async () => {
    const der = await check(["client.der", "--json"]);
    const pemResult = await check(["client.pem", "--json"]);
    expect(der.code).toBe(0);
    const strip = (out: string) =>
      (JSON.parse(out) as { files: { certificates: unknown[] }[] }).files.map((f) => f.certificates);
    expect(strip(der.stdout)).toEqual(strip(pemResult.stdout));
  });

  it("fails an expired certificate and a not yet valid one", async () => {
    const expired = await check(["expired.pem"]);
    expect(expired.code).toBe(1);
    expect(expired.stdout).toMatch(/\[ÉCHEC {4}\] Dates de validité : Expiré depuis le/);
    const future = await check(["future.crt"]);
    expect(future.code).toBe(1);
    expect(future.stdout).toMatch(
      /\[ÉCHEC {4}\] Dates de validité : Pas encore valide : il le sera à partir du 25 mars 2026/,
    );
  });

  it("fails a client certificate whose CN is not Client_Diapason_PSP when the profile is given", async () => {
    const { code, stdout } = await check(["wrong-cn.pem", "--profile", "ORG_AUTH_CLI"]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      "CN=« Client_PSP » : la procédure (§3 Étape 3) demande le service applicatif « Client_Diapason_PSP »",
    );
  });

  it("checks the server certificate's CN and subjectAltName against --fqdn", async () => {
    const good = await check(["server.pem", "--fqdn", SERVER]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(`CN et subjectAltName = « ${SERVER} », le FQDN attendu`);
    const bad = await check(["server.pem", "--fqdn", "gap02.ch-ville.fr"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`le CN « ${SERVER} » diffère du FQDN attendu « gap02.ch-ville.fr »`);
    expect(bad.stdout).toContain(
      "le subjectAltName (gap01.ch-ville.fr) ne contient pas « gap02.ch-ville.fr »",
    );
  });

  it("fails a certificate the client usage does not allow when checked as SSL_SERVEUR", async () => {
    const { code, stdout } = await check(["client.pem", "--profile", "SSL_SERVEUR"]);
    expect(code).toBe(1);
    expect(stdout).toContain("ne permet pas authentification serveur TLS (serverAuth)");
  });

  it("fails a certificate from another issuer, even when its root is not given", async () => {
    const { code, stdout } = await check(["other.pem"]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      "L'émetteur « C=FR, O=AUTRE, CN=AUTRE AC RACINE » n'est pas une autorité IGC-Santé connue",
    );
  });

  it("reports a test CA given with --ca as outside IGC-Santé", async () => {
    const { stdout } = await check(["client.pem"]);
    expect(stdout).toContain("cette autorité ne fait pas partie d'IGC-Santé");
  });

  it("fails a certificate revoked in the CRL and passes it against a CRL that does not list it", async () => {
    const revoked = await check(["client.pem", "--crl", "revoked.crl"]);
    expect(revoked.code).toBe(1);
    expect(revoked.stdout).toMatch(
      /\[ÉCHEC {4}\] Révocation \(CRL\) : Le certificat est révoqué depuis le 14 mars 2026/,
    );
    const clean = await check(["client.pem", "--crl", "clean.crl"]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("[OK       ] Révocation (CRL) : Non révoqué selon la CRL fournie.");
  });

  it("ignores a CRL signed by another authority and flags an outdated one", async () => {
    const other = await check(["client.pem", "--crl", "other.crl"]);
    expect(other.code).toBe(0);
    expect(other.stdout).toContain("aucune CRL fournie n'a été signée par l'émetteur du certificat");
    const stale = await check(["client.pem", "--crl", "stale.crl"]);
    expect(stale.stdout).toContain("est périmée depuis le 14 mars 2026");
  });

  it("warns once the one-month renewal alert has passed", async () => {
    const { code, stdout } = await check(["soon.pem"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /\[ATTENTION\] Alerte de renouvellement : L'alerte d'un mois avant l'échéance est passée \(le 4 mars 2026\)/,
    );
  });

  it("checks the private key of a PEM bundle against the certificate", async () => {
    const mismatch = await check(["mismatch.pem"]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toContain("La clé privée fournie ne correspond pas à ce certificat");
    const matching = await check(["matching.pem"]);
    expect(matching.code).toBe(0);
    expect(matching.stdout).toContain(
      "[OK       ] Clé privée : La clé privée fournie correspond au certificat.",
    );
  });

  it("opens a PKCS#12 with the password from DIAPASON_P12_PASSPHRASE", async () => {
    const { code, stdout } = await check(["client.p12"], { DIAPASON_P12_PASSPHRASE: "mot-de-passe-p12" });
    expect(code).toBe(0);
    expect(stdout).toContain("Clé privée : La clé privée fournie correspond au certificat.");
  });

  it("exits 2 with a clear message on a wrong PKCS#12 password or none at all", async () => {
    const wrong = await check(["client.p12"], { DIAPASON_P12_PASSPHRASE: "pas-le-bon" });
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain("Mot de passe incorrect pour client.p12");
    const none = await check(["client.p12"]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain("donnez-le dans la variable d'environnement DIAPASON_P12_PASSPHRASE");
  });

  it("exits 2 on truncated, unknown or missing files, never with a stack trace", async () => {
    for (const [file, message] of [
      ["truncated.p12", "truncated.p12 :"],
      ["truncated.pem", "un bloc PEM est incomplet"],
      ["truncated.der", "ce n'est ni un certificat, ni un PKCS#12"],
      ["notes.txt", "ce n'est ni un certificat"],
      ["request.csr", "est une demande de certificat (CSR), pas un certificat"],
      ["absent.pem", "Fichier introuvable : absent.pem"],
    ] as const) {
      const { code, stdout, stderr } = await check([file], { DIAPASON_P12_PASSPHRASE: "mot-de-passe-p12" });
      expect(code, file).toBe(2);
      expect(stdout, file).toContain(message);
      expect(stdout + stderr, file).not.toMatch(/\n\s+at /);
    }
  });

  it("exits 2 when one input is unreadable even if another fails a check", async () => {
    const { code } = await check(["expired.pem", "truncated.pem"]);
    expect(code).toBe(2);
  });

  it("writes a JSON report with the checks, dates and verdict", async () => {
    const { code, stdout } = await check(["server.pem", "--fqdn", SERVER, "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      verdict: string;
      checkedAt: string;
      files: {
        source: string;
        certificates: {
          profile: string;
          daysLeft: number;
          notAfter: string;
          checks: { id: string; status: string }[];
        }[];
      }[];
    };
    expect(report.verdict).toBe("ok");
    expect(report.checkedAt).toBe(NOW.toISOString());
    const [certificate] = report.files[0]?.certificates ?? [];
    expect(certificate?.profile).toBe("SSL_SERVEUR");
    expect(certificate?.daysLeft).toBe(1065);
    expect(certificate?.checks.map((c) => c.id)).toEqual([
      "chain",
      "validity",
      "renewal",
      "revocation",
      "name",
      "extendedKeyUsage",
      "keyAlgorithm",
      "signatureAlgorithm",
    ]);
  });

  it("rejects an unknown profile as a usage error", async () => {
    const { code, stderr } = await check(["client.pem", "--profile", "SERVEUR_WEB"]);
    expect(code).toBe(2);
    expect(stderr).toContain("profil « SERVEUR_WEB » inconnu");
  });

  it.skipIf(!OPENSSL)("agrees with openssl verify on the chain, the dates and the CRL", () => {
    const base = [
      "verify",
      "-attime",
      String(Math.floor(NOW.getTime() / 1000)),
      "-CAfile",
      files.root ?? "",
      "-untrusted",
      files.intermediate ?? "",
    ];
    expect(openssl([...base, files.client ?? ""]).status).toBe(0);
    expect(openssl([...base, files.expired ?? ""]).status).not.toBe(0);
    expect(openssl([...base, files.future ?? ""]).status).not.toBe(0);
    expect(openssl([...base, files.otherIssuer ?? ""]).status).not.toBe(0);
    const crlPem = openssl(["crl", "-inform", "DER", "-in", files.crlRevoked ?? ""]).output;
    const crlFile = write(dir, "revoked-crl.pem", crlPem);
    const withCrl = openssl([...base, "-crl_check", "-CRLfile", crlFile, files.client ?? ""]);
    expect(withCrl.status).not.toBe(0);
    expect(withCrl.output).toContain("certificate revoked");
  });
});
