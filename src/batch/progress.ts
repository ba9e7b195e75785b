import cliProgress from "cli-progress";
import type { CliIo } from "../io/port.js";
import { batchText, batchTexts, count, duration } from "./messages.js";

/**
 * How far the batch is, on the error output: a progress bar on a terminal (cli-progress), a plain line every
 * tenth of the rows or every 10 seconds otherwise (logs, CI), nothing with `--quiet`. Time comes from io.now.
 */

export interface ProgressState {
  done: number;
  rejected: number;
}

export interface Progress {
  start(total: number): void;
  update(state: ProgressState): void;
  stop(): void;
}

/** Seconds between two plain lines at most. */
const LINE_INTERVAL_S = 10;

function rates(io: CliIo, startedAt: number, state: ProgressState, total: number) {
  const elapsed = Math.max((io.now().getTime() - startedAt) / 1000, 0.001);
  const rate = state.done / elapsed;
  const left = rate > 0 ? (total - state.done) / rate : Number.NaN;
  return { rate, left };
}

class SilentProgress implements Progress {
  start(): void {}
  update(): void {}
  stop(): void {}
}

class LineProgress implements Progress {
  private total = 0;
  private startedAt = 0;
  private lastAt = 0;
  private lastStep = 0;
  private last: ProgressState = { done: 0, rejected: 0 };

  constructor(private readonly io: CliIo) {}

  start(total: number): void {
    this.total = total;
    this.startedAt = this.io.now().getTime();
    this.lastAt = this.startedAt;
  }

  update(state: ProgressState): void {
    this.last = state;
    const step = this.total === 0 ? 10 : Math.floor((state.done * 10) / this.total);
    const now = this.io.now().getTime();
    if (state.done >= this.total) return;
    if (step > this.lastStep || now - this.lastAt >= LINE_INTERVAL_S * 1000) this.print(now, step);
  }

  private print(now: number, step: number): void {
    this.lastStep = step;
    this.lastAt = now;
    const { rate, left } = rates(this.io, this.startedAt, this.last, this.total);
    this.io.stderr.write(batchText.progressLine(this.last.done, this.total, rate, left, this.last.rejected));
  }

  stop(): void {
    if (this.last.done > 0 || this.total === 0) this.print(this.io.now().getTime(), 10);
  }
}

class BarProgress implements Progress {
  private readonly bar: cliProgress.SingleBar;
  private total = 0;
  private startedAt = 0;

  constructor(private readonly io: CliIo) {
    this.bar = new cliProgress.SingleBar({
      stream: io.stderr as unknown as NodeJS.WritableStream,
      format: batchTexts().progress.bar(),
      barCompleteChar: "█",
      barIncompleteChar: "░",
      hideCursor: true,
      fps: 5,
      noTTYOutput: false,
      clearOnComplete: false,
      stopOnComplete: false,
    });
  }

  private payload(state: ProgressState) {
    const { rate, left } = rates(this.io, this.startedAt, state, this.total);
    return {
      speed: rate.toFixed(1).replace(".", ","),
      left: state.done === 0 ? "?" : duration(left),
      rejected: count(state.rejected),
    };
  }

  start(total: number): void {
    this.total = total;
    this.startedAt = this.io.now().getTime();
    this.bar.start(total, 0, this.payload({ done: 0, rejected: 0 }));
  }

  update(state: ProgressState): void {
    this.bar.update(state.done, this.payload(state));
  }

  stop(): void {
    this.bar.stop();
  }
}

export function createProgress(io: CliIo, quiet: boolean): Progress {
  if (quiet) return new SilentProgress();
  return io.stderr.isTTY === true ? new BarProgress(io) : new LineProgress(io);
}
