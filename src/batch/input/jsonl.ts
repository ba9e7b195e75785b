import { stat } from "node:fs/promises";
import { type AnswersValidator, parseAnswersText } from "../../answers/index.js";
import { READ_LIMITS, readLines } from "../../io/index.js";
import { errnoText, fileErrorText, sizeText } from "../../io/texts.js";
import { batchTexts } from "../messages.js";
import { inputProblem, type OpenResult, type SourceItem } from "./source.js";

/** JSON Lines: one answers object (as in reponses.json, on one line) per line, read with readline. */

async function* readJsonl(
  path: string,
  shown: string,
  validator: AnswersValidator,
): AsyncGenerator<SourceItem> {
  for await (const read of readLines(path, shown, "jsonl", READ_LIMITS.batchLine)) {
    const line = read.number;
    if ("tooLong" in read) {
      const message = fileErrorText("LINE_TOO_LONG", {
        file: shown,
        line,
        limit: sizeText(READ_LIMITS.batchLine),
      });
      yield { kind: "unreadable", line, issues: [{ path: "", column: "", code: "LINE_TOO_LONG", message }] };
      continue;
    }
    const text = line === 1 ? read.text.replace(/^\ufeff/, "") : read.text;
    if (text.trim() === "") continue;
    const parsed = parseAnswersText(text, "ligne.json", validator.catalog);
    if (parsed.ok) {
      yield { kind: "data", line, data: parsed.data };
    } else {
      yield {
        kind: "unreadable",
        line,
        issues: parsed.errors.map((e) => ({
          path: e.path,
          column: "",
          code: e.code,
          message: `${batchTexts().input.jsonlLine()} ${e.message.replace(/ \(ligne 1, colonne (\d+)\)\.$/, (_, column: string) => batchTexts().input.jsonlColumn({ column }))}`,
        })),
      };
    }
  }
}

export async function openJsonl(
  path: string,
  shown: string,
  validator: AnswersValidator,
): Promise<OpenResult> {
  try {
    if ((await stat(path)).size === 0)
      return inputProblem("INPUT_EMPTY", batchTexts().input.emptyFile({ file: shown }));
  } catch (error) {
    return inputProblem(
      "INPUT_UNREADABLE",
      batchTexts().input.unreadable({ file: shown, reason: errnoText(error) }),
    );
  }
  return {
    ok: true,
    source: {
      format: "jsonl",
      description: batchTexts().sources.jsonl(),
      read: () => readJsonl(path, shown, validator),
    },
  };
}
