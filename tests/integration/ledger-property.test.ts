// A seeded, replayable property test of the ledger under random operations: top-ups, purchases, partial and full
// reversals (through the audited reversal service), retries with the same idempotency key (same and different
// parameters), invalid amounts, other accounts' charges, reversals of reversals. fast-check generates each lane's
// operations; a reference model predicts every outcome; after every 1,000 operations and at the end the database must
// agree with the model and with itself: debits equal credits, every balance equals the sum of its entries, no reversal
// exceeds its charge, no wallet < 0.
//
// The suite runs 2,000 operations; `npm run test:ledger-property` runs the long 10,000-operation version. Seed:
// printed. Replay a failure with FIREBREAK_PROPERTY_SEED=<seed>; FIREBREAK_PROPERTY_OPS=<n> changes the length.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database, prisma } from "~/db.server";
import { checkLedgerIntegrity } from "~/incidents/replay/bulk-load.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { createTestCustomer } from "../support/customers";
import { staffContext } from "../support/staff";
import { buy, createStore, freezeAccount, topUp, type TestCustomer } from "../support/ledger-fixtures";

const SEED = Number(process.env.FIREBREAK_PROPERTY_SEED ?? Date.now() % 1_000_000_007);
const OPERATIONS = Number(process.env.FIREBREAK_PROPERTY_OPS ?? 2_000);
const CHECK_EVERY = 1_000;
const LANES = 8;
const PER_LANE = Math.ceil(OPERATIONS / LANES);
const REASONS = ["FRAUDULENT", "DUPLICATE", "CUSTOMER_REQUEST", "OTHER", "NOT_A_REASON"] as const;

// A share in [0, 1), uniform: picks an item, or a point in a range known only when the operation runs. (Not fc.double:
// it is uniform over the representable doubles, most of which lie close to 0.)
const SHARE_STEPS = 1_000_000;
const share = fc.integer({ min: 0, max: SHARE_STEPS - 1 }).map((n) => n / SHARE_STEPS);
const chance = (probability: number) => share.map((x) => x < probability);
const among = <T>(items: readonly T[], at: number): T => items[Math.floor(at * items.length)]!;
const within = (lo: number, hi: number, at: number) => lo + Math.floor(at * (hi - lo + 1));

/** One random operation. Fields an operation does not use are ignored; a lane with nothing to reverse tops up. */
const Operation = fc.record({
  kind: fc.oneof(
    { weight: 30, arbitrary: fc.constant("top-up" as const) },
    { weight: 25, arbitrary: fc.constant("purchase" as const) },
    { weight: 33, arbitrary: fc.constant("reverse" as const) },
    { weight: 12, arbitrary: fc.constant("retry" as const) },
  ),
  // Top-up: mostly valid amounts, sometimes zero, negative or fractional.
  topUpAmount: fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 30_000 }) },
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: -500, max: -1 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 500 }).map((n) => n + 0.5) },
  ),
  // Purchase: sometimes more than the wallet holds (the database refuses it).
  purchase: fc.record({ affordable: chance(0.8), at: share, excess: fc.integer({ min: 1, max: 5_000 }) }),
  reversal: fc.record({
    charge: share,
    ofReversal: chance(0.03),
    reversal: share,
    foreign: chance(0.06),
    amount: fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant("part" as const), at: share }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("all" as const) }) },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant("over" as const), by: fc.integer({ min: 1, max: 1_000 }) }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("invalid" as const),
          value: fc.oneof(
            fc.constant(0),
            fc.integer({ min: -100, max: -1 }),
            fc.integer({ min: 1, max: 100 }).map((n) => n + 0.25),
            fc.constant(Number.NaN),
          ),
        }),
      },
    ),
    reasonCode: fc.constantFrom(...REASONS),
    withNote: chance(0.7),
    agent: fc.integer({ min: 0, max: 1 }),
  }),
  retry: fc.record({ of: share, changed: chance(0.4) }),
});
type Operation = typeof Operation extends fc.Arbitrary<infer T> ? T : never;

interface ModelCharge {
  id: string;
  kind: "TOP_UP" | "PURCHASE";
  amount: number;
  reversed: number;
}

interface DoneRequest {
  input: Parameters<typeof reverseCharge>[1];
  agent: number;
  requestId: string;
}

