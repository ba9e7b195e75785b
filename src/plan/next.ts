import type { Plan, PlanAwaited, PlanStep } from "./types.js";

/** What to do first and what to wait for: the steps that wait for nothing, and the outside events awaited. */
export interface NextActions {
  now: PlanStep[];
  awaited: (PlanAwaited & { steps: number[] })[];
}

export function nextActions(plan: Plan): NextActions {
  const numbers = new Map(plan.steps.map((s) => [s.id, s.number]));
  return {
    now: plan.steps.filter((s) => s.after.length === 0 && s.waitsFor.length === 0),
    awaited: plan.awaited.map((a) => ({
      ...a,
      steps: a.awaitedBy.map((id) => numbers.get(id)).filter((n): n is number => n !== undefined),
    })),
  };
}

/** The first sentence of a step's action, for a one-line summary. */
export function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}
