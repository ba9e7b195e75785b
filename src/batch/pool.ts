import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * A fixed pool of worker threads running one module (src/batch/worker): each worker loads the templates once,
 * then takes jobs as they come. Two jobs are given to each worker at a time and run there concurrently: it
 * computes one while the other's files go to disk, and never waits for the next one.
 * A crashed worker fails its jobs (the batch reports those rows) and is replaced; a worker that crashes before
 * finishing any job means the installation is broken, and the pool fails every job.
 */

export type PoolMessage<R> =
  | { type: "done"; id: number; result: R }
  | { type: "failed"; id: number; message: string };

export type WorkerRequest<J> = { type: "job"; id: number; job: J } | { type: "abort" };

interface Pending<R> {
  resolve: (result: R) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  jobs: Set<number>;
  finished: number;
}

const PER_WORKER = 2;

/**
 * Heap limits of a worker. A dossier needs a few megabytes, but V8 lets an unbounded heap grow to some hundreds
 * before collecting; bounded, each worker stays near 100 MB (measured: 2 workers, peak RSS 474 → 325 MB, same
 * CPU). A worker that would need more fails its dossier, is replaced, and the batch goes on. A smaller young
 * generation (8 or 4 MB) took 25 or 40 MB off the batch's peak RSS, but cost 17-31% or 30-44% more CPU per
 * dossier in collections (README, performance section).
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

/** tsx's ESM API (`tsx/esm/api`, import condition), found from its package.json. */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsx/package.json");
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const target = pkg.exports["./esm/api"]?.import?.default;
  if (!target) throw new Error("tsx/esm/api introuvable");
  return pathToFileURL(join(dirname(manifest), target)).href;
}

/** When run from the TypeScript sources (tests), the worker loads them through tsx, as the tests do. */
function spawn(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith(".ts"))
    return new Worker(entry, { workerData, resourceLimits: RESOURCE_LIMITS });
  const tsx = tsxEsmApi();
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true, workerData, resourceLimits: RESOURCE_LIMITS });
}

export class WorkerPool<J, R> {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending<R>>();
  private readonly queue: { id: number; job: J }[] = [];
  private nextId = 0;
  private broken: Error | undefined;
  private closed = false;

  constructor(
    private readonly entry: URL,
    size: number,
    private readonly workerData: unknown,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  get size(): number {
    return this.slots.length;
  }

  private start(): Slot {
    const slot: Slot = { worker: spawn(this.entry, this.workerData), jobs: new Set(), finished: 0 };
    slot.worker.on("message", (message: PoolMessage<R>) => this.onMessage(slot, message));
    slot.worker.on("error", (error: Error) => this.onExit(slot, error));
    slot.worker.on("exit", (code) => {
      if (!this.closed) this.onExit(slot, new Error(`fil de calcul arrêté (code ${code})`));
    });
    return slot;
  }

  private onMessage(slot: Slot, message: PoolMessage<R>): void {
    const pending = this.pending.get(message.id);
    slot.jobs.delete(message.id);
    slot.finished += 1;
    this.pending.delete(message.id);
    if (pending) {
      if (message.type === "done") pending.resolve(message.result);
      else pending.reject(new Error(message.message));
    }
    this.dispatch();
  }

  private onExit(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    for (const id of slot.jobs) {
      this.pending.get(id)?.reject(error);
      this.pending.delete(id);
    }
    slot.jobs.clear();
    void slot.worker.terminate();
    if (slot.finished === 0) {
      this.broken = error;
      for (const { id } of this.queue.splice(0)) {
        this.pending.get(id)?.reject(error);
        this.pending.delete(id);
      }
      this.slots.splice(index, 1);
      return;
    }
    this.slots[index] = this.start();
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      while (slot.jobs.size < PER_WORKER && this.queue.length > 0) {
        const next = this.queue.shift();
        if (!next) break;
        slot.jobs.add(next.id);
        slot.worker.postMessage({ type: "job", id: next.id, job: next.job } satisfies WorkerRequest<J>);
      }
    }
  }

  run(job: J): Promise<R> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.slots.length === 0) return Promise.reject(new Error("aucun fil de calcul disponible"));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, job });
      this.dispatch();
    });
  }

  /** Jobs in the workers or waiting for one. */
  get busy(): number {
    return this.pending.size;
  }

  /** Asks every worker to drop what it is doing: no dossier is renamed into place after this. */
  abort(): void {
    for (const slot of this.slots) slot.worker.postMessage({ type: "abort" } satisfies WorkerRequest<J>);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
