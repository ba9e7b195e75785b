import { parentPort, workerData } from "node:worker_threads";
import { loadDossierMaker } from "./maker.js";
import type { PoolMessage, WorkerRequest } from "./pool.js";
import { createProducer, type DossierDone, type DossierJob, type ProducerSettings } from "./producer.js";

/** A worker thread of the batch: loads the templates once, then produces the dossiers it is sent, in order. */

const port = parentPort;
if (!port) throw new Error("src/batch/worker ne s'exécute que dans un fil de calcul");
const settings = (workerData as { settings: ProducerSettings }).settings;
const produce = loadDossierMaker(settings).then((maker) => createProducer(settings, maker));
const controller = new AbortController();
let chain: Promise<void> = Promise.resolve();

port.on("message", (message: WorkerRequest<DossierJob>) => {
  if (message.type === "abort") {
    controller.abort();
    return;
  }
  chain = chain.then(async () => {
    let reply: PoolMessage<DossierDone>;
    try {
      reply = { type: "done", id: message.id, result: await (await produce)(message.job, controller.signal) };
    } catch (error) {
      reply = { type: "failed", id: message.id, message: String((error as Error)?.message ?? error) };
    }
    port.postMessage(reply);
  });
});
