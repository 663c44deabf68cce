// The payment path with every connection of its own pool lent out
// (docs/decisions/120-a-full-payment-pool-answers-busy.md).
// A top-up, a purchase or a contact change that finds the pool full waits at most FIREBREAK_WALLET_POOL_WAIT_MS and is
// refused WALLET_BUSY (503, retry after 5 s) with nothing written; the same idempotency key retried once the pool is
// free does the movement exactly once. A top-up under an engaged kill switch stays refused whether or not a connection
// is free. Several top-ups at once against the small pool are each done once or refused busy, never anything else,
// and the ledger adds up. "Within the bound" is proven by the order of events (refused before any holder's sleep is
// over, the holders sleeping many times the bound), not by a clock. PostgreSQL only: the embedded database has one
// connection, not pools to fill.
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { prisma, walletPrisma, type Db } from "~/db.server";
import { openDatabaseAt, WALLET_POOL_SIZE } from "~/db/open-database.server";
import { env } from "~/env.server";
import { translateDomainError } from "~/i18n/translate.server";
import { DomainError } from "~/lib/domain-error";
import { changeContact } from "~/wallet/contact-change.server";
import { purchase } from "~/wallet/purchase.server";
import { ensureSimulatedStore } from "~/wallet/simulated-customers.server";
import { topUp } from "~/wallet/top-up.server";
import { createTestCustomer } from "../support/customers";
import { untilSessionsRun } from "../support/database-sessions";
import { codeOf } from "../support/domain-code";
import { balanceOf } from "../support/risk-rules";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const HOLD_SECONDS = 12;
const HOLDER_STATEMENT = "SELECT pg_sleep(";
// An advisory lock no product code takes, and how its waiters' statement starts.
const GATE_LOCK = 7_120_001;
const GATE_STATEMENT = "SELECT pg_advisory_xact_lock_shared(";

/**
 * Every connection of the payment pool held by a transaction that sleeps; each says when its sleep is over. Returns
 * once all of them sleep, with the promise of their end (wrapped: an async function would wait for it).
 */
async function holdThePaymentPool(events: string[]): Promise<{ holders: Promise<void[]> }> {
  const holders = Promise.all(
    Array.from({ length: WALLET_POOL_SIZE }, () =>
      walletPrisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_sleep(${HOLD_SECONDS})`;
          events.push("a holder's sleep is over");
        },
        { maxWait: 20_000, timeout: 60_000 },
      ),
    ),
  );
  await untilSessionsRun(HOLDER_STATEMENT, WALLET_POOL_SIZE);
  return { holders };
}

/**
 * Proof that whatever was queued for a payment connection before now has had its turn and finished: `size`
 * transactions asked later all hold one at the same time, waiting on an advisory lock this test holds until it sees
 * them all waiting (as in wallet-pool-full.test.ts).
 */
async function untilEveryConnectionIsFreeAgain(client: Db, size: number): Promise<void> {
  const gate = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await gate.connect();
  try {
    await gate.query("SELECT pg_advisory_lock($1)", [GATE_LOCK]);
    const waiters = Promise.all(
      Array.from({ length: size }, () =>
        client.$transaction((tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${GATE_LOCK})`, {
          maxWait: 20_000,
          timeout: 60_000,
        }),
      ),
    );
    await untilSessionsRun(GATE_STATEMENT, size);
    await gate.query("SELECT pg_advisory_unlock($1)", [GATE_LOCK]);
    await waiters;
  } finally {
    await gate.end();
  }
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal, the call went through");
}

const ledgerRowsOf = (customerId: string) => prisma.ledgerTransaction.count({ where: { customerId } });
const drinks = (yen: number) => [{ categoryCode: "DRINK", description: "お茶", quantity: 1, unitPrice: yen }];

