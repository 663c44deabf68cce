// A purchase refund waits until the account is secured (ADR 089). The reversal page offers the freeze itself, through
// the account status service (accounts:freeze, audited), and brings the agent back to the same charge to refund it,
// instead of sending them to the account view to find the charge again (ADR 097). Over HTTP, in Japanese (needs
// `npx remix build`).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBER_CONTAINMENTS_PER_HOUR_WITHOUT_CODE } from "~/accounts/containment-budget";
import { prisma } from "~/db.server";
import { redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { customerWithPurchase, reversedTotal } from "../support/ledger-fixtures";
import { createStaff, signIn, stepUp } from "../support/staff";

let app: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

const statusOf = async (customerId: string) =>
  (await prisma.customer.findUniqueOrThrow({ where: { id: customerId }, select: { status: true } })).status;

describe("freezing from the reversal page", () => {
  it("freezes the account on the record and comes back to the same charge, now refundable", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 24_000, 30_000);
    const staff = await createStaff({ role: "AGENT", language: "ja" });
    const agent = await signIn(app, staff);
    const page = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
    const html = await (await agent.get(page)).text();
    expect(html).toContain('data-testid="freeze-before-refund"');
    expect(html).toContain("アカウントを凍結して、この返金に戻る");

    const frozen = await agent.post(page, {
      intent: "freeze",
      transactionId: purchaseId,
      reason: "被害の申告を受け、返金の前に凍結",
    });
    expect(frozen.status).toBe(302);
    expect(redirectPath(frozen)).toBe(page);
    expect(await statusOf(customer.customer.id)).toBe("FROZEN");
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "account.freeze", targetId: customer.customer.id },
    });
    expect(audit).toMatchObject({ outcome: "SUCCESS", actorId: staff.id, reason: "被害の申告を受け、返金の前に凍結" });

    const back = await (await agent.get(page)).text();
    expect(back).not.toContain('data-testid="not-secured"');
    const key = back.match(/name="idempotencyKey" value="([^"]+)"/)![1]!;
    const refund = { transactionId: purchaseId, amount: "24000", reasonCode: "FRAUDULENT", idempotencyKey: key };
    expect((await agent.post(page, refund)).status).toBe(302);
    expect(await reversedTotal(prisma, purchaseId)).toBe(24_000);
  });

  it("past the member's hourly budget of containments, sends the agent to a fresh code and back (ADR 115)", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 6_000, 10_000);
    const staff = await createStaff({ role: "AGENT", language: "ja" });
    const agent = await signIn(app, staff);
    const at = new Date();
    await prisma.staffContainment.createMany({
      data: Array.from({ length: MEMBER_CONTAINMENTS_PER_HOUR_WITHOUT_CODE }, () => ({
        staffId: staff.id,
        customerId: randomUUID(),
        createdAt: at,
      })),
    });
    const page = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
    const form = { intent: "freeze", transactionId: purchaseId, reason: "被害の申告を受け、返金の前に凍結" };
    const refused = await agent.post(page, form);
    expect(refused.status).toBe(302);
    expect(redirectPath(refused)).toBe(`/step-up?redirectTo=${encodeURIComponent(page)}`);
    expect(await statusOf(customer.customer.id)).toBe("ACTIVE");

    await stepUp(agent, page);
    const frozen = await agent.post(page, form);
    expect(redirectPath(frozen)).toBe(page);
    expect(await statusOf(customer.customer.id)).toBe("FROZEN");
  });

  it("refuses a freeze with a blank reason in Japanese and changes nothing", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 5_000, 10_000);
    const agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const page = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
    const refused = await agent.post(page, { intent: "freeze", transactionId: purchaseId, reason: " " });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("理由を3文字以上で入力してください。");
    expect(await statusOf(customer.customer.id)).toBe("ACTIVE");
    expect(await prisma.auditEvent.count({ where: { action: "account.freeze", targetId: customer.customer.id } })).toBe(
      0,
    );
  });

  it("a forced reset sent from the refund's link brings the agent back to the same charge, now refundable", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 9_000, 10_000);
    const agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const refundPage = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
    const recoveryPage = `/accounts/${customer.customer.id}/recovery?charge=${purchaseId}`;
    expect(await (await agent.get(refundPage)).text()).toContain(`href="${recoveryPage.replace("&", "&amp;")}"`);
    const form = await (await agent.get(recoveryPage)).text();
    expect(form).toContain(`name="returnToCharge" value="${purchaseId}"`);
    const submissionKey = form.match(/name="submissionKey" value="([^"]+)"/)![1]!;
    const reset = await agent.post(recoveryPage, {
      intent: "force-reset",
      formKey: "force-reset",
      submissionKey,
      returnToCharge: purchaseId,
      reason: "被害の申告を受けて強制リセット",
    });
    expect(reset.status).toBe(302);
    expect(redirectPath(reset)).toBe(refundPage);
    expect(await (await agent.get(refundPage)).text()).not.toContain('data-testid="not-secured"');
  });
});
