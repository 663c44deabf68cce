// The backtest on the 7pay replay (a scaled-down seed in a database of the test's own): its ground truth is the
// generator's, its features for each recorded top-up, purchase, sign-in, contact change and reset request are exactly
// what the live path computes for that event at that moment, it never sees an event after the one it decides, it reads the recording in pages
// without changing a decision, and a rule that matches nothing says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbTx } from "~/db.server";
import type { GroundTruth } from "~/incidents/replay/replay-rows";
import { seedDatabase } from "~/incidents/replay/seed.server";
import { runBacktest, type DecidedEvent } from "~/risk/backtest.server";
import type { Outcome, RuleForEvaluation } from "~/risk/engine";
import { readFeatureSnapshot } from "~/risk/feature-snapshot.server";
import { computeFeatures, type EventKind, type FeatureValues } from "~/risk/features";
import { STARTER_RULES } from "~/risk/starter-rules";
import { openFreshDatabase, type FreshDatabase } from "../support/fresh-database";

const CUSTOMERS = 600;
const SEED_TIMEOUT = 600_000;
const STARTERS: RuleForEvaluation[] = STARTER_RULES.map((r, k) => ({ ...r, id: `starter-${k}`, version: 1 }));

let db: FreshDatabase;
let truth: GroundTruth;
type Traced = { event: DecidedEvent; features: FeatureValues; outcome: Outcome };
const trace: Traced[] = [];

/** Recomputes each traced event's features the live way (SQL on the recorded tables at its moment) and compares. */
async function expectLiveFeatures(sample: Traced[]) {
  await db.prisma.$transaction(
    async (tx) => {
      for (const { event, features } of sample) {
        const live = computeFeatures(event, await readFeatureSnapshot(tx as DbTx, event));
        expect({ id: event.id, kind: event.kind, ...live }).toEqual({ id: event.id, kind: event.kind, ...features });
      }
    },
    { timeout: 300_000 },
  );
}