describe.skipIf(!onPostgres)("a full payment pool answers busy (PostgreSQL)", () => {
  afterEach(async () => {
    await prisma.$executeRaw`UPDATE kill_switch SET engaged = false, version = version + 1 WHERE key = 'topup.all' AND engaged`;
  });

  it("refuses a top-up, a purchase and a contact change busy within the wait, writes nothing, and a retry with the same key tops up once", async () => {
    expect(HOLD_SECONDS * 1_000).toBeGreaterThan(4 * env().FIREBREAK_WALLET_POOL_WAIT_MS);
    const { customer, card } = await createTestCustomer(prisma);
    const store = await ensureSimulatedStore(prisma);
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 3000 }))).toBe("ACCEPTED");
    const before = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    const rowsBefore = await ledgerRowsOf(customer.id);

    const events: string[] = [];
    const { holders } = await holdThePaymentPool(events);
    const key = "till-0001";
    const refusedTopUp = await refusal(
      topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000, idempotencyKey: key }),
    );
    events.push(`top-up ${refusedTopUp.code}`);
    const refusedPurchase = await refusal(
      purchase({ customerId: customer.id, storeCode: store, items: drinks(500), idempotencyKey: "basket-0001" }),
    );
    events.push(`purchase ${refusedPurchase.code}`);
    const refusedChange = await refusal(
      changeContact({ customerId: customer.id, field: "EMAIL", newValue: "new-address@example.com" }),
    );
    events.push(`contact change ${refusedChange.code}`);

    // Each refused before any holder let go: within its own wait, not whenever a connection came free.
    expect(events.slice(0, 3)).toEqual(["top-up WALLET_BUSY", "purchase WALLET_BUSY", "contact change WALLET_BUSY"]);
    for (const refused of [refusedTopUp, refusedPurchase, refusedChange]) {
      expect(refused).toMatchObject({ status: 503, retryAfterSeconds: 5 });
    }
    expect(refusedTopUp.message).toMatch(/No money was moved/);
    // Where a customer reads it, in their language.
    expect(translateDomainError("ja", refusedTopUp)).toMatch(/混み合っています/);
    expect(translateDomainError("en", refusedChange)).toMatch(/Nothing was changed/);

    await holders;
    // The refused calls' turns in the pool have come and gone: still nothing written.
    await untilEveryConnectionIsFreeAgain(walletPrisma, WALLET_POOL_SIZE);
    expect(await balanceOf(customer.id)).toBe(3000);
    expect(await ledgerRowsOf(customer.id)).toBe(rowsBefore);
    const after = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(after.email).toBe(before.email);
    expect(await prisma.contactChange.count({ where: { customerId: customer.id } })).toBe(0);

    // The customer's app retries with the same key: done once, and a further retry is the same top-up.
    const retried = await topUp({
      customerId: customer.id,
      fundingSourceId: card.id,
      amount: 1000,
      idempotencyKey: key,
    });
    expect(retried.replayed).toBe(false);
    const again = await topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000, idempotencyKey: key });
    expect(again).toMatchObject({ replayed: true, transactionId: retried.transactionId });
    expect(await balanceOf(customer.id)).toBe(4000);
    expect(await ledgerRowsOf(customer.id)).toBe(rowsBefore + 1);
  }, 60_000);

  it("refuses a top-up under an engaged kill switch with the pool full, and after it frees", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    await prisma.$executeRaw`UPDATE kill_switch SET engaged = true, version = version + 1 WHERE key = 'topup.all'`;
    const events: string[] = [];
    const { holders } = await holdThePaymentPool(events);
    const input = { customerId: customer.id, fundingSourceId: card.id, amount: 1000, idempotencyKey: "switch-on-0001" };
    events.push(`top-up ${await codeOf(topUp(input))}`);
    expect(events[0]).toBe("top-up WALLET_BUSY");
    await holders;
    await untilEveryConnectionIsFreeAgain(walletPrisma, WALLET_POOL_SIZE);
    // The switch check that could not get a connection let nothing through; with one, the switch refuses.
    expect(await codeOf(topUp(input))).toBe("TOPUP_SUSPENDED");
    expect(await balanceOf(customer.id)).toBe(0);
    expect(await ledgerRowsOf(customer.id)).toBe(0);
  }, 60_000);

  it("answers many top-ups at once on a nearly full pool each done once or busy, and the ledger adds up", async () => {
    // A payment pool with a short wait, three of its four connections held: two dozen top-ups share the last one.
    const small = await openDatabaseAt({ url: process.env.DATABASE_URL, walletPoolWaitMs: 1_000 }, { migrate: false });
    try {
      const sleeping = Promise.all(
        Array.from({ length: WALLET_POOL_SIZE - 1 }, () =>
          small.walletPrisma.$transaction((tx) => tx.$executeRaw`SELECT pg_sleep(${HOLD_SECONDS})`, {
            maxWait: 20_000,
            timeout: 60_000,
          }),
        ),
      );
      await untilSessionsRun(HOLDER_STATEMENT, WALLET_POOL_SIZE - 1);
      const customers = await Promise.all(Array.from({ length: 8 }, () => createTestCustomer(prisma)));
      // Each customer's top-up is sent three times at once under one key, as an app that retries a slow answer would.
      const attempts = customers.flatMap(({ customer, card }, i) =>
        Array.from({ length: 3 }, () => ({
          customerId: customer.id,
          fundingSourceId: card.id,
          amount: 1000 + i,
          idempotencyKey: `burst-key-${i}`,
        })),
      );
      const outcomes = await Promise.all(
        attempts.map(async (input) => {
          try {
            const result = await topUp(input, { db: small.walletPrisma });
            return result.replayed ? "REPLAYED" : "DONE";
          } catch (error) {
            if (error instanceof DomainError) return error.code;
            throw error;
          }
        }),
      );
      expect(outcomes.filter((o) => !["DONE", "REPLAYED", "WALLET_BUSY"].includes(o))).toEqual([]);
      for (let i = 0; i < customers.length; i += 1) {
        const mine = outcomes.slice(3 * i, 3 * i + 3);
        const done = mine.filter((o) => o === "DONE").length;
        expect(done).toBeLessThanOrEqual(1);
        if (mine.includes("REPLAYED")) expect(done).toBe(1);
        const { customer } = customers[i]!;
        expect(await balanceOf(customer.id)).toBe(done * (1000 + i));
        expect(await ledgerRowsOf(customer.id)).toBe(done);
      }
      // Every attempt retried with its key once the burst is over: each customer topped up exactly once.
      for (const input of attempts) await topUp(input);
      for (let i = 0; i < customers.length; i += 1) {
        const { customer } = customers[i]!;
        expect(await balanceOf(customer.id)).toBe(1000 + i);
        expect(await ledgerRowsOf(customer.id)).toBe(1);
      }
      await sleeping;
    } finally {
      await small.close();
    }
  }, 60_000);
});
