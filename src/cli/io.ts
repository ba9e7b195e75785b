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
}

/** A usage error (unknown option, missing argument): printed in French, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit codes; 130 (128 + SIGINT, as shells report it) for a command stopped by Ctrl-C. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 3, interrupted: 130 } as const;
