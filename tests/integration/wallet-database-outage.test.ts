// The payment path across a database outage and its recovery (docs/decisions/103-reliability-round-seven.md): while
// the database is away a top-up is refused as "switch state unavailable" with nothing written; the client's retry with
// the same idempotency key once it is back moves the money once; the same pool answers again without a restart (its
// connections, ended by the outage, are replaced); an engaged switch is still obeyed after it (no state was cached
// open). A top-up (or a purchase) whose COMMIT went through but whose answer was lost is answered "outcome unknown"
// (503, TOPUP_OUTCOME_UNKNOWN, nothing of the driver's error), and on the client's retry with the same key with the
// first top-up, not charged twice (ADR 108). PostgreSQL only: the outage is a server's.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabaseAt, type Database } from "~/db/open-database.server";
import { prisma } from "~/db.server";
import { DomainError } from "~/lib/domain-error";
import { changeContact } from "~/wallet/contact-change.server";
import { purchase } from "~/wallet/purchase.server";
import { ensureSimulatedStore } from "~/wallet/simulated-customers.server";
import { topUp } from "~/wallet/top-up.server";
import { createTestCustomer } from "../support/customers";
import { codeOf } from "../support/domain-code";
import { startPausableProxy, type PausableProxy } from "../support/pausable-proxy";
import { bringTestDatabaseBack, takeTestDatabaseAway } from "../support/postgres-admin";
import { balanceOf } from "../support/risk-rules";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";

/** Top-ups on `customer`'s card posted under any key, and their total. */
/** What the caller is told when the call fails: a DomainError's code, status and message, or the raw error. */
async function refusalOf(call: Promise<unknown>) {
  const error = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DomainError)) return { raw: String(error) };
  return { code: error.code, status: error.status, message: error.message };
}

// How long the server may take to finish what it was sent after the client's connection was cut. It takes a moment;
// on a loaded 2-core machine shared with other work, a moment can stretch well past 10 s, and the test's own
// 60 s still leaves room.
const SERVER_FINISHES_WITHIN_MS = 30_000;

/** Nothing from the driver or the connection reaches the caller's message. */
const DRIVER_WORDS = /connection|socket|ECONN|closed|terminat|prisma|postgres|pg_|COMMIT|\bP\d{4}\b/i;

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

  it("refuse a purchase while it lasts with a wallet answer, nothing spent, and its retry spends once after it", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    await topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 5000 });
    const store = await ensureSimulatedStore(prisma, `SIM-${randomUUID().slice(0, 8)}`);
    const input = {
      customerId: customer.id,
      storeCode: store,
      items: [{ categoryCode: "DRINK", description: "お茶", quantity: 1, unitPrice: 150 }],
      idempotencyKey: randomUUID(),
    };
    let told;
    try {
      await takeTestDatabaseAway();
      told = await refusalOf(purchase(input));
    } finally {
      await bringTestDatabaseBack();
    }
    // Nothing ran, so nothing was spent: the customer's app is told so and to try again, never the driver's words.
    expect(told).toMatchObject({ code: "WALLET_UNAVAILABLE", status: 503 });
    expect(told.message).not.toMatch(DRIVER_WORDS);
    expect(await balanceOf(customer.id)).toBe(5000);
    expect((await purchase(input)).replayed).toBe(false);
    expect((await purchase(input)).replayed).toBe(true);
    expect(await balanceOf(customer.id)).toBe(4850);
  });

  it("refuse a contact change while it lasts with a wallet answer, nothing changed", async () => {
    const { customer } = await createTestCustomer(prisma);
    let told;
    try {
      await takeTestDatabaseAway();
      told = await refusalOf(changeContact({ customerId: customer.id, field: "PHONE", newValue: "+819055556666" }));
    } finally {
      await bringTestDatabaseBack();
    }
    expect(told).toMatchObject({ code: "WALLET_UNAVAILABLE", status: 503 });
    expect(told.message).not.toMatch(DRIVER_WORDS);
    const after = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id }, select: { phone: true } });
    expect(after.phone).toBe(customer.phone);
    expect(await prisma.contactChange.count({ where: { customerId: customer.id } })).toBe(0);
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
    const first = refusalOf(topUp(input, { db: db.walletPrisma }));
    await cut;
    const told = await first;
    expect(told).toEqual({
      code: "TOPUP_OUTCOME_UNKNOWN",
      status: 503,
      message:
        "We could not confirm whether this top-up went through. Retry it with the same idempotency key: " +
        "you will get the top-up if it was made, and it will be made once if it was not.",
    });
    expect(told.message).not.toMatch(DRIVER_WORDS);
    // The server commits what it was sent (a moment after the client lost its connection): the money moved once,
    // whatever the client was told.
    await vi.waitFor(async () => expect(await topUpsOf(customer.id)).toEqual({ count: 1, total: 3000 }), {
      timeout: SERVER_FINISHES_WITHIN_MS,
      interval: 50,
    });

    const retry = await topUp(input, { db: db.walletPrisma });
    expect(retry.replayed).toBe(true);
    expect(await topUpsOf(customer.id)).toEqual({ count: 1, total: 3000 });
    expect(await balanceOf(customer.id)).toBe(3000);
  });

  it("without a key is answered the same way, telling the client to look before trying again", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    const cut = proxy.severWhenSent("COMMIT", { after: "ledger_entry" });
    const first = refusalOf(
      topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 700 }, { db: db.walletPrisma }),
    );
    await cut;
    const told = await first;
    expect(told).toMatchObject({ code: "TOPUP_OUTCOME_UNKNOWN", status: 503 });
    expect(told.message).toContain("Check the wallet's balance and history before trying again.");
    expect(told.message).not.toMatch(DRIVER_WORDS);
    await vi.waitFor(async () => expect(await topUpsOf(customer.id)).toEqual({ count: 1, total: 700 }), {
      timeout: SERVER_FINISHES_WITHIN_MS,
      interval: 50,
    });
  });

  it("a purchase is answered the same way, and its retry with the same key spends once", async () => {
    const { customer, card } = await createTestCustomer(prisma);
    await topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 5000 });
    const store = await ensureSimulatedStore(prisma, `SIM-${randomUUID().slice(0, 8)}`);
    const input = {
      customerId: customer.id,
      storeCode: store,
      items: [{ categoryCode: "DRINK", description: "お茶", quantity: 2, unitPrice: 150 }],
      idempotencyKey: randomUUID(),
    };
    const cut = proxy.severWhenSent("COMMIT", { after: "ledger_entry" });
    const first = refusalOf(purchase(input, { db: db.walletPrisma }));
    await cut;
    const told = await first;
    expect(told).toMatchObject({ code: "PURCHASE_OUTCOME_UNKNOWN", status: 503 });
    expect(told.message).not.toMatch(DRIVER_WORDS);
    await vi.waitFor(async () => expect(await balanceOf(customer.id)).toBe(4700), {
      timeout: SERVER_FINISHES_WITHIN_MS,
      interval: 50,
    });

    const retry = await purchase(input, { db: db.walletPrisma });
    expect(retry.replayed).toBe(true);
    expect(await balanceOf(customer.id)).toBe(4700);
  });
});
