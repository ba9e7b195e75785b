import type { Answers, AnswerWarning } from "../answers/types.js";
import { designeeFacts, establishmentFacts } from "../facts/facts.js";
import { Decider, type DeciderOptions } from "../rules/decider.js";
import type { RuleSet } from "../rules/types.js";
import { buildPlan } from "./build.js";
import type { Labels } from "./labels.js";
import type { Plan } from "./types.js";

export interface PlannerAssets {
  ruleSet: RuleSet;
  labels: Labels;
  toolVersion: string;
}

export interface Planner {
  /** The plan of validated, normalized answers. Pure: same answers, same plan. */
  plan(answers: Answers, warnings?: AnswerWarning[]): Promise<Plan>;
  rulesVersion: string;
}

/**
 * Builds the rule engines once; the planner is then reused for every establishment. Decisions are remembered by
 * default (`options.memo`, see Decider): a batch of establishments runs the engines only for the few combinations of
 * answers that decide differently.
 */
export function createPlanner(assets: PlannerAssets, options: DeciderOptions = {}): Planner {
  const decider = new Decider(assets.ruleSet, options);
  const generator = {
    tool: "diapason-dossier" as const,
    version: assets.toolVersion,
    rulesVersion: assets.ruleSet.version,
  };
  const run = async (answers: Answers, warnings: AnswerWarning[]): Promise<Plan> => {
    const designees = [];
    for (let i = 0; i < answers.designees.length; i++)
      designees.push(await decider.decide("designee", designeeFacts(answers, i)));
    const establishment = await decider.decide("establishment", establishmentFacts(answers));
    return buildPlan({
      answers,
      warnings,
      establishment,
      designees,
      labels: assets.labels,
      parameters: assets.ruleSet.parameters,
      generator,
    });
  };
  // One engine per scope, reused: runs are queued, never interleaved.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    rulesVersion: assets.ruleSet.version,
    plan(answers, warnings = []) {
      const next = queue.then(() => run(answers, warnings));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
