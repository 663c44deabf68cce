// The backtest: replays the recorded sign-ins, contact changes, top-ups, purchases and reset requests in time order
// through the same feature definition (app/risk/features.ts) and the same rule evaluation (app/risk/engine.ts) as the
// wallet's live paths, decides the events of the kinds the rules name, and scores what the rules would have done
// against the replay's ground truth: the victims are the incident's cases, and every victim sign-in, top-up,
// purchase, app contact change and reset request from the incident's opening is the attacker's
// (app/incidents/replay/generator.ts).
//
// What it does not model: a refused event is still replayed as history (the recording has it), so features after a
// refusal read as they were recorded, not as they would have been.
import type { SqlRunner } from "~/db/migrations.server";
import { INCIDENT_CODE } from "~/incidents/replay/generator";
import { CustomerSet, CustomerTable, ReplayHistory, type CustomerFacts } from "~/risk/backtest-state";
import { evaluateRules, rulesFor, type Outcome, type RuleForEvaluation } from "~/risk/engine";
import {
  computeFeatures,
  EVENT_KINDS,
  type EventKind,
  type FeatureValues,
  type FundingChannel,
  type RiskEvent,
} from "~/risk/features";
import { JST_OFFSET_MS } from "~/lib/jst-date-time";

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
    eventKind: EventKind;
  }[];
  /** The event kinds the rules decide; the figures below count those events (top-ups for a top-up rule). */
  eventKinds: EventKind[];
  byKind: Partial<Record<EventKind, KindFigures>>;
  eventsReplayed: number;
  /** Events decided (top-ups for a top-up rule; the name is the one saved backtests carry). */
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

export interface EventFigures {
  events: number;
  yen: number;
}

/** Figures for one event kind the rules decide (yen is 0 for sign-ins). */
export interface KindFigures {
  replayed: number;
  matched: number;
  fraud: EventFigures;
  fraudStopped: EventFigures;
  legitimate: EventFigures;
  legitimateTouched: EventFigures;
}

export interface BacktestOptions {
  /** Replay only events at or before this moment. */
  until?: Date;
  /** Called for every decided event with its features and outcome (tests compare these with the live path). */
  onDecision?: (event: DecidedEvent, features: FeatureValues, outcome: Outcome) => void;
  /** Called after every batch: events read so far, and the number there are in all. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
  /** Rows read per query (keyset pages): memory holds a few batches, never the whole recording. */
  batchSize?: number;
}

/** A replayed event and the row it was recorded as (ledger transaction for money, login_event for a sign-in). */
export type DecidedEvent = RiskEvent & { id: string };

interface SignInRow {
  at: Date;
  id: string;
  customer_id: string;
  ip: string;
  country: string;
  fingerprint: string | null;
  first_seen_at: Date | null;
}
interface ContactRow {
  at: Date;
  id: string;
  customer_id: string;
  field: "EMAIL" | "PHONE";
  source: string;
}
interface ResetRow {
  at: Date;
  id: string;
  customer_id: string | null;
  ip: string | null;
}
interface TopUpRow {
  at: Date;
  id: string;
  customer_id: string;
  amount: number;
  funding_source_id: string | null;
  channel: FundingChannel;
}
interface PurchaseRow {
  at: Date;
  id: string;
  customer_id: string;
  amount: number;
  store_code: string;
  lines: { c: string; r: boolean; y: number }[];
}

const DEFAULT_BATCH = 5000;
const FIRST_ID = "00000000-0000-0000-0000-000000000000";

/**
 * One recorded stream read in time order a page at a time (keyset on (time, id), so each page is an index range and
 * nothing is skipped or read twice while the replay runs in its one snapshot transaction).
 */
class KeysetStream<T extends { at: Date; id: string }> {
  private rows: T[] = [];
  private k = 0;
  private done = false;
  private lastAt = "-infinity";
  private lastId = FIRST_ID;
  read = 0;

  constructor(
    private readonly sql: SqlRunner,
    /** A query with $1 = last time, $2 = last id, $3 = until, $4 = page size, ordered by (time, id). */
    private readonly text: string,
    private readonly until: string,
    private readonly batch: number,
  ) {}

