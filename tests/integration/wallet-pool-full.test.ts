// A customer's top-up while connections are scarce (docs/decisions/103-reliability-round-seven.md). Money movements
// have a pool of their own: with every connection of the console's pool held by long console work (a flood of agents'
// searches, a bulk job), a top-up is still decided and goes through. With every connection of the payment path's own
// pool busy, a top-up is refused busy once its own wait for a connection (FIREBREAK_WALLET_POOL_WAIT_MS, ADR 120) is
// over, not whenever a connection happens to come free, and when one does come free later the abandoned top-up moves
// no money (wallet-pool-busy.test.ts covers the purchase, the contact change and the retry under the same key). Both
// proven by the order of events, not by a clock. PostgreSQL only: the embedded database has one connection, not pools
// to fill.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { prisma, walletPrisma, type Db } from "~/db.server";
import { CONSOLE_POOL_SIZE, WALLET_POOL_SIZE } from "~/db/open-database.server";
import { topUp } from "~/wallet/top-up.server";
import { WALLET_TRANSACTION_OPTIONS } from "~/wallet/transaction-runner.server";
import { createTestCustomer } from "../support/customers";
import { untilSessionsRun } from "../support/database-sessions";
import { codeOf } from "../support/domain-code";
import { balanceOf } from "../support/risk-rules";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const HOLD_SECONDS = 12;
// How every holder's statement starts, as the server shows it: the top-up waits until all of them run.
const HOLDER_STATEMENT = "SELECT pg_sleep(";
// An advisory lock no product code takes, and how its waiters' statement starts.
const GATE_LOCK = 7_116_001;
const GATE_STATEMENT = "SELECT pg_advisory_xact_lock_shared(";

/**
 * `size` transactions on `client` that each hold a connection for HOLD_SECONDS. Each says when its sleep is over, while
 * it still holds its connection: from then on a connection can come free.
 */
function holdEveryConnection(client: Db, size: number, events: string[]): Promise<void[]> {
  return Promise.all(
    Array.from({ length: size }, () =>
      client.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_sleep(${HOLD_SECONDS})`;
          events.push("a holder's sleep is over");
        },
        { maxWait: 20_000, timeout: 60_000 },
      ),
    ),
  );
}

/**
 * Proof that whatever was queued for a connection of `client`'s pool before now has had its turn and finished: the
 * pool lends connections in the order they were asked for, and here `size` transactions asked later all hold one at
 * the same time (each waits on an advisory lock this test holds until it sees them all waiting), so nothing queued
 * earlier still holds one.
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

describe.skipIf(!onPostgres)("a top-up while connections are scarce (PostgreSQL)", () => {
  it("goes through while every connection of the console's pool is held", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    const events: string[] = [];
    const holders = holdEveryConnection(prisma, CONSOLE_POOL_SIZE, events);
    await untilSessionsRun(HOLDER_STATEMENT, CONSOLE_POOL_SIZE);

    const code = await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }));
    events.push(`top-up ${code}`);
    // Sharing the console's pool, it was refused at its maxWait, still before any holder let go.
    expect(events[0]).toBe("top-up ACCEPTED");
    expect(HOLD_SECONDS * 1_000).toBeGreaterThan(2 * WALLET_TRANSACTION_OPTIONS.maxWait);
    await holders;
    expect(await balanceOf(customer.id)).toBe(1000);
  }, 60_000);

  it("is refused within its wait while its own pool is full, moves no money later, and the next one goes through", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    // A top-up refused within its own wait is refused before any holder's sleep is over; one refused only when a
    // connection came free (the defect this guards) is refused after.
    const events: string[] = [];
    const holders = holdEveryConnection(walletPrisma, WALLET_POOL_SIZE, events);
    await untilSessionsRun(HOLDER_STATEMENT, WALLET_POOL_SIZE);

    const code = await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }));
    events.push(`top-up ${code}`);
    expect(events[0]).toBe("top-up WALLET_BUSY");
    expect(HOLD_SECONDS * 1_000).toBeGreaterThan(2 * WALLET_TRANSACTION_OPTIONS.maxWait);

    await holders;
    // The abandoned top-up's turn in the pool has come and gone: still nothing moved.
    await untilEveryConnectionIsFreeAgain(walletPrisma, WALLET_POOL_SIZE);
    expect(await balanceOf(customer.id)).toBe(0);
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }))).toBe("ACCEPTED");
    expect(await balanceOf(customer.id)).toBe(1000);
  }, 60_000);
});
