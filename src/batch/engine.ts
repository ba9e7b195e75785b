import { loadDossierTexts } from "../dossier/texts.js";
import { nodeWritePort, type WritePort } from "../dossier/write-port.js";
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
 * Where the dossiers are produced: a pool of worker threads (one per core but one by default, see defaultJobs in
 * src/batch/run.ts), or with `--jobs 0` the main thread itself (slower; for diagnosis, with the full error trace
 * under DIAPASON_DEBUG).
 */

export interface Engine {
  run(job: DossierJob): Promise<DossierDone>;
  /** No dossier is renamed into place after this. */
  abort(): void;
  close(): Promise<void>;
}

const workerExtension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

function poolEngine(size: number, settings: ProducerSettings, port: WritePort): Engine {
  const pool = new WorkerPool<DossierJob, DossierBuilt>(
    new URL(`./worker${workerExtension}`, import.meta.url),
    size,
    { settings },
  );
  // The workers build and transfer the files' buffers; this thread writes each dossier's folder (see DossierBuilt),
  // with the generator's wording for its messages.
  const controller = new AbortController();
  const texts = loadDossierTexts();
  return {
    run: async (job) => writeBuilt(settings, texts, job, await pool.run(job), controller.signal, port),
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
    run: (job) => {
      const next = queue.then(async () => (await produce)(job, controller.signal));
      queue = next.catch(() => undefined);
      return next;
    },
    abort: () => controller.abort(),
    close: async () => signal.removeEventListener("abort", onAbort),
  };
}

/** `port`: where this thread writes the dossiers (the disk by default). */
export function createEngine(
  jobs: number,
  settings: ProducerSettings,
  signal: AbortSignal,
  options: { port?: WritePort } = {},
): Engine {
  const port = options.port ?? nodeWritePort;
  if (jobs === 0) return inProcessEngine(settings, signal, port);
  return poolEngine(jobs, settings, port);
}
