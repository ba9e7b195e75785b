/**
 * Random and mutated DER, PEM and PKCS#12 bytes fed to the certificate readers and to the commands that use
 * them (check, --crl, bundle --cert/--key/--chain, reminders): every outcome is a documented exit code with a
 * French message, never « Erreur interne ».
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readCertificateFile } from "../../src/certificates/certificate-file.js";
import { x509 } from "../../src/certificates/crypto.js";
import { buildPkcs12 } from "../../src/certificates/pkcs12.js";
import { keyObjectFromCryptoKey } from "../../src/certificates/private-key.js";
import { run } from "../helpers/io.js";
import { createTestPki, NOW, pem, tempDir, write } from "./pki.js";

const env = { DIAPASON_P12_PASSPHRASE: "mot de passe p12", DIAPASON_KEY_PASSPHRASE: "phrase de passe" };
const secrets = {
  pkcs12Password: async () => env.DIAPASON_P12_PASSPHRASE,
  keyPassphrase: async () => env.DIAPASON_KEY_PASSPHRASE,
};
let dir: string;
let seeds: Uint8Array[] = [];

beforeAll(async () => {
  const pki = await createTestPki();
  dir = tempDir("fuzz");
  const client = await pki.issue({ cn: "Client_Diapason_PSP", serial: "0c01" });
  const server = await pki.issue({
    cn: "gap.exemple.fr",
    dns: ["gap.exemple.fr"],
    usage: "server",
    serial: "0c02",
  });
  const key = await keyObjectFromCryptoKey(pki.leafKeys.privateKey);
  const p12 = await buildPkcs12({
    key,
    certificate: client,
    chain: [pki.intermediate.certificate, pki.root.certificate],
    password: env.DIAPASON_P12_PASSPHRASE,
    friendlyName: "Client_Diapason_PSP",
    iterations: 1000,
  });
  const enc = new TextEncoder();
  seeds = [
    new Uint8Array(client.rawData),
    new Uint8Array(server.rawData),
    new Uint8Array((await pki.crl(["0c01"])).rawData),
    new Uint8Array(
      new x509.X509Certificates([pki.intermediate.certificate, pki.root.certificate]).export("raw"),
    ),
    p12,
    new Uint8Array(key.export({ format: "der", type: "pkcs8" })),
    enc.encode(pem(client, pki.intermediate.certificate)),
    enc.encode(await pki.leafKeyPem()),
    enc.encode(await pki.leafKeyPem(env.DIAPASON_KEY_PASSPHRASE)),
  ];
  write(dir, "client.pem", pem(client));
  write(dir, "client.key", await pki.leafKeyPem());
}, 60_000);

/** Bytes to try: random ones, or a seed with bytes changed, inserted or cut; a PEM seed mutated inside its base64. */
function hostileBytes(): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ minLength: 0, maxLength: 400 });
  const edits = fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant("flip" as const),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant("insert" as const),
        at: fc.nat(),
        bytes: fc.uint8Array({ maxLength: 8 }),
      }),
    ),
    { minLength: 1, maxLength: 6 },
  );
  const mutated = fc.tuple(fc.nat(), edits).map(([which, list]) => {
    const seed = seeds[which % seeds.length] ?? new Uint8Array();
    const text = Buffer.from(seed).toString("latin1");
    const pemBody = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
    let bytes = Buffer.from(pemBody ? Buffer.from(pemBody[2] ?? "", "base64") : seed);
    for (const edit of list) {
      const at = bytes.length === 0 ? 0 : edit.at % bytes.length;
      if (edit.kind === "flip") bytes[at] = edit.value;
      else if (edit.kind === "cut") bytes = bytes.subarray(0, at);
      else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(edit.bytes), bytes.subarray(at)]);
    }
    if (!pemBody) return new Uint8Array(bytes);
    const label = pemBody[1];
    return new TextEncoder().encode(
      `-----BEGIN ${label}-----\n${bytes.toString("base64")}\n-----END ${label}-----\n`,
    );
  });
  return fc.oneof(random, mutated, mutated, derTree());
}

/** Well-formed DER framing (any tag, exact lengths, nested) around random contents: reaches the decoders. */
function derTree(): fc.Arbitrary<Uint8Array> {
  const tlv = (tag: number, content: Uint8Array): Uint8Array => {
    const n = content.length;
    const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
    return new Uint8Array([tag, ...length, ...content]);
  };
  const { node } = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 24 })).map(([t, c]) => tlv(t, c)),
      fc
        .tuple(fc.constantFrom(0x30, 0x31, 0xa0, 0xa3, 0x04), fc.array(tie("node"), { maxLength: 4 }))
        .map(([t, children]) => tlv(t, Buffer.concat(children as Uint8Array[]))),
    ),
  }));
  return node as fc.Arbitrary<Uint8Array>;
}

describe("lecteurs de certificats face à des octets hostiles", () => {
  it("readCertificateFile rend toujours une valeur, jamais une exception", async () => {
    await fc.assert(
      fc.asyncProperty(hostileBytes(), async (bytes) => {
        const read = await readCertificateFile(bytes, "hasard.der", secrets);
        if (!read.ok) for (const error of read.errors) expect(error.message).toContain("hasard.der");
      }),
      { numRuns: 1500, seed: 1515 },
    );
  });

  it("le DER de 5 octets du signalement (\\x1c\\x03ABC) : fichier illisible, code 2", async () => {
    write(dir, "cinq.der", Buffer.from([0x1c, 0x03, 0x41, 0x42, 0x43]));
    const result = await run(["check", "cinq.der"], { cwd: dir, now: NOW });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("cinq.der : ce n'est ni un certificat, ni un PKCS#12");
  });

  const commands: [string, (file: string) => string[], number[]][] = [
    ["check", (f) => ["check", f], [0, 1, 2]],
    ["check --crl", (f) => ["check", "client.pem", "--crl", f], [0, 1, 2]],
    ["bundle --cert", (f) => ["bundle", "--cert", f, "--key", "client.key", "-o", "sortie.pem"], [1, 2]],
    ["bundle --key", (f) => ["bundle", "--cert", "client.pem", "--key", f, "-o", "sortie.pem"], [1, 2]],
    [
      "bundle --chain",
      (f) => ["bundle", "--cert", "client.pem", "--key", "client.key", "--chain", f, "-o", "sortie.pem"],
      [1, 2],
    ],
    ["reminders", (f) => ["reminders", f, "--ics", "rappels.ics"], [0, 2]],
  ];
  it.each(commands)(
    "%s : seulement les codes documentés, jamais « Erreur interne »",
    async (_name, args, codes) => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(hostileBytes(), async (bytes) => {
          n += 1;
          const file = `hostile-${n}.bin`;
          write(dir, file, bytes);
          const result = await run(args(file), { cwd: dir, now: NOW, env });
          const all = `${result.stdout}${result.stderr}`;
          expect(all).not.toContain("Erreur interne");
          expect(codes, all).toContain(result.code);
        }),
        { numRuns: 120, seed: 15 },
      );
    },
    60_000,
  );
});
