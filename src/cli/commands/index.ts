import type { Command } from "../command.js";

/**
 * Every CLI command, in the order --help lists them. Each is loaded only when it runs: the PDF, web and
 * certificate libraries cost seconds to import, and `validate` should not pay for them.
 */
export interface CommandEntry {
  name: string;
  load: () => Promise<Command>;
}

export const commands: CommandEntry[] = [
  { name: "validate", load: async () => (await import("./validate.js")).validateCommand },
  { name: "plan", load: async () => (await import("./plan.js")).planCommand },
  { name: "generate", load: async () => (await import("./generate.js")).generateCommand },
  { name: "questionnaire", load: async () => (await import("./questionnaire.js")).questionnaireCommand },
  { name: "serve", load: async () => (await import("./serve.js")).serveCommand },
  { name: "batch", load: async () => (await import("./batch.js")).batchCommand },
  { name: "fields", load: async () => (await import("./fields.js")).fieldsCommand },
  { name: "csr", load: async () => (await import("./csr.js")).csrCommand },
  { name: "bundle", load: async () => (await import("./bundle.js")).bundleCommand },
  { name: "check", load: async () => (await import("./check.js")).checkCommand },
  { name: "reminders", load: async () => (await import("./reminders.js")).remindersCommand },
  { name: "track", load: async () => (await import("./track.js")).trackCommand },
];
