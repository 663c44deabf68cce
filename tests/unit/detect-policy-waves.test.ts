// The policy editor's per-wave table: a policy run against every wave the generator can produce, on the replay's
// recorded history with the live engine, priced as the yen the attack still takes with the policy and without it.
// The runs are recorded (ADR 102): the recording must be what the code computes today, pricing from it must equal
// pricing the runs themselves, and a detector changed since the recording has no table rather than an old one.
import { beforeAll, describe, expect, it } from "vitest";
import { DETECTORS, failedSignInRate } from "~/detect/definitions";
import {
  computeRecordedWaves,
  policyWaveTables,
  type RecordedWaves,
  type WaveOutcome,
} from "~/detect/policy-waves.server";
import { RECORDED_WAVES } from "~/detect/policy-waves.recorded";
import { WAVE_VARIANTS } from "~/incidents/replay/wave-variants";

const POLICIES = [
  { id: "card", detector: "failed-signin-rate", minSeverity: "LOW", switchKey: "topup.credit_card" },
  { id: "all", detector: "failed-signin-rate", minSeverity: "LOW", switchKey: "topup.all" },
  { id: "deaf", detector: "topup-after-contact-change", minSeverity: "HIGH", switchKey: "topup.all" },
] as const;

describe("a policy against each wave", () => {
  let computed: RecordedWaves;
  beforeAll(async () => {
    computed = await computeRecordedWaves();
  }, 600_000);

  it("the recording is what the detectors compute today (else run `npx tsx scripts/record-policy-history.ts`)", () => {
    expect(RECORDED_WAVES).toEqual(computed);
  });

  it("prices every wave with and without the policy; a card switch cannot stop a cash-funded wave", () => {
    const tables = policyWaveTables(POLICIES);
    const card = new Map(tables.card!.map((r) => [r.variant, r]));
    const all = new Map(tables.all!.map((r) => [r.variant, r]));
    expect([...card.keys()]).toEqual([...WAVE_VARIANTS]);

    // Without a policy each wave takes all of its fraudulent top-ups, whatever the policy.
    for (const v of WAVE_VARIANTS) {
      expect(card.get(v)!.withoutYen).toBeGreaterThan(0);
      expect(all.get(v)!.withoutYen).toBe(card.get(v)!.withoutYen);
    }
    // The 7pay wave: failed sign-ins alert before the first fraudulent top-up and the card switch stops it all.
    const sevenPay = card.get("7pay")!;
    expect(sevenPay.engagedAfterMs).not.toBeNull();
    expect(sevenPay.engagedAfterMs!).toBeLessThan(0);
    expect(sevenPay.withYen).toBeLessThan(sevenPay.withoutYen / 100);
    // Cash top-ups: the same alert, but the card switch stops nothing; stopping every channel does.
    const cash = card.get("cash-top-ups")!;
    expect(cash.engagedAfterMs).toBe(sevenPay.engagedAfterMs);
    expect(cash.withYen).toBe(cash.withoutYen);
    expect(all.get("cash-top-ups")!.withYen).toBeLessThan(cash.withoutYen / 100);
    // A policy on a detector that never reaches its severity on a wave changes nothing there.
    for (const row of tables.deaf!) {
      if (row.engagedAfterMs === null) expect(row.withYen).toBe(row.withoutYen);
    }
  });

  it("a detector changed since the recording has no table, and the others keep theirs", () => {
    const recorded = {
      ...RECORDED_WAVES,
      versions: { ...RECORDED_WAVES.versions, [failedSignInRate.key]: failedSignInRate.version - 1 },
    };
    const tables: Record<string, WaveOutcome[]> = policyWaveTables(POLICIES, recorded, DETECTORS);
    expect(Object.keys(tables)).toEqual(["deaf"]);
    // A detector added since the recording is unknown too.
    const added = { ...failedSignInRate, key: "added-later" };
    expect(
      policyWaveTables([{ ...POLICIES[0], detector: "added-later" }], RECORDED_WAVES, [...DETECTORS, added]),
    ).toEqual({});
  });
});
