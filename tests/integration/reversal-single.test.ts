// Reversing one charge as a staff member: where the money goes, idempotency, bad input (clear code, nothing written,
// attempt audited) and permissions. Approvals are in reversal-approval.test.ts, concurrency in
// reversal-concurrency.test.ts.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { staffContext } from "../support/staff";
import { securedCustomerWithPurchase, newKey, reversedTotal, walletBalance } from "../support/ledger-fixtures";
import { codeOf } from "../support/domain-code";

/** ¥30,000 topped up, ¥24,000 of it spent: both charges can be reversed, in part or in full. */
const victim = () => securedCustomerWithPurchase(prisma, 24_000, 30_000);

async function ledgerCount(customerId: string) {
  return prisma.ledgerTransaction.count({ where: { customerId } });
}

describe("reversing a purchase", () => {
  it("credits the victim's wallet from the store's payable, as a new linked transaction", async () => {
    const { customer, store, purchaseId } = await victim();
    const agent = staffContext("AGENT");
    const outcome = await reverseCharge(agent, {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 10_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    expect(outcome).toMatchObject({ status: "COMPLETED", amount: 10_000, replayed: false });
    const reversal = await prisma.ledgerTransaction.findUniqueOrThrow({
      where: { id: outcome.reversalTransactionId! },
      include: { entries: true },
    });
    expect(reversal).toMatchObject({
      kind: "REVERSAL",
      reversesId: purchaseId,
      amount: 10_000,
      reasonCode: "FRAUDULENT",
    });
    expect(Object.fromEntries(reversal.entries.map((e) => [e.accountId, e.amount]))).toEqual({
      [customer.wallet.id]: 10_000,
      [store.merchantAccountId]: -10_000,
    });
    expect(await walletBalance(prisma, customer)).toBe(6_000 + 10_000);
    // The original is untouched: a reversal is never an edit.
    expect((await prisma.ledgerTransaction.findUniqueOrThrow({ where: { id: purchaseId } })).amount).toBe(24_000);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "ledger.reverse", targetId: purchaseId, outcome: "SUCCESS" },
    });
    expect(audit.actorId).toBe(agent.actor.kind === "staff" ? agent.actor.id : null);
    expect(audit.after).toMatchObject({ amount: 10_000, remainingAfter: 14_000 });
  });
});

