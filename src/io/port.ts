import type { WritePort } from "../dossier/write-port.js";

/** What a command may touch of the outside world. Injected so tests never need a subprocess. */
export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  /** Folder relative paths are resolved against. */
  cwd: string;
  now: () => Date;
  /** Aborted on Ctrl-C (SIGINT): long commands stop cleanly when it fires. */
  signal: AbortSignal;
  /** Where dossiers and reports are written (default: the disk); tests give one that refuses. */
  files?: WritePort;
}

/** A usage error (unknown option, missing argument): printed in French, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Exit codes; 130 (128 + SIGINT, as shells report it) for a command stopped by Ctrl-C. `writeRefused`: the
 * system refused to write (full disk, read-only folder or share, no permission): nothing is half-written, and
 * the user's data are not at fault.
 */
export const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 3, writeRefused: 4, interrupted: 130 } as const;
