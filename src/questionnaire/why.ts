import type { Labels } from "../plan/labels.js";
import { quoteText } from "../rules/quote.js";
import type { RuleEvent, RuleSet, Scope } from "../rules/types.js";
import { renderText } from "./texts.js";

/**
 * « Pourquoi cette question ? »: for each answer, the rules of rules/*.json that read it (directly, or through
 * a decision another rule took from it), what they decide and the procedure sentence they encode.
 */

/** The answer each rule fact is read from (see src/facts/facts.ts), `*` standing for any designee. */
export const FACT_PATHS: Record<Scope, Record<string, string[]>> = {
  establishment: {
    contractExists: ["contract.exists"],
    contractSignedAt: ["contract.signedAt"],
    contractSignatoryChoice: ["contract.signatory"],
    geographicEntities: ["establishment.geographicEntities"],
    legalRepresentativeHasActiveCard: ["legalRepresentative.hasActiveCard"],
    technicalAdministratorCount: ["designees.*.role"],
    mandataryCount: ["designees.*.role"],
    keyGeneration: ["keyGeneration"],
    form413SignedBy: ["form413SignedBy"],
  },
  designee: {
    role: ["designees.*.role"],
    hasActiveCard: ["designees.*.hasActiveCard"],
    cardRequest: ["designees.*.hasActiveCard", "designees.*.cardRequest"],
    hasVendor: ["designees.*.vendor"],
    habilitationOrgAuthCli: ["designees.*.habilitation.orgAuthCli"],
    habilitationSslServer: ["designees.*.habilitation.sslServer"],
    isLegalRepresentative: ["designees.*.email", "legalRepresentative.email"],
    cardRequestedEarlier: ["designees.*.email"],
    alreadyDesignated: ["designees.*.alreadyDesignated"],
  },
};

/** Facts every rule may read that no answer sets. */
export const CONSTANT_FACTS: readonly string[] = ["always"];

export interface WhyDecision {
  /** French: what the answer decides, e.g. « s'il faut remplir le formulaire n°101 ». */
  text: string;
  /** The procedure sections of the rules taking that decision. */
  sections: string[];
}

export interface WhyReference {
  section: string;
  quote: string;
  interpretation?: string;
}

export interface Why {
  rules: string[];
  decisions: WhyDecision[];
  references: WhyReference[];
}

export interface WhyTexts {
  decisions: Record<string, string>;
}

interface RuleInfo {
  name: string;
  scope: Scope;
  event: RuleEvent;
  facts: string[];
}

function factNames(condition: unknown, into: Set<string>): Set<string> {
  if (typeof condition !== "object" || condition === null) return into;
  const c = condition as Record<string, unknown>;
  if (typeof c.fact === "string") into.add(c.fact);
  for (const key of ["all", "any"]) {
    const list = c[key];
    if (Array.isArray(list)) for (const item of list) factNames(item, into);
  }
  if (c.not) factNames(c.not, into);
  return into;
}

function rulesOf(ruleSet: RuleSet): RuleInfo[] {
  return ruleSet.files.flatMap(({ rules: file }) =>
    file.rules.map((spec) => ({
      name: spec.name,
      scope: spec.scope ?? file.scope,
      event: spec.event,
      facts: [...factNames(spec.conditions, new Set())],
    })),
  );
}

/** Runtime facts (decisions set by a rule) with the rules that set them, per scope. */
function settersOf(rules: RuleInfo[]): Map<string, RuleInfo[]> {
  const setters = new Map<string, RuleInfo[]>();
  for (const rule of rules) {
    const set = rule.event.params.setFacts;
    if (set === undefined) continue;
    for (const fact of Object.keys(set)) {
      const key = `${rule.scope}:${fact}`;
      setters.set(key, [...(setters.get(key) ?? []), rule]);
    }
  }
  return setters;
}

/** The answers a fact comes from, following runtime facts back to the answers their setters read. */
function answersOfFact(
  scope: Scope,
  fact: string,
  setters: Map<string, RuleInfo[]>,
  seen: Set<string> = new Set(),
): string[] {
  const direct = FACT_PATHS[scope][fact];
  if (direct) return direct;
  const key = `${scope}:${fact}`;
  if (seen.has(key)) return [];
  seen.add(key);
  const via = setters.get(key);
  if (!via) {
    if (CONSTANT_FACTS.includes(fact)) return [];
    throw new Error(`fait « ${fact} » (${scope}) sans réponse correspondante : complétez FACT_PATHS`);
  }
  return via.flatMap((r) => r.facts.flatMap((f) => answersOfFact(r.scope, f, setters, seen)));
}

function decisionText(rule: RuleInfo, labels: Labels, texts: WhyTexts): string {
  const { event } = rule;
  const template = texts.decisions[event.type];
  if (template === undefined) throw new Error(`texte « pourquoi » manquant pour les règles ${event.type}`);
  const form = event.type === "form" ? labels.forms[event.params.form]?.short : undefined;
  const phase = event.type === "step" ? labels.phases[event.params.phase] : undefined;
  // The phase titles end with their section, « Prérequis (§1) »: the section is shown on its own.
  return renderText(template, { form: form ?? "", phase: (phase ?? "").replace(/\s*\([^)]*\)$/, "") });
}

/** « Pourquoi cette question ? » for every answer path a rule reads. Pure. */
export function buildWhy(ruleSet: RuleSet, labels: Labels, texts: WhyTexts): Record<string, Why> {
  const rules = rulesOf(ruleSet);
  const setters = settersOf(rules);
  const out: Record<string, Why> = {};
  for (const rule of rules) {
    const paths = new Set(rule.facts.flatMap((f) => answersOfFact(rule.scope, f, setters)));
    const { section, interpretation } = rule.event.params;
    const quote = quoteText(rule.event.params.quote);
    const text = decisionText(rule, labels, texts);
    for (const path of paths) {
      out[path] ??= { rules: [], decisions: [], references: [] };
      const why = out[path];
      why.rules.push(rule.name);
      const decision = why.decisions.find((d) => d.text === text);
      if (!decision) why.decisions.push({ text, sections: [section] });
      else if (!decision.sections.includes(section)) decision.sections.push(section);
      if (!why.references.some((r) => r.section === section && r.quote === quote))
        why.references.push({ section, quote, ...(interpretation ? { interpretation } : {}) });
    }
  }
  return out;
}