interface Lane {
  lane: number;
  operations: Operation[];
  customer: TestCustomer;
  store: Awaited<ReturnType<typeof createStore>>;
  agents: ReturnType<typeof staffContext>[];
  wallet: number;
  merchant: number;
  charges: ModelCharge[];
  reversalIds: string[];
  done: DoneRequest[];
  steps: number;
}

function newLane(lane: number, operations: Operation[], customer: TestCustomer, store: Lane["store"]): Lane {
  return {
    lane,
    operations,
    customer,
    store,
    // Stepped up: the property is about the ledger, and reversals of ¥30,000 or more need a fresh step-up (ADR 035).
    agents: Array.from({ length: 2 }, () => staffContext("AGENT", { steppedUp: true })),
    wallet: 0,
    merchant: 0,
    charges: [],
    reversalIds: [],
    done: [],
    steps: 0,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code) return code;
    const message = error instanceof Error ? error.message : String(error);
    if (/wallet_never_negative/.test(message)) return "WALLET_NEGATIVE";
    throw error;
  }
}

/** One random operation on a lane, with the outcome the model predicts. */
async function step(l: Lane, customers: TestCustomer[], tally: Map<string, number>): Promise<void> {
  const op = l.operations[l.steps]!;
  const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);
  l.steps += 1;
  const where = `lane ${l.lane} step ${l.steps}`;
  if (op.kind === "top-up" || l.charges.length === 0) {
    const amount = op.topUpAmount;
    const valid = Number.isSafeInteger(amount) && amount > 0;
    let id = "";
    const code = await codeOf(topUp(prisma, l.customer, amount).then((t) => (id = t)));
    expect(code, `${where}: top-up ${amount}`).toBe(valid ? "OK" : "INVALID_AMOUNT");
    if (valid) {
      l.wallet += amount;
      l.charges.push({ id, kind: "TOP_UP", amount, reversed: 0 });
    }
    count(`top-up ${code}`);
  } else if (op.kind === "purchase") {
    const { affordable: aimsAffordable, at, excess } = op.purchase;
    const amount = aimsAffordable ? within(1, Math.max(1, l.wallet), at) : l.wallet + excess;
    let id = "";
    const code = await codeOf(buy(prisma, l.customer, l.store, amount).then((t) => (id = t)));
    const affordable = amount <= l.wallet;
    expect(code, `${where}: purchase ${amount} with ${l.wallet}`).toBe(affordable ? "OK" : "WALLET_NEGATIVE");
    if (affordable) {
      l.wallet -= amount;
      l.merchant += amount;
      l.charges.push({ id, kind: "PURCHASE", amount, reversed: 0 });
    }
    count(`purchase ${code}`);
  } else if (op.kind === "reverse" || l.done.length === 0) {
    // Reversal of a random charge (or of a reversal), partial, full or wrong, sometimes claimed by another account.
    const r = op.reversal;
    const charge = among(l.charges, r.charge);
    const useReversal = l.reversalIds.length > 0 && r.ofReversal;
    const targetId = useReversal ? among(l.reversalIds, r.reversal) : charge.id;
    const foreign = r.foreign;
    const claimant = foreign ? customers[(l.lane + 1) % customers.length]! : l.customer;
    const remaining = charge.amount - charge.reversed;
    const amount =
      r.amount.kind === "part"
        ? within(1, Math.max(1, remaining), r.amount.at)
        : r.amount.kind === "all"
          ? remaining
          : r.amount.kind === "over"
            ? remaining + r.amount.by
            : r.amount.value;
    const reasonCode = r.reasonCode;
    const note = reasonCode === "OTHER" && r.withNote ? "called the customer" : null;
    const agent = r.agent;
    const input = {
      customerId: claimant.customer.id,
      transactionId: targetId,
      amount,
      reasonCode,
      note,
      idempotencyKey: `prop-${randomUUID()}`,
    };
    let expected: string;
    if (!Number.isSafeInteger(amount) || amount <= 0) expected = "INVALID_AMOUNT";
    else if (reasonCode === "NOT_A_REASON") expected = "UNKNOWN_REASON_CODE";
    else if (reasonCode === "OTHER" && !note) expected = "NOTE_REQUIRED";
    else if (foreign) expected = "CHARGE_NOT_FOUND";
    else if (useReversal) expected = "NOT_REVERSIBLE";
    else if (remaining <= 0) expected = "ALREADY_FULLY_REVERSED";
    else if (amount > remaining) expected = "EXCEEDS_REMAINING";
    else if (charge.kind === "TOP_UP" && l.wallet < amount) expected = "WALLET_WOULD_GO_NEGATIVE";
    else expected = "OK";
    let result: Awaited<ReturnType<typeof reverseCharge>> | null = null;
    const code = await codeOf(reverseCharge(l.agents[agent]!, input).then((r) => (result = r)));
    expect(
      code,
      `${where}: reverse ${amount} of ${JSON.stringify(charge)}${foreign ? " as another account" : ""}`,
    ).toBe(expected);
    if (code === "OK") {
      const outcome = result as unknown as Awaited<ReturnType<typeof reverseCharge>>;
      expect(outcome.status).toBe("COMPLETED");
      charge.reversed += amount;
      if (charge.kind === "TOP_UP") {
        l.wallet -= amount;
      } else {
        l.wallet += amount;
        l.merchant -= amount;
      }
      l.reversalIds.push(outcome.reversalTransactionId!);
      l.done.push({ input, agent, requestId: outcome.requestId });
    }
    count(`reverse ${code}`);
  } else {
    // A retry of an earlier reversal with the same key: same parameters → the first result; changed → 422.
    const previous = among(l.done, op.retry.of);
    const changed = op.retry.changed;
    const input = changed ? { ...previous.input, amount: previous.input.amount + 1 } : previous.input;
    let result: Awaited<ReturnType<typeof reverseCharge>> | null = null;
    const code = await codeOf(reverseCharge(l.agents[previous.agent]!, input).then((r) => (result = r)));
    if (changed) {
      expect(code, `${where}: changed retry`).toBe("IDEMPOTENCY_KEY_REUSED");
    } else {
      expect(code, `${where}: retry`).toBe("OK");
      expect(result).toMatchObject({ requestId: previous.requestId, replayed: true });
    }
    count(`retry ${code}`);
  }
}

