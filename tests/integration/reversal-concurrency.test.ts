// Double clicks, retries and concurrent agents. Meaningful on PostgreSQL (FIREBREAK_TEST_DB=postgresql: a pool of
// connections, real interleaving); on the embedded database the requests serialise and the same guarantees must hold.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { reverseCharge, type ReversalOutcome } from "~/ledger/reverse-charge.server";
import { staffContext } from "../support/staff";
import { securedCustomerWithPurchase, newKey, reversedTotal, walletBalance } from "../support/ledger-fixtures";

describe("concurrency", () => {
  it("50 concurrent requests with one idempotency key make exactly one ledger transaction", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 40_000);
    const agent = staffContext("AGENT");
    const input = {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 12_345,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    };
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => reverseCharge(agent, input)));
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const outcomes = results.map((r) => (r as PromiseFulfilledResult<ReversalOutcome>).value);
    expect(new Set(outcomes.map((o) => o.requestId)).size).toBe(1);
    expect(new Set(outcomes.map((o) => o.reversalTransactionId)).size).toBe(1);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    expect(await prisma.ledgerTransaction.count({ where: { reversesId: purchaseId } })).toBe(1);
    expect(await reversedTotal(prisma, purchaseId)).toBe(12_345);
    expect(await walletBalance(prisma, customer)).toBe(12_345);
    expect(await prisma.reversalRequest.count({ where: { idempotencyKey: input.idempotencyKey } })).toBe(1);
  });

  it("20 concurrent partial reversals of one charge never exceed it", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 10_000);
    // 20 × ¥700 = ¥14,000 asked of a ¥10,000 charge, by 20 agents (so no one's daily cap is involved).
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        reverseCharge(staffContext("AGENT"), {
          customerId: customer.customer.id,
          transactionId: purchaseId,
          amount: 700,
          reasonCode: "FRAUDULENT",
          idempotencyKey: newKey(),
        }),
      ),
    );
    const accepted = results.filter((r) => r.status === "fulfilled");
    const refusals = results
      .filter((r): r is PromiseRejectedResult => r.status === "rejected")
      .map((r) => (r.reason as { code?: string }).code);
    expect(accepted).toHaveLength(14);
    expect(refusals).toEqual(Array.from({ length: 6 }, () => "EXCEEDS_REMAINING"));
    expect(await reversedTotal(prisma, purchaseId)).toBe(9_800);
    expect(await walletBalance(prisma, customer)).toBe(9_800);
    const requests = await prisma.reversalRequest.groupBy({
      by: ["status"],
      where: { originalTransactionId: purchaseId },
      _count: { _all: true },
    });
    expect(requests).toEqual([{ status: "COMPLETED", _count: { _all: 14 } }]);
  });

  it("one key raced with different parameters: one wins, the others get 422, one transaction", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 30_000);
    const agent = staffContext("AGENT");
    const key = newKey();
    const results = await Promise.allSettled(
      [1_000, 2_000, 3_000, 4_000, 5_000].map((amount) =>
        reverseCharge(agent, {
          customerId: customer.customer.id,
          transactionId: purchaseId,
          amount,
          reasonCode: "FRAUDULENT",
          idempotencyKey: key,
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const codes = results
      .filter((r): r is PromiseRejectedResult => r.status === "rejected")
      .map((r) => (r.reason as { code?: string; status?: number }).code);
    expect(codes).toEqual([
      "IDEMPOTENCY_KEY_REUSED",
      "IDEMPOTENCY_KEY_REUSED",
      "IDEMPOTENCY_KEY_REUSED",
      "IDEMPOTENCY_KEY_REUSED",
    ]);
    expect(await prisma.ledgerTransaction.count({ where: { reversesId: purchaseId } })).toBe(1);
  });
});
