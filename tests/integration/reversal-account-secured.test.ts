// A purchase reversal credits the wallet, so it waits until staff have secured the account (frozen or otherwise not
// active, or a forced password reset sent after the charge): otherwise whoever took the account over spends the refund
// again. Single reversals, approvals, the bulk job and the reversal page over HTTP in Japanese. A top-up reversal takes
// money out of the wallet and is never held back.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { bulkReversalJob, previewBulkReversal, startBulkReversal } from "~/jobs/bulk-reversal.server";
import { loadJobView } from "~/jobs/bulk-job-views.server";
import { runJob } from "~/jobs/job-loop.server";
import { approveReversal } from "~/ledger/reversal-approval.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { applyForcedReset } from "~/recovery/force-reset.server";
import { createTestCustomer } from "../support/customers";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import {
  buy,
  createIncident,
  createStaffContext,
  createStore,
  createVictim,
  customerWithPurchase,
  freezeAccount,
  newKey,
  reversedTotal,
  topUp,
  walletBalance,
} from "../support/ledger-fixtures";
import { createStaff, onFile, signIn, staffContext } from "../support/staff";
import { codeOf } from "../support/domain-code";

async function forceResetNow(customerId: string) {
  const lead = staffContext("SECURITY_LEAD");
  await prisma.$transaction((tx) => applyForcedReset(tx, customerId, { requireTwoFactor: false, actor: lead.actor }));
}

const reversalOf = (customerId: string, transactionId: string, amount: number) => ({
  customerId,
  transactionId,
  amount,
  reasonCode: "FRAUDULENT",
  idempotencyKey: newKey(),
});

describe("a single purchase reversal", () => {
  it("is refused on an active account nobody secured, audited as FAILED with the code, and moves nothing", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 24_000, 30_000);
    const requestId = randomUUID();
    const agent = staffContext("AGENT");
    const ctx = { ...agent, origin: { ...agent.origin, requestId } };
    const refused = reverseCharge(ctx, reversalOf(customer.customer.id, purchaseId, 24_000));
    await expect(refused).rejects.toMatchObject({ code: "ACCOUNT_NOT_SECURED", status: 409 });
    await expect(refused).rejects.toThrow("Freeze the account or force a password reset first");
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
    expect(await walletBalance(prisma, customer)).toBe(6_000);
    expect(await prisma.reversalRequest.count({ where: { customerId: customer.customer.id } })).toBe(0);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { requestId, action: "ledger.reverse" } });
    expect(audit.outcome).toBe("FAILED");
    expect(audit.after).toMatchObject({ error: expect.stringContaining("ACCOUNT_NOT_SECURED") });
  });

  it("goes through once the account is frozen", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 24_000, 30_000);
    await freezeAccount(prisma, customer.customer.id);
    const outcome = await reverseCharge(staffContext("AGENT"), reversalOf(customer.customer.id, purchaseId, 24_000));
    expect(outcome.status).toBe("COMPLETED");
    expect(await walletBalance(prisma, customer)).toBe(30_000);
  });

  it("goes through on an active account after a forced reset made after the charge, not one made before it", async () => {
    const customer = await createTestCustomer(prisma);
    const store = await createStore(prisma);
    await topUp(prisma, customer, 30_000, new Date(Date.now() - 120_000));
    const before = await buy(prisma, customer, store, 10_000, new Date(Date.now() - 60_000));
    await forceResetNow(customer.customer.id);
    // Bought after the reset: the account is in someone's hands again, whoever redeemed the link.
    const after = await buy(prisma, customer, store, 5_000, new Date(Date.now() + 60_000));
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.customer.id } })).status).toBe("ACTIVE");
    const agent = staffContext("AGENT");
    expect(await codeOf(reverseCharge(agent, reversalOf(customer.customer.id, before, 10_000)))).toBe("ACCEPTED");
    expect(await codeOf(reverseCharge(agent, reversalOf(customer.customer.id, after, 5_000)))).toBe(
      "ACCOUNT_NOT_SECURED",
    );
    expect(await reversedTotal(prisma, after)).toBe(0);
  });

  it("never holds back a top-up reversal: it takes money out of the wallet, back to the card", async () => {
    const { customer, topUpId } = await customerWithPurchase(prisma, 24_000, 30_000);
    const outcome = await reverseCharge(staffContext("AGENT"), reversalOf(customer.customer.id, topUpId, 6_000));
    expect(outcome.status).toBe("COMPLETED");
    expect(await walletBalance(prisma, customer)).toBe(0);
  });

  it("a pending one is not approved after the account was unfrozen: the request stays pending", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 150_000);
    await freezeAccount(prisma, customer.customer.id);
    const agent = await onFile(staffContext("AGENT", { steppedUp: true }));
    const pending = await reverseCharge(agent, reversalOf(customer.customer.id, purchaseId, 150_000));
    expect(pending.status).toBe("PENDING_APPROVAL");
    await prisma.customer.update({ where: { id: customer.customer.id }, data: { status: "ACTIVE" } });
    const lead = staffContext("SECURITY_LEAD", { steppedUp: true });
    expect(await codeOf(approveReversal(lead, { requestId: pending.requestId }))).toBe("ACCOUNT_NOT_SECURED");
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
    const request = await prisma.reversalRequest.findUniqueOrThrow({ where: { id: pending.requestId } });
    expect(request.status).toBe("PENDING_APPROVAL");
  });
});

