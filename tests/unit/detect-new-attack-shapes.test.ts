// Attacks that do not look like the 7pay replay, and a busy day with none: the detectors run minute by minute over
// the replay's ordinary traffic with each laid over it (tests/support/attack-shapes.ts), exactly as the live worker
// would, and the first alert is timed in simulated minutes from the attack's first event.
import { describe, expect, it } from "vitest";
import type { BacktestResult } from "~/detect/backtest";
import { runBacktest } from "~/detect/backtest";
import { MINUTE_MS } from "~/detect/events";
import { jst } from "~/incidents/replay/generator";
import { generateReplayEvents } from "~/incidents/replay/replay-events";
import type { Scenario } from "../support/attack-shapes";
import {
  ATTACK_START,
  busyDay,
  LATE_ATTACK_START,
  slowStuffing,
  spreadCardTopUps,
  takeoverThenDormancy,
  withAttack,
} from "../support/attack-shapes";

/** The longest a wave may go unnoticed: 7pay's loss came from two days of not knowing. */
const WITHIN_MS = 15 * MINUTE_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;

// Two weeks of history before the scenario (the weekly baselines need two), and six hours after its start.
function run(scenario: Scenario): BacktestResult {
  return runBacktest({
    ...scenario,
    from: scenario.startedAt - 15 * DAY_MS,
    until: scenario.startedAt + 6 * 60 * MINUTE_MS,
  });
}

/** Minutes from the attack's first event to the first alert that names one of its accounts, devices or addresses. */
function minutesToAlarm(
  scenario: Scenario,
  result: BacktestResult,
): { minutes: number | null; detector: string | null } {
  const named = result.alerts.filter((a) => a.trueAt !== null).sort((a, b) => a.trueAt! - b.trueAt!);
  const first = named[0];
  return first
    ? { minutes: (first.trueAt! - scenario.startedAt) / MINUTE_MS, detector: first.detector }
    : { minutes: null, detector: null };
}

describe("attacks shaped differently from the replay (2,000 customers)", { timeout: 300_000 }, () => {
  const base = generateReplayEvents({ customers: 2000, seed: 7 });

  it.each([
    ["slow credential stuffing over hundreds of residential addresses", slowStuffing, ATTACK_START],
    ["takeover (contact changed) then hours of dormancy before the top-ups", takeoverThenDormancy, ATTACK_START],
    ["small card top-ups spent at a different store each time", spreadCardTopUps, ATTACK_START],
    ["small card top-ups starting at 23:50 JST, across midnight", spreadCardTopUps, LATE_ATTACK_START],
    ["slow credential stuffing starting at 23:50 JST, across midnight", slowStuffing, LATE_ATTACK_START],
  ] as const)("%s: alarm within 15 simulated minutes, no false alarm before it", (_name, attack, startedAt) => {
    const scenario = withAttack(base, attack, startedAt);
    const result = run(scenario);
    const { minutes } = minutesToAlarm(scenario, result);
    expect(minutes).not.toBeNull();
    expect(minutes! * MINUTE_MS).toBeLessThanOrEqual(WITHIN_MS);
    expect(result.alerts.filter((a) => a.trueAt === null)).toEqual([]);
  });

  it("the takeover is seen while the account is dormant, hours before its first top-up", () => {
    const scenario = withAttack(base, takeoverThenDormancy, ATTACK_START);
    const result = run(scenario);
    const firstTopUp = Math.min(...[...scenario.fraudTopUps].map((e) => e.at));
    const { minutes, detector } = minutesToAlarm(scenario, result);
    expect(detector).toBe("contact-change-after-new-device");
    expect(scenario.startedAt + minutes! * MINUTE_MS).toBeLessThan(firstTopUp - 3 * 60 * MINUTE_MS);
  });

  it("a payday with three times the ordinary traffic and no attack raises no alert", () => {
    const scenario = busyDay(base, jst(2019, 6, 25));
    const result = runBacktest({
      ...scenario,
      from: scenario.startedAt - 15 * DAY_MS,
      until: scenario.startedAt + DAY_MS,
    });
    expect(result.alerts).toEqual([]);
  });
});