describe("reversing a credit-card top-up", () => {
  it("refuses while the wallet does not hold the money, with a message saying what to do", async () => {
    const { customer, topUpId } = await victim();
    const attempt = reverseCharge(staffContext("AGENT", { steppedUp: true }), {
      customerId: customer.customer.id,
      transactionId: topUpId,
      amount: 30_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    await expect(attempt).rejects.toMatchObject({
      code: "WALLET_WOULD_GO_NEGATIVE",
      message: expect.stringContaining("Reverse the purchases"),
    });
    expect(await reversedTotal(prisma, topUpId)).toBe(0);
    expect(await prisma.reversalRequest.count({ where: { originalTransactionId: topUpId } })).toBe(0);
  });

  it("after the purchase is reversed, returns the money to the card with a refund instruction", async () => {
    const { customer, topUpId, purchaseId } = await victim();
    const agent = staffContext("AGENT", { steppedUp: true });
    await reverseCharge(agent, {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 24_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    const outcome = await reverseCharge(agent, {
      customerId: customer.customer.id,
      transactionId: topUpId,
      amount: 30_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    expect(outcome.status).toBe("COMPLETED");
    expect(await walletBalance(prisma, customer)).toBe(0);
    const instruction = await prisma.refundInstruction.findUniqueOrThrow({
      where: { reversalTransactionId: outcome.reversalTransactionId! },
    });
    expect(instruction).toMatchObject({
      amount: 30_000,
      channel: "CREDIT_CARD",
      fundingSourceId: customer.card.id,
      status: "PENDING",
      customerId: customer.customer.id,
    });
    const refundAccount = await prisma.ledgerAccount.findUniqueOrThrow({ where: { code: "refund:CREDIT_CARD" } });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({
      where: { transactionId: outcome.reversalTransactionId!, accountId: refundAccount.id },
    });
    expect(entry.amount).toBe(30_000);
  });
});

describe("append-only", () => {
  it("a reversal's ledger rows cannot be updated or deleted, nor its refund instruction re-pointed or deleted", async () => {
    const { customer, topUpId, purchaseId } = await victim();
    const agent = staffContext("AGENT", { steppedUp: true });
    const base = { customerId: customer.customer.id, reasonCode: "FRAUDULENT" };
    const purchaseReversal = await reverseCharge(agent, {
      ...base,
      transactionId: purchaseId,
      amount: 24_000,
      idempotencyKey: newKey(),
    });
    const reversal = await reverseCharge(agent, {
      ...base,
      transactionId: topUpId,
      amount: 30_000,
      idempotencyKey: newKey(),
    });
    const id = reversal.reversalTransactionId!;
    await expect(prisma.$executeRaw`UPDATE ledger_transaction SET amount = 1 WHERE id = ${id}::uuid`).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.$executeRaw`DELETE FROM ledger_transaction WHERE id = ${id}::uuid`).rejects.toThrow(
      /append-only/,
    );
    await expect(
      prisma.$executeRaw`UPDATE ledger_entry SET amount = amount * 2 WHERE transaction_id = ${id}::uuid`,
    ).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`DELETE FROM ledger_entry WHERE transaction_id = ${id}::uuid`).rejects.toThrow(
      /append-only/,
    );
    await expect(
      prisma.$executeRaw`UPDATE refund_instruction SET amount = 1 WHERE reversal_transaction_id = ${id}::uuid`,
    ).rejects.toThrow(/only change its delivery status/);
    await expect(
      prisma.$executeRaw`DELETE FROM refund_instruction WHERE reversal_transaction_id = ${id}::uuid`,
    ).rejects.toThrow(/append-only/);
    // A refund instruction must match a top-up's reversal: none can be made up for a purchase reversal.
    await expect(
      prisma.refundInstruction.create({
        data: {
          reversalTransactionId: purchaseReversal.reversalTransactionId!,
          customerId: customer.customer.id,
          channel: "CREDIT_CARD",
          amount: 24_000,
        },
      }),
    ).rejects.toThrow(/does not match reversal/);
    expect(await prisma.ledgerEntry.count({ where: { transactionId: id } })).toBe(2);
    expect(await walletBalance(prisma, customer)).toBe(0);
  });
});

describe("idempotency", () => {
  it("same key and parameters return the first result; different parameters are refused with 422", async () => {
    const { customer, purchaseId } = await victim();
    const agent = staffContext("AGENT");
    const input = {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 5_000,
      reasonCode: "DUPLICATE",
      idempotencyKey: newKey(),
    };
    const first = await reverseCharge(agent, input);
    const again = await reverseCharge(agent, input);
    expect(again).toEqual({ ...first, replayed: true });
    const before = await ledgerCount(customer.customer.id);
    await expect(reverseCharge(agent, { ...input, amount: 6_000 })).rejects.toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
      status: 422,
    });
    await expect(reverseCharge(agent, { ...input, reasonCode: "FRAUDULENT" })).rejects.toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
    });
    // Another staff member replaying someone else's key is a different request, not theirs to read back.
    await expect(reverseCharge(staffContext("AGENT"), input)).rejects.toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
    expect(await ledgerCount(customer.customer.id)).toBe(before);
    expect(await reversedTotal(prisma, purchaseId)).toBe(5_000);
  });

  it("a failed attempt does not use up the key: the corrected retry with the same key goes through", async () => {
    const { customer, purchaseId } = await victim();
    const agent = staffContext("AGENT", { steppedUp: true });
    const key = newKey();
    const base = {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      reasonCode: "FRAUDULENT",
      idempotencyKey: key,
    };
    expect(await codeOf(reverseCharge(agent, { ...base, amount: 99_999 }))).toBe("EXCEEDS_REMAINING");
    expect((await reverseCharge(agent, { ...base, amount: 1_000 })).status).toBe("COMPLETED");
  });
});

