// A reversal waiting for approval (above the threshold, or past the requester's daily cap) is decided by a security
// lead: another person than the requester (four-eyes), holding ledger:reverse-large and approvals:decide, with a fresh
// step-up. Approving executes the reversal in the same transaction, re-checking the remainder and the wallet under
// the original's lock: if either changed since the request, the approval fails with the reason and the request stays
// pending (the lead can then reject it). Rejecting needs a reason; the requester may withdraw their own request.
import { assertRequesterStillEntitled } from "~/audit/actor-authority.server";
import { performAction } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import { assertSecuredForWalletCredit } from "~/ledger/account-secured.server";
import { roleHasPermission } from "~/auth/permissions";
import { prisma, type DbTx } from "~/db.server";
import type { ReversalRequest } from "~/generated/prisma/client";
import { now } from "~/lib/clock.server";
import { findCharge } from "~/ledger/reversal-charges.server";
import { isUuid } from "~/lib/uuid";
import { requireStaffActor, type ReversalContext } from "~/ledger/reversal-context.server";
import { describeDestination } from "~/ledger/reversal-destination";
import { ReversalDenied, ReversalError } from "~/ledger/reversal-errors";
import { postReversal } from "~/ledger/reversal-posting.server";
import { chargeSnapshot, outcomeOf, type ReversalOutcome } from "~/ledger/reverse-charge.server";

const MAX_DECISION_REASON = 1000;
const TARGET = "reversal_request";

const STATUS_WORDS: Record<ReversalRequest["status"], string> = {
  PROCESSING: "being processed",
  PENDING_APPROVAL: "pending",
  COMPLETED: "already executed",
  REJECTED: "already rejected",
  WITHDRAWN: "withdrawn",
};

function requestNotFound(): ReversalError {
  return new ReversalError("REQUEST_NOT_FOUND", "There is no such reversal request.", 404);
}

/**
 * Locks the request's original charge, then the request (the order reverseCharge uses: charge first), and refuses
 * anything but a pending request.
 */
/**
 * The incident the request was filed under, so that its decision is filed there too: the trail filtered or exported by
 * incident showed who asked for a reversal and when the money moved, but not who approved, rejected or withdrew it.
 * Read before the change, so that a refused or failed decision is filed under the incident as well; a request's
 * incident never changes.
 */
async function incidentOfRequest(requestId: string): Promise<string | undefined> {
  if (!isUuid(requestId)) return undefined;
  const found = await prisma.reversalRequest.findUnique({ where: { id: requestId }, select: { incidentId: true } });
  return found?.incidentId ?? undefined;
}

async function lockPendingRequest(tx: DbTx, requestId: string, verb: string): Promise<ReversalRequest> {
  if (!isUuid(requestId)) throw requestNotFound();
  const found = await tx.reversalRequest.findUnique({
    where: { id: requestId },
    select: { customerId: true, originalTransactionId: true },
  });
  if (!found) throw requestNotFound();
  await tx.$queryRaw`SELECT id FROM ledger_transaction WHERE id = ${found.originalTransactionId}::uuid FOR UPDATE`;
  await tx.$queryRaw`SELECT id FROM reversal_request WHERE id = ${requestId}::uuid FOR UPDATE`;
  const request = await tx.reversalRequest.findUniqueOrThrow({ where: { id: requestId } });
  if (request.status !== "PENDING_APPROVAL") {
    throw new ReversalError(
      "REQUEST_NOT_PENDING",
      `This reversal request is ${STATUS_WORDS[request.status]}: it can no longer be ${verb}.`,
      409,
    );
  }
  return request;
}

function decisionReason(raw: string | null | undefined): string | null {
  const reason = (raw ?? "").trim();
  if (reason.length > MAX_DECISION_REASON) {
    throw new ReversalError("REASON_TOO_LONG", `Keep the reason under ${MAX_DECISION_REASON} characters.`, 422);
  }
  return reason.length > 0 ? reason : null;
}

function requestSnapshot(request: ReversalRequest) {
  return {
    status: request.status,
    amount: request.amount,
    reasonCode: request.reasonCode,
    approvalRule: request.approvalRule,
    requestedById: request.requestedById,
    originalTransactionId: request.originalTransactionId,
  };
}

