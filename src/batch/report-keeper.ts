import { refusedIn, type WritePort, WriteRefused } from "../dossier/write-port.js";
import { type ReportMeta, type ReportRow, ReportWriter } from "./report.js";

/**
 * Keeps a batch's report written whatever the disk does: in the output folder, and when the system refuses a
 * write there (full disk, read-only share, no permission), carried on in a fallback folder (the system's
 * temporary folder) without losing a row. `refused` is the first refusal in the output folder; `lost`, the
 * fallback's own refusal when the report could be written nowhere.
 */
export class ReportKeeper {
  refused: WriteRefused | undefined;
  lost: WriteRefused | undefined;

  private constructor(
    private writer: ReportWriter | undefined,
    private readonly place: { outDir: string | undefined; shown: string; fallback: string },
    private readonly onRefused: (refusal: WriteRefused) => void,
  ) {}

  private get fallback(): string {
    return this.place.fallback;
  }

  /**
   * Opens the report in `outDir` (undefined: the output folder is already known to refuse, `refused`), else in
   * `fallback`. `onRefused` hears of the first refusal in the output folder, named `shown` (as typed).
   */
  static async open(
    port: WritePort,
    place: { outDir: string | undefined; shown: string; refused?: WriteRefused; fallback: string },
    meta: ReportMeta,
    withChanges: boolean,
    onRefused: (refusal: WriteRefused) => void,
  ): Promise<ReportKeeper> {
    const keeper = new ReportKeeper(undefined, place, onRefused);
    if (place.outDir !== undefined) {
      try {
        keeper.writer = await ReportWriter.open(port, place.outDir, meta, withChanges);
        return keeper;
      } catch (error) {
        if (!(error instanceof WriteRefused)) throw error;
        keeper.refuse(error);
      }
    } else if (place.refused) {
      keeper.refuse(place.refused);
    }
    try {
      await port.mkdir(place.fallback, { recursive: true });
      keeper.writer = await ReportWriter.open(port, place.fallback, meta, withChanges);
    } catch (error) {
      const refused = refusedIn(error, place.fallback);
      if (!(refused instanceof WriteRefused)) throw error;
      keeper.lost = refused;
    }
    return keeper;
  }

  private refuse(refusal: WriteRefused): void {
    if (this.refused) return;
    const shown = refusal.dir === this.place.outDir ? this.place.shown : refusal.dir;
    this.refused = new WriteRefused(refusal.code, shown);
    this.onRefused(this.refused);
  }

  /** Runs `step` on the writer; on a refusal, carries the report to the fallback folder and runs it again. */
  private async guarded<T>(step: (writer: ReportWriter) => Promise<T>): Promise<T | undefined> {
    for (;;) {
      const writer = this.writer;
      if (!writer) return undefined;
      try {
        return await step(writer);
      } catch (error) {
        if (!(error instanceof WriteRefused)) throw error;
        if (writer.directory === this.fallback) {
          this.lost = error;
          await writer.discard();
          this.writer = undefined;
          return undefined;
        }
        this.refuse(error);
        try {
          await writer.moveTo(this.fallback);
        } catch (moved) {
          if (!(moved instanceof WriteRefused)) throw moved;
          this.lost = moved;
          await writer.discard();
          this.writer = undefined;
          return undefined;
        }
      }
    }
  }

  async add(row: ReportRow): Promise<void> {
    this.writer?.queue(row);
    await this.guarded((writer) => writer.flushIfDue());
  }

  /** The report's files, or undefined when it could be written nowhere. */
  async finish(
    extra: Record<string, unknown>,
  ): Promise<{ csv: string; json: string; xlsx: string } | undefined> {
    return this.guarded((writer) => writer.finish(extra));
  }

  async discard(): Promise<void> {
    await this.writer?.discard();
  }
}
