// The backtest: replays the recorded sign-ins, contact changes and top-ups in time order through the same feature
// definition (app/risk/features.ts) and the same rule evaluation (app/risk/engine.ts) as the payment path, and scores
// what the rules would have done against the replay's ground truth: the victims are the incident's cases, and every
// victim top-up from the incident's opening is the attacker's (app/incidents/replay/generator.ts).
//
// What it does not model: a refused top-up is still replayed as history (the recording has it), so velocity features
// after a refusal read as they were recorded, not as they would have been.
import type { SqlRunner } from "~/db/migrations.server";
import { INCIDENT_CODE } from "~/incidents/replay/generator";
import { ReplayHistory, type CustomerFacts } from "~/risk/backtest-state";
import { evaluateRules, type Outcome, type RuleForEvaluation } from "~/risk/engine";
import { computeTopUpFeatures, type FeatureValues, type FundingChannel, type TopUpEvent } from "~/risk/features";

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

export interface BacktestFigures {
  topUps: number;
  yen: number;
}

export interface BacktestResults {
  rules: {
    id: string;
    ruleKey: string;
    version: number;
    condition: string;
    outcome: Outcome;
    channel: string | null;
  }[];
  eventsReplayed: number;
  topUpsReplayed: number;
  matched: BacktestFigures & { byOutcome: Record<Outcome, number> };
  groundTruth: { available: boolean; incidentCode: string | null; victims: number } & BacktestFigures;
  fraudStopped: BacktestFigures & { victims: number };
  legitimateTotal: BacktestFigures & { customers: number };
  legitimateTouched: BacktestFigures & { customers: number };
  /** Of the top-ups the rules touched, the share that were fraudulent. null when nothing matched. */
  precision: number | null;
  /** Share of the fraudulent yen the rules would have stopped. null without ground truth. */
  recallYen: number | null;
  recallTopUps: number | null;
  /** Share of legitimate top-ups touched (step-up counts as touching). */
  legitimateTouchedShare: number | null;
  /** Matches per day (JST), split into fraud and legitimate. */
  matchesByDay: { day: string; fraud: number; legitimate: number }[];
  elapsedMs: number;
}

export interface BacktestOptions {
  /** Replay only events at or before this moment. */
  until?: Date;
  /** Called for every replayed top-up with its features and outcome (tests compare these with the live path). */
  onDecision?: (event: TopUpEvent & { transactionId: string }, features: FeatureValues, outcome: Outcome) => void;
  onProgress?: (done: number, total: number) => void;
}

interface SignInRow {
  at: Date;
  customer_id: string;
  ip: string;
  country: string;
  fingerprint: string | null;
  first_seen_at: Date | null;
}
interface ContactRow {
  at: Date;
  customer_id: string;
}
interface TopUpRow {
  at: Date;
  id: string;
  customer_id: string;
  amount: number;
  funding_source_id: string | null;
  channel: FundingChannel;
}

