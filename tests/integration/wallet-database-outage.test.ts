// The payment path across a database outage and its recovery (docs/decisions/103-reliability-round-seven.md): while
// the database is away a top-up is refused as "switch state unavailable" with nothing written; the client's retry with
// the same idempotency key once it is back moves the money once; the same pool answers again without a restart (its
// connections, ended by the outage, are replaced); an engaged switch is still obeyed after it (no state was cached
// open). A top-up whose COMMIT went through but whose answer was lost is answered, on the client's retry with the same
// key, with the first top-up, not charged twice. PostgreSQL only: the outage is a server's.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabaseAt, type Database } from "~/db/open-database.server";
import { prisma } from "~/db.server";
import { topUp } from "~/wallet/top-up.server";
import { createTestCustomer } from "../support/customers";
import { codeOf } from "../support/domain-code";
import { startPausableProxy, type PausableProxy } from "../support/pausable-proxy";
import { bringTestDatabaseBack, takeTestDatabaseAway } from "../support/postgres-admin";
import { balanceOf } from "../support/risk-rules";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";

/** Top-ups on `customer`'s card posted under any key, and their total. */
async function topUpsOf(customerId: string): Promise<{ count: number; total: number }> {
  const rows = await prisma.ledgerTransaction.findMany({ where: { customerId, kind: "TOP_UP" } });
  return { count: rows.length, total: rows.reduce((sum, row) => sum + Number(row.amount), 0) };
}

describe.skipIf(!onPostgres)("top-ups across a database outage (PostgreSQL)", () => {
  it("are refused while it lasts with nothing written, and the client's retry goes through once after it", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    // A warm pool: the connections the outage ends are the ones the next top-up would be lent.
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 100 }))).toBe("ACCEPTED");
    const key = `outage-${randomUUID()}`;
    const attempt = () =>
      codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000, idempotencyKey: key }));
    const during: string[] = [];
    try {
      await takeTestDatabaseAway();
      during.push(await attempt(), await attempt());
    } finally {
      await bringTestDatabaseBack();
    }
    expect(during).toEqual(["TOPUP_SWITCH_STATE_UNAVAILABLE", "TOPUP_SWITCH_STATE_UNAVAILABLE"]);

    // Back: the same retry goes through on the same pool, and the retry after it is the same top-up.
    expect(await attempt()).toBe("ACCEPTED");
    const replay = await topUp({
      customerId: customer.id,
      fundingSourceId: card.id,
      amount: 1000,
      idempotencyKey: key,
    });
    expect(replay.replayed).toBe(true);
    expect(await topUpsOf(customer.id)).toEqual({ count: 2, total: 1100 });
    expect(await balanceOf(customer.id)).toBe(1100);
  });

  it("obey a switch engaged before the outage once it is over", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    await prisma.killSwitch.update({ where: { key: "topup.credit_card" }, data: { engaged: true } });
    try {
      try {
        await takeTestDatabaseAway();
        expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 500 }))).toBe(
          "TOPUP_SWITCH_STATE_UNAVAILABLE",
        );
      } finally {
        await bringTestDatabaseBack();
      }
      expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 500 }))).toBe(
        "TOPUP_SUSPENDED",
      );
    } finally {
      await prisma.killSwitch.update({ where: { key: "topup.credit_card" }, data: { engaged: false } });
    }
    expect(await balanceOf(customer.id)).toBe(0);
  });
});

describe.skipIf(!onPostgres)("a top-up whose COMMIT answer is lost (PostgreSQL)", () => {
  let proxy: PausableProxy;
  let db: Database;
  beforeAll(async () => {
    proxy = await startPausableProxy(process.env.DATABASE_URL!);
    db = await openDatabaseAt({ url: proxy.url }, { migrate: false });
  });
  afterAll(async () => {
    await proxy?.close();
    // Not awaited: the client whose connection was cut may wait on it for ever; the file's process ends anyway.
    void db?.close().catch(() => undefined);
  });

  it("is answered on the client's retry with the same key as the top-up that committed, charged once", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    const input = { customerId: customer.id, fundingSourceId: card.id, amount: 3000, idempotencyKey: randomUUID() };
    const cut = proxy.severWhenSent("COMMIT", { after: "ledger_entry" });
    const first = topUp(input, { db: db.walletPrisma });
    await cut;
    await expect(first).rejects.toThrow();
    // The server commits what it was sent (a moment after the client lost its connection): the money moved once,
    // whatever the client was told.
    await vi.waitFor(async () => expect(await topUpsOf(customer.id)).toEqual({ count: 1, total: 3000 }), {
      timeout: 10_000,
      interval: 50,
    });

    const retry = await topUp(input, { db: db.walletPrisma });
    expect(retry.replayed).toBe(true);
    expect(await topUpsOf(customer.id)).toEqual({ count: 1, total: 3000 });
    expect(await balanceOf(customer.id)).toBe(3000);
  });
});
