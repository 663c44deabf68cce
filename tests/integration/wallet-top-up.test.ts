// The wallet back end's money paths and how they obey the kill switches (domain level; the switch governance itself
// is in killswitch-governance.test.ts).
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { cancelAutomaticRelease, engageSwitch } from "~/killswitch/engage.server";
import { approveRelease, requestRelease } from "~/killswitch/release.server";
import type { KillSwitchContext } from "~/killswitch/context.server";
import { purchase } from "~/wallet/purchase.server";
import { createSimulatedCustomer, ensureSimulatedStore } from "~/wallet/simulated-customers.server";
import { topUp } from "~/wallet/top-up.server";
import { codeOf } from "../support/domain-code";
import { holdKillSwitchTestLock } from "../support/kill-switch-lock";
import { onFile } from "../support/staff";

const origin = { ip: "127.0.0.1", userAgent: "vitest", requestId: "req-wallet" };

function lead(): KillSwitchContext {
  return { actor: { kind: "staff", id: randomUUID(), role: "SECURITY_LEAD" }, origin, steppedUpAt: new Date() };
}

let releaseLock: () => Promise<void>;
beforeAll(async () => {
  releaseLock = await holdKillSwitchTestLock();
});
afterAll(async () => {
  await releaseLock();
});

// Switches are global in the file's database, shared by its tests: release anything a test engaged.
const engagedHere: string[] = [];
async function engage(key: string) {
  const ctx = lead();
  await engageSwitch(ctx, { key, reason: "wallet test" });
  engagedHere.push(key);
}
afterEach(async () => {
  while (engagedHere.length > 0) {
    const key = engagedHere.pop()!;
    const requester = await onFile(lead());
    const request = await requestRelease(requester, { key, reason: "test over" });
    await approveRelease(lead(), { requestId: request.id });
  }
});

function customerFunding(customer: Awaited<ReturnType<typeof createSimulatedCustomer>>, kind: string) {
  return customer.fundingSources.find((s) => s.kind === kind)!.id;
}

describe("top-up", () => {
  it("credits the wallet through a balanced ledger transaction", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const result = await topUp({
      customerId: customer.id,
      fundingSourceId: customerFunding(customer, "CREDIT_CARD"),
      amount: 5000,
    });
    expect(result).toMatchObject({ amount: 5000, balance: 5000, channel: "CREDIT_CARD", replayed: false });
    const entries = await prisma.ledgerEntry.findMany({ where: { transactionId: result.transactionId } });
    expect(entries.map((e) => e.amount).sort((a, b) => a - b)).toEqual([-5000, 5000]);
  });

  it("answers a retry with the same idempotency key without moving money twice", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const input = {
      customerId: customer.id,
      fundingSourceId: customerFunding(customer, "BANK"),
      amount: 3000,
      idempotencyKey: `retry-${randomBytes(6).toString("hex")}`,
    };
    const first = await topUp(input);
    const second = await topUp(input);
    expect(second).toMatchObject({ transactionId: first.transactionId, replayed: true, balance: 3000 });
    expect(await codeOf(topUp({ ...input, amount: 4000 }))).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("refuses bad input with clear codes and moves nothing", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const card = customerFunding(customer, "CREDIT_CARD");
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card, amount: 0 }))).toBe("INVALID_AMOUNT");
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card, amount: 12.5 }))).toBe(
      "INVALID_AMOUNT",
    );
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card, amount: 1_000_000 }))).toBe(
      "TOPUP_LIMIT_EXCEEDED",
    );
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: "not-a-uuid", amount: 100 }))).toBe(
      "FUNDING_SOURCE_NOT_FOUND",
    );
    const other = await createSimulatedCustomer(prisma);
    // Someone else's card: scoped in the query, not found.
    expect(
      await codeOf(
        topUp({ customerId: customer.id, fundingSourceId: customerFunding(other, "CREDIT_CARD"), amount: 100 }),
      ),
    ).toBe("FUNDING_SOURCE_NOT_FOUND");
    const wallet = await prisma.ledgerAccount.findUnique({ where: { customerId: customer.id } });
    expect(wallet?.balance).toBe(0n);
  });

  it("refuses a frozen customer's top-up", async () => {
    const customer = await createSimulatedCustomer(prisma);
    await prisma.customer.update({ where: { id: customer.id }, data: { status: "FROZEN" } });
    expect(
      await codeOf(topUp({ customerId: customer.id, fundingSourceId: customerFunding(customer, "BANK"), amount: 100 })),
    ).toBe("ACCOUNT_NOT_ACTIVE");
  });
});

