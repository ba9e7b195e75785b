import { stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import type { AnswersValidator } from "../../answers/index.js";
import { errnoText } from "../../io/texts.js";
import { batchTexts } from "../messages.js";
import { openCsv } from "./csv.js";
import { openFolder } from "./folder.js";
import { openJsonl } from "./jsonl.js";
import { inputProblem, type OpenResult } from "./source.js";

/** Opens the input by its kind: a folder, or a file by its extension. `shown` is the path as typed. */
export async function openInput(
  shown: string,
  cwd: string,
  validator: AnswersValidator,
): Promise<OpenResult> {
  const path = resolve(cwd, shown);
  try {
    const info = await stat(path);
    if (info.isDirectory()) return openFolder(path, shown, validator);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR")
      return inputProblem("INPUT_NOT_FOUND", batchTexts().input.notFound({ file: shown }));
    return inputProblem(
      "INPUT_UNREADABLE",
      batchTexts().input.unreadable({ file: shown, reason: errnoText(error) }),
    );
  }
  switch (extname(path).toLowerCase()) {
    case ".csv":
    case ".txt":
    case ".tsv":
      return openCsv(path, shown);
    case ".xlsx":
      // exceljs (~28 MB of memory once loaded) only for a spreadsheet.
      return (await import("./xlsx.js")).openXlsx(path, shown);
    case ".jsonl":
    case ".ndjson":
      return openJsonl(path, shown, validator);
    default:
      return inputProblem("INPUT_FORMAT", batchTexts().input.unknownFormat({ file: shown }));
  }
}
