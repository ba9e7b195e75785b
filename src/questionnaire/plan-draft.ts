import type { Answers } from "../answers/types.js";
import type { AnswersValidator } from "../answers/validate.js";
import type { Planner } from "../plan/planner.js";
import type { Plan, PlanForm } from "../plan/types.js";
import type { RuleSet } from "../rules/types.js";
import { setValueAt, valueAt } from "./draft.js";
import type { GroupNode, QuestionnaireNode } from "./model.js";
import { FACT_PATHS } from "./why.js";

/**
 * The plan as it forms, while answers are incomplete: what is already decided and what is still open. No decision
 * is taken here: the answers still missing that a rule reads are given, in turn, every value that can matter, and
 * the rules and the planner decide for each completion. A form that every completion asks for is decided; one
 * that only some ask for is open. The answers no rule reads (names, addresses, FINESS…) are completed with the
 * schema's example values, so that they change nothing.
 */

export interface PlanDraft {
  /** How many completions were planned. */
  completions: number;
  /** Forms every completion asks for (as the first completion words them). */
  decided: PlanForm[];
  /** Forms some completions ask for and others not. */
  open: PlanForm[];
  /** Whether a contract of structure is to be signed: undefined while it depends on answers to come. */
  contractRequired: boolean | undefined;
  /** The completed answers, text fields replaced by examples: the paths so replaced. */
  exampleOf: string[];
  /** The example values so placed: a text quoting one (a reason naming « Marie ») is not the user's. */
  exampleValues: string[];
  /** The first completion's plan (for what does not depend on the completions, e.g. the presented entity). */
  first: Plan;
}

export interface PlanDraftDeps {
  validator: AnswersValidator;
  planner: Planner;
  model: GroupNode;
  ruleSet: RuleSet;
}

/** Beyond this many completions, too little is answered for a draft to say anything: none is given. */
export const MAX_COMPLETIONS = 128;

type Data = Record<string, unknown>;

function templateOf(path: string): string {
  return path.replace(/(^|\.)[0-9]+(?=\.|$)/g, "$1*");
}

/** The questionnaire node of a path, `designees.0.role` → the role question. */
function nodeAt(model: GroupNode, path: string): QuestionnaireNode | undefined {
  let node: QuestionnaireNode | undefined = model;
  for (const segment of path === "" ? [] : path.split(".")) {
    if (node?.kind === "group") node = node.children.find((c) => c.key === segment);
    else if (node?.kind === "list" && /^[0-9]+$/.test(segment)) node = node.item;
    else return undefined;
  }
  return node;
}

/** The integer values rules compare a fact with, and their neighbours, within the field's bounds. */
function integerValues(
  ruleSet: RuleSet,
  facts: readonly string[],
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number[] {
  const values = new Set<number>();
  const visit = (c: unknown) => {
    if (typeof c !== "object" || c === null) return;
    const o = c as Record<string, unknown>;
    if (typeof o.fact === "string" && facts.includes(o.fact) && typeof o.value === "number")
      for (const v of [o.value - 1, o.value, o.value + 1]) if (v >= min && v <= max) values.add(v);
    for (const key of ["all", "any"])
      if (Array.isArray(o[key])) for (const x of o[key] as unknown[]) visit(x);
    if (o.not) visit(o.not);
  };
  for (const file of ruleSet.files) for (const rule of file.rules.rules) visit(rule.conditions);
  return [...values].sort((a, b) => a - b);
}

/** Which rule facts each answer path (template) feeds. */
function factsByPath(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const scope of Object.values(FACT_PATHS))
    for (const [fact, paths] of Object.entries(scope))
      for (const path of paths) out.set(path, [...(out.get(path) ?? []), fact]);
  return out;
}

type Step = { kind: "branch"; path: string; values: unknown[] } | { kind: "fixed" } | { kind: "stuck" };

class Completer {
  private readonly facts = factsByPath();
  /** Every path an example was put at, in any completion, and the values put. */
  readonly examples = new Set<string>();
  readonly values = new Set<string>();

  constructor(private readonly deps: PlanDraftDeps) {}

  /** The values of a question a rule reads; undefined for a question no rule reads. */
  private decisive(node: QuestionnaireNode, path: string): unknown[] | undefined {
    const facts = this.facts.get(templateOf(path));
    if (!facts) return undefined;
    if (node.kind === "boolean") return [true, false];
    if (node.kind === "choice") return node.choices.map((c) => c.value);
    if (node.kind === "integer") return integerValues(this.deps.ruleSet, facts, node.minimum, node.maximum);
    return undefined;
  }

