// The failed-sign-in detector on wallets far larger than the test replay: a payday that brings three times the
// sign-ins at the usual failure ratio is not an attack, and slow credential stuffing that raises the ratio is one,
// however many ordinary sign-ins surround it. Only this detector runs (the others read nothing of these scenarios).
import { describe, expect, it } from "vitest";
import { runBacktest } from "~/detect/backtest";
import { failedSignInRate } from "~/detect/definitions";
import { MINUTE_MS } from "~/detect/events";
import { jst } from "~/incidents/replay/generator";
import { generateReplayEvents } from "~/incidents/replay/replay-events";
import type { Scenario } from "../support/attack-shapes";
import { busyDay, signInsTimes, slowStuffing, withAttack } from "../support/attack-shapes";

const DAY_MS = 24 * 60 * MINUTE_MS;
/** Tuesday 25 June 2019: payday. */
const PAYDAY = jst(2019, 6, 25);
/** Thursday 20 June 2019, 12:00 JST: the lunchtime peak, when the ordinary failures vary most within the hour. */
const LUNCHTIME = jst(2019, 6, 20, 12, 0);

// Two weeks of history before the scenario (the weekly baselines need two).
function run(scenario: Scenario, until: number) {
  return runBacktest({ ...scenario, from: scenario.startedAt - 15 * DAY_MS, until, detectors: [failedSignInRate] });
}

const described = (alerts: ReturnType<typeof runBacktest>["alerts"]) =>
  alerts.map((a) => `${a.peakSeverity} at ${new Date(a.raisedAt).toISOString()}: ${a.value} failures`);

describe("failed sign-ins judged against the attempts", { timeout: 600_000 }, () => {
  it("a payday with three times the sign-ins at the usual failure ratio raises nothing (20,000 customers)", () => {
    const base = generateReplayEvents({ customers: 20_000, seed: 7 });
    const result = run(busyDay(base, PAYDAY, 3), PAYDAY + DAY_MS);
    // Version 1 (failures against their own history): three LOW alerts, two of them on the payday.
    expect(described(result.alerts)).toEqual([]);
  });

  it("slow credential stuffing among 200 times the replay's sign-ins is seen within 15 minutes, without a false alert", () => {
    const base = generateReplayEvents({ customers: 2000, seed: 7 });
    const wallet = signInsTimes(base, 200, jst(2019, 6, 4), jst(2019, 6, 22));
    const scenario = withAttack(wallet, slowStuffing, LUNCHTIME);
    const result = run(scenario, LUNCHTIME + 3 * 60 * MINUTE_MS);
    expect(described(result.alerts.filter((a) => a.trueAt === null))).toEqual([]);
    const first = result.alerts.find((a) => a.trueAt !== null);
    expect(first, "an alert naming the stuffing").toBeDefined();
    // Version 1: 34 minutes, the lunchtime's ordinary failures widening its baseline.
    expect((first!.trueAt! - LUNCHTIME) / MINUTE_MS).toBeLessThanOrEqual(15);
  });
});
