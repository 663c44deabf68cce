// Applying a rule set to one event's features: the same code in the payment path and in the backtest.
import { evaluateCondition, featuresOf, parseCondition, typeCheckCondition, type Condition } from "~/risk/condition";
import type { EventKind, FeatureValues, FundingChannel } from "~/risk/features";

export const OUTCOMES = ["ALLOW", "STEP_UP", "HOLD", "BLOCK"] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** The strictest outcome wins: block over hold over step-up over allow (monitor only). */
const SEVERITY: Record<Outcome, number> = { ALLOW: 0, STEP_UP: 1, HOLD: 2, BLOCK: 3 };

export interface RuleForEvaluation {
  id: string;
  ruleKey: string;
  version: number;
  condition: string;
  outcome: Outcome;
  /** null: every channel (always null for a rule that does not decide top-ups). */
  channel: FundingChannel | null;
  eventKind: EventKind;
}

/** The columns of a risk_rule row that evaluating it reads: the one `select` for every reader of rules to apply. */
export const RULE_FOR_EVALUATION_COLUMNS = {
  id: true,
  ruleKey: true,
  version: true,
  condition: true,
  outcome: true,
  channel: true,
  eventKind: true,
} as const satisfies Record<keyof RuleForEvaluation, true>;

export interface RuleMatch {
  rule: RuleForEvaluation;
  /** The values of the features the rule reads (what triggered it). */
  triggeredBy: FeatureValues;
  /** The rule could not be evaluated; it counts as matched (fail closed for its outcome). */
  failed: boolean;
}

export interface RiskVerdict {
  outcome: Outcome;
  /** The rule that decided (the strictest match), or null when nothing matched. */
  deciding: RuleMatch | null;
  matches: RuleMatch[];
}

// Rule versions are immutable, so a parsed condition can be kept for as long as the process lives.
const parsed = new Map<string, Condition | Error>();

function conditionOf(rule: RuleForEvaluation): Condition {
  const key = `${rule.id}\u0000${rule.eventKind}\u0000${rule.condition}`;
  let entry = parsed.get(key);
  if (!entry) {
    try {
      entry = parseCondition(rule.condition);
      typeCheckCondition(entry, rule.eventKind);
    } catch (error) {
      entry = error instanceof Error ? error : new Error(String(error));
    }
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(key, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}

/** The rules that decide an event of this kind (and, for a top-up, this channel). */
export function rulesFor<R extends RuleForEvaluation>(
  rules: readonly R[],
  kind: EventKind,
  channel: FundingChannel | null = null,
): R[] {
  return rules.filter((r) => r.eventKind === kind && (r.channel === null || r.channel === channel));
}

/** Evaluates the rules already chosen for this event's kind (rulesFor). */
export function evaluateRules(rules: readonly RuleForEvaluation[], features: FeatureValues): RiskVerdict {
  const matches: RuleMatch[] = [];
  for (const rule of rules) {
    if (rule.channel !== null && rule.channel !== features.channel) continue;
    try {
      const condition = conditionOf(rule);
      if (!evaluateCondition(condition, features)) continue;
      const triggeredBy: FeatureValues = {};
      for (const name of featuresOf(condition)) (triggeredBy as Record<string, unknown>)[name] = features[name];
      matches.push({ rule, triggeredBy, failed: false });
    } catch {
      // A stored rule that no longer parses or reads a feature that is not computed: apply its outcome anyway.
      matches.push({ rule, triggeredBy: {}, failed: true });
    }
  }
  let deciding: RuleMatch | null = null;
  for (const match of matches) {
    if (!deciding || SEVERITY[match.rule.outcome] > SEVERITY[deciding.rule.outcome]) deciding = match;
  }
  return { outcome: deciding?.rule.outcome ?? "ALLOW", deciding, matches };
}
