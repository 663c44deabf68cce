// A customer's top-up while every pooled connection is busy (a burst of console work, long transactions): it is
// refused as "switch state unavailable" once its own wait for a connection (WALLET_TRANSACTION_OPTIONS.maxWait) is
// over, not whenever a connection happens to come free, and when one does come free later the abandoned top-up moves
// no money. PostgreSQL only: the embedded database has one connection, not a pool to fill.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { topUp } from "~/wallet/top-up.server";
import { WALLET_TRANSACTION_OPTIONS } from "~/wallet/transaction-runner.server";
import { createTestCustomer } from "../support/customers";
import { codeOf } from "../support/domain-code";
import { balanceOf } from "../support/risk-rules";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
/** Connections in the app's Prisma pool (app/db/open-database.server.ts). */
const POOL_SIZE = 10;
const HOLD_SECONDS = 12;

describe.skipIf(!onPostgres)("a top-up while the pool has no free connection (PostgreSQL)", () => {
  it("is refused within its wait, moves no money when a connection frees later, and the next one goes through", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    // Each holder says when its sleep is over, while it still holds its connection: from then on a connection can
    // come free. A top-up refused within its own wait is refused before any of them says so; one refused only when a
    // connection came free (the defect this guards) is refused after.
    const events: string[] = [];
    const holders = Array.from({ length: POOL_SIZE }, () =>
      prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_sleep(${HOLD_SECONDS})`;
          events.push("a holder's sleep is over");
        },
        { maxWait: 20_000, timeout: 60_000 },
      ),
    );
    // Give the holders time to take every connection.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const code = await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }));
    events.push(`top-up ${code}`);
    expect(events[0]).toBe("top-up TOPUP_SWITCH_STATE_UNAVAILABLE");
    expect(HOLD_SECONDS * 1_000).toBeGreaterThan(2 * WALLET_TRANSACTION_OPTIONS.maxWait);

    await Promise.all(holders);
    // The abandoned top-up's turn in the pool has come and gone: still nothing moved.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await balanceOf(customer.id)).toBe(0);
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }))).toBe("ACCEPTED");
    expect(await balanceOf(customer.id)).toBe(1000);
  }, 60_000);
});
