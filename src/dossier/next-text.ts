import { firstSentence, nextActions, type Plan } from "../plan/index.js";

/** What to do first and what to wait for, in a few lines. */
export function nextActionsText(
  plan: Plan,
  texts: { message(code: string, params?: object): string },
): string {
  const { now, awaited } = nextActions(plan);
  const lines = [texts.message("NOW")];
  for (const s of now)
    lines.push(
      texts.message("NOW_STEP", { number: s.number, actor: s.actor, action: firstSentence(s.action) }),
    );
  if (awaited.length === 0) lines.push(texts.message("NOTHING_AWAITED"));
  else {
    lines.push(texts.message("AWAITED"));
    for (const a of awaited)
      lines.push(
        texts.message("AWAITED_ITEM", {
          label: a.label,
          receivedBy: a.receivedBy,
          steps: a.steps.join(", "),
        }),
      );
  }
  return `${lines.join("\n")}\n`;
}
