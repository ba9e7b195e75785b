import { PassThrough } from "node:stream";
import { runMain } from "../../src/cli/main.js";
import type { WritePort } from "../../src/dossier/write-port.js";
import type { CliIo } from "../../src/io/port.js";

export interface FakeIo extends CliIo {
  out: () => string;
  err: () => string;
}

/** A CliIo that records what a command writes; no subprocess, no real terminal. */
export function fakeIo(
  options: {
    cwd?: string;
    env?: Record<string, string>;
    now?: Date;
    signal?: AbortSignal;
    files?: WritePort;
  } = {},
): FakeIo {
  let out = "";
  let err = "";
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: new PassThrough(),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    now: () => options.now ?? new Date("2026-11-29T09:00:00Z"),
    signal: options.signal ?? new AbortController().signal,
    ...(options.files ? { files: options.files } : {}),
    out: () => out,
    err: () => err,
  };
}

export async function run(args: string[], options: Parameters<typeof fakeIo>[0] = {}) {
  const io = fakeIo(options);
  const code = await runMain(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
