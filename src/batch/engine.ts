import { loadDossierTexts } from "../dossier/texts.js";
import { nodeWritePort, type WritePort } from "../dossier/write-port.js";
import { type ArenaSize, FileArena } from "./arena.js";
import { WorkerPool } from "./pool.js";
import {
  createProducer,
  type DossierBuilt,
  type DossierDone,
  type DossierJob,
  type ProducerSettings,
  writeBuilt,
} from "./producer.js";

/**
 * Where the dossiers are produced: a pool of worker threads (one per core by default), or with `--jobs 0` the
 * main thread itself (slower; for diagnosis, with the full error trace under DIAPASON_DEBUG).
 */

export interface Engine {
  run(job: DossierJob): Promise<DossierDone>;
  /** How the workers' dossiers reached this thread: through the shared arena, or transferred (no room). */
  readonly handoffs: { arena: number; transferred: number };
  /** No dossier is renamed into place after this. */
  abort(): void;
  close(): Promise<void>;
}

const workerExtension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/**
 * The arena's slots: a dossier is ~0.6 MB (each more designee adds two forms), and a slot is held from the end
 * of its build to the end of its writing, so four per worker leave room for the writes to lag. Only the pages
 * touched count in memory.
 */
const SLOT_BYTES = 2 * 1024 * 1024;
const SLOTS_PER_WORKER = 4;

function poolEngine(size: number, settings: ProducerSettings, arenaSize: ArenaSize, port: WritePort): Engine {
  const arena = new FileArena(FileArena.allocate(arenaSize), arenaSize);
  const pool = new WorkerPool<DossierJob, DossierBuilt>(
    new URL(`./worker${workerExtension}`, import.meta.url),
    size,
    { settings, arena: { buffer: arena.buffer, size: arenaSize } },
  );
  // The workers build; this thread writes each dossier's folder (see DossierBuilt), with the generator's
  // wording for its messages.
  const controller = new AbortController();
  const texts = loadDossierTexts();
  const handoffs = { arena: 0, transferred: 0 };
  const write = async (job: DossierJob, built: DossierBuilt): Promise<DossierDone> => {
    const { arena: handoff, ...rest } = built;
    if (!handoff) {
      if (rest.files) handoffs.transferred += 1;
      return writeBuilt(settings, texts, job, rest, controller.signal, port);
    }
    handoffs.arena += 1;
    try {
      return await writeBuilt(
        settings,
        texts,
        job,
        { ...rest, files: arena.take(handoff) },
        controller.signal,
        port,
      );
    } finally {
      arena.release(handoff.slot);
    }
  };
  return {
    handoffs,
    run: async (job) => write(job, await pool.run(job)),
    abort: () => {
      controller.abort();
      pool.abort();
    },
    close: () => pool.close(),
  };
}

function inProcessEngine(settings: ProducerSettings, signal: AbortSignal, port: WritePort): Engine {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  // Loaded here only: with worker threads, the main thread never loads the PDF machinery itself.
  const produce = import("./maker.js")
    .then(({ loadDossierMaker }) => loadDossierMaker(settings))
    .then((maker) => createProducer(settings, maker, port));
  // One dossier at a time, as a worker does: memory stays that of one dossier.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    handoffs: { arena: 0, transferred: 0 },
    run: (job) => {
      const next = queue.then(async () => (await produce)(job, controller.signal));
      queue = next.catch(() => undefined);
      return next;
    },
    abort: () => controller.abort(),
    close: async () => signal.removeEventListener("abort", onAbort),
  };
}

/**
 * `arena`: the shared arena's slots, by default four of 2 MB per worker; `port`: where this thread writes the
 * dossiers (the disk by default).
 */
export function createEngine(
  jobs: number,
  settings: ProducerSettings,
  signal: AbortSignal,
  options: { arena?: ArenaSize; port?: WritePort } = {},
): Engine {
  const port = options.port ?? nodeWritePort;
  if (jobs === 0) return inProcessEngine(settings, signal, port);
  return poolEngine(
    jobs,
    settings,
    options.arena ?? { slots: SLOTS_PER_WORKER * jobs, slotBytes: SLOT_BYTES },
    port,
  );
}
