// The policy editor's per-wave table: a policy run against every wave the generator can produce, on the replay's
// recorded history with the live engine, priced as the yen the attack still takes with the policy and without it.
// No database: the waves are generated in memory, so it runs once, with the unit tests.
import { describe, expect, it } from "vitest";
import { policyWaveTables, policyWaveTablesWithin } from "~/detect/policy-waves.server";
import { WAVE_VARIANTS } from "~/incidents/replay/wave-variants";

const CARD_POLICY = {
  id: "card",
  detector: "failed-signin-rate",
  minSeverity: "LOW",
  switchKey: "topup.credit_card",
} as const;

describe("a policy against each wave", () => {
  it('a page that cannot wait for the first computation gets null ("still computing"), not an error', async () => {
    // First call in this process: the backtests take seconds, far longer than a millisecond.
    expect(await policyWaveTablesWithin([CARD_POLICY], 1)).toBeNull();
  });

  it("prices every wave with and without the policy; a card switch cannot stop a cash-funded wave", async () => {
    const tables = await policyWaveTables([
      { id: "card", detector: "failed-signin-rate", minSeverity: "LOW", switchKey: "topup.credit_card" },
      { id: "all", detector: "failed-signin-rate", minSeverity: "LOW", switchKey: "topup.all" },
      { id: "deaf", detector: "topup-after-contact-change", minSeverity: "HIGH", switchKey: "topup.all" },
    ]);
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
  }, 600_000);

  it("once computed, the tables come at once to the next page", async () => {
    const ready = await policyWaveTablesWithin([CARD_POLICY], 1_000);
    expect(ready?.card).toEqual((await policyWaveTables([CARD_POLICY])).card);
  });
});
