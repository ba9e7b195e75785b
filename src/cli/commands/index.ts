import type { Command } from "../command.js";
import { batchCommand } from "./batch.js";
import { bundleCommand } from "./bundle.js";
import { checkCommand } from "./check.js";
import { csrCommand } from "./csr.js";
import { fieldsCommand } from "./fields.js";
import { generateCommand } from "./generate.js";
import { planCommand } from "./plan.js";
import { questionnaireCommand } from "./questionnaire.js";
import { remindersCommand } from "./reminders.js";
import { serveCommand } from "./serve.js";
import { validateCommand } from "./validate.js";

/** Every CLI command, in the order --help lists them. */
export const commands: Command[] = [
  validateCommand,
  planCommand,
  generateCommand,
  csrCommand,
  bundleCommand,
  checkCommand,
  remindersCommand,
  serveCommand,
  questionnaireCommand,
  fieldsCommand,
  batchCommand,
];