  /** The next row without taking it; null at the end. Reads the next page when this one is used up. */
  async peek(): Promise<T | null> {
    if (this.k < this.rows.length) return this.rows[this.k]!;
    if (this.done) return null;
    const { rows } = await this.sql.query<T>(this.text, [this.lastAt, this.lastId, this.until, this.batch]);
    this.rows = rows;
    this.k = 0;
    if (rows.length < this.batch) this.done = true;
    const last = rows[rows.length - 1];
    if (!last) return null;
    this.lastAt = new Date(last.at).toISOString();
    this.lastId = last.id;
    return rows[0]!;
  }

  take(): T {
    this.read += 1;
    return this.rows[this.k++]!;
  }
}

const SIGN_INS = `SELECT l.occurred_at AS at, l.id::text AS id, l.customer_id, l.ip, l.country, d.fingerprint, d.first_seen_at
  FROM login_event l LEFT JOIN device d ON d.id = l.device_id
 WHERE l.success AND (l.occurred_at, l.id) > ($1::timestamptz, $2::uuid) AND l.occurred_at <= $3::timestamptz
 ORDER BY l.occurred_at, l.id LIMIT $4`;
const CONTACTS = `SELECT changed_at AS at, id::text AS id, customer_id, field::text AS field, source FROM contact_change
 WHERE (changed_at, id) > ($1::timestamptz, $2::uuid) AND changed_at <= $3::timestamptz
 ORDER BY changed_at, id LIMIT $4`;
// Recorded from the migration that added reset rules on (20261206010000): older history has no reset requests.
const RESETS = `SELECT requested_at AS at, id::text AS id, customer_id, ip FROM reset_request
 WHERE (requested_at, id) > ($1::timestamptz, $2::uuid) AND requested_at <= $3::timestamptz
 ORDER BY requested_at, id LIMIT $4`;
/** A contact change the customer's app made: the only kind a contact-change rule decides (staff changes are history). */
const CUSTOMER_CONTACT_SOURCE = "APP";
const TOP_UPS = `SELECT t.occurred_at AS at, t.id::text AS id, t.customer_id, t.amount, t.funding_source_id,
       t.channel::text AS channel
  FROM ledger_transaction t
 WHERE t.kind = 'TOP_UP' AND (t.occurred_at, t.id) > ($1::timestamptz, $2::uuid) AND t.occurred_at <= $3::timestamptz
 ORDER BY t.occurred_at, t.id LIMIT $4`;
// A purchase's lines are read only when purchases are decided: as history only its time and total matter.
const purchasesQuery = (withLines: boolean) => `SELECT p.occurred_at AS at, p.transaction_id::text AS id, p.customer_id,
       p.total AS amount, s.code AS store_code,
       ${
         withLines
           ? `(SELECT json_agg(json_build_object('c', i.category_code, 'r', c.resellable, 'y', i.quantity * i.unit_price))
                FROM purchase_item i JOIN product_category c ON c.code = i.category_code
               WHERE i.purchase_id = p.id)`
           : "NULL"
       } AS lines
  FROM purchase p JOIN store s ON s.id = p.store_id
 WHERE (p.occurred_at, p.transaction_id) > ($1::timestamptz, $2::uuid) AND p.occurred_at <= $3::timestamptz
 ORDER BY p.occurred_at, p.transaction_id LIMIT $4`;

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

/** The facts of every customer, read in keyset pages of the primary key (never one result of a million rows). */
async function readCustomers(sql: SqlRunner, batch: number): Promise<CustomerTable> {
  const table = new CustomerTable();
  let after = FIRST_ID;
  for (;;) {
    const { rows } = await sql.query<{ id: string; created_at: Date; two_factor_enrolled: boolean }>(
      `SELECT id::text AS id, created_at, two_factor_enrolled FROM customer WHERE id > $1::uuid ORDER BY id LIMIT $2`,
      [after, batch * 10],
    );
    for (const row of rows) table.add(row.id, new Date(row.created_at), row.two_factor_enrolled);
    if (rows.length < batch * 10) return table;
    after = rows[rows.length - 1]!.id;
  }
}

function emptyKind(): KindFigures {
  const zero = () => ({ events: 0, yen: 0 });
  return {
    replayed: 0,
    matched: 0,
    fraud: zero(),
    fraudStopped: zero(),
    legitimate: zero(),
    legitimateTouched: zero(),
  };
}

