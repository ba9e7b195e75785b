import { confirm, input, select } from "@inquirer/prompts";
import type { CliIo } from "../io/port.js";

/** How the terminal questionnaire asks: inquirer in a terminal, a script in tests. */

export type ChoiceValue = string | boolean | null;

export interface TextQuestion {
  message: string;
  default?: string;
  /** true, or the French message shown under the answer, which is then asked again. */
  validate: (raw: string) => string | true;
}

export interface SelectQuestion<T extends ChoiceValue> {
  message: string;
  choices: { value: T; name: string }[];
  default?: T;
}

export interface ConfirmQuestion {
  message: string;
  default: boolean;
}

export interface Prompter {
  text(question: TextQuestion): Promise<string>;
  select<T extends ChoiceValue>(question: SelectQuestion<T>): Promise<T>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
  /** A line of information (help, section title, error). */
  say(line: string): void;
}

/** The user stopped the questionnaire (Ctrl-C): nothing must be written. */
export class QuestionnaireInterrupted extends Error {
  constructor() {
    super("questionnaire interrompu");
    this.name = "QuestionnaireInterrupted";
  }
}

function interrupted(error: unknown): never {
  const name = (error as { name?: string } | null)?.name;
  if (name === "ExitPromptError" || name === "AbortPromptError" || name === "CancelPromptError")
    throw new QuestionnaireInterrupted();
  throw error;
}

/** Inquirer prompts on the command's input and output, stopped by the command's abort signal (Ctrl-C). */
export function inquirerPrompter(io: CliIo, answers: { yes: string; no: string; error: string }): Prompter {
  const output = io.stdout as unknown as NodeJS.WritableStream;
  const context = {
    input: io.stdin,
    ...(typeof (output as { on?: unknown }).on === "function" ? { output } : {}),
    signal: io.signal,
  };
  const keywords = { yes: answers.yes, no: answers.no, error: () => answers.error };
  return {
    text: (q) =>
      input(
        {
          message: q.message,
          ...(q.default === undefined ? {} : { default: q.default }),
          validate: q.validate,
          theme: { validationFailureMode: "keep" },
        },
        context,
      ).catch(interrupted),
    select: <T extends ChoiceValue>(q: SelectQuestion<T>) =>
      select<T>(
        {
          message: q.message,
          choices: q.choices,
          ...(q.default === undefined ? {} : { default: q.default }),
        },
        context,
      ).catch(interrupted) as Promise<T>,
    confirm: (q) =>
      confirm({ message: q.message, default: q.default, theme: { keywords } }, context).catch(interrupted),
    say: (line) => {
      io.stdout.write(`${line}\n`);
    },
  };
}