  /**
   * The schema's example for a text question, or undefined. Outside a list, the first example; item n of a list
   * takes the example after it, so that no two people are completed as the same person (same name or address).
   */
  private example(path: string): unknown {
    const node = nodeAt(this.deps.model, path);
    const examples = node && node.kind === "text" ? (node.examples ?? []) : [];
    const item = /\.([0-9]+)\./.exec(path)?.[1];
    const index = item === undefined ? 0 : Number(item) + 1;
    return examples[index % Math.max(1, examples.length)];
  }

  /**
   * One step towards valid answers for the errors that can be dealt with, up to the first question that branches.
   * `placed`: the paths this completion already holds an example at.
   */
  step(data: Data, errors: readonly { path: string; code: string }[], placed: Set<string>): Step {
    let fixed = false;
    for (const error of errors) {
      const path = error.path;
      const node = nodeAt(this.deps.model, path);
      if (path === "") return { kind: "stuck" };
      // A field the answers may not have (unknown, or not asked given another answer), or need not have.
      if (!node || error.code === "FORBIDDEN" || error.code === "UNKNOWN_FIELD" || !node.required) {
        setValueAt(data, path, undefined);
        fixed = true;
        continue;
      }
      if (node.kind === "fixed") {
        setValueAt(data, path, node.value);
        fixed = true;
        continue;
      }
      const values = this.decisive(node, path);
      if (values) return { kind: "branch", path, values };
      if (node.kind === "group" || node.kind === "list") {
        if (valueAt(data, path) !== undefined) return { kind: "stuck" };
        setValueAt(data, path, node.kind === "list" ? [{}] : {});
        fixed = true;
        continue;
      }
      const example = this.example(path);
      if (example === undefined || placed.has(path)) {
        // An example refused beside an answer (a server outside the domain typed): the group's other texts too.
        const parent = path.split(".").slice(0, -1).join(".");
        const group = nodeAt(this.deps.model, parent);
        if (group?.kind !== "group" || placed.has(`${parent}.*`)) return { kind: "stuck" };
        for (const child of group.children) {
          const childPath = parent === "" ? child.key : `${parent}.${child.key}`;
          const childExample = this.example(childPath);
          if (childExample !== undefined) {
            setValueAt(data, childPath, childExample);
            this.values.add(String(childExample));
            placed.add(childPath);
            this.examples.add(childPath);
          }
        }
        placed.add(`${parent}.*`);
        fixed = true;
        continue;
      }
      setValueAt(data, path, example);
      this.values.add(String(example));
      placed.add(path);
      this.examples.add(path);
      fixed = true;
    }
    return fixed ? { kind: "fixed" } : { kind: "stuck" };
  }
}

/** Every valid completion of the answers, or undefined when they are too many or cannot be made valid. */
function completions(raw: unknown, deps: PlanDraftDeps, completer: Completer): Answers[] | undefined {
  const out: Answers[] = [];
  const explore = (data: Data, placed: Set<string>, rounds: number): boolean => {
    for (let round = rounds; round < 40; round++) {
      const result = deps.validator.validate(data);
      if (result.ok) {
        out.push(result.answers);
        return out.length <= MAX_COMPLETIONS;
      }
      const step = completer.step(data, result.errors, placed);
      if (step.kind === "stuck") return false;
      if (step.kind === "branch") {
        for (const value of step.values) {
          const next = structuredClone(data);
          setValueAt(next, step.path, value);
          if (!explore(next, new Set(placed), round + 1)) return false;
        }
        return true;
      }
    }
    return false;
  };
  const start = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? structuredClone(raw) : {};
  return explore(start as Data, new Set(), 0) && out.length > 0 ? out : undefined;
}

/** What is decided and what is open for incomplete answers; undefined when too little is answered. */
export async function planDraft(raw: unknown, deps: PlanDraftDeps): Promise<PlanDraft | undefined> {
  const completer = new Completer(deps);
  const all = completions(raw, deps, completer);
  if (!all) return undefined;
  const plans: Plan[] = [];
  for (const answers of all) plans.push(await deps.planner.plan(answers));
  const [first] = plans;
  if (!first) return undefined;
  const counts = new Map<string, { form: PlanForm; n: number }>();
  for (const plan of plans)
    for (const form of plan.forms) {
      const seen = counts.get(form.id);
      if (seen) seen.n += 1;
      else counts.set(form.id, { form, n: 1 });
    }
  const required = new Set(plans.map((p) => p.contract.required));
  const entries = [...counts.values()];
  return {
    completions: plans.length,
    decided: entries.filter((e) => e.n === plans.length).map((e) => e.form),
    open: entries.filter((e) => e.n < plans.length).map((e) => e.form),
    contractRequired: required.size === 1 ? first.contract.required : undefined,
    exampleOf: [...completer.examples],
    exampleValues: [...completer.values],
    first,
  };
}
