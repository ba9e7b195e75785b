import type { CliIo } from "../io/port.js";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Shown by --help (templates/text/cli.fr.json). */
  description: string;
  /** Placeholder shown by --help for string options, e.g. `<dossier>` (templates/text/cli.fr.json). */
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
  /** Positional part of the usage line, e.g. `<réponses…>` (templates/text/cli.fr.json). */
  usage: string;
  /** Longer help, shown under the usage line (templates/text/cli.fr.json). */
  help?: string;
  options: Record<string, OptionSpec>;
  /** Minimum number of positional arguments. */
  minPositionals?: number;
  maxPositionals?: number;
  run(ctx: CommandContext): Promise<number>;
}

/** What a command's texts hold for its options (templates/text/cli.fr.json, `commands.<name>`). */
export interface OptionTexts<N extends string> {
  options: Readonly<Record<N, (params: never) => string>>;
  valueNames?: Readonly<Partial<Record<N, () => string>>>;
}

/**
 * A command's options with their French descriptions and value names taken from its texts: the specs name
 * every option the texts describe, and no other (the type checker holds them together). A description with
 * placeholders is given filled, in `filled`.
 */
export function describedOptions<N extends string>(
  texts: OptionTexts<N>,
  specs: Readonly<Record<N, Omit<OptionSpec, "description" | "valueName">>>,
  filled: Readonly<Partial<Record<N, string>>> = {} as Partial<Record<N, string>>,
): Record<N, OptionSpec> {
  const options = {} as Record<N, OptionSpec>;
  for (const name of Object.keys(specs) as N[]) {
    const valueName = texts.valueNames?.[name]?.();
    options[name] = {
      ...specs[name],
      description: filled[name] ?? (texts.options[name] as () => string)(),
      ...(valueName === undefined ? {} : { valueName }),
    };
  }
  return options;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export function booleanOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