describe(`ledger property test (seed ${SEED}, ${OPERATIONS} operations)`, () => {
  const saved = {
    threshold: process.env.FIREBREAK_REVERSAL_APPROVAL_THRESHOLD_YEN,
    cap: process.env.FIREBREAK_REVERSAL_DAILY_CAP_YEN,
  };
  beforeAll(() => {
    console.log(`ledger-property seed: ${SEED} (replay with FIREBREAK_PROPERTY_SEED=${SEED})`);
    // Approvals are tested elsewhere: here every valid reversal executes at once.
    process.env.FIREBREAK_REVERSAL_APPROVAL_THRESHOLD_YEN = "1000000000";
    process.env.FIREBREAK_REVERSAL_DAILY_CAP_YEN = "1000000000";
  });
  afterAll(() => {
    for (const [name, value] of [
      ["FIREBREAK_REVERSAL_APPROVAL_THRESHOLD_YEN", saved.threshold],
      ["FIREBREAK_REVERSAL_DAILY_CAP_YEN", saved.cap],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("keeps debits equal to credits and every balance equal to its entries", async () => {
    // Lanes: each has its own customer, store, agents, charges and operations, so a lane's run is the same
    // whatever the interleaving; lanes run concurrently (real contention on PostgreSQL: shared system
    // accounts, the audit chain), and "another account's charge" is the next lane's customer claiming this lane's.
    // One run of the property at the printed seed: the operations are fixed before the first one executes, and a
    // failure is reported, not shrunk (each attempt would write to the same database).
    const LaneOperations = fc.noShrink(
      fc.noBias(
        fc.array(fc.array(Operation, { minLength: PER_LANE, maxLength: PER_LANE }), {
          minLength: LANES,
          maxLength: LANES,
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(LaneOperations, async (operations) => {
        const customers: TestCustomer[] = [];
        for (let i = 0; i < LANES; i++) customers.push(await createTestCustomer(prisma));
        // Frozen first, as an agent secures an account before refunding a purchase to its wallet (the fixtures write
        // charges straight to the ledger, so the lanes still top up and buy).
        for (const customer of customers) await freezeAccount(prisma, customer.customer.id);
        const lanes = await Promise.all(
          customers.map(async (customer, lane) =>
            newLane(lane, operations[lane]!, customer, await createStore(prisma)),
          ),
        );
        const tally = new Map<string, number>();
        const verify = async (step: number) => {
          const accounts = await prisma.ledgerAccount.findMany({
            where: { id: { in: lanes.flatMap((l) => [l.customer.wallet.id, l.store.merchantAccountId]) } },
            select: { id: true, balance: true },
          });
          const balance = new Map(accounts.map((a) => [a.id, Number(a.balance)]));
          for (const l of lanes) {
            expect(balance.get(l.customer.wallet.id), `lane ${l.lane} wallet after ${step} operations`).toBe(l.wallet);
            expect(balance.get(l.store.merchantAccountId), `lane ${l.lane} merchant after ${step} operations`).toBe(
              l.merchant,
            );
          }
          // Every balance equals its entries; our transactions' debits equal their credits, each transaction balances.
          const [sums] = await prisma.$queryRawUnsafe<
            { mismatched: bigint; debits: bigint | null; credits: bigint | null; unbalanced: bigint }[]
          >(
            `WITH ours AS (SELECT id FROM ledger_transaction WHERE customer_id = ANY($1::uuid[])),
              per_tx AS (SELECT e.transaction_id, SUM(e.amount) AS total, COUNT(*) AS n
                           FROM ledger_entry e JOIN ours o ON o.id = e.transaction_id GROUP BY e.transaction_id)
         SELECT (SELECT COUNT(*) FROM ledger_account a
                   WHERE a.id = ANY($2::uuid[])
                     AND a.balance <> (SELECT COALESCE(SUM(amount), 0) FROM ledger_entry WHERE account_id = a.id)) AS mismatched,
                (SELECT -SUM(e.amount) FROM ledger_entry e JOIN ours o ON o.id = e.transaction_id WHERE e.amount < 0) AS debits,
                (SELECT SUM(e.amount) FROM ledger_entry e JOIN ours o ON o.id = e.transaction_id WHERE e.amount > 0) AS credits,
                (SELECT COUNT(*) FROM per_tx WHERE total <> 0 OR n < 2) AS unbalanced`,
            customers.map((c) => c.customer.id),
            lanes.flatMap((l) => [l.customer.wallet.id, l.store.merchantAccountId]),
          );
          expect(Number(sums!.mismatched), `balances vs entries after ${step} operations`).toBe(0);
          expect(Number(sums!.unbalanced), `unbalanced transactions after ${step} operations`).toBe(0);
          expect(Number(sums!.debits ?? 0), `debits = credits after ${step} operations`).toBe(
            Number(sums!.credits ?? 0),
          );
          const charges = lanes.flatMap((l) => l.charges);
          const reversed = await prisma.ledgerTransaction.groupBy({
            by: ["reversesId"],
            where: { reversesId: { in: charges.map((c) => c.id) } },
            _sum: { amount: true },
          });
          const byCharge = new Map(reversed.map((r) => [r.reversesId, r._sum.amount ?? 0]));
          for (const charge of charges) {
            expect(byCharge.get(charge.id) ?? 0, `reversed of ${charge.id} after ${step} operations`).toBe(
              charge.reversed,
            );
            expect(charge.reversed).toBeLessThanOrEqual(charge.amount);
          }
          // The whole database, every account and transaction (other tests' too): the invariants hold.
          expect(await checkLedgerIntegrity(database.sql)).toEqual({
            unbalancedTransactions: 0,
            orphanEntries: 0,
            entriesOnMissingAccounts: 0,
            balanceMismatches: 0,
            negativeWallets: 0,
          });
        };

        for (let from = 0; from < PER_LANE; from += CHECK_EVERY / LANES) {
          const to = Math.min(PER_LANE, from + CHECK_EVERY / LANES);
          await Promise.all(
            lanes.map(async (lane) => {
              for (let k = from; k < to && lane.steps < PER_LANE; k++) await step(lane, customers, tally);
            }),
          );
          await verify(lanes.reduce((n, l) => n + l.steps, 0));
        }
        console.log(`ledger-property outcomes: ${JSON.stringify(Object.fromEntries([...tally].sort()))}`);
        // The run exercised every kind of operation, not only the easy ones.
        if (OPERATIONS >= 1_000) {
          for (const kind of [
            "top-up OK",
            "top-up INVALID_AMOUNT",
            "purchase OK",
            "purchase WALLET_NEGATIVE",
            "reverse OK",
            "reverse EXCEEDS_REMAINING",
            "reverse INVALID_AMOUNT",
            "reverse CHARGE_NOT_FOUND",
            "retry OK",
            "retry IDEMPOTENCY_KEY_REUSED",
          ]) {
            expect(tally.get(kind) ?? 0, kind).toBeGreaterThan(0);
          }
        }
      }),
      { seed: SEED, numRuns: 1, endOnFailure: true },
    );
  }, 1_800_000);
});
