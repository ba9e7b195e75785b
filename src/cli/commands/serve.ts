import { type CliIo, EXIT, UsageError } from "../../io/port.js";
import { loadTrackTexts, message, openStore, type RegisterDeps, storeConfig } from "../../track/index.js";
import {
  createApp,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type DossierBuilder,
  defaultWebDeps,
  isLoopbackHost,
  listen,
  openInBrowser,
} from "../../web/index.js";
import { loadServeTexts, serveMessage } from "../../web/texts.js";
import { booleanOption, type Command, describedOptions, stringOption } from "../command.js";
import { cliTexts, errorLine } from "../texts.js";
import { toolVersion } from "../version.js";

/** The register the « Suivi » page shows, when there is one: it is never created by serve. */
async function openRegister(io: CliIo, db: string | undefined): Promise<RegisterDeps | { reason: string }> {
  const texts = loadTrackTexts();
  const opened = await openStore(storeConfig(io.env, io.cwd, db, false));
  if (!opened.ok) return { reason: message(texts.errors, opened.code, opened.params) };
  return { store: opened.store, texts, now: io.now, toolVersion };
}

export interface ServeDeps {
  openUrl: (url: string) => Promise<boolean>;
  buildDossier?: DossierBuilder;
  /** Called once the server listens (tests read the URL from it). */
  onListening?: (url: string) => void;
}

function parsePort(value: string | undefined): number {
  const text = value ?? String(DEFAULT_PORT);
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535)
    throw new UsageError(serveMessage(loadServeTexts().cli, "invalidPort", { port: text }));
  return port;
}

export function createServeCommand(deps: ServeDeps): Command {
  const cli = cliTexts().commands.serve;
  return {
    name: "serve",
    usage: cli.usage(),
    help: cli.help(),
    options: describedOptions(
      cli,
      {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        open: { type: "boolean" },
        db: { type: "string" },
      },
      { port: cli.options.port({ port: DEFAULT_PORT }), host: cli.options.host({ host: DEFAULT_HOST }) },
    ),
    maxPositionals: 0,
    async run({ values, io }) {
      const texts = loadServeTexts();
      const port = parsePort(stringOption(values, "port"));
      const host = stringOption(values, "host") ?? DEFAULT_HOST;
      const loopback = isLoopbackHost(host);
      const register = await openRegister(io, stringOption(values, "db"));
      const track = "store" in register ? register : undefined;
      let app: ReturnType<typeof createApp>;
      try {
        app = createApp(
          defaultWebDeps({
            loopbackOnly: loopback,
            logError: (error) => {
              io.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
            },
            env: io.env,
            now: io.now,
            ...(deps.buildDossier ? { buildDossier: deps.buildDossier } : {}),
            ...(track ? { track } : {}),
          }),
        );
      } catch (error) {
        // A damaged installation (a wording file, web/): reported by the command line, the register closed first.
        await track?.store.close();
        throw error;
      }
      app.addHook("onClose", async () => {
        await track?.store.close();
      });
      if (!loopback) io.stderr.write(`${serveMessage(texts.cli, "publicWarning", { host })}\n`);
      const listening = await listen(app, host, port);
      if (!listening.ok) {
        await app.close();
        const message =
          listening.code === "PORT_IN_USE"
            ? serveMessage(texts.cli, "portInUse", { port, host })
            : listening.code === "INVALID_HOST"
              ? serveMessage(texts.cli, "invalidHost", { host, reason: listening.reason })
              : serveMessage(texts.cli, "listenFailed", { host, port, reason: listening.reason });
        io.stderr.write(`${errorLine(message)}\n`);
        return EXIT.usage;
      }
      io.stdout.write(`${serveMessage(texts.cli, "listening", { url: listening.url })}\n`);
      io.stdout.write(
        `${
          track
            ? serveMessage(texts.cli, "registerOpen", { url: listening.url, where: track.store.location })
            : serveMessage(texts.cli, "registerNone", { reason: "reason" in register ? register.reason : "" })
        }\n`,
      );
      deps.onListening?.(listening.url);
      if (booleanOption(values, "open") && !(await deps.openUrl(listening.url)))
        io.stderr.write(`${serveMessage(texts.cli, "openFailed", { url: listening.url })}\n`);
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve();
        else io.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      await app.close();
      io.stdout.write(`${serveMessage(texts.cli, "stopped")}\n`);
      // Stopped by Ctrl-C, as any interrupted command: 130 (bin.ts would report it so anyway).
      return EXIT.interrupted;
    },
  };
}

export const serveCommand: Command = createServeCommand({ openUrl: openInBrowser });
