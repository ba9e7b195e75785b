import {
  type Almanac,
  type ConditionProperties,
  Engine,
  type RuleResult,
  type TopLevelCondition,
} from "json-rules-engine";
import { Lru } from "./memo.js";
import type { Decision, Evaluated, Facts, FactValue, Fired, RuleEvent, RuleSet, Scope } from "./types.js";

interface Known {
  index: number;
  event: RuleEvent;
  /** The facts its conditions read, in the order they first appear. */
  facts: string[];
}

/** The engine's own comparison, as its conditions apply it (json-rules-engine's Operator). */
interface Comparison {
  evaluate(factValue: unknown, jsonValue: unknown): boolean;
}

/** One comparison of a fact's value with a constant, as a rule's condition makes it. */
interface Atom {
  fact: string;
  operator: Comparison;
  value: unknown;
}

interface ScopeRules {
  engine: Engine;
  /** Every fact a rule of the scope reads. */
  readFacts: string[];
  /** Every distinct comparison of the scope's conditions; undefined when a condition is not a plain comparison. */
  atoms: Atom[] | undefined;
}

/** A decision remembered with what it owes to its facts. */
interface Remembered {
  decision: Decision;
  /** The final values of the facts the rules that fired set (`setFacts`); every other fact read keeps its value. */
  set: Map<string, FactValue>;
}

function factNames(condition: TopLevelCondition | ConditionProperties, into: Set<string>): Set<string> {
  if ("fact" in condition) into.add(condition.fact);
  for (const key of ["all", "any"] as const) {
    const list = (condition as Record<string, unknown>)[key];
    if (Array.isArray(list)) for (const c of list) factNames(c as TopLevelCondition, into);
  }
  const not = (condition as Record<string, unknown>).not;
  if (not) factNames(not as TopLevelCondition, into);
  return into;
}

const PLAIN_COMPARISON_KEYS = new Set(["fact", "operator", "value", "priority", "name"]);

/**
 * Adds the comparisons of a condition to `into` (once each); false when the condition holds something else than
 * all/any/not over comparisons of a fact with a constant (a path, params, a fact as value, a shared condition).
 */
function comparisons(
  condition: unknown,
  operators: { get(name: string): Comparison | null },
  into: Map<string, Atom>,
): boolean {
  if (typeof condition !== "object" || condition === null) return false;
  const c = condition as Record<string, unknown>;
  for (const key of ["all", "any"]) {
    if (key in c) return Array.isArray(c[key]) && c[key].every((x) => comparisons(x, operators, into));
  }
  if ("not" in c) return comparisons(c.not, operators, into);
  if (typeof c.fact !== "string" || typeof c.operator !== "string") return false;
  if (Object.keys(c).some((k) => !PLAIN_COMPARISON_KEYS.has(k))) return false;
  const value = c.value;
  if (typeof value === "object" && value !== null && Object.hasOwn(value, "fact")) return false;
  const operator = operators.get(c.operator);
  if (!operator) return false;
  const id = JSON.stringify([c.fact, c.operator, value]);
  if (!into.has(id)) into.set(id, { fact: c.fact, operator, value });
  return true;
}

/** The engine's operators: not in json-rules-engine's types, so checked before use. */
function operatorsOf(engine: Engine): { get(name: string): Comparison | null } | undefined {
  const operators = (engine as unknown as { operators?: { get?: unknown } }).operators;
  return operators && typeof operators.get === "function"
    ? (operators as { get(name: string): Comparison | null })
    : undefined;
}

