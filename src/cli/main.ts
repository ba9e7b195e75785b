import { parseArgs } from "node:util";
import { type CliIo, EXIT, UsageError } from "../io/port.js";
import { nearestWord } from "../text/edit-distance.js";
import type { Command, OptionSpec } from "./command.js";
import { commands } from "./commands/index.js";
import { cliTexts, errorLine, missingArgument, PROGRAM } from "./texts.js";
import { toolVersion } from "./version.js";

/** A command's one-line summary (cli.fr.json), read without loading the command. */
function summary(name: string): string {
  const text = (cliTexts() as unknown as Record<string, (() => string) | undefined>)[`summary.${name}`];
  if (text === undefined) throw new Error(`templates/text/cli.fr.json : summary.${name}`);
  return text();
}

function optionLine(name: string, spec: OptionSpec): string {
  const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.type === "string" ? ` ${spec.valueName ?? cliTexts().valueName()}` : ""}`;
  return `  ${flag.padEnd(34)} ${spec.description}`;
}

export function commandHelp(cmd: Command): string {
  const t = cliTexts();
  const lines = [
    t.usage({ program: PROGRAM, command: cmd.name, usage: cmd.usage }).trimEnd(),
    "",
    summary(cmd.name),
  ];
  if (cmd.help) lines.push("", cmd.help.trimEnd());
  lines.push("", t.optionsTitle());
  for (const [name, spec] of Object.entries(cmd.options)) lines.push(optionLine(name, spec));
  lines.push(optionLine("help", { type: "boolean", short: "h", description: t.helpOption() }));
  return `${lines.join("\n")}\n`;
}

/** The program's help: the commands' summaries come from the texts, so that no command is loaded for it. */
export function programHelp(): string {
  const t = cliTexts();
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const lines = [
    t.programSummary({ program: PROGRAM, version: toolVersion }),
    "",
    t.programUsage({ program: PROGRAM }),
    "",
    t.commandsTitle(),
    ...commands.map((c) => `  ${c.name.padEnd(width)}${summary(c.name)}`),
    "",
    t.commandHelpHint({ program: PROGRAM }),
    t.programOptions(),
  ];
  return `${lines.join("\n")}\n`;
}

/** « Vouliez-vous dire … ? » after a message, when a candidate is near enough to what was typed. */
function withSuggestion(message: string, typed: string, candidates: readonly string[]): string {
  const suggestion = nearestWord(typed, candidates, Math.max(2, typed.length / 3));
  return suggestion === undefined ? message : `${message} ${cliTexts().didYouMean({ suggestion })}`;
}

/** Turns node:util parseArgs errors (English) into French usage errors. */
function frenchParseError(error: unknown, cmd: Command): UsageError {
  const t = cliTexts();
  const e = error as { code?: string; message?: string };
  const message = e.message ?? "";
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? "";
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const known = ["help", ...Object.keys(cmd.options)].map((name) => `--${name}`);
      return new UsageError(
        withSuggestion(t.unknownOption({ option: quoted, command: cmd.name }), quoted, known),
      );
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return new UsageError(
        (/argument missing/.test(message) ? t.optionNeedsValue : t.optionTakesNoValue)({
          option: quoted.split(" ")[0] ?? "",
        }),
      );
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return new UsageError(t.extraArgument({ argument: quoted }));
    default:
      return new UsageError(t.invalidArguments({ command: cmd.name }));
  }
}

async function runCommand(cmd: Command, args: string[], io: CliIo): Promise<number> {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const [name, spec] of Object.entries(cmd.options)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true, allowNegative: true });
  } catch (error) {
    throw frenchParseError(error, cmd);
  }
  if (parsed.values.help === true) {
    io.stdout.write(commandHelp(cmd));
    return EXIT.ok;
  }
  const values = { ...parsed.values };
  for (const [name, spec] of Object.entries(cmd.options)) {
    if (values[name] === undefined && spec.default !== undefined) values[name] = spec.default;
  }
  const { positionals } = parsed;
  if (positionals.length < (cmd.minPositionals ?? 0)) {
    throw new UsageError(missingArgument(cmd));
  }
  if (cmd.maxPositionals !== undefined && positionals.length > cmd.maxPositionals) {
    throw new UsageError(cliTexts().extraArgument({ argument: positionals[cmd.maxPositionals] ?? "" }));
  }
  return cmd.run({ values, positionals, io });
}

const HELP_FLAGS = ["--help", "-h", "help"];
const VERSION_FLAGS = ["--version", "-V", "-v"];

/**
 * Runs the CLI with the given arguments (without node and script) and returns the exit code. What the user
 * asked for (help, version, a command's output) goes to stdout; usage printed because of a usage error, and
 * every error, to stderr.
 */
export async function runMain(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  /** The command whose help is named after an error; empty for the program's own help. */
  let helpFor = "";
  try {
    if (name === undefined) {
      io.stderr.write(`${errorLine(cliTexts().noCommand())}\n\n${programHelp()}`);
      return EXIT.usage;
    }
    if (HELP_FLAGS.includes(name)) {
      const about = rest[0] === undefined ? undefined : commands.find((c) => c.name === rest[0]);
      io.stdout.write(about ? commandHelp(await about.load()) : programHelp());
      return EXIT.ok;
    }
    if (VERSION_FLAGS.includes(name)) {
      io.stdout.write(`${toolVersion}\n`);
      return EXIT.ok;
    }
    const entry = commands.find((c) => c.name === name);
    if (!entry) {
      const names = commands.map((c) => c.name);
      const suggestion = nearestWord(name, [...names, "--help", "--version"], Math.max(2, name.length / 3));
      const t = cliTexts();
      throw new UsageError(
        `${t.unknownCommand({ name })} ${
          suggestion === undefined
            ? t.commandList({ commands: names.join(", ") })
            : t.didYouMean({ suggestion })
        }`,
      );
    }
    helpFor = `${name} `;
    return await runCommand(await entry.load(), rest, io);
  } catch (error) {
    return reported(error, helpFor, io);
  }
}

/** An error as the user reads it, with its exit code; no stack trace unless DIAPASON_DEBUG asks for it. */
function reported(error: unknown, helpFor: string, io: CliIo): number {
  const message = (error as Error)?.message ?? String(error);
  const detail = io.env.DIAPASON_DEBUG ? `\n${(error as Error)?.stack ?? String(error)}` : "";
  try {
    if (error instanceof UsageError) {
      io.stderr.write(
        `${errorLine(message)}\n${cliTexts().helpHint({ program: PROGRAM, command: helpFor })}\n`,
      );
      return EXIT.usage;
    }
    io.stderr.write(`${cliTexts().internal({ message })}${detail}\n`);
  } catch (textsError) {
    // The command line's own wording is damaged (a broken installation): what the loader found wrong, in French,
    // then the error being reported when it is another one.
    const damaged = (textsError as Error)?.message ?? String(textsError);
    io.stderr.write(`${damaged === message ? damaged : `${damaged}\n${message}`}${detail}\n`);
  }
  return EXIT.internal;
}
