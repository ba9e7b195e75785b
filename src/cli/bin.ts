#!/usr/bin/env node
import { runMain } from "./main.js";

const controller = new AbortController();
let interrupted = false;
process.on("SIGINT", () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
});

// A reader that stops reading (`… | head`) closes the pipe: that ends the output, as for any shell tool, never
// with a stack trace. The work already done (a dossier written) stands; the exit code is the shells' for SIGPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(141);
    throw error;
  });
}

const code = await runMain(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
  signal: controller.signal,
});
process.exitCode = interrupted && code === 0 ? 130 : code;
