import {
  type Almanac,
  type ConditionProperties,
  Engine,
  type RuleResult,
  type TopLevelCondition,
} from "json-rules-engine";
import type {
  Decision,
  Evaluated,
  EventParams,
  EventType,
  Facts,
  FactValue,
  RuleSet,
  Scope,
} from "./types.js";

interface Indexed {
  index: number;
  type: EventType;
  params: EventParams;
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

/**
 * One json-rules-engine Engine per scope, built once and reused for every run. Events are returned in rule-set
 * order, whatever order the engine completed them in; `setFacts` in an event becomes a fact for lower-priority rules.
 */
export class Decider {
  private readonly engines = new Map<Scope, Engine>();
  private readonly byName = new Map<string, Indexed & { facts: string[] }>();

  constructor(ruleSet: RuleSet) {
    let index = 0;
    for (const { rules: file } of ruleSet.files) {
      for (const spec of file.rules) {
        const scope = spec.scope ?? file.scope;
        let engine = this.engines.get(scope);
        if (!engine) {
          engine = new Engine([], { allowUndefinedFacts: false, replaceFactsInEventParams: false });
          engine.on("success", (event, almanac: Almanac) => {
            const set = (event.params as EventParams | undefined)?.setFacts;
            if (set) for (const [k, v] of Object.entries(set)) almanac.addRuntimeFact(k, v);
          });
          this.engines.set(scope, engine);
        }
        engine.addRule({
          name: spec.name,
          priority: spec.priority ?? 1,
          conditions: spec.conditions,
          event: { type: spec.event.type, params: spec.event.params },
        });
        this.byName.set(spec.name, {
          index: index++,
          type: spec.event.type,
          params: spec.event.params,
          facts: [...factNames(spec.conditions, new Set())],
        });
      }
    }
  }

  /** Runs the rules of one scope on fully defaulted facts (a missing fact is a programmer fault). */
  async decide(scope: Scope, facts: Facts): Promise<Decision> {
    const engine = this.engines.get(scope);
    if (!engine) return { fired: [], evaluated: [] };
    const { results, failureResults, almanac } = await engine.run(facts);
    const evaluated: Evaluated[] = [];
    for (const [list, fired] of [
      [results, true],
      [failureResults, false],
    ] as [RuleResult[], boolean][]) {
      for (const result of list) {
        const name = String(result.name);
        const known = this.byName.get(name);
        if (!known) throw new Error(`règle inconnue ${name}`);
        const used: Facts = {};
        for (const fact of known.facts) used[fact] = (await almanac.factValue(fact)) as FactValue;
        evaluated.push({
          rule: name,
          index: known.index,
          fired,
          type: known.type,
          params: known.params,
          facts: used,
        });
      }
    }
    evaluated.sort((a, b) => a.index - b.index);
    const fired = evaluated
      .filter((e) => e.fired)
      .map(({ rule, index, type, params }) => ({ rule, index, type, params }));
    return { fired, evaluated };
  }
}
