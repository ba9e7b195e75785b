import type { Command } from "../command.js";
import { planCommand } from "./plan.js";
import { validateCommand } from "./validate.js";

/** Every CLI command, in the order --help lists them. */
export const commands: Command[] = [validateCommand, planCommand];
