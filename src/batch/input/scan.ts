import { UsageError } from "../../cli/io.js";
import type { ColumnCatalog } from "../columns.js";
import { batchText } from "../messages.js";
import { type HeaderLayout, readHeader } from "../row.js";
import type { InputSource } from "./source.js";

/**
 * A first pass over the input, before anything is written: the header is checked (a wrong column stops the
 * batch with exit code 2) and the lines are counted, for the progress bar. Only parsing: it is quick.
 */
export interface InputScan {
  total: number;
  /** For spreadsheets. */
  layout?: HeaderLayout;
}

export async function scanInput(
  source: InputSource,
  catalog: ColumnCatalog,
  shown: string,
): Promise<InputScan> {
  const tabular = source.format === "csv" || source.format === "xlsx";
  let total = 0;
  let layout: HeaderLayout | undefined;
  try {
    for await (const item of source.read()) {
      if (item.kind === "header") {
        const header = readHeader(item.cells, catalog);
        if (!header.ok) {
          throw new UsageError(
            [batchText.headerProblems(shown), ...header.problems.map((p) => `  - ${p.message}`)].join("\n"),
          );
        }
        layout = header.layout;
      } else {
        total += 1;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason = String((error as Error)?.message ?? error).slice(0, 200);
    throw new UsageError(
      source.format === "xlsx" ? batchText.badXlsx(shown, reason) : batchText.unreadable(shown, reason),
    );
  }
  if (tabular && !layout) throw new UsageError(batchText.emptyFile(shown));
  return layout ? { total, layout } : { total };
}
