// The job pages and the dashboard name a job's kind through app/jobs/job-kind-label.ts, which writes the kinds out
// because the modules that register them are server-only. If a kind were renamed where it is registered, its label
// would quietly fall back to English: this holds the two lists together.
import type { TFunction } from "i18next";
import { describe, expect, it } from "vitest";
import { BULK_REVERSAL_KIND } from "~/jobs/bulk-reversal.server";
import { translateJobKind } from "~/jobs/job-kind-label";
import { COHORT_RESET_JOB } from "~/recovery/cohort-reset.server";
import { BACKTEST_JOB_KIND } from "~/risk/backtest-job.server";

const t = ((key: string) => `jobs:${key}`) as unknown as TFunction<"jobs">;

describe("job kind labels", () => {
  it("translate every kind a job handler registers", () => {
    for (const kind of [BULK_REVERSAL_KIND, COHORT_RESET_JOB, BACKTEST_JOB_KIND]) {
      expect(translateJobKind(t, kind, "untranslated"), kind).toMatch(/^jobs:kind\./);
    }
  });

  it("keep an unknown kind's own label", () => {
    expect(translateJobKind(t, "ledger.something-new", "Something new")).toBe("Something new");
  });
});
