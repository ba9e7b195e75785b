import { parseArgs } from "node:util";
import type { Command, OptionSpec } from "./command.js";
import { commands } from "./commands/index.js";
import { type CliIo, EXIT, UsageError } from "./io.js";
import { toolVersion } from "./version.js";

const PROGRAM = "diapason-dossier";

function optionLine(name: string, spec: OptionSpec): string {
  const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.type === "string" ? ` ${spec.valueName ?? "<valeur>"}` : ""}`;
  return `  ${flag.padEnd(34)} ${spec.description}`;
}

export function commandHelp(cmd: Command): string {
  const lines = [`Utilisation : ${PROGRAM} ${cmd.name} ${cmd.usage}`.trimEnd(), "", cmd.summary];
  if (cmd.help) lines.push("", cmd.help.trimEnd());
  lines.push("", "Options :");
  for (const [name, spec] of Object.entries(cmd.options)) lines.push(optionLine(name, spec));
  lines.push(optionLine("help", { type: "boolean", short: "h", description: "Affiche cette aide." }));
  return `${lines.join("\n")}\n`;
}

export async function programHelp(): Promise<string> {
  const loaded = await Promise.all(commands.map((c) => c.load()));
  const width = Math.max(...loaded.map((c) => c.name.length)) + 2;
  const lines = [
    `${PROGRAM} ${toolVersion} : prépare le dossier de demande des certificats IGC-Santé pour Diapason.`,
    "",
    `Utilisation : ${PROGRAM} <commande> [options]`,
    "",
    "Commandes :",
    ...loaded.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    `Aide d'une commande : ${PROGRAM} <commande> --help`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Turns node:util parseArgs errors (English) into French usage errors. */
function frenchParseError(error: unknown, cmd: Command): UsageError {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? "";
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? "";
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return new UsageError(`Option inconnue « ${quoted} » pour la commande ${cmd.name}.`);
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return new UsageError(
        /argument missing/.test(message)
          ? `L'option « ${quoted.split(" ")[0]} » attend une valeur.`
          : `L'option « ${quoted.split(" ")[0]} » ne prend pas de valeur.`,
      );
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return new UsageError(`Argument en trop : « ${quoted} ».`);
    default:
      return new UsageError(`Arguments invalides pour la commande ${cmd.name}.`);
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
    throw new UsageError(`Argument manquant. Utilisation : ${PROGRAM} ${cmd.name} ${cmd.usage}`);
  }
  if (cmd.maxPositionals !== undefined && positionals.length > cmd.maxPositionals) {
    throw new UsageError(`Argument en trop : « ${positionals[cmd.maxPositionals]} ».`);
  }
  return cmd.run({ values, positionals, io });
}

/** Runs the CLI with the given arguments (without node and script) and returns the exit code. */
export async function runMain(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      io.stdout.write(await programHelp());
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === "--version" || name === "-v") {
      io.stdout.write(`${toolVersion}\n`);
      return EXIT.ok;
    }
    const entry = commands.find((c) => c.name === name);
    if (!entry)
      throw new UsageError(
        `Commande inconnue « ${name} ». Commandes : ${commands.map((c) => c.name).join(", ")}.`,
      );
    return await runCommand(await entry.load(), rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `Erreur : ${error.message}\nAide : ${PROGRAM} ${name ?? ""} --help\n`.replace("  --help", " --help"),
      );
      return EXIT.usage;
    }
    const detail = io.env.DIAPASON_DEBUG ? `\n${(error as Error)?.stack ?? String(error)}` : "";
    io.stderr.write(
      `Erreur interne inattendue : ${(error as Error)?.message ?? String(error)}.\nCe n'est pas une erreur de vos données : merci de la signaler avec la commande lancée (relancez avec DIAPASON_DEBUG=1 pour le détail).${detail}\n`,
    );
    return EXIT.internal;
  }
}
