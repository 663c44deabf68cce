// A top-up a risk rule holds for review is answered once per idempotency key, like every other top-up: an app retrying
// it (a lost answer, or an attacker on the victim's session sending it again and again) finds the same review item,
// never a new one, so reviewers approving what looks like separate top-ups cannot charge the card twice for one.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { DomainError } from "~/lib/domain-error";
import { now } from "~/lib/clock.server";
import { RiskHeldRefusal } from "~/risk/errors";
import { approveReview, declineReview } from "~/risk/reviews.server";
import { topUp } from "~/wallet/top-up.server";
import { createTestCustomer } from "../support/customers";
import { codeOf } from "../support/domain-code";
import { balanceOf, riskRuleHarness } from "../support/risk-rules";

const { lead, goLive } = riskRuleHarness("req-held-retry");

async function heldReviewOf(attempt: Promise<unknown>): Promise<string> {
  const refusal = await attempt.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(refusal instanceof RiskHeldRefusal)) {
    throw new Error(
      `expected the top-up to be held, got ${refusal instanceof DomainError ? refusal.code : "no refusal"}`,
    );
  }
  return refusal.reviewId;
}

describe("a held top-up retried with its idempotency key", () => {
  it("finds its one review item; once approved, the retry answers with that top-up and moves nothing more", async () => {
    await goLive("amount == 62711", "HOLD");
    const { customer, card } = await createTestCustomer(prisma);
    const attempt = { customerId: customer.id, fundingSourceId: card.id, amount: 62711, idempotencyKey: randomUUID() };

    const reviewId = await heldReviewOf(topUp(attempt));
    expect(await heldReviewOf(topUp(attempt))).toBe(reviewId);
    expect(await heldReviewOf(topUp(attempt))).toBe(reviewId);
    expect(await prisma.riskReview.count({ where: { customerId: customer.id } })).toBe(1);
    // The same key for another amount is a different top-up: refused, as for any top-up.
    expect(await codeOf(topUp({ ...attempt, amount: 62712 }))).toBe("IDEMPOTENCY_KEY_REUSED");

    const approved = await approveReview({ ...lead(), steppedUpAt: now() }, reviewId);
    expect(await balanceOf(customer.id)).toBe(62711);
    const replayed = await topUp(attempt);
    expect(replayed).toMatchObject({ replayed: true, transactionId: approved.transactionId, amount: 62711 });
    expect(await balanceOf(customer.id)).toBe(62711);
    expect(await prisma.riskReview.count({ where: { customerId: customer.id } })).toBe(1);
  });

  it("once declined, the retry is declined and queues nothing", async () => {
    await goLive("amount == 62713", "HOLD");
    const { customer, card } = await createTestCustomer(prisma);
    const attempt = { customerId: customer.id, fundingSourceId: card.id, amount: 62713, idempotencyKey: randomUUID() };
    const reviewId = await heldReviewOf(topUp(attempt));
    await declineReview(lead(), reviewId);
    expect(await codeOf(topUp(attempt))).toBe("TOPUP_DECLINED");
    expect(await prisma.riskReview.count({ where: { customerId: customer.id } })).toBe(1);
    expect(await balanceOf(customer.id)).toBe(0);
  });

  it("two retries sent at once still make one review item", async () => {
    await goLive("amount == 62714", "HOLD");
    const { customer, card } = await createTestCustomer(prisma);
    const attempt = { customerId: customer.id, fundingSourceId: card.id, amount: 62714, idempotencyKey: randomUUID() };
    const reviews = await Promise.all([heldReviewOf(topUp(attempt)), heldReviewOf(topUp(attempt))]);
    expect(reviews[0]).toBe(reviews[1]);
    expect(await prisma.riskReview.count({ where: { customerId: customer.id } })).toBe(1);
  });
});
