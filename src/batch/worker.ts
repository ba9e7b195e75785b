import { parentPort, workerData } from "node:worker_threads";
import { loadDossierMaker } from "./maker.js";
import type { PoolMessage, WorkerRequest } from "./pool.js";
import { createBuilder, type DossierBuilt, type DossierJob, type ProducerSettings } from "./producer.js";

/**
 * A worker thread of the batch: loads the templates once, then builds the dossiers it is sent and hands their
 * files to the main thread, which writes them (src/batch/engine.ts): their buffers are transferred, not copied. The pool sends it two at a time, so it never waits for the next one.
 */

/**
 * The bytes in an ArrayBuffer of their own, which is moved to the main thread rather than copied: a view of a
 * larger buffer (Node's pool of small Buffers, a slice) is copied first.
 */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
}

const port = parentPort;
if (!port) throw new Error("src/batch/worker ne s'exécute que dans un fil de calcul");
const { settings } = workerData as { settings: ProducerSettings };
const build = loadDossierMaker(settings).then((maker) => createBuilder(settings, maker));
const controller = new AbortController();

port.on("message", (message: WorkerRequest<DossierJob>) => {
  if (message.type === "abort") {
    controller.abort();
    return;
  }
  void (async () => {
    let reply: PoolMessage<DossierBuilt>;
    let transfer: ArrayBuffer[] = [];
    try {
      const result = await (await build)(message.job, controller.signal);
      if (result.files) {
        result.files = result.files.map((file) => ({ ...file, bytes: ownBuffer(file.bytes) }));
        transfer = result.files.map((file) => file.bytes.buffer as ArrayBuffer);
      }
      reply = { type: "done", id: message.id, result };
    } catch (error) {
      reply = { type: "failed", id: message.id, message: String((error as Error)?.message ?? error) };
    }
    port.postMessage(reply, transfer);
  })();
});
