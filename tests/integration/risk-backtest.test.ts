// The backtest on the 7pay replay (a scaled-down seed in a database of the test's own): its ground truth is the
// generator's, its features for each recorded top-up are exactly what the live path computes for that top-up at that
// moment, it never sees an event after the one it decides, and a rule that matches nothing says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbTx } from "~/db.server";
import type { GroundTruth } from "~/incidents/replay/generator";
import { seedDatabase } from "~/incidents/replay/seed.server";
import { runBacktest } from "~/risk/backtest.server";
import type { Outcome, RuleForEvaluation } from "~/risk/engine";
import { readFeatureSnapshot } from "~/risk/feature-snapshot.server";
import { computeTopUpFeatures, type FeatureValues, type TopUpEvent } from "~/risk/features";
import { STARTER_RULES } from "~/risk/starter-rules";
import { openFreshDatabase, type FreshDatabase } from "../support/fresh-database";

const CUSTOMERS = 600;
const SEED_TIMEOUT = 600_000;
const STARTERS: RuleForEvaluation[] = STARTER_RULES.map((r, k) => ({ ...r, id: `starter-${k}`, version: 1 }));

let db: FreshDatabase;
let truth: GroundTruth;
type Traced = { event: TopUpEvent & { transactionId: string }; features: FeatureValues; outcome: Outcome };
const trace: Traced[] = [];

beforeAll(async () => {
  db = await openFreshDatabase();
  truth = (await seedDatabase(db, { customers: CUSTOMERS, audit: false })).groundTruth;
}, SEED_TIMEOUT);
afterAll(async () => {
  await db?.dispose();
});

describe("the backtest on the replay", () => {
  it("scores against the replay's ground truth", async () => {
    const results = await db.sqlTransaction((sql) =>
      runBacktest(sql, STARTERS, {
        onDecision: (event, features, outcome) => trace.push({ event, features, outcome }),
      }),
    );
    expect(results.groundTruth).toMatchObject({
      available: true,
      victims: truth.totals.victims,
      topUps: truth.fraudulentTopUps.length,
      yen: truth.totals.fraudulentTopUpYen,
    });
    const fraudIds = new Set(truth.fraudulentTopUps.map((t) => t.transactionId));
    const stopped = trace.filter((t) => t.outcome !== "ALLOW" && fraudIds.has(t.event.transactionId));
    expect(results.fraudStopped.topUps).toBe(stopped.length);
    expect(results.fraudStopped.yen).toBe(stopped.reduce((s, t) => s + t.event.amount, 0));
    expect(results.topUpsReplayed).toBe(trace.length);
    expect(results.matchesByDay.reduce((s, d) => s + d.fraud + d.legitimate, 0)).toBe(results.matched.topUps);
    expect(results.recallYen).toBeGreaterThan(0.5);
  });

  it("computes for each recorded top-up exactly the features the live path computes at that moment", async () => {
    expect(trace.length).toBeGreaterThan(100);
    // Every fraudulent top-up, and an even sample of the others.
    const fraudIds = new Set(truth.fraudulentTopUps.map((t) => t.transactionId));
    const sample = trace.filter((t, k) => fraudIds.has(t.event.transactionId) || k % 7 === 0);
    await db.prisma.$transaction(
      async (tx) => {
        for (const { event, features } of sample) {
          const live = computeTopUpFeatures(event, await readFeatureSnapshot(tx as DbTx, event));
          expect({ id: event.transactionId, ...live }).toEqual({ id: event.transactionId, ...features });
        }
      },
      { timeout: 300_000 },
    );
  });

  it("never sees an event after the one it decides", async () => {
    // Cut the recording in the middle of the incident: every decision up to the cut must be the same as with the
    // whole recording, feature for feature.
    const cut = new Date((Date.parse(truth.window.start) + Date.parse(truth.window.end)) / 2);
    const before: Traced[] = [];
    await db.sqlTransaction((sql) =>
      runBacktest(sql, STARTERS, {
        until: cut,
        onDecision: (event, features, outcome) => before.push({ event, features, outcome }),
      }),
    );
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((t) => t.event.at <= cut)).toBe(true);
    expect(before).toEqual(trace.slice(0, before.length));
    expect(trace[before.length]!.event.at.getTime()).toBeGreaterThan(cut.getTime());
  });

  it("says when a rule matches nothing", async () => {
    const results = await db.sqlTransaction((sql) =>
      runBacktest(sql, [
        { id: "x", ruleKey: "nothing", version: 1, condition: "amount > 100000", outcome: "BLOCK", channel: null },
      ]),
    );
    expect(results.matched.topUps).toBe(0);
    expect(results.precision).toBeNull();
    expect(results.recallYen).toBe(0);
  });
});