describe("bad input: a clear code, nothing written, the attempt audited", () => {
  it("refuses each case and writes neither ledger rows nor requests", async () => {
    const { customer, topUpId, purchaseId } = await victim();
    const other = await victim();
    const agent = staffContext("AGENT");
    const full = await reverseCharge(agent, {
      customerId: other.customer.customer.id,
      transactionId: other.purchaseId,
      amount: 24_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    const base = { customerId: customer.customer.id, transactionId: purchaseId, reasonCode: "FRAUDULENT" };
    const cases: [string, Parameters<typeof reverseCharge>[1], string][] = [
      ["zero", { ...base, amount: 0, idempotencyKey: newKey() }, "INVALID_AMOUNT"],
      ["negative", { ...base, amount: -500, idempotencyKey: newKey() }, "INVALID_AMOUNT"],
      ["fractional", { ...base, amount: 100.5, idempotencyKey: newKey() }, "INVALID_AMOUNT"],
      ["not a number", { ...base, amount: Number.NaN, idempotencyKey: newKey() }, "INVALID_AMOUNT"],
      ["over the remainder", { ...base, amount: 24_001, idempotencyKey: newKey() }, "EXCEEDS_REMAINING"],
      [
        "another account's charge",
        { ...base, transactionId: other.purchaseId, idempotencyKey: newKey(), amount: 100 },
        "CHARGE_NOT_FOUND",
      ],
      [
        "a charge that does not exist",
        { ...base, transactionId: randomUUID(), amount: 100, idempotencyKey: newKey() },
        "CHARGE_NOT_FOUND",
      ],
      [
        "not a uuid",
        { ...base, transactionId: "'; DROP TABLE x; --", amount: 100, idempotencyKey: newKey() },
        "CHARGE_NOT_FOUND",
      ],
      [
        "already fully reversed",
        {
          ...base,
          customerId: other.customer.customer.id,
          transactionId: other.purchaseId,
          amount: 1,
          idempotencyKey: newKey(),
        },
        "ALREADY_FULLY_REVERSED",
      ],
      [
        "a reversal",
        {
          ...base,
          customerId: other.customer.customer.id,
          transactionId: full.reversalTransactionId!,
          amount: 1,
          idempotencyKey: newKey(),
        },
        "NOT_REVERSIBLE",
      ],
      [
        "unknown reason code",
        { ...base, reasonCode: "BECAUSE", amount: 100, idempotencyKey: newKey() },
        "UNKNOWN_REASON_CODE",
      ],
      [
        "OTHER without a note",
        { ...base, reasonCode: "OTHER", note: "  ", amount: 100, idempotencyKey: newKey() },
        "NOTE_REQUIRED",
      ],
      ["no idempotency key", { ...base, amount: 100, idempotencyKey: "" }, "IDEMPOTENCY_KEY_REQUIRED"],
      ["a malformed key", { ...base, amount: 100, idempotencyKey: "bad key with spaces" }, "INVALID_IDEMPOTENCY_KEY"],
    ];
    const ledgerBefore = await prisma.ledgerTransaction.count({
      where: { customerId: { in: [customer.customer.id, other.customer.customer.id] } },
    });
    for (const [label, input, code] of cases) {
      const requestId = randomUUID();
      const ctx = { ...agent, origin: { ...agent.origin, requestId } };
      expect(await codeOf(reverseCharge(ctx, input)), label).toBe(code);
      const audit = await prisma.auditEvent.findFirst({ where: { requestId, action: "ledger.reverse" } });
      expect(audit?.outcome, label).toBe("FAILED");
      expect(audit?.after, label).toMatchObject({ error: expect.stringContaining(code) });
    }
    expect(
      await prisma.ledgerTransaction.count({
        where: { customerId: { in: [customer.customer.id, other.customer.customer.id] } },
      }),
    ).toBe(ledgerBefore);
    expect(await prisma.reversalRequest.count({ where: { customerId: customer.customer.id } })).toBe(0);
    expect(await reversedTotal(prisma, topUpId)).toBe(0);
    // OTHER with a note is accepted.
    const withNote = await reverseCharge(agent, {
      ...base,
      reasonCode: "OTHER",
      note: "Customer called: store charged twice",
      amount: 100,
      idempotencyKey: newKey(),
    });
    expect(withNote.status).toBe("COMPLETED");
  });

  it("a role without ledger:reverse is denied, and the denial is audited", async () => {
    const { customer, purchaseId } = await victim();
    const requestId = randomUUID();
    const compliance = staffContext("COMPLIANCE");
    const ctx = { ...compliance, origin: { ...compliance.origin, requestId } };
    const attempt = reverseCharge(ctx, {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 100,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    await expect(attempt).rejects.toMatchObject({ code: "PERMISSION_DENIED", status: 403 });
    expect((await prisma.auditEvent.findFirstOrThrow({ where: { requestId } })).outcome).toBe("DENIED");
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
  });
});

describe("a large reversal needs the requester's own fresh step-up", () => {
  it("refuses an agent without one above the threshold (audited, nothing written) and lets smaller ones through", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 80_000, 90_000);
    const agent = staffContext("AGENT");
    const requestId = randomUUID();
    const large = { ...agent, origin: { ...agent.origin, requestId } };
    const before = await ledgerCount(customer.customer.id);
    // The default threshold is ¥30,000: at or above it, the spine asks for a step-up before anything runs.
    expect(
      await codeOf(
        reverseCharge(large, {
          customerId: customer.customer.id,
          transactionId: purchaseId,
          amount: 30_000,
          reasonCode: "FRAUDULENT",
          idempotencyKey: newKey(),
        }),
      ),
    ).toBe("STEP_UP_REQUIRED");
    expect(await prisma.auditEvent.findFirstOrThrow({ where: { requestId } })).toMatchObject({
      action: "ledger.reverse",
      outcome: "DENIED",
      targetId: purchaseId,
      after: { reason: "step-up-required" },
    });
    expect(await ledgerCount(customer.customer.id)).toBe(before);
    expect(await prisma.reversalRequest.count({ where: { originalTransactionId: purchaseId } })).toBe(0);

    const small = await reverseCharge(agent, {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 29_999,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    expect(small.status).toBe("COMPLETED");

    const steppedUp = await reverseCharge(staffContext("AGENT", { steppedUp: true }), {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 30_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    expect(steppedUp.status).toBe("COMPLETED");
    expect(await reversedTotal(prisma, purchaseId)).toBe(59_999);
  });
});
