// A top-up whose risk evaluation is cut off — its connection terminated while it reads the features, or the read
// kept waiting on a lock past the lock timeout the top-up's transaction set when it read the switches — is refused as "checks unavailable" and moves no money (fail closed, never an
// approval by accident); the next top-up, once the database answers again, is decided as usual.
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { topUp } from "~/wallet/top-up.server";
import { WALLET_TRANSACTION_OPTIONS } from "~/wallet/transaction-runner.server";
import { createTestCustomer } from "../support/customers";
import { codeOf } from "../support/domain-code";
import { balanceOf, riskRuleHarness } from "../support/risk-rules";
import { waitFor } from "../support/smtp-sink";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const { goLive } = riskRuleHarness("req-risk-connection-loss");

/**
 * Holds a lock on the sign-in events that the features read (and nothing before them does), so a top-up waits inside
 * its risk evaluation until `release`.
 */
async function holdFeatureReads(): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("BEGIN");
  await client.query("LOCK TABLE login_event IN ACCESS EXCLUSIVE MODE");
  return { release: () => client.end().catch(() => undefined) };
}

const waitingOnTheLock = async () => {
  const rows = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%login_event%'`;
  return Number(rows[0]!.n) > 0;
};

/**
 * Terminates the backends waiting on the held lock (the top-up's), and only them: ending the holder too released the
 * lock, and the top-up could finish its feature read before its own backend went, failing after its rules had decided.
 */
async function terminateTheWaiters(): Promise<number> {
  const rows = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%login_event%'`;
  return Number(rows[0]!.n);
}

describe.skipIf(!onPostgres)("a top-up whose risk evaluation is cut off (PostgreSQL)", () => {
  beforeAll(async () => {
    // Any live top-up rule makes the top-up read its features; this one matches no amount used here.
    await goLive("amount == 61777 and device_age_hours < 100000", "BLOCK");
  });

  it("is refused when its connection is terminated mid-evaluation, and the next one goes through", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    const lock = await holdFeatureReads();
    try {
      const pending = codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }));
      await waitFor("the top-up inside its feature read", waitingOnTheLock, 10_000);
      expect(await terminateTheWaiters()).toBeGreaterThan(0);
      expect(await pending).toBe("TOPUP_RISK_RULES_UNAVAILABLE");
    } finally {
      await lock.release();
    }
    expect(await balanceOf(customer.id)).toBe(0);
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }))).toBe("ACCEPTED");
    expect(await balanceOf(customer.id)).toBe(1000);
  });

  it(
    "is refused when its feature read waits on a lock past the top-up's lock timeout, and the next one goes through",
    async () => {
      const { customer, card } = await createTestCustomer(prisma);
      const lock = await holdFeatureReads();
      let code: string;
      try {
        const pending = codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 2000 }));
        await waitFor("the top-up inside its feature read", waitingOnTheLock, 10_000);
        code = await pending;
      } finally {
        await lock.release();
      }
      expect(code).toBe("TOPUP_RISK_RULES_UNAVAILABLE");
      expect(await balanceOf(customer.id)).toBe(0);
      expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 2000 }))).toBe("ACCEPTED");
      expect(await balanceOf(customer.id)).toBe(2000);
    },
    3 * WALLET_TRANSACTION_OPTIONS.timeout,
  );
});
