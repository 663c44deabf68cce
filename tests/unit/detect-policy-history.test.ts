// The /policies page's "would have fired in the ordinary weeks" figures come from a recorded file, not from a replay
// run on a staff member's first visit: the recording must be what the code computes today, and a detector whose
// version differs from the recording's shows no figure rather than an old one.
import { describe, expect, it } from "vitest";
import { DETECTORS, failedSignInRate } from "~/detect/definitions";
import { computeOrdinaryHistory, historyFor, ordinaryHistory, wouldHaveFired } from "~/detect/policy-history.server";
import { RECORDED_ORDINARY_HISTORY } from "~/detect/policy-history.recorded";

describe("the recorded ordinary weeks", () => {
  it("are what the detectors compute today (else run `npx tsx scripts/record-policy-history.ts`)", async () => {
    expect(RECORDED_ORDINARY_HISTORY).toEqual(await computeOrdinaryHistory());
  }, 300_000);

  it("every running detector has figures, read without running anything", () => {
    const history = ordinaryHistory();
    expect(history.outdated).toEqual([]);
    expect(history.weeks).toBeGreaterThan(3);
    for (const d of DETECTORS) expect(wouldHaveFired(history, d.key, "LOW")).not.toBeNull();
  });

  it("a detector whose version changed since the recording has no figure, and says so", () => {
    const recorded = {
      ...RECORDED_ORDINARY_HISTORY,
      versions: { ...RECORDED_ORDINARY_HISTORY.versions, [failedSignInRate.key]: failedSignInRate.version - 1 },
      firings: { [failedSignInRate.key]: { LOW: 3, MEDIUM: 1, HIGH: 0 } },
    };
    const history = historyFor(recorded);
    expect(history.outdated).toEqual([failedSignInRate.key]);
    expect(wouldHaveFired(history, failedSignInRate.key, "LOW")).toBeNull();
    // A detector added since the recording is unknown too, not "never fired".
    const added = { ...failedSignInRate, key: "added-later" };
    expect(
      wouldHaveFired(historyFor(RECORDED_ORDINARY_HISTORY, [...DETECTORS, added]), "added-later", "LOW"),
    ).toBeNull();
  });
});
