import { READ_LIMITS, ReadProblemError } from "../../io/index.js";
import { UsageError } from "../../io/port.js";
import { detailText, fileErrorText } from "../../io/texts.js";
import type { ColumnCatalog } from "../columns.js";
import { batchTexts, count } from "../messages.js";
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
            [
              batchTexts().input.headerProblems({ file: shown }),
              ...header.problems.map((p) => `  - ${p.message}`),
            ].join("\n"),
          );
        }
        layout = header.layout;
      } else {
        total += 1;
        if (total > READ_LIMITS.batchRows) {
          throw new UsageError(
            fileErrorText("TOO_MANY_ROWS", { file: shown, limit: count(READ_LIMITS.batchRows) }),
          );
        }
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof ReadProblemError) throw new UsageError(error.problem.message);
    // The archive was checked before parsing: what exceljs still stumbles on is the content of a sheet.
    if (source.format === "xlsx")
      throw new UsageError(fileErrorText("XLSX_CORRUPT", { file: shown, detail: detailText("xml") }));
    const reason = String((error as Error)?.message ?? error).slice(0, 200);
    throw new UsageError(batchTexts().input.unreadable({ file: shown, reason }));
  }
  if (tabular && !layout) throw new UsageError(batchTexts().input.emptyFile({ file: shown }));
  return layout ? { total, layout } : { total };
}
