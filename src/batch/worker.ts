import { parentPort, workerData } from "node:worker_threads";
import { loadDossierMaker } from "./maker.js";
import type { PoolMessage, WorkerRequest } from "./pool.js";
import { createProducer, type DossierDone, type DossierJob, type ProducerSettings } from "./producer.js";

/**
 * A worker thread of the batch: loads the templates once, then produces the dossiers it is sent. The pool sends
 * it a few at a time and they run concurrently: while one dossier's files wait on the disk, the next one is
 * computed (one after the other, the worker sat idle ~15% of the time).
 */

const port = parentPort;
if (!port) throw new Error("src/batch/worker ne s'exécute que dans un fil de calcul");
const settings = (workerData as { settings: ProducerSettings }).settings;
const produce = loadDossierMaker(settings).then((maker) => createProducer(settings, maker));
const controller = new AbortController();

port.on("message", (message: WorkerRequest<DossierJob>) => {
  if (message.type === "abort") {
    controller.abort();
    return;
  }
  void (async () => {
    let reply: PoolMessage<DossierDone>;
    try {
      reply = { type: "done", id: message.id, result: await (await produce)(message.job, controller.signal) };
    } catch (error) {
      reply = { type: "failed", id: message.id, message: String((error as Error)?.message ?? error) };
    }
    port.postMessage(reply);
  })();
});
