import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { AnswersValidator } from "../../answers/index.js";
import { readAnswersData } from "../../answers-file/index.js";
import { errnoText } from "../../io/texts.js";
import { batchTexts } from "../messages.js";
import { inputProblem, type OpenResult, type SourceItem } from "./source.js";

/** A folder of answers files (.json, .yaml, .yml), one establishment per file, in file-name order. */

const ANSWERS_FILE = /^[^.].*\.(json|ya?ml)$/i;

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function* readFolder(
  path: string,
  names: string[],
  validator: AnswersValidator,
): AsyncGenerator<SourceItem> {
  let line = 0;
  for (const file of names) {
    line += 1;
    const read = await readAnswersData(join(path, file), "/", validator);
    if (read.ok) {
      yield { kind: "data", line, file, data: read.data };
    } else {
      yield {
        kind: "unreadable",
        line,
        file,
        issues: read.errors.map((e) => ({
          path: e.path,
          column: "",
          code: e.code,
          message: e.message.replaceAll(join(path, file), file),
        })),
      };
    }
  }
}

export async function openFolder(
  path: string,
  shown: string,
  validator: AnswersValidator,
): Promise<OpenResult> {
  let names: string[];
  try {
    const entries = await readdir(path, { withFileTypes: true });
    names = entries
      .filter((e) => e.isFile() && ANSWERS_FILE.test(e.name))
      .map((e) => e.name)
      .sort(byName);
  } catch (error) {
    return inputProblem(
      "INPUT_UNREADABLE",
      batchTexts().input.unreadable({ file: shown, reason: errnoText(error) }),
    );
  }
  if (names.length === 0)
    return inputProblem("INPUT_EMPTY_FOLDER", batchTexts().input.emptyFolder({ folder: shown }));
  return {
    ok: true,
    source: {
      format: "folder",
      description: batchTexts().sources.folder({ n: names.length }),
      read: () => readFolder(path, names, validator),
    },
  };
}