async function readGroundTruth(sql: SqlRunner) {
  const { rows } = await sql.query<{ id: string; opened_at: Date }>(
    `SELECT id, opened_at FROM incident WHERE code = $1`,
    [INCIDENT_CODE],
  );
  const incident = rows[0];
  if (!incident) return null;
  const cases = await sql.query<{ customer_id: string }>(
    `SELECT customer_id FROM incident_case WHERE incident_id = $1`,
    [incident.id],
  );
  return {
    code: INCIDENT_CODE,
    openedAt: new Date(incident.opened_at),
    victims: new Set(cases.rows.map((c) => c.customer_id)),
  };
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Reads through the driver (the rows are many and Prisma's per-row cost dominates); run it in one transaction. */
export async function runBacktest(
  sql: SqlRunner,
  rules: readonly RuleForEvaluation[],
  options: BacktestOptions = {},
): Promise<BacktestResults> {
  const started = performance.now();
  // PostgreSQL's 'infinity' when no bound is asked for (a far-future Date does not survive the driver).
  const until = options.until?.toISOString() ?? "infinity";
  const truth = await readGroundTruth(sql);
  const customers = new Map<string, CustomerFacts>();
  const facts = await sql.query<{ id: string; created_at: Date; two_factor_enrolled: boolean }>(
    `SELECT id, created_at, two_factor_enrolled FROM customer`,
  );
  for (const row of facts.rows) {
    customers.set(row.id, { createdAt: new Date(row.created_at), twoFactorEnrolled: row.two_factor_enrolled });
  }
  // Three time-ordered streams, merged below. Sign-ins and contact changes at time t are known to a top-up at t.
  const signIns = (
    await sql.query<SignInRow>(
      `SELECT l.occurred_at AS at, l.customer_id, l.ip, l.country, d.fingerprint, d.first_seen_at
       FROM login_event l LEFT JOIN device d ON d.id = l.device_id
      WHERE l.success AND l.occurred_at <= $1::timestamptz ORDER BY l.occurred_at, l.id`,
      [until],
    )
  ).rows;
  const contacts = (
    await sql.query<ContactRow>(
      `SELECT changed_at AS at, customer_id FROM contact_change WHERE changed_at <= $1::timestamptz ORDER BY changed_at, id`,
      [until],
    )
  ).rows;
  const topUps = (
    await sql.query<TopUpRow>(
      `SELECT occurred_at AS at, id, customer_id, amount, funding_source_id, channel::text AS channel
       FROM ledger_transaction WHERE kind = 'TOP_UP' AND occurred_at <= $1::timestamptz ORDER BY occurred_at, id`,
      [until],
    )
  ).rows;

  const history = new ReplayHistory(customers);
  const results = emptyResults(rules, truth);
  const days = new Map<string, { fraud: number; legitimate: number }>();
  const legitimateCustomers = new Set<string>();
  const touchedLegitimate = new Set<string>();
  const stoppedVictims = new Set<string>();
  let s = 0;
  let c = 0;
  for (let k = 0; k < topUps.length; k++) {
    const row = topUps[k]!;
    const t = row.at.getTime();
    while (s < signIns.length && signIns[s]!.at.getTime() <= t) {
      const sign = signIns[s++]!;
      history.addSignIn({
        customerId: sign.customer_id,
        at: sign.at,
        ip: sign.ip,
        country: sign.country,
        fingerprint: sign.fingerprint,
        deviceFirstSeenAt: sign.first_seen_at,
      });
    }
    while (c < contacts.length && contacts[c]!.at.getTime() <= t) {
      const change = contacts[c++]!;
      history.addContactChange(change.customer_id, change.at);
    }
    const event: TopUpEvent = {
      customerId: row.customer_id,
      fundingSourceId: row.funding_source_id ?? "",
      channel: row.channel,
      amount: row.amount,
      at: row.at,
    };
    const features = computeTopUpFeatures(event, history.snapshotFor(event));
    const verdict = evaluateRules(rules, features);
    options.onDecision?.({ ...event, transactionId: row.id }, features, verdict.outcome);
    // Decided: only now does this top-up become history for the next one.
    history.addTopUp(row.customer_id, row.at, row.amount, row.funding_source_id);

    const fraudulent = truth !== null && truth.victims.has(row.customer_id) && t >= truth.openedAt.getTime();
    if (fraudulent) {
      results.groundTruth.topUps += 1;
      results.groundTruth.yen += row.amount;
    } else {
      results.legitimateTotal.topUps += 1;
      results.legitimateTotal.yen += row.amount;
      legitimateCustomers.add(row.customer_id);
    }
    if (verdict.matches.length > 0) {
      results.matched.topUps += 1;
      results.matched.yen += row.amount;
      results.matched.byOutcome[verdict.outcome] += 1;
      const day = new Date(t + JST_OFFSET_MS).toISOString().slice(0, 10);
      const bucket = days.get(day) ?? { fraud: 0, legitimate: 0 };
      days.set(day, bucket);
      if (fraudulent) bucket.fraud += 1;
      else bucket.legitimate += 1;
    }
    // Touching / stopping: anything but allow. A step-up stops an attacker without the victim's authenticator.
    if (verdict.outcome !== "ALLOW") {
      if (fraudulent) {
        results.fraudStopped.topUps += 1;
        results.fraudStopped.yen += row.amount;
        stoppedVictims.add(row.customer_id);
      } else {
        results.legitimateTouched.topUps += 1;
        results.legitimateTouched.yen += row.amount;
        touchedLegitimate.add(row.customer_id);
      }
    }
    if (options.onProgress && k % 5000 === 0) options.onProgress(k, topUps.length);
  }
  results.eventsReplayed = topUps.length + s + c;
  results.topUpsReplayed = topUps.length;
  results.fraudStopped.victims = stoppedVictims.size;
  results.legitimateTotal.customers = legitimateCustomers.size;
  results.legitimateTouched.customers = touchedLegitimate.size;
  const touched = results.fraudStopped.topUps + results.legitimateTouched.topUps;
  results.precision = share(results.fraudStopped.topUps, touched);
  results.recallYen = truth ? share(results.fraudStopped.yen, results.groundTruth.yen) : null;
  results.recallTopUps = truth ? share(results.fraudStopped.topUps, results.groundTruth.topUps) : null;
  results.legitimateTouchedShare = share(results.legitimateTouched.topUps, results.legitimateTotal.topUps);
  results.matchesByDay = [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, v]) => ({ day, ...v }));
  results.elapsedMs = Math.round(performance.now() - started);
  return results;
}

function emptyResults(
  rules: readonly RuleForEvaluation[],
  truth: Awaited<ReturnType<typeof readGroundTruth>>,
): BacktestResults {
  return {
    rules: rules.map((r) => ({
      id: r.id,
      ruleKey: r.ruleKey,
      version: r.version,
      condition: r.condition,
      outcome: r.outcome,
      channel: r.channel,
    })),
    eventsReplayed: 0,
    topUpsReplayed: 0,
    matched: { topUps: 0, yen: 0, byOutcome: { ALLOW: 0, STEP_UP: 0, HOLD: 0, BLOCK: 0 } },
    groundTruth: {
      available: truth !== null,
      incidentCode: truth?.code ?? null,
      victims: truth?.victims.size ?? 0,
      topUps: 0,
      yen: 0,
    },
    fraudStopped: { topUps: 0, yen: 0, victims: 0 },
    legitimateTotal: { topUps: 0, yen: 0, customers: 0 },
    legitimateTouched: { topUps: 0, yen: 0, customers: 0 },
    precision: null,
    recallYen: null,
    recallTopUps: null,
    legitimateTouchedShare: null,
    matchesByDay: [],
    elapsedMs: 0,
  };
}
