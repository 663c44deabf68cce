// What each detector counts, and the replay's headline numbers on a smaller wallet.
import { describe, expect, it } from "vitest";
import { applyPolicy, runBacktest, scoreDetectors } from "~/detect/backtest";
import {
  accountsPerDevice,
  cardTopUpsAfterNewDevice,
  failedSignInRate,
  newDeviceSignInsAbroad,
  resellablePerStore,
  TAINT_MS,
  topUpsAfterContactChange,
  type AccountMemory,
} from "~/detect/definitions";
import type { DetectEvent } from "~/detect/events";
import { RECOMMENDED_POLICY } from "~/detect/policy-defaults";
import { ACTIVITY_END, ACTIVITY_START } from "~/incidents/replay/generator";
import { generateReplayEvents } from "~/incidents/replay/replay-events";
import { reshapeWave } from "~/incidents/replay/wave-variants";

const T = Date.UTC(2019, 6, 1, 3, 0);
const signIn = (over: Partial<DetectEvent & { kind: "signin" }> = {}): DetectEvent => ({
  kind: "signin",
  at: T,
  customerId: "c1",
  fingerprint: "dev-1",
  ip: "36.110.1.1",
  country: "CN",
  success: true,
  newDevice: true,
  ...over,
});
const memory = (newDeviceAt?: number, contactAt?: number): AccountMemory => ({
  lastNewDeviceSignInAt: () => newDeviceAt,
  lastContactChangeAt: () => contactAt,
});
const topUp: DetectEvent = { kind: "topup", at: T, customerId: "c1", amount: 50_000, channel: "CREDIT_CARD" };

describe("detector definitions", () => {
  it("new-device sign-ins abroad: only successful ones, from a new device, outside Japan", () => {
    expect(newDeviceSignInsAbroad.hitsFor(signIn(), memory())).toHaveLength(1);
    expect(newDeviceSignInsAbroad.hitsFor(signIn({ country: "JP" }), memory())).toEqual([]);
    expect(newDeviceSignInsAbroad.hitsFor(signIn({ newDevice: false }), memory())).toEqual([]);
    expect(newDeviceSignInsAbroad.hitsFor(signIn({ success: false }), memory())).toEqual([]);
  });

  it("card top-ups count within the hour after a new-device sign-in, not later, and not cash", () => {
    expect(cardTopUpsAfterNewDevice.hitsFor(topUp, memory(T - TAINT_MS))).toHaveLength(1);
    expect(cardTopUpsAfterNewDevice.hitsFor(topUp, memory(T - TAINT_MS - 1))).toEqual([]);
    expect(cardTopUpsAfterNewDevice.hitsFor(topUp, memory())).toEqual([]);
    expect(cardTopUpsAfterNewDevice.hitsFor({ ...topUp, channel: "CONVENIENCE_CASH" }, memory(T))).toEqual([]);
  });

  it("top-ups after a contact change count whatever the channel", () => {
    expect(topUpsAfterContactChange.hitsFor({ ...topUp, channel: "BANK" }, memory(undefined, T - 60_000))).toHaveLength(
      1,
    );
    expect(topUpsAfterContactChange.hitsFor(topUp, memory())).toEqual([]);
  });

  it("per-key detectors group by device and by store; failures count failed sign-ins among all attempts", () => {
    expect(accountsPerDevice.hitsFor(signIn(), memory())[0]).toMatchObject({ key: "dev-1", customerId: "c1" });
    expect(accountsPerDevice.hitsFor(signIn({ fingerprint: null }), memory())).toEqual([]);
    const purchase: DetectEvent = {
      kind: "purchase",
      at: T,
      customerId: "c1",
      storeCode: "S-1",
      total: 12_000,
      resellableYen: 9_400,
    };
    expect(resellablePerStore.hitsFor(purchase, memory())[0]).toMatchObject({ key: "S-1", weight: 9_400 });
    expect(resellablePerStore.hitsFor({ ...purchase, resellableYen: 0 }, memory())).toEqual([]);
    expect(failedSignInRate.hitsFor(signIn({ success: false }), memory())).toMatchObject([{ weight: 1 }]);
    // A successful sign-in is an attempt that does not count: the denominator of the ratio.
    expect(failedSignInRate.hitsFor(signIn(), memory())).toMatchObject([{ weight: 0 }]);
    expect(failedSignInRate.hitsFor(topUp, memory())).toEqual([]);
  });
});

// Each test runs five simulated weeks minute by minute: seconds alone, much longer on a busy machine.
describe("replay (2,000 customers)", { timeout: 300_000 }, () => {
  const base = generateReplayEvents({ customers: 2000, seed: 7 });
  const backtest = (variant: Parameters<typeof reshapeWave>[1]) => {
    const wave = reshapeWave(base, variant, 7);
    const result = runBacktest({ ...wave, from: ACTIVITY_START, until: ACTIVITY_END });
    return { wave, result, scores: scoreDetectors(result) };
  };

  it("the 7pay wave is seen within five minutes of its first fraudulent top-up, without false alerts", () => {
    const { wave, result, scores } = backtest("7pay");
    const leads = scores.flatMap((s) => (s.leadMs === null ? [] : [s.leadMs]));
    expect(Math.min(...leads)).toBeLessThanOrEqual(5 * 60_000);
    // Failed sign-ins, judged against the attempts since version 2 (ADR 102), still alert before the first top-up.
    expect(scores.find((s) => s.detector === "failed-signin-rate")!.leadMs!).toBeLessThan(0);
    expect(scores.reduce((s, d) => s + d.falseAlerts, 0) / result.judgedWeeks).toBeLessThanOrEqual(1);
    const policy = applyPolicy(result, wave.fraudTopUps, RECOMMENDED_POLICY);
    expect(policy.yenTaken).toBeLessThanOrEqual(result.fraudTopUpYen / 100);
  });

  it("a card-top-up switch does not stop a wave funded with cash", () => {
    const { wave, result } = backtest("cash-top-ups");
    expect(applyPolicy(result, wave.fraudTopUps, RECOMMENDED_POLICY).yenTaken).toBe(result.fraudTopUpYen);
  });
});
