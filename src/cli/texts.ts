import { catalogue } from "../assets/texts.js";

/**
 * The command line's wording (templates/text/cli.fr.json): the program's help and usage errors, then each
 * command's usage line, help, option descriptions and messages (track's are in templates/text/track.fr.json).
 * Reading it loads no command: `--help` stays fast.
 */
export const CLI_TEXTS_SHAPE = {
  programSummary: ["program", "version"],
  programUsage: ["program"],
  commandsTitle: [],
  "summary.validate": [],
  "summary.plan": [],
  "summary.generate": [],
  "summary.questionnaire": [],
  "summary.serve": [],
  "summary.batch": [],
  "summary.fields": [],
  "summary.csr": [],
  "summary.bundle": [],
  "summary.check": [],
  "summary.reminders": [],
  "summary.track": [],
  commandHelpHint: ["program"],
  programOptions: [],
  usage: ["program", "command", "usage"],
  optionsTitle: [],
  helpOption: [],
  valueName: [],
  unknownCommand: ["name"],
  didYouMean: ["suggestion"],
  commandList: ["commands"],
  noCommand: [],
  unknownOption: ["option", "command"],
  optionNeedsValue: ["option"],
  optionTakesNoValue: ["option"],
  extraArgument: ["argument"],
  invalidArguments: ["command"],
  missingArgument: ["program", "command", "usage"],
  errorPrefix: ["message"],
  helpHint: ["program", "command"],
  internal: ["message"],
  warningPrefix: ["message"],
  certificates: {
    unknownProfile: ["profile"],
    inputInterrupted: [],
    confirm: [],
    mismatch: [],
    p12Password: ["file"],
    keyPassphrase: ["file"],
    fileExists: ["file"],
    notWritten: ["file", "reason"],
  },
  commands: {
    validate: {
      usage: [],
      help: [],
      options: {
        json: [],
      },
    },
    plan: {
      usage: [],
      help: [],
      options: {
        json: [],
        explain: [],
      },
    },
    generate: {
      usage: [],
      help: [],
      options: {
        output: [],
        zip: [],
        flatten: [],
        force: [],
        templates: [],
        date: [],
      },
      valueNames: {
        output: [],
        templates: [],
        date: [],
      },
      messages: {
        outputRequired: [],
      },
    },
    questionnaire: {
      usage: [],
      help: [],
      options: {
        output: ["file"],
        generate: [],
      },
      valueNames: {
        output: [],
        generate: [],
      },
    },
    serve: {
      usage: [],
      help: [],
      options: {
        port: ["port"],
        host: ["host"],
        open: [],
        db: [],
      },
      valueNames: {
        port: [],
        host: [],
        db: [],
      },
    },
    batch: {
      usage: [],
      help: [],
      options: {
        output: [],
        template: [],
        resume: [],
        force: [],
        compare: [],
        check: [],
        quiet: [],
        jobs: ["jobs"],
        flatten: [],
        date: [],
        templates: [],
      },
      valueNames: {
        output: [],
        template: [],
        compare: [],
        jobs: [],
        date: [],
        templates: [],
      },
    },
    fields: {
      usage: [],
      help: [],
      options: {
        json: [],
        mapping: [],
      },
    },
    csr: {
      usage: [],
      help: ["keyEnv"],
      options: {
        profile: [],
        output: [],
        "key-size": [],
        encrypt: [],
      },
      valueNames: {
        profile: [],
        output: [],
        "key-size": [],
      },
      messages: {
        profileRequired: [],
        outputRequired: [],
        keySize: [],
        keyExists: ["file"],
        passphrasePrompt: [],
        passphraseMissing: ["env"],
        onlineKey: [],
      },
    },
    bundle: {
      usage: [],
      help: ["p12Env", "keyEnv"],
      options: {
        cert: [],
        key: [],
        chain: [],
        "accept-non-igc-chain": [],
        output: [],
      },
      valueNames: {
        cert: [],
        key: [],
        chain: [],
        output: [],
      },
      messages: {
        required: [],
        outputExtension: ["output"],
        passwordPrompt: [],
        passwordMissing: ["env"],
        passwordTooShort: ["min"],
      },
    },
    check: {
      usage: [],
      help: [],
      options: {
        fqdn: [],
        profile: [],
        crl: [],
        ca: [],
        json: [],
      },
      valueNames: {
        fqdn: [],
        profile: [],
        crl: [],
        ca: [],
      },
      messages: {
        crlMissing: ["file"],
        caMissing: ["file"],
        noEndEntity: ["file"],
      },
    },
    reminders: {
      usage: [],
      help: [],
      options: {
        ics: [],
        "order-date": [],
        profile: [],
      },
      valueNames: {
        ics: [],
        "order-date": [],
        profile: [],
      },
      messages: {
        icsRequired: [],
        orderDate: ["value"],
        noEndEntity: ["file"],
        profileUnknown: ["subject", "file"],
        notOrdered: ["file"],
        noPlan: ["file", "plan"],
        nothing: [],
        sourceDateEpoch: ["value"],
        writeFailed: ["file", "reason"],
        written: ["file", "count"],
        event: ["day", "summary", "past"],
        past: [],
        importHint: [],
      },
    },
  },
} as const;

/** The command line's texts, read and checked on first use. */
export const cliTexts = catalogue("text/cli.fr.json", CLI_TEXTS_SHAPE);

export const PROGRAM = "diapason-dossier";

/** « Argument manquant. Utilisation : … », for a command run without its arguments. */
export function missingArgument(cmd: { name: string; usage: string }): string {
  return cliTexts().missingArgument({ program: PROGRAM, command: cmd.name, usage: cmd.usage });
}

/** « Erreur : … » and « Attention : … », the two prefixes of what a command reports on stderr. */
export function errorLine(message: string): string {
  return cliTexts().errorPrefix({ message });
}

export function warningLine(message: string): string {
  return cliTexts().warningPrefix({ message });
}