describe("the bulk reversal job", () => {
  it("skips the purchases of an unsecured account with the reason, reverses the rest, and lists them", async () => {
    const opened = new Date("2019-07-01T00:00:00Z");
    const incident = await createIncident(prisma, opened);
    const store = await createStore(prisma);
    const secured = await createVictim(prisma, incident, store, {
      topUps: [10_000],
      purchases: [8_000],
      secured: true,
    });
    const open = await createVictim(prisma, incident, store, { topUps: [10_000], purchases: [4_000] });
    const params = {
      scope: { kind: "incident" as const, incidentId: incident.id },
      since: opened.toISOString(),
      until: new Date("2019-07-31T00:00:00Z").toISOString(),
      reasonCode: "FRAUDULENT",
      note: null,
    };
    const plan = await previewBulkReversal(params);
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const { jobId } = await startBulkReversal(lead, { params, digest: plan.digest, idempotencyKey: newKey() });
    expect(await runJob(jobId, { handlers: [bulkReversalJob] })).toMatchObject({ status: "SUCCEEDED" });

    const skipped = await prisma.bulkJobItem.findMany({ where: { jobId, status: "SKIPPED" } });
    expect(skipped.map((i) => [i.subjectId, i.errorCode])).toEqual([[open.purchaseIds[0], "ACCOUNT_NOT_SECURED"]]);
    expect(await reversedTotal(prisma, open.purchaseIds[0]!)).toBe(0);
    expect(await reversedTotal(prisma, secured.purchaseIds[0]!)).toBe(8_000);
    // Its top-up still goes back to the card as far as the wallet covers it: the attacker's ¥4,000 purchase did not.
    const failed = await prisma.bulkJobItem.findMany({ where: { jobId, status: "FAILED" } });
    expect(failed.map((i) => [i.subjectId, i.errorCode])).toEqual([[open.topUpIds[0], "WALLET_WOULD_GO_NEGATIVE"]]);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "ledger.reverse", targetId: open.purchaseIds[0]! },
    });
    expect(audit.outcome).toBe("FAILED");
    expect(audit.after).toMatchObject({ jobId, error: expect.stringContaining("ACCOUNT_NOT_SECURED") });

    const view = await loadJobView(jobId, { withReport: false });
    expect(view?.notSecured.map((i) => [i.subjectId, i.errorCode])).toEqual([
      [open.purchaseIds[0], "ACCOUNT_NOT_SECURED"],
    ]);
  });
});

describe("the reversal page, in Japanese", () => {
  let app: TestHttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it("says up front to freeze or reset first, refuses the post with that message, and drops it once frozen", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 24_000, 30_000);
    const agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const page = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
    const html = await (await agent.get(page)).text();
    expect(html).toContain('data-testid="not-secured"');
    expect(html).toContain("先にアカウントを凍結するか、パスワードの強制リセットを行ってから取り消してください。");
    const key = html.match(/name="idempotencyKey" value="([^"]+)"/)![1]!;
    const fields = { transactionId: purchaseId, amount: "24000", reasonCode: "FRAUDULENT", idempotencyKey: key };
    const refused = await agent.post(page, fields);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("先にアカウントを凍結するか、パスワードの強制リセットを行ってから");
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);

    await freezeAccount(prisma, customer.customer.id);
    const again = await (await agent.get(page)).text();
    expect(again).not.toContain('data-testid="not-secured"');
    expect((await agent.post(page, fields)).status).toBe(302);
    expect(await reversedTotal(prisma, purchaseId)).toBe(24_000);
  });
});