export async function approveReversal(
  ctx: ReversalContext,
  input: { requestId: string; comment?: string | null; submissionKey?: string },
): Promise<ReversalOutcome> {
  const requestId = String(input.requestId ?? "").slice(0, 64);
  return performAction(
    ctx,
    {
      action: "ledger.reverse.approve",
      permission: "approvals:decide",
      stepUp: true,
      targetType: TARGET,
      targetId: requestId,
      incidentId: await incidentOfRequest(requestId),
      reason: input.comment?.trim().slice(0, MAX_DECISION_REASON) || undefined,
    },
    async (tx) => {
      const approver = requireStaffActor(ctx, "approve a reversal");
      if (!roleHasPermission(approver.role, "ledger:reverse-large")) {
        throw new ReversalDenied(
          "LARGE_REVERSAL_PERMISSION_REQUIRED",
          "Approving a reversal needs the ledger:reverse-large permission (security leads).",
        );
      }
      const comment = decisionReason(input.comment);
      // Before the request is read: a repeat of the approval form moves no money again (the ledger's own key already
      // sees to that) and is not told the request is no longer pending when its own first send completed it (ADR 112).
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: "ledger.reverse.approve",
        staffId: approver.id,
        messageKey: "accounts:form.alreadySent",
        outcome: requestId,
      });
      const request = await lockPendingRequest(tx, requestId, "approved");
      if (request.requestedById === approver.id) {
        throw new ReversalDenied(
          "SELF_APPROVAL",
          "You requested this reversal, so another security lead must approve it (four-eyes).",
        );
      }
      await assertRequesterStillEntitled(tx, request.requestedById, "ledger:reverse");
      const charge = await findCharge(tx, {
        customerId: request.customerId,
        transactionId: request.originalTransactionId,
      });
      // The account may have been unfrozen since the request: the credit waits until it is secured again.
      await assertSecuredForWalletCredit(tx, charge);
      const at = now();
      const posted = await postReversal(tx, {
        charge,
        amount: request.amount,
        reasonCode: request.reasonCode,
        idempotencyKey: `reversal:${request.id}`,
        occurredAt: at,
      });
      const updated = await tx.reversalRequest.update({
        where: { id: request.id },
        data: {
          status: "COMPLETED",
          reversalTransactionId: posted.transactionId,
          completedAt: at,
          decidedById: approver.id,
          decidedAt: at,
          decisionReason: comment,
        },
      });
      const destination = describeDestination(charge, request.amount);
      return {
        result: outcomeOf(updated, false),
        before: requestSnapshot(request),
        after: { ...requestSnapshot(updated), reversalTransactionId: posted.transactionId, approvedById: approver.id },
        extraEvents: [
          {
            action: "ledger.reverse",
            outcome: "SUCCESS",
            targetType: "ledger_transaction",
            targetId: charge.id,
            incidentId: request.incidentId,
            reason: request.reasonCode,
            before: chargeSnapshot(charge),
            after: {
              requestId: request.id,
              status: "COMPLETED",
              amount: request.amount,
              note: request.note,
              reversalTransactionId: posted.transactionId,
              refundInstructionId: posted.refundInstructionId,
              remainingAfter: charge.remaining - request.amount,
              walletBalanceAfter: posted.walletBalanceAfter,
              destination: destination.sentence,
              requestedById: request.requestedById,
              approvedById: approver.id,
            },
          },
        ],
      };
    },
  );
}

export async function rejectReversal(
  ctx: ReversalContext,
  input: { requestId: string; reason: string; submissionKey?: string },
): Promise<ReversalOutcome> {
  const requestId = String(input.requestId ?? "").slice(0, 64);
  return performAction(
    ctx,
    {
      action: "ledger.reverse.reject",
      permission: "approvals:decide",
      targetType: TARGET,
      targetId: requestId,
      incidentId: await incidentOfRequest(requestId),
      reason: input.reason?.trim().slice(0, MAX_DECISION_REASON) || undefined,
    },
    async (tx) => {
      const decider = requireStaffActor(ctx, "reject a reversal");
      const reason = decisionReason(input.reason);
      if (!reason) {
        throw new ReversalError(
          "REASON_REQUIRED",
          "Give a reason for rejecting: the requester and the audit trail see it.",
          422,
        );
      }
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: "ledger.reverse.reject",
        staffId: decider.id,
        messageKey: "accounts:form.alreadySent",
        outcome: requestId,
      });
      const request = await lockPendingRequest(tx, requestId, "rejected");
      if (request.requestedById === decider.id) {
        throw new ReversalDenied("SELF_DECISION", "This is your own request: withdraw it instead of rejecting it.");
      }
      const at = now();
      const updated = await tx.reversalRequest.update({
        where: { id: request.id },
        data: { status: "REJECTED", decidedById: decider.id, decidedAt: at, decisionReason: reason },
      });
      return { result: outcomeOf(updated, false), before: requestSnapshot(request), after: requestSnapshot(updated) };
    },
  );
}

export async function withdrawReversal(
  ctx: ReversalContext,
  input: { requestId: string; submissionKey?: string },
): Promise<ReversalOutcome> {
  const requestId = String(input.requestId ?? "").slice(0, 64);
  return performAction(
    ctx,
    {
      action: "ledger.reverse.withdraw",
      permission: "ledger:reverse",
      targetType: TARGET,
      targetId: requestId,
      incidentId: await incidentOfRequest(requestId),
    },
    async (tx) => {
      const requester = requireStaffActor(ctx, "withdraw a reversal request");
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: "ledger.reverse.withdraw",
        staffId: requester.id,
        messageKey: "accounts:form.alreadySent",
        outcome: requestId,
      });
      const request = await lockPendingRequest(tx, requestId, "withdrawn");
      if (request.requestedById !== requester.id) {
        throw new ReversalDenied("NOT_REQUESTER", "Only the staff member who made this request can withdraw it.");
      }
      const at = now();
      const updated = await tx.reversalRequest.update({
        where: { id: request.id },
        data: { status: "WITHDRAWN", decidedById: requester.id, decidedAt: at },
      });
      return { result: outcomeOf(updated, false), before: requestSnapshot(request), after: requestSnapshot(updated) };
    },
  );
}