function isFactValue(value: unknown): value is FactValue {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function freezeDecision(decision: Decision): Decision {
  // The rules' own params are shared by every decision already and stay as they are.
  for (const e of decision.evaluated) {
    Object.freeze(e.facts);
    Object.freeze(e);
  }
  for (const f of decision.fired) Object.freeze(f);
  Object.freeze(decision.evaluated);
  Object.freeze(decision.fired);
  return Object.freeze(decision);
}

export interface DeciderOptions {
  /**
   * How many decisions to remember (least recently used dropped first); 0 runs the engine every time.
   * A remembered decision is the one a run would give (see `Decider.decide`).
   */
  memo?: number;
}

/**
 * One json-rules-engine Engine per scope, built once and reused for every run. Events are returned in rule-set
 * order, whatever order the engine completed them in; `setFacts` in an event becomes a fact for lower-priority rules.
 * Decisions are deeply frozen: remembered ones are shared by every caller.
 */
export class Decider {
  private readonly scopes = new Map<Scope, ScopeRules>();
  private readonly byName = new Map<string, Known>();
  private readonly memo: Lru<string, Remembered>;

  constructor(ruleSet: RuleSet, options: DeciderOptions = {}) {
    this.memo = new Lru(options.memo ?? 256);
    let index = 0;
    const read = new Map<Scope, Set<string>>();
    const atoms = new Map<Scope, Map<string, Atom> | undefined>();
    for (const { rules: file } of ruleSet.files) {
      for (const spec of file.rules) {
        const scope = spec.scope ?? file.scope;
        let rules = this.scopes.get(scope);
        if (!rules) {
          const engine = new Engine([], { allowUndefinedFacts: false, replaceFactsInEventParams: false });
          engine.on("success", (event, almanac: Almanac) => {
            const set = (event.params as { setFacts?: Facts } | undefined)?.setFacts;
            if (set) for (const [k, v] of Object.entries(set)) almanac.addRuntimeFact(k, v);
          });
          rules = { engine, readFacts: [], atoms: undefined };
          this.scopes.set(scope, rules);
          read.set(scope, new Set());
          atoms.set(scope, operatorsOf(engine) ? new Map() : undefined);
        }
        // The engine copies the event of every rule it evaluates: it gets only what the success handler reads
        // (the decision takes the event's params from the rule set, by rule name).
        const setFacts = spec.event.params.setFacts;
        rules.engine.addRule({
          name: spec.name,
          priority: spec.priority ?? 1,
          conditions: spec.conditions,
          event: { type: spec.event.type, params: setFacts ? { setFacts } : {} },
        });
        const facts = [...factNames(spec.conditions, new Set())];
        for (const f of facts) read.get(scope)?.add(f);
        const found = atoms.get(scope);
        const operators = operatorsOf(rules.engine);
        if (found && !(operators && comparisons(spec.conditions, operators, found)))
          atoms.set(scope, undefined);
        this.byName.set(spec.name, {
          index: index++,
          event: spec.event,
          facts,
        });
      }
    }
    for (const [scope, rules] of this.scopes) {
      rules.readFacts = [...(read.get(scope) ?? [])];
      const found = atoms.get(scope);
      rules.atoms = found ? [...found.values()] : undefined;
    }
  }

  /**
   * Runs the rules of one scope on fully defaulted facts (a missing fact is a programmer fault). The decision is
   * frozen and may be shared with earlier and later calls.
   *
   * Remembering: the engine's run depends on the facts only through the outcome of each comparison a condition
   * makes (fact, operator, constant). A fact no rule sets is compared at its given value; one a rule sets
   * (`setFacts`) is compared at its given value until then, at the rule's constant after. The runs of two sets of
   * facts whose comparisons all agree on the given values therefore take the same steps: the same rules fire, set the
   * same facts, and the decisions differ only in the values of the facts read that no rule set. So the memo is keyed
   * by those outcomes, computed with the engine's own operators, and a remembered decision is given back with the
   * facts read taken from this call. Conditions that are not plain comparisons key the memo by every fact's value.
   */
  async decide(scope: Scope, facts: Facts): Promise<Decision> {
    const rules = this.scopes.get(scope);
    if (!rules) return freezeDecision({ fired: [], evaluated: [] });
    const key = this.memo.capacity > 0 ? memoKey(scope, rules, facts) : undefined;
    const known = key === undefined ? undefined : this.memo.get(key);
    if (known) return withFacts(known, facts);
    const remembered = await this.run(rules, facts);
    if (key !== undefined) this.memo.set(key, remembered);
    return remembered.decision;
  }

  private async run(rules: ScopeRules, facts: Facts): Promise<Remembered> {
    const { results, failureResults, almanac } = await rules.engine.run(facts);
    // Final values of the facts the rules read (runtime facts included), each asked once.
    const values = new Map<string, FactValue>();
    for (const fact of rules.readFacts) values.set(fact, (await almanac.factValue(fact)) as FactValue);
    const evaluated: Evaluated[] = [];
    const set = new Map<string, FactValue>();
    const add = (list: RuleResult[], fired: boolean) => {
      for (const result of list) {
        const name = String(result.name);
        const known = this.byName.get(name);
        if (!known) throw new Error(`règle inconnue ${name}`);
        const used: Facts = {};
        for (const fact of known.facts) used[fact] = values.get(fact) as FactValue;
        evaluated.push({ rule: name, index: known.index, fired, ...known.event, facts: used });
        if (!fired) continue;
        for (const fact of Object.keys(known.event.params.setFacts ?? {}))
          if (values.has(fact)) set.set(fact, values.get(fact) as FactValue);
      }
    };
    add(results, true);
    add(failureResults, false);
    evaluated.sort((a, b) => a.index - b.index);
    const fired: Fired[] = [];
    for (const e of evaluated)
      if (e.fired) fired.push({ rule: e.rule, index: e.index, type: e.type, params: e.params } as Fired);
    return { decision: freezeDecision({ fired, evaluated }), set };
  }
}

/**
 * The memo key of a run, or undefined when the run is not to be remembered (a fact read is missing or not a plain
 * value: the engine decides what that means).
 */
function memoKey(scope: Scope, rules: ScopeRules, facts: Facts): string | undefined {
  for (const fact of rules.readFacts)
    if (!Object.hasOwn(facts, fact) || !isFactValue(facts[fact])) return undefined;
  if (rules.atoms) {
    let key = `${scope}:`;
    for (const atom of rules.atoms) key += atom.operator.evaluate(facts[atom.fact], atom.value) ? "1" : "0";
    return key;
  }
  return factsKey(scope, facts);
}

/** The key of every fact given, name and typed value, in the given order; undefined when one is not a plain value. */
export function factsKey(scope: Scope, facts: Facts): string | undefined {
  let key = scope;
  for (const name in facts) {
    const value: unknown = facts[name];
    let text: string;
    if (typeof value === "string") text = JSON.stringify(value);
    else if (typeof value === "boolean") text = value ? "T" : "F";
    else if (typeof value === "number") text = Object.is(value, -0) ? "n-0" : `n${value}`;
    else return undefined;
    key += `\u0000${JSON.stringify(name)}=${text}`;
  }
  return key;
}

/** A remembered decision with the facts read taken from `facts` (evaluations whose facts are the same are shared). */
function withFacts(known: Remembered, facts: Facts): Decision {
  const finalValue = (fact: string): FactValue =>
    (known.set.has(fact) ? known.set.get(fact) : facts[fact]) as FactValue;
  let changed = false;
  const evaluated = known.decision.evaluated.map((e): Evaluated => {
    let same = true;
    for (const fact in e.facts) {
      if (!Object.is(finalValue(fact), e.facts[fact])) {
        same = false;
        break;
      }
    }
    if (same) return e;
    changed = true;
    const used: Facts = {};
    for (const fact in e.facts) used[fact] = finalValue(fact);
    return Object.freeze({ ...e, facts: Object.freeze(used) });
  });
  return changed ? freezeDecision({ fired: known.decision.fired, evaluated }) : known.decision;
}
