/** IO shared by the certificate commands: secrets from the environment or a prompt, input files, new files. */
import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { password } from "@inquirer/prompts";
import type { SecretSources } from "../certificates/certificate-file.js";
import { type Finding, failure, finding, type Outcome, success } from "../certificates/finding.js";
import { readFileBounded } from "../io/index.js";
import { type CliIo, UsageError } from "../io/port.js";
import { errnoText } from "../io/texts.js";
import { cliTexts, errorLine, warningLine } from "./texts.js";

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
    throw new UsageError(cliTexts().certificates.inputInterrupted());
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
    const t = cliTexts().certificates;
    if ((await prompt(io, output, t.confirm())) === first) return first;
    io.stderr.write(`${t.mismatch()}\n`);
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
      once(`p12:${path}`, () =>
        askSecret(io, P12_PASSPHRASE_ENV, cliTexts().certificates.p12Password({ file: path })),
      ),
    keyPassphrase: (path) =>
      once(`key:${path}`, () =>
        askSecret(io, KEY_PASSPHRASE_ENV, cliTexts().certificates.keyPassphrase({ file: path })),
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
    const t = cliTexts().certificates;
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return finding(file, "FILE_EXISTS", t.fileExists({ file }));
    return finding(file, "FILE_NOT_WRITTEN", t.notWritten({ file, reason: errnoText(error) }));
  }
}

/** Findings on stderr, one a line: « Erreur : … » or « Attention : … », with the path when the message lacks it. */
export function printFindings(io: CliIo, findings: readonly Finding[], kind: "error" | "warning"): void {
  const line = kind === "error" ? errorLine : warningLine;
  for (const item of findings) {
    const where = item.path && !item.message.includes(item.path) ? ` [${item.path}]` : "";
    io.stderr.write(`${line(`${item.message}${where}`)}\n`);
  }
}
