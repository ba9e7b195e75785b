/** IO shared by the certificate commands: secrets from the environment or a prompt, input files, new files. */
import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { password } from "@inquirer/prompts";
import type { SecretSources } from "../certificates/certificate-file.js";
import { type Finding, failure, finding, type Outcome, success } from "../certificates/finding.js";
import { readFileBounded } from "../io/index.js";
import { type CliIo, UsageError } from "../io/port.js";

export const KEY_PASSPHRASE_ENV = "DIAPASON_KEY_PASSPHRASE";
export const P12_PASSPHRASE_ENV = "DIAPASON_P12_PASSPHRASE";

/** What a certificate command reads; each kind has its size limit (src/io/limits.ts). */
export type CertificateFileKind = "certificate" | "privateKey" | "chain" | "crl";

function promptOutput(io: CliIo): NodeJS.WritableStream | undefined {
  const stream = io.stderr as Partial<NodeJS.WritableStream>;
  if (io.stdin.isTTY !== true || typeof stream.on !== "function") return undefined;
  return io.stderr as NodeJS.WritableStream;
}

async function prompt(io: CliIo, output: NodeJS.WritableStream, message: string): Promise<string> {
  try {
    return await password({ message, mask: "*" }, { input: io.stdin, output, signal: io.signal });
  } catch {
    throw new UsageError("saisie interrompue.");
  }
}

/**
 * A secret from the environment variable `envName`, else typed in a terminal (twice when `confirm`).
 * Undefined when neither is possible. Never from the command line, never printed.
 */
export async function askSecret(
  io: CliIo,
  envName: string,
  message: string,
  confirm = false,
): Promise<string | undefined> {
  const fromEnv = io.env[envName];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const output = promptOutput(io);
  if (!output) return undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const first = await prompt(io, output, message);
    if (!confirm) return first;
    if ((await prompt(io, output, "Confirmez la saisie :")) === first) return first;
    io.stderr.write("Les deux saisies diffèrent : recommencez.\n");
  }
  return undefined;
}

/** Passwords for the files a command reads, asked at most once per file. */
export function secretSources(io: CliIo): SecretSources {
  const asked = new Map<string, Promise<string | undefined>>();
  const once = (key: string, ask: () => Promise<string | undefined>) => {
    let value = asked.get(key);
    if (!value) {
      value = ask();
      asked.set(key, value);
    }
    return value;
  };
  return {
    pkcs12Password: (path) =>
      once(`p12:${path}`, () => askSecret(io, P12_PASSPHRASE_ENV, `Mot de passe du PKCS#12 ${path} :`)),
    keyPassphrase: (path) =>
      once(`key:${path}`, () =>
        askSecret(io, KEY_PASSPHRASE_ENV, `Phrase de passe de la clé privée ${path} :`),
      ),
  };
}

/** A certificate, key, chain or CRL the user named, read within the limit of its kind. */
export async function readInputFile(
  io: CliIo,
  file: string,
  kind: CertificateFileKind,
): Promise<Outcome<Uint8Array>> {
  const read = await readFileBounded(resolve(io.cwd, file), file, kind);
  if (!read.ok) return failure(finding(file, read.problem.code, read.problem.message));
  return success(read.bytes);
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes a new file (never overwrites one) with the given mode; the folder is created if needed. */
export async function writeNewFile(
  io: CliIo,
  file: string,
  data: string | Uint8Array,
  mode: number,
): Promise<Finding | undefined> {
  const path = resolve(io.cwd, file);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data, { mode, flag: "wx" });
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      return finding(
        file,
        "FILE_EXISTS",
        `${file} existe déjà : il n'est pas écrasé. Choisissez un autre nom ou déplacez l'ancien fichier.`,
      );
    }
    return finding(
      file,
      "FILE_NOT_WRITTEN",
      `Impossible d'écrire ${file} (${code === "EACCES" ? "accès refusé" : String(code)}).`,
    );
  }
}

export function printFindings(io: CliIo, findings: readonly Finding[], prefix: "Erreur" | "Attention"): void {
  for (const item of findings) {
    const where = item.path && !item.message.includes(item.path) ? ` [${item.path}]` : "";
    io.stderr.write(`${prefix} : ${item.message}${where}\n`);
  }
}