describe("top-up under kill switches", () => {
  it("topup.all refuses every channel with TOPUP_SUSPENDED and a clear message; release lets them through", async () => {
    const customer = await createSimulatedCustomer(prisma);
    await engage("topup.all");
    for (const kind of ["CREDIT_CARD", "BANK", "CONVENIENCE_CASH"]) {
      const attempt = topUp({
        customerId: customer.id,
        fundingSourceId: customerFunding(customer, kind),
        amount: 1000,
      });
      await expect(attempt).rejects.toMatchObject({
        code: "TOPUP_SUSPENDED",
        status: 503,
        message: expect.stringContaining("All top-ups"),
      });
    }
    expect(await prisma.ledgerTransaction.count({ where: { customerId: customer.id } })).toBe(0);
    const ctx = await onFile(lead());
    const request = await requestRelease(ctx, { key: "topup.all", reason: "attack contained" });
    await approveRelease(lead(), { requestId: request.id });
    engagedHere.pop();
    const accepted = await topUp({
      customerId: customer.id,
      fundingSourceId: customerFunding(customer, "BANK"),
      amount: 1000,
    });
    expect(accepted.balance).toBe(1000);
  });

  it("a channel switch stops only its channel", async () => {
    const customer = await createSimulatedCustomer(prisma);
    await engage("topup.credit_card");
    expect(
      await codeOf(
        topUp({ customerId: customer.id, fundingSourceId: customerFunding(customer, "CREDIT_CARD"), amount: 500 }),
      ),
    ).toBe("TOPUP_SUSPENDED");
    expect(
      await codeOf(topUp({ customerId: customer.id, fundingSourceId: customerFunding(customer, "BANK"), amount: 500 })),
    ).toBe("ACCEPTED");
    expect(
      await codeOf(
        topUp({ customerId: customer.id, fundingSourceId: customerFunding(customer, "CONVENIENCE_CASH"), amount: 500 }),
      ),
    ).toBe("ACCEPTED");
  });

  it("an idempotent retry of a top-up accepted before the engagement is answered, not repeated", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const input = {
      customerId: customer.id,
      fundingSourceId: customerFunding(customer, "CREDIT_CARD"),
      amount: 700,
      idempotencyKey: `pre-engage-${randomBytes(6).toString("hex")}`,
    };
    const first = await topUp(input);
    await engage("topup.credit_card");
    const retry = await topUp(input);
    expect(retry).toMatchObject({ transactionId: first.transactionId, replayed: true });
    expect(await prisma.ledgerTransaction.count({ where: { customerId: customer.id } })).toBe(1);
  });

  it("cancelling an automatic release keeps top-ups refused", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const ctx = lead();
    await engageSwitch(ctx, {
      key: "topup.convenience_cash",
      reason: "cash top-up fraud",
      releaseAt: new Date(Date.now() + 60 * 60 * 1000),
    });
    engagedHere.push("topup.convenience_cash");
    await cancelAutomaticRelease(ctx, { key: "topup.convenience_cash", reason: "still under attack" });
    expect(
      await codeOf(
        topUp({ customerId: customer.id, fundingSourceId: customerFunding(customer, "CONVENIENCE_CASH"), amount: 500 }),
      ),
    ).toBe("TOPUP_SUSPENDED");
  });
});

describe("purchase", () => {
  it("spends the wallet balance at a store and never below zero", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const store = await ensureSimulatedStore(prisma, `SIM-${randomBytes(4).toString("hex")}`);
    await topUp({ customerId: customer.id, fundingSourceId: customerFunding(customer, "BANK"), amount: 2000 });
    const bought = await purchase({
      customerId: customer.id,
      storeCode: store,
      items: [{ categoryCode: "DRINK", description: "お茶", quantity: 2, unitPrice: 150 }],
    });
    expect(bought).toMatchObject({ total: 300, balance: 1700 });
    const merchant = await prisma.ledgerAccount.findUnique({ where: { code: `merchant:${store}` } });
    expect(merchant?.balance).toBe(300n);
    expect(
      await codeOf(
        purchase({
          customerId: customer.id,
          storeCode: store,
          items: [{ categoryCode: "ECIG_CARTRIDGE", description: "カートリッジ", quantity: 10, unitPrice: 500 }],
        }),
      ),
    ).toBe("INSUFFICIENT_BALANCE");
    expect(
      await codeOf(
        purchase({
          customerId: customer.id,
          storeCode: "NO-SUCH-STORE",
          items: [{ categoryCode: "FOOD", description: "x", quantity: 1, unitPrice: 1 }],
        }),
      ),
    ).toBe("STORE_NOT_FOUND");
    expect(await codeOf(purchase({ customerId: customer.id, storeCode: store, items: [] }))).toBe("INVALID_ITEMS");
  });

  it("keeps working while top-ups are suspended (customers' own balances stay spendable)", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const store = await ensureSimulatedStore(prisma, `SIM-${randomBytes(4).toString("hex")}`);
    await topUp({ customerId: customer.id, fundingSourceId: customerFunding(customer, "BANK"), amount: 1000 });
    await engage("topup.all");
    const bought = await purchase({
      customerId: customer.id,
      storeCode: store,
      items: [{ categoryCode: "FOOD", description: "おにぎり", quantity: 1, unitPrice: 130 }],
    });
    expect(bought.balance).toBe(870);
  });
});
