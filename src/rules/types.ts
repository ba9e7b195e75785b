import type { TopLevelCondition } from "json-rules-engine";

export type Scope = "establishment" | "designee";
export const EVENT_TYPES = [
  "contract",
  "form",
  "step",
  "finding",
  "certificate",
  "keyGeneration",
  "signatory",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type ParamValue = string | number | boolean | null | ParamValue[] | { [key: string]: ParamValue };

/** Every event names the procedure section it encodes and quotes its sentence. */
export interface EventParams {
  section: string;
  quote: string;
  /** Where the procedure needs an interpretation: which, and where it is written (DOMAIN.md). */
  interpretation?: string;
  /** Decisions later rules read, as runtime facts. */
  setFacts?: Record<string, string | number | boolean>;
  [key: string]: ParamValue | undefined;
}

export interface RuleSpec {
  name: string;
  /** Overrides the file's scope. */
  scope?: Scope;
  priority?: number;
  conditions: TopLevelCondition;
  event: { type: EventType; params: EventParams };
}

/** One file of rules/: one section of the procedure. */
export interface RuleFile {
  section: string;
  title: string;
  scope: Scope;
  rules: RuleSpec[];
}

export interface RuleSet {
  files: { name: string; rules: RuleFile }[];
  /** Identifies the rules' content: changes whenever a rule does. */
  version: string;
}

export type FactValue = string | number | boolean;
export type Facts = Record<string, FactValue>;

/** A rule that fired, with its event. */
export interface Fired {
  rule: string;
  /** Position of the rule in the rule set: events are ordered by it, never by completion order. */
  index: number;
  type: EventType;
  params: EventParams;
}

/** A rule evaluated, fired or not, with the facts its conditions read. */
export interface Evaluated {
  rule: string;
  index: number;
  fired: boolean;
  type: EventType;
  params: EventParams;
  facts: Facts;
}

export interface Decision {
  fired: Fired[];
  evaluated: Evaluated[];
}
