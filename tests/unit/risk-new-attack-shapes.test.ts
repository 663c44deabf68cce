// The payment path's side of ADR 099: what the recommended starter rules decide for each fraudulent top-up of the
// attack shapes the replay does not have, with the features computed as the rule backtest computes them.
import { describe, expect, it } from "vitest";
import { generateReplayEvents } from "~/incidents/replay/replay-events";
import { CustomerTable, ReplayHistory } from "~/risk/backtest-state";
import type { Outcome, RuleForEvaluation } from "~/risk/engine";
import { evaluateRules } from "~/risk/engine";
import { computeFeatures, type RiskEvent } from "~/risk/features";
import { STARTER_RULES } from "~/risk/starter-rules";
import type { Scenario } from "../support/attack-shapes";
import {
  ATTACK_START,
  LATE_ATTACK_START,
  spreadCardTopUps,
  takeoverThenDormancy,
  withAttack,
} from "../support/attack-shapes";

const DAY_MS = 24 * 60 * 60_000;
const RULES: RuleForEvaluation[] = STARTER_RULES.map((r) => ({ ...r, id: r.ruleKey, version: 1 }));

/** The outcome the rules give each of the attack's top-ups, replaying the day before it and the attack in order. */
function decideAttackTopUps(scenario: Scenario): Outcome[] {
  const customers = new CustomerTable();
  const history = new ReplayHistory(customers);
  const firstSeen = new Map<string, number>();
  const outcomes: Outcome[] = [];
  for (const e of scenario.events) {
    if (e.at < scenario.startedAt - DAY_MS) continue;
    const at = new Date(e.at);
    if (e.kind === "signin") {
      if (!e.success) continue;
      const device = `${e.customerId}|${e.fingerprint}`;
      // A device the replay calls known was first seen by this account long before the window replayed here.
      if (!firstSeen.has(device)) firstSeen.set(device, e.newDevice ? e.at : e.at - 90 * DAY_MS);
      history.addSignIn({
        customerId: e.customerId,
        at,
        ip: e.ip,
        country: e.country,
        fingerprint: e.fingerprint,
        deviceFirstSeenAt: e.newDevice ? null : new Date(firstSeen.get(device)!),
      });
    } else if (e.kind === "contact") {
      history.addContactChange(e.customerId, at);
    } else if (e.kind === "topup" && e.channel) {
      const event: RiskEvent = {
        kind: "TOP_UP",
        customerId: e.customerId,
        fundingSourceId: `card:${e.customerId}`,
        channel: e.channel,
        amount: e.amount,
        at,
      };
      if (scenario.fraudTopUps.has(e)) {
        const features = computeFeatures(event, history.snapshotFor(event, customers.factsOf(e.customerId)));
        outcomes.push(evaluateRules(RULES, features).outcome);
      }
      history.addTopUp(e.customerId, at, e.amount, event.fundingSourceId);
    }
  }
  return outcomes;
}

describe("the starter rules on attacks shaped differently from the replay", () => {
  const base = generateReplayEvents({ customers: 2000, seed: 7 });

  it.each([
    ["takeover then four hours of dormancy", takeoverThenDormancy, ATTACK_START],
    ["small card top-ups at a different store each time", spreadCardTopUps, ATTACK_START],
    ["small card top-ups from 23:50 JST, across midnight", spreadCardTopUps, LATE_ATTACK_START],
  ] as const)("%s: no fraudulent top-up is simply allowed", (_name, attack, startedAt) => {
    const outcomes = decideAttackTopUps(withAttack(base, attack, startedAt));
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === "ALLOW")).toEqual([]);
  });
});
