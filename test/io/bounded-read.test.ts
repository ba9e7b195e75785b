import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { READ_LIMITS, readChunks, readFileBounded } from "../../src/io/index.js";
import { run } from "../helpers/io.js";

const dir = mkdtempSync(join(tmpdir(), "diapason-bounded-"));

describe("readFileBounded : lecture plafonnée pendant la lecture", () => {
  it("lit un fichier jusqu'à sa limite exacte, refuse un octet de plus en nommant le fichier et la limite", async () => {
    const path = join(dir, "exact.pem");
    writeFileSync(path, Buffer.alloc(1000, 0x41));
    const exact = await readFileBounded(path, "exact.pem", "certificate", 1000);
    expect(exact.ok && exact.bytes.length).toBe(1000);
    const over = await readFileBounded(path, "exact.pem", "certificate", 999);
    expect(over).toEqual({
      ok: false,
      problem: {
        code: "FILE_TOO_LARGE",
        file: "exact.pem",
        message: expect.stringMatching(/^exact\.pem dépasse 999 octets, la taille maximale d'un certificat/),
      },
    });
  });

  it("un périphérique sans fin (/dev/zero) est refusé à la limite, sans tout lire", async () => {
    const chunks: number[] = [];
    const read = readChunks("/dev/zero", "/dev/zero", "crl");
    await expect(
      (async () => {
        for await (const chunk of read) chunks.push(chunk.length);
      })(),
    ).rejects.toMatchObject({ problem: { code: "FILE_TOO_LARGE" } });
    expect(chunks.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(READ_LIMITS.crl);
  });

  it("absent, dossier, illisible : des valeurs, jamais une exception", async () => {
    expect(await readFileBounded(join(dir, "absent"), "absent", "certificate")).toMatchObject({
      ok: false,
      problem: { code: "FILE_NOT_FOUND", message: "Fichier introuvable : absent. Vérifiez le chemin." },
    });
    expect(await readFileBounded(dir, "dossier", "certificate")).toMatchObject({
      ok: false,
      problem: { code: "FILE_IS_DIRECTORY" },
    });
  });
});

describe("chaque commande qui lit un fichier le plafonne selon son genre", () => {
  it.each([
    [["check", "/dev/zero"], 2, "1 Mo, la taille maximale d'un certificat ou d'un PKCS#12"],
    [
      ["check", "/dev/zero", "--crl", "/dev/zero"],
      2,
      "32 Mo, la taille maximale d'une liste de révocation (CRL)",
    ],
    [
      ["check", "/dev/null", "--ca", "/dev/zero"],
      2,
      "4 Mo, la taille maximale d'une chaîne de certification",
    ],
    [
      ["bundle", "--cert", "/dev/zero", "--key", "/dev/zero", "-o", join(dir, "x.p12")],
      2,
      "256 Ko, la taille maximale d'une clé privée",
    ],
    [["reminders", "/dev/zero", "--ics", join(dir, "r.ics")], 2, "1 Mo, la taille maximale d'un certificat"],
    [["fields", "/dev/zero"], 1, "50 Mo, la taille maximale d'un formulaire PDF"],
  ])("%j", async (args, code, text) => {
    const result = await run(args as string[]);
    expect(result.code).toBe(code);
    expect(`${result.stdout}${result.stderr}`).toContain(`/dev/zero dépasse ${text}`);
    expect(`${result.stdout}${result.stderr}`).not.toContain("Erreur interne");
  });

  it("un tube de 300 Mo (check <tube>) est refusé au premier Mo, sans attendre la fin du flux", async () => {
    const fifo = join(dir, "tube");
    execFileSync("mkfifo", [fifo]);
    const writer = createWriteStream(fifo);
    writer.on("error", () => undefined);
    const block = Buffer.alloc(1024 * 1024, 0x30);
    let sent = 0;
    const pump = () => {
      while (sent < 300 && !writer.destroyed) {
        sent += 1;
        if (!writer.write(block)) return void writer.once("drain", pump);
      }
      writer.end();
    };
    writer.once("open", pump);
    const result = await run(["check", fifo]);
    writer.destroy();
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("tube dépasse 1 Mo");
    // Refused as the limit was passed: most of the 300 Mo was never written.
    expect(sent).toBeLessThan(10);
  });
});
