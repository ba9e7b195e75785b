/**
 * Bounds the dossier work in flight: at most `concurrency` dossiers built at once, at most `queue` more waiting;
 * a request beyond that is refused at once (503 with Retry-After), before its body is even read. Memory then
 * stays bounded whatever the load.
 */
export interface WorkLimits {
  /** Dossiers built at the same time (the work is CPU-bound: about one per core). */
  concurrency: number;
  /** Requests admitted to wait for a free place. */
  queue: number;
  /** Seconds a refused client is told to wait (Retry-After). */
  retryAfterSeconds: number;
}

export interface WorkGate {
  readonly limits: WorkLimits;
  /** A place for one request (building or waiting), or undefined when all are taken. `release` is idempotent. */
  admit(): { release: () => void } | undefined;
  /** Runs `task` once a building place is free. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createWorkGate(limits: WorkLimits): WorkGate {
  let admitted = 0;
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return {
    limits,
    admit() {
      if (admitted >= limits.concurrency + limits.queue) return undefined;
      admitted += 1;
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          admitted -= 1;
        },
      };
    },
    async run(task) {
      if (running >= limits.concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
      running += 1;
      try {
        return await task();
      } finally {
        next();
      }
    },
  };
}
