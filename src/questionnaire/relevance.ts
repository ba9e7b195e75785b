import { type Draft, isShown, setValueAt, valueAt } from "./draft.js";
import type { GroupNode, QuestionNode, QuestionnaireNode } from "./model.js";

/** Which questions matter for the answers given so far. */

function join(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}

/** Removes the answers to questions that no longer matter (e.g. `signedAt` once there is no contract). */
export function pruneHidden(group: GroupNode, draft: Draft, path = ""): void {
  const holder = path === "" ? draft : valueAt(draft, path);
  if (typeof holder !== "object" || holder === null) return;
  for (const child of group.children) {
    const childPath = join(path, child.key);
    if (!isShown(child.showWhen, holder)) {
      setValueAt(draft, childPath, undefined);
      continue;
    }
    if (child.kind === "group") pruneHidden(child, draft, childPath);
    if (child.kind === "list") {
      const items = valueAt(draft, childPath);
      if (Array.isArray(items))
        for (let i = 0; i < items.length; i++) pruneHidden(child.item, draft, `${childPath}.${i}`);
    }
  }
}

export interface AskedQuestion {
  node: QuestionNode;
  /** Concrete path, e.g. `designees.1.email`. */
  path: string;
}

/** The questions asked for the current answers, in order, with their concrete paths. */
export function visibleQuestions(group: GroupNode, draft: Draft, path = ""): AskedQuestion[] {
  const holder = path === "" ? draft : valueAt(draft, path);
  const out: AskedQuestion[] = [];
  for (const child of group.children) {
    if (!isShown(child.showWhen, holder)) continue;
    const childPath = join(path, child.key);
    out.push(...visibleUnder(child, draft, childPath));
  }
  return out;
}

function visibleUnder(node: QuestionnaireNode, draft: Draft, path: string): AskedQuestion[] {
  switch (node.kind) {
    case "fixed":
      return [];
    case "group":
      return visibleQuestions(node, draft, path);
    case "list": {
      const items = valueAt(draft, path);
      const count = Array.isArray(items) ? items.length : 0;
      return Array.from({ length: count }, (_v, i) =>
        visibleQuestions(node.item, draft, `${path}.${i}`),
      ).flat();
    }
    default:
      return [{ node, path }];
  }
}

/** The asked questions an error at `path` is about: the field itself, or every field of a group it names. */
export function questionsFor(asked: readonly AskedQuestion[], path: string): AskedQuestion[] {
  const exact = asked.filter((q) => q.path === path);
  if (exact.length > 0) return exact;
  return asked.filter((q) => path === "" || q.path.startsWith(`${path}.`));
}
