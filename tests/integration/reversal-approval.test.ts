// Reversals that wait for a security lead: above the threshold or past the requester's daily cap (JST day), four-eyes,
// step-up, re-check on approval, reject with a reason, withdraw. Agents asking for ¥30,000 or more carry a fresh step-up
// of their own (a large reversal needs one: reversal-single.test.ts proves the refusal).
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { approveReversal, rejectReversal, withdrawReversal } from "~/ledger/reversal-approval.server";
import { startOfJstDay } from "~/ledger/reversal-policy.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { onFile, staffContext } from "../support/staff";
import { securedCustomerWithPurchase, newKey, reversedTotal, walletBalance } from "../support/ledger-fixtures";

afterEach(() => {
  delete process.env.FIREBREAK_REVERSAL_DAILY_CAP_YEN;
  delete process.env.FIREBREAK_REVERSAL_APPROVAL_THRESHOLD_YEN;
});

describe("approval threshold", () => {
  it("a reversal above ¥100,000 waits; another lead with step-up approves and the money moves once", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 150_000);
    const agent = await onFile(staffContext("AGENT", { steppedUp: true }));
    const input = {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 150_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    };
    const pending = await reverseCharge(agent, input);
    expect(pending).toMatchObject({
      status: "PENDING_APPROVAL",
      approvalRule: "ABOVE_THRESHOLD",
      reversalTransactionId: null,
    });
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
    // A double-click on the agent's form finds the same pending request.
    expect(await reverseCharge(agent, input)).toMatchObject({ requestId: pending.requestId, replayed: true });

    const lead = staffContext("SECURITY_LEAD", { steppedUp: true });
    const approved = await approveReversal(lead, { requestId: pending.requestId, comment: "confirmed ATO" });
    expect(approved).toMatchObject({ status: "COMPLETED", amount: 150_000 });
    expect(await reversedTotal(prisma, purchaseId)).toBe(150_000);
    expect(await walletBalance(prisma, customer)).toBe(150_000);
    const request = await prisma.reversalRequest.findUniqueOrThrow({ where: { id: pending.requestId } });
    expect(request).toMatchObject({
      status: "COMPLETED",
      decidedById: lead.actor.kind === "staff" ? lead.actor.id : "",
    });

    // Approving twice, or the agent retrying the form now, moves nothing more.
    await expect(
      approveReversal(staffContext("SECURITY_LEAD", { steppedUp: true }), { requestId: pending.requestId }),
    ).rejects.toMatchObject({
      code: "REQUEST_NOT_PENDING",
    });
    expect(await reverseCharge(agent, input)).toMatchObject({ status: "COMPLETED", replayed: true });
    expect(await reversedTotal(prisma, purchaseId)).toBe(150_000);
    const events = await prisma.auditEvent.findMany({
      where: { targetId: { in: [purchaseId, pending.requestId] }, outcome: "SUCCESS" },
      orderBy: { seq: "asc" },
    });
    // Request (pending), its replay, the approval with the reversal it executed, the replay after completion.
    expect(events.map((e) => e.action)).toEqual([
      "ledger.reverse",
      "ledger.reverse",
      "ledger.reverse.approve",
      "ledger.reverse",
      "ledger.reverse",
    ]);
    const moved = events.filter((e) => (e.after as { reversalTransactionId?: string } | null)?.reversalTransactionId);
    expect(moved.map((e) => e.action)).toEqual(["ledger.reverse.approve", "ledger.reverse"]);
  });

  it("exactly the threshold does not wait", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 100_000);
    const outcome = await reverseCharge(staffContext("AGENT", { steppedUp: true }), {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 100_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    expect(outcome.status).toBe("COMPLETED");
  });

  it("the requester cannot approve their own; an agent cannot approve; no step-up, no approval — each audited as DENIED", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 150_000);
    const requesterId = randomUUID();
    const leadRequester = staffContext("SECURITY_LEAD", { steppedUp: true, id: requesterId });
    const pending = await reverseCharge(leadRequester, {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 120_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    expect(pending.status).toBe("PENDING_APPROVAL");
    const attempts: [ReturnType<typeof staffContext>, string][] = [
      [leadRequester, "SELF_APPROVAL"],
      [staffContext("AGENT", { steppedUp: true }), "PERMISSION_DENIED"],
      [staffContext("SECURITY_LEAD", { steppedUp: false }), "STEP_UP_REQUIRED"],
    ];
    for (const [ctx, code] of attempts) {
      const requestId = randomUUID();
      const withId = { ...ctx, origin: { ...ctx.origin, requestId } };
      await expect(approveReversal(withId, { requestId: pending.requestId })).rejects.toMatchObject({ code });
      expect((await prisma.auditEvent.findFirstOrThrow({ where: { requestId } })).outcome).toBe("DENIED");
    }
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
    expect((await prisma.reversalRequest.findUniqueOrThrow({ where: { id: pending.requestId } })).status).toBe(
      "PENDING_APPROVAL",
    );
  });

  it("approval re-checks the remainder: if it shrank meanwhile, the approval fails and the request stays pending", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 150_000);
    const agent = await onFile(staffContext("AGENT", { steppedUp: true }));
    const pending = await reverseCharge(agent, {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 150_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    await reverseCharge(staffContext("AGENT"), {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 1_000,
      reasonCode: "DUPLICATE",
      idempotencyKey: newKey(),
    });
    const lead = staffContext("SECURITY_LEAD", { steppedUp: true });
    await expect(approveReversal(lead, { requestId: pending.requestId })).rejects.toMatchObject({
      code: "EXCEEDS_REMAINING",
    });
    expect(await reversedTotal(prisma, purchaseId)).toBe(1_000);
    expect((await prisma.reversalRequest.findUniqueOrThrow({ where: { id: pending.requestId } })).status).toBe(
      "PENDING_APPROVAL",
    );
    await expect(rejectReversal(lead, { requestId: pending.requestId, reason: " " })).rejects.toMatchObject({
      code: "REASON_REQUIRED",
    });
    const rejected = await rejectReversal(lead, { requestId: pending.requestId, reason: "partly reversed already" });
    expect(rejected.status).toBe("REJECTED");
    const request = await prisma.reversalRequest.findUniqueOrThrow({ where: { id: pending.requestId } });
    expect(request).toMatchObject({ status: "REJECTED", decisionReason: "partly reversed already" });
    await expect(approveReversal(lead, { requestId: pending.requestId })).rejects.toMatchObject({
      code: "REQUEST_NOT_PENDING",
    });
  });

  it("the requester can withdraw a pending request; nobody else can", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 150_000);
    const agent = staffContext("AGENT", { steppedUp: true });
    const pending = await reverseCharge(agent, {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 110_000,
      reasonCode: "CUSTOMER_REQUEST",
      idempotencyKey: newKey(),
    });
    await expect(withdrawReversal(staffContext("AGENT"), { requestId: pending.requestId })).rejects.toMatchObject({
      code: "NOT_REQUESTER",
    });
    expect((await withdrawReversal(agent, { requestId: pending.requestId })).status).toBe("WITHDRAWN");
  });

  it("a settled request cannot be edited in the database", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 100_000);
    const outcome = await reverseCharge(staffContext("AGENT", { steppedUp: true }), {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 50_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    await expect(
      prisma.$executeRaw`UPDATE reversal_request SET amount = 1 WHERE id = ${outcome.requestId}::uuid`,
    ).rejects.toThrow(/cannot change/);
    await expect(
      prisma.$executeRaw`DELETE FROM reversal_request WHERE id = ${outcome.requestId}::uuid`,
    ).rejects.toThrow(/append-only/);
  });
});