async function countEvents(sql: SqlRunner, until: string): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(
    `SELECT ((SELECT count(*) FROM login_event WHERE success AND occurred_at <= $1::timestamptz)
           + (SELECT count(*) FROM contact_change WHERE changed_at <= $1::timestamptz)
           + (SELECT count(*) FROM ledger_transaction WHERE kind = 'TOP_UP' AND occurred_at <= $1::timestamptz)
           + (SELECT count(*) FROM purchase WHERE occurred_at <= $1::timestamptz)
           + (SELECT count(*) FROM reset_request WHERE requested_at <= $1::timestamptz))::text AS n`,
    [until],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Reads through the driver (the rows are many and Prisma's per-row cost dominates); run it in one transaction, so
 * that every page reads the same snapshot. The four recorded streams are merged in time order; at one moment a
 * sign-in comes first, then a contact change, then money, as the live path would have seen them.
 */
export async function runBacktest(
  sql: SqlRunner,
  rules: readonly RuleForEvaluation[],
  options: BacktestOptions = {},
): Promise<BacktestResults> {
  const started = performance.now();
  // PostgreSQL's 'infinity' when no bound is asked for (a far-future Date does not survive the driver).
  const until = options.until?.toISOString() ?? "infinity";
  const batch = options.batchSize ?? DEFAULT_BATCH;
  const truth = await readGroundTruth(sql);
  const total = options.onProgress ? await countEvents(sql, until) : 0;
  const decidedKinds = new Set<EventKind>(rules.map((r) => r.eventKind));
  if (decidedKinds.size === 0) decidedKinds.add("TOP_UP");
  const rulesByKind = new Map<EventKind, RuleForEvaluation[]>(
    EVENT_KINDS.map((kind) => [kind, rules.filter((r) => r.eventKind === kind)]),
  );
  const signIns = new KeysetStream<SignInRow>(sql, SIGN_INS, until, batch);
  const contacts = new KeysetStream<ContactRow>(sql, CONTACTS, until, batch);
  const topUps = new KeysetStream<TopUpRow>(sql, TOP_UPS, until, batch);
  const purchases = new KeysetStream<PurchaseRow>(sql, purchasesQuery(decidedKinds.has("PURCHASE")), until, batch);
  // A few numbers per customer (the facts a feature reads); every event's history is windowed (backtest-state.ts).
  const customers = await readCustomers(sql, batch);
  const factsOf = (row: { customer_id: string }) => customers.factsOf(row.customer_id);
  const resets = new KeysetStream<ResetRow>(sql, RESETS, until, batch);
  // Ties at one moment: the earlier stream in this list goes first.
  const streams = [signIns, contacts, topUps, purchases, resets] as const;

  const history = new ReplayHistory(customers);
  const results = emptyResults(rules, truth, [...decidedKinds]);
  const days = new Map<string, { fraud: number; legitimate: number }>();
  const legitimateCustomers = new CustomerSet(customers);
  const touchedLegitimate = new CustomerSet(customers);
  const stoppedVictims = new CustomerSet(customers);
  let read = 0;
  const openedAt = truth?.openedAt.getTime() ?? Infinity;

  const decide = (event: DecidedEvent, facts: CustomerFacts, yen: number) => {
    const kind = event.kind;
    if (!decidedKinds.has(kind)) return;
    const t = event.at.getTime();
    const features = computeFeatures(event, history.snapshotFor(event, facts));
    const verdict = evaluateRules(
      rulesFor(rulesByKind.get(kind)!, kind, event.kind === "TOP_UP" ? event.channel : null),
      features,
    );
    options.onDecision?.(event, features, verdict.outcome);
    const figures = results.byKind[kind]!;
    figures.replayed += 1;
    results.topUpsReplayed += 1;
    const fraudulent = truth !== null && truth.victims.has(event.customerId) && t >= openedAt;
    if (fraudulent) {
      figures.fraud.events += 1;
      figures.fraud.yen += yen;
      results.groundTruth.topUps += 1;
      results.groundTruth.yen += yen;
    } else {
      figures.legitimate.events += 1;
      figures.legitimate.yen += yen;
      results.legitimateTotal.topUps += 1;
      results.legitimateTotal.yen += yen;
      legitimateCustomers.add(event.customerId);
    }
    if (verdict.matches.length > 0) {
      figures.matched += 1;
      results.matched.topUps += 1;
      results.matched.yen += yen;
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
        figures.fraudStopped.events += 1;
        figures.fraudStopped.yen += yen;
        results.fraudStopped.topUps += 1;
        results.fraudStopped.yen += yen;
        stoppedVictims.add(event.customerId);
      } else {
        figures.legitimateTouched.events += 1;
        figures.legitimateTouched.yen += yen;
        results.legitimateTouched.topUps += 1;
        results.legitimateTouched.yen += yen;
        touchedLegitimate.add(event.customerId);
      }
    }
  };

  for (;;) {
    let next = -1;
    let nextAt = Infinity;
    for (let k = 0; k < streams.length; k++) {
      const head = await streams[k]!.peek();
      if (head && new Date(head.at).getTime() < nextAt) {
        nextAt = new Date(head.at).getTime();
        next = k;
      }
    }
    if (next === -1) break;
    read += 1;
    if (next === 0) {
      const row = signIns.take();
      const at = new Date(row.at);
      const signIn = {
        customerId: row.customer_id,
        at,
        ip: row.ip,
        country: row.country,
        fingerprint: row.fingerprint,
        deviceFirstSeenAt: row.first_seen_at ? new Date(row.first_seen_at) : null,
      };
      // A sign-in without a device record cannot be decided as the live path decides one (it always has a device).
      if (row.fingerprint) {
        const firstSeen = signIn.deviceFirstSeenAt;
        decide(
          {
            kind: "SIGN_IN",
            id: row.id,
            customerId: row.customer_id,
            at,
            ip: row.ip,
            country: row.country,
            fingerprint: row.fingerprint,
            // The device's first sign-in is this one: the device was new to the account when it was decided.
            deviceFirstSeenAt: firstSeen && firstSeen.getTime() < at.getTime() ? firstSeen : null,
          },
          factsOf(row),
          0,
        );
      }
      // Decided: only now does this event become history for the next one.
      history.addSignIn(signIn);
    } else if (next === 1) {
      const row = contacts.take();
      const at = new Date(row.at);
      if (row.source === CUSTOMER_CONTACT_SOURCE) {
        decide(
          { kind: "CONTACT_CHANGE", id: row.id, customerId: row.customer_id, field: row.field, at },
          factsOf(row),
          0,
        );
      }
      history.addContactChange(row.customer_id, at);
    } else if (next === 2) {
      const row = topUps.take();
      const at = new Date(row.at);
      decide(
        {
          kind: "TOP_UP",
          id: row.id,
          customerId: row.customer_id,
          fundingSourceId: row.funding_source_id ?? "",
          channel: row.channel,
          amount: row.amount,
          at,
        },
        factsOf(row),
        row.amount,
      );
      history.addTopUp(row.customer_id, at, row.amount, row.funding_source_id);
    } else if (next === 4) {
      const row = resets.take();
      const at = new Date(row.at);
      // A request that named no account is history only (it counts for its address).
      if (row.customer_id) {
        decide(
          { kind: "RESET_REQUEST", id: row.id, customerId: row.customer_id, ip: row.ip, at },
          factsOf({ customer_id: row.customer_id }),
          0,
        );
      }
      history.addResetRequest(row.customer_id, row.ip, at);
    } else {
      const row = purchases.take();
      const at = new Date(row.at);
      decide(
        {
          kind: "PURCHASE",
          id: row.id,
          customerId: row.customer_id,
          storeCode: row.store_code,
          amount: row.amount,
          lines: (row.lines ?? []).map((l) => ({ categoryCode: l.c, resellable: l.r, yen: l.y })),
          at,
        },
        factsOf(row),
        row.amount,
      );
      history.addPurchase(row.customer_id, at, row.amount);
    }
    if (options.onProgress && read % batch === 0) await options.onProgress(read, total);
  }
  if (options.onProgress) await options.onProgress(read, Math.max(read, total));
  results.eventsReplayed = read;
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
  kinds: EventKind[],
): BacktestResults {
  return {
    eventKinds: kinds,
    byKind: Object.fromEntries(kinds.map((kind) => [kind, emptyKind()])),
    rules: rules.map((r) => ({
      id: r.id,
      ruleKey: r.ruleKey,
      version: r.version,
      condition: r.condition,
      outcome: r.outcome,
      channel: r.channel,
      eventKind: r.eventKind,
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
