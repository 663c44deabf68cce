// The review queue of held top-ups. Approving posts the top-up then (after the switches and the customer's status are
// checked again, as the wallet would); declining means the customer's money never moves. Both through the spine.
import type { ActionContext } from "~/audit/perform-action.server";
import { performAction } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import { prisma } from "~/db.server";
import { postLedgerTransaction, systemAccountId, walletAccountId } from "~/ledger/post-transaction.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { assertCustomerCanTransact } from "~/wallet/customer-guard.server";
import { assertTopUpsAllowed } from "~/wallet/top-up.server";

const QUEUE_PAGE = 200;

export async function listPendingReviews() {
  return prisma.riskReview.findMany({
    where: { status: "PENDING" },
    orderBy: { createdAt: "asc" },
    take: QUEUE_PAGE,
    include: { decision: { select: { ruleKey: true, ruleVersion: true, features: true } } },
  });
}

const notPending = () =>
  new DomainError("REVIEW_ALREADY_DECIDED", "This top-up has already been decided by someone else.", 409);

/** `submissionKey`: the queue's one-time key for this decision's form (ADR 112); a script's call has none. */
export async function approveReview(ctx: ActionContext, reviewId: string, submissionKey?: string) {
  const decidedById = ctx.actor.kind === "staff" ? ctx.actor.id : null;
  return performAction(
    ctx,
    {
      action: "risk.review.approve",
      permission: "risk:review",
      // Approving charges the customer's card and credits the wallet now: a held top-up is typically the attacker's,
      // so a session alone (a stolen cookie) must not release it. Declining moves nothing and stays one click.
      stepUp: true,
      targetType: "risk_review",
      targetId: reviewId,
    },
    async (tx) => {
      // Before the claim on the review: a repeat of this form is not told someone else decided it (ADR 112).
      if (decidedById !== null) {
        await claimSubmission(tx, {
          key: submissionKey,
          action: "risk.review.approve",
          staffId: decidedById,
          messageKey: "accounts:form.alreadySent",
          outcome: reviewId,
        });
      }
      const decidedAt = now();
      // The conditional update is the claim: of two leads deciding at once, one wins and the other is told.
      const claimed = await tx.riskReview.updateMany({
        where: { id: reviewId, status: "PENDING" },
        data: { status: "APPROVED", decidedById, decidedAt },
      });
      if (claimed.count !== 1) throw notPending();
      const review = await tx.riskReview.findUniqueOrThrow({ where: { id: reviewId } });
      await assertTopUpsAllowed(tx, review.channel);
      await assertCustomerCanTransact(tx, review.customerId);
      const walletId = await walletAccountId(tx, review.customerId);
      const clearingId = await systemAccountId(tx, `clearing:${review.channel}`);
      const transaction = await postLedgerTransaction(tx, {
        kind: "TOP_UP",
        customerId: review.customerId,
        amount: review.amount,
        occurredAt: decidedAt,
        fundingSourceId: review.fundingSourceId,
        channel: review.channel,
        idempotencyKey: `risk-review:${review.id}`,
        legs: [
          { accountId: walletId, amount: review.amount },
          { accountId: clearingId, amount: -review.amount },
        ],
      });
      await tx.riskReview.update({ where: { id: reviewId }, data: { transactionId: transaction.id } });
      return {
        result: { reviewId, transactionId: transaction.id, amount: review.amount },
        before: { status: "PENDING" },
        after: {
          status: "APPROVED",
          customerId: review.customerId,
          amount: review.amount,
          transactionId: transaction.id,
        },
      };
    },
  );
}

export async function declineReview(ctx: ActionContext, reviewId: string, submissionKey?: string) {
  const decidedById = ctx.actor.kind === "staff" ? ctx.actor.id : null;
  return performAction(
    ctx,
    { action: "risk.review.decline", permission: "risk:review", targetType: "risk_review", targetId: reviewId },
    async (tx) => {
      // Before the claim on the review: a repeat of this form is not told someone else decided it (ADR 112).
      if (decidedById !== null) {
        await claimSubmission(tx, {
          key: submissionKey,
          action: "risk.review.decline",
          staffId: decidedById,
          messageKey: "accounts:form.alreadySent",
          outcome: reviewId,
        });
      }
      const claimed = await tx.riskReview.updateMany({
        where: { id: reviewId, status: "PENDING" },
        data: { status: "DECLINED", decidedById, decidedAt: now() },
      });
      if (claimed.count !== 1) throw notPending();
      const review = await tx.riskReview.findUniqueOrThrow({ where: { id: reviewId } });
      return {
        result: { reviewId },
        before: { status: "PENDING" },
        after: { status: "DECLINED", customerId: review.customerId, amount: review.amount },
      };
    },
  );
}