describe("daily cap", () => {
  it("the reversal that would pass the requester's cap for the JST day waits; others' totals do not count", async () => {
    process.env.FIREBREAK_REVERSAL_DAILY_CAP_YEN = "20000";
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 50_000);
    const agent = staffContext("AGENT");
    const reverse = (ctx: ReturnType<typeof staffContext>, amount: number) =>
      reverseCharge(ctx, {
        customerId: customer.customer.id,
        transactionId: purchaseId,
        amount,
        reasonCode: "FRAUDULENT",
        idempotencyKey: newKey(),
      });
    expect((await reverse(agent, 15_000)).status).toBe("COMPLETED");
    expect(await reverse(agent, 6_000)).toMatchObject({ status: "PENDING_APPROVAL", approvalRule: "DAILY_CAP" });
    expect((await reverse(agent, 5_000)).status).toBe("COMPLETED");
    expect((await reverse(staffContext("AGENT"), 20_000)).status).toBe("COMPLETED");
  });

  it("a JST day starts at 00:00 in Tokyo", () => {
    expect(startOfJstDay(new Date("2019-07-03T14:59:59.999Z")).toISOString()).toBe("2019-07-02T15:00:00.000Z");
    expect(startOfJstDay(new Date("2019-07-03T15:00:00.000Z")).toISOString()).toBe("2019-07-03T15:00:00.000Z");
  });

  it("an invalid setting fails clearly instead of approving everything", async () => {
    process.env.FIREBREAK_REVERSAL_APPROVAL_THRESHOLD_YEN = "lots";
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 1_000);
    await expect(
      reverseCharge(staffContext("AGENT"), {
        customerId: customer.customer.id,
        transactionId: purchaseId,
        amount: 500,
        reasonCode: "FRAUDULENT",
        idempotencyKey: newKey(),
      }),
    ).rejects.toThrow(/FIREBREAK_REVERSAL_APPROVAL_THRESHOLD_YEN must be a whole number/);
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
  });
});
