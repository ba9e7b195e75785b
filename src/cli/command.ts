import type { CliIo } from "../io/port.js";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** French, shown by --help. */
  description: string;
  /** Placeholder shown by --help for string options, e.g. "<dossier>". */
  valueName?: string;
  default?: string | boolean;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  io: CliIo;
}

export interface Command {
  name: string;
  /** Positional part of the usage line, e.g. "<réponses…>". */
  usage: string;
  /** Longer French help, shown under the usage line. */
  help?: string;
  options: Record<string, OptionSpec>;
  /** Minimum number of positional arguments. */
  minPositionals?: number;
  maxPositionals?: number;
  run(ctx: CommandContext): Promise<number>;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export function booleanOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