function ruleOf(kind: EventKind, condition: string, outcome: Outcome = "BLOCK"): RuleForEvaluation {
  return {
    id: `rule-${kind}`,
    ruleKey: `rule-${kind}`,
    version: 1,
    condition,
    outcome,
    channel: null,
    eventKind: kind,
  };
}

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
    const stopped = trace.filter((t) => t.outcome !== "ALLOW" && fraudIds.has(t.event.id));
    expect(results.fraudStopped.topUps).toBe(stopped.length);
    expect(results.fraudStopped.yen).toBe(
      stopped.reduce((s, t) => s + (t.event.kind === "TOP_UP" ? t.event.amount : 0), 0),
    );
    expect(trace.every((t) => t.event.kind === "TOP_UP")).toBe(true);
    expect(results.topUpsReplayed).toBe(trace.length);
    expect(results.matchesByDay.reduce((s, d) => s + d.fraud + d.legitimate, 0)).toBe(results.matched.topUps);
    // The starter set's goals (README): at least 99% of the fraudulent yen, at most 0.1% of legitimate top-ups.
    expect(results.recallYen).toBeGreaterThanOrEqual(0.99);
    expect(results.legitimateTouchedShare).toBeLessThanOrEqual(0.001);
  });

  it("computes for each recorded top-up exactly the features the live path computes at that moment", async () => {
    expect(trace.length).toBeGreaterThan(100);
    // Every fraudulent top-up, and an even sample of the others.
    const fraudIds = new Set(truth.fraudulentTopUps.map((t) => t.transactionId));
    const sample = trace.filter((t, k) => fraudIds.has(t.event.id) || k % 7 === 0);
    await expectLiveFeatures(sample);
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
        {
          id: "x",
          ruleKey: "nothing",
          version: 1,
          condition: "amount > 100000",
          outcome: "BLOCK",
          channel: null,
          eventKind: "TOP_UP",
        },
      ]),
    );
    expect(results.matched.topUps).toBe(0);
    expect(results.precision).toBeNull();
    expect(results.recallYen).toBe(0);
  });

  it("decides purchases and sign-ins with the live path's features, one page or many", async () => {
    const rules = [
      ruleOf("PURCHASE", "resellable and device_age_hours < 24"),
      ruleOf("SIGN_IN", 'device_age_hours < 1 and ip_country != "JP"', "HOLD"),
    ];
    const traced: Traced[] = [];
    const results = await db.sqlTransaction((sql) =>
      runBacktest(sql, rules, { onDecision: (event, features, outcome) => traced.push({ event, features, outcome }) }),
    );
    const purchases = traced.filter((t) => t.event.kind === "PURCHASE");
    const signIns = traced.filter((t) => t.event.kind === "SIGN_IN");
    expect(purchases.length).toBeGreaterThan(50);
    expect(signIns.length).toBeGreaterThan(50);
    expect(traced.some((t) => t.event.kind === "TOP_UP")).toBe(false);
    expect(results.eventKinds.sort()).toEqual(["PURCHASE", "SIGN_IN"]);
    expect(results.byKind.PURCHASE!.replayed).toBe(purchases.length);
    expect(results.byKind.SIGN_IN!.replayed).toBe(signIns.length);
    // The attacker's purchases are the generator's fraudulent purchases.
    const fraudPurchases = new Set(truth.fraudulentPurchases.map((p) => p.transactionId));
    expect(results.byKind.PURCHASE!.fraud.events).toBe(fraudPurchases.size);
    expect(results.byKind.PURCHASE!.fraud.yen).toBe(truth.totals.fraudulentPurchaseYen);
    const stopped = purchases.filter((t) => t.outcome !== "ALLOW" && fraudPurchases.has(t.event.id));
    expect(results.byKind.PURCHASE!.fraudStopped.events).toBe(stopped.length);
    expect(stopped.length).toBeGreaterThan(0);
    expect(signIns.some((t) => t.outcome === "HOLD")).toBe(true);

    const sample = [
      ...purchases.filter((t, k) => fraudPurchases.has(t.event.id) || k % 9 === 0),
      ...signIns.filter((t, k) => t.outcome !== "ALLOW" || k % 9 === 0),
    ];
    await expectLiveFeatures(sample);

    // Small pages give the same decisions in the same order.
    const paged: Traced[] = [];
    await db.sqlTransaction((sql) =>
      runBacktest(sql, rules, {
        batchSize: 97,
        onDecision: (event, features, outcome) => paged.push({ event, features, outcome }),
      }),
    );
    expect(paged).toEqual(traced);
  });

  it("decides the app's contact changes and reset requests with the live path's features, one page or many", async () => {
    // The replay has no reset requests (the wallet records them from migration 20261206010000 on): record, as the
    // reset path would, a burst from one address naming five victims after the incident opened, and five other
    // customers' own requests from their own addresses days before.
    const { rows: opened } = await db.sql.query<{ opened_at: Date }>(`SELECT opened_at FROM incident WHERE code = $1`, [
      truth.incidentCode,
    ]);
    const openedAt = new Date(opened[0]!.opened_at).getTime();
    const victims = truth.victims.slice(0, 5).map((v) => v.customerId);
    const victimSet = new Set(truth.victims.map((v) => v.customerId));
    const { rows: others } = await db.sql.query<{ id: string }>(`SELECT id FROM customer ORDER BY id LIMIT 40`);
    const bystanders = others
      .map((r) => r.id)
      .filter((id) => !victimSet.has(id))
      .slice(0, 5);
    for (const [k, id] of victims.entries()) {
      await db.sql.query(
        `INSERT INTO reset_request (id, customer_id, ip, requested_at) VALUES (gen_random_uuid(), $1, $2, $3)`,
        [id, "192.0.2.99", new Date(openedAt + (k + 1) * 60_000).toISOString()],
      );
    }
    for (const [k, id] of bystanders.entries()) {
      await db.sql.query(
        `INSERT INTO reset_request (id, customer_id, ip, requested_at) VALUES (gen_random_uuid(), $1, $2, $3)`,
        [id, `203.0.113.${k + 1}`, new Date(openedAt - 3 * 24 * 3_600_000 + k * 60_000).toISOString()],
      );
    }
    // The request that named no account counts for its address only.
    await db.sql.query(
      `INSERT INTO reset_request (id, customer_id, ip, requested_at) VALUES (gen_random_uuid(), NULL, $1, $2)`,
      ["192.0.2.99", new Date(openedAt + 30_000).toISOString()],
    );
    const rules = [
      ruleOf("CONTACT_CHANGE", "device_age_hours < 24 and contact_changes_24h == 0"),
      ruleOf("RESET_REQUEST", "ip_reset_accounts_24h >= 3"),
    ];
    const traced: Traced[] = [];
    const results = await db.sqlTransaction((sql) =>
      runBacktest(sql, rules, { onDecision: (event, features, outcome) => traced.push({ event, features, outcome }) }),
    );
    const contacts = traced.filter((t) => t.event.kind === "CONTACT_CHANGE");
    const resets = traced.filter((t) => t.event.kind === "RESET_REQUEST");
    expect(results.eventKinds.sort()).toEqual(["CONTACT_CHANGE", "RESET_REQUEST"]);
    // The hijacks: every victim's email moved in the app during the incident.
    expect(results.byKind.CONTACT_CHANGE!.fraud.events).toBe(truth.totals.emailHijacked);
    expect(results.byKind.CONTACT_CHANGE!.replayed).toBe(contacts.length);
    expect(results.byKind.CONTACT_CHANGE!.fraudStopped.events).toBeGreaterThan(0);
    // Five victims' requests (the third to the fifth stopped) and five legitimate ones (none touched).
    expect(resets.length).toBe(10);
    expect(results.byKind.RESET_REQUEST).toMatchObject({
      replayed: 10,
      fraud: { events: 5, yen: 0 },
      fraudStopped: { events: 3, yen: 0 },
      legitimate: { events: 5, yen: 0 },
      legitimateTouched: { events: 0, yen: 0 },
    });
    expect(resets.filter((t) => t.outcome === "BLOCK").map((t) => t.features.ip_reset_accounts_24h)).toEqual([3, 4, 5]);
    expect(resets.filter((t) => t.outcome === "BLOCK").map((t) => t.features.ip_reset_requests_1h)).toEqual([3, 4, 5]);

    await expectLiveFeatures([...resets, ...contacts.filter((t, k) => t.outcome !== "ALLOW" || k % 5 === 0)]);

    const paged: Traced[] = [];
    await db.sqlTransaction((sql) =>
      runBacktest(sql, rules, {
        batchSize: 97,
        onDecision: (event, features, outcome) => paged.push({ event, features, outcome }),
      }),
    );
    expect(paged).toEqual(traced);
  });
});
