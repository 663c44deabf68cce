// Reversing one charge, fully or partly, as a staff member: the agent's path. Through the spine (permission
// ledger:reverse; every attempt audited, refusals included). Order inside the one transaction:
//   1. validate the input (amount, reason code, note, idempotency key) — nothing is written on a refusal;
//   2. lock the original charge, scoped to the customer (where: { id, customerId }) — before anything references it,
//      so concurrent reversals of one charge queue on this lock instead of deadlocking on foreign-key share locks;
//   3. claim the idempotency key: INSERT … ON CONFLICT DO NOTHING. A concurrent request with the same key waits on
//      the unique index until we commit, then reads our row: same fingerprint → our result, different → 422;
//   4. check the remainder, that a purchase's wallet credit goes to a secured account, and the wallet; decide whether a security lead must approve (threshold / daily cap);
//   5. post the reversal (or leave the request PENDING_APPROVAL) and record the outcome on the request row.
// See docs/decisions/012-reversals.md.
import { performAction } from "~/audit/perform-action.server";
import { assertSecuredForWalletCredit } from "~/ledger/account-secured.server";
import { prisma, type DbTx } from "~/db.server";
import type { ReversalRequest } from "~/generated/prisma/client";
import { now } from "~/lib/clock.server";
import { approvalRuleFor, reversalNeedsStepUp, type ApprovalRule } from "~/ledger/reversal-policy.server";
import { findCharge, type Charge } from "~/ledger/reversal-charges.server";
import { isUuid } from "~/lib/uuid";
import { requireStaffActor, type ReversalContext } from "~/ledger/reversal-context.server";
import { describeDestination } from "~/ledger/reversal-destination";
import { ReversalError } from "~/ledger/reversal-errors";
import { assertWithinRemaining, postReversal, walletWouldGoNegative } from "~/ledger/reversal-posting.server";
import {
  normaliseNote,
  requestFingerprint,
  validateAmount,
  validateIdempotencyKey,
  validateReason,
  type ReverseChargeInput,
} from "~/ledger/reversal-request-input.server";

export type { ReverseChargeInput };

export interface ReversalOutcome {
  requestId: string;
  customerId: string;
  originalTransactionId: string;
  status: "COMPLETED" | "PENDING_APPROVAL" | "REJECTED" | "WITHDRAWN";
  amount: number;
  reversalTransactionId: string | null;
  approvalRule: ApprovalRule | null;
  /** True when this answered a retry: the first request's result, nothing new was written. */
  replayed: boolean;
}

export function outcomeOf(request: ReversalRequest, replayed: boolean): ReversalOutcome {
  if (request.status === "PROCESSING") throw new Error(`reversal request ${request.id} is still PROCESSING`);
  return {
    requestId: request.id,
    customerId: request.customerId,
    originalTransactionId: request.originalTransactionId,
    status: request.status,
    amount: request.amount,
    reversalTransactionId: request.reversalTransactionId,
    approvalRule: (request.approvalRule as ApprovalRule | null) ?? null,
    replayed,
  };
}

/** The incident of the customer's open case, if any, so the audit row is filed under it. */
async function openIncidentOf(customerId: string): Promise<string | undefined> {
  if (!isUuid(customerId)) return undefined;
  const found = await prisma.incidentCase.findFirst({
    where: { customerId, status: { not: "CLOSED" } },
    orderBy: { openedAt: "desc" },
    select: { incidentId: true },
  });
  return found?.incidentId;
}

export function chargeSnapshot(charge: Charge) {
  return {
    kind: charge.kind,
    amount: charge.amount,
    reversedBefore: charge.reversed,
    remainingBefore: charge.remaining,
    channel: charge.channel,
    storeCode: charge.storeCode,
  };
}

async function claimIdempotencyKey(
  tx: DbTx,
  row: {
    key: string;
    fingerprint: string;
    customerId: string;
    transactionId: string;
    amount: number;
    reasonCode: string;
    note: string | null;
    incidentId: string | null;
    requestedById: string;
    at: Date;
  },
): Promise<string | null> {
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO reversal_request (id, idempotency_key, fingerprint, customer_id, original_transaction_id, amount,
                                  reason_code, note, incident_id, status, requested_by_id, requested_at)
    VALUES (gen_random_uuid(), ${row.key}, ${row.fingerprint}, ${row.customerId}::uuid, ${row.transactionId}::uuid,
            ${row.amount}, ${row.reasonCode}, ${row.note}, ${row.incidentId}::uuid, 'PROCESSING',
            ${row.requestedById}::uuid, ${row.at})
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id`;
  return inserted[0]?.id ?? null;
}

export async function reverseCharge(ctx: ReversalContext, input: ReverseChargeInput): Promise<ReversalOutcome> {
  const targetId = typeof input.transactionId === "string" ? input.transactionId.slice(0, 64) : undefined;
  const incidentId = await openIncidentOf(input.customerId);
  return performAction(
    ctx,
    {
      action: "ledger.reverse",
      permission: "ledger:reverse",
      // Large sums need the requester's own fresh step-up, whoever approves afterwards (a stolen session is not enough).
      stepUp: reversalNeedsStepUp(input.amount),
      targetType: "ledger_transaction",
      targetId,
      incidentId,
      reason: typeof input.reasonCode === "string" ? input.reasonCode.slice(0, 40) : undefined,
    },
    async (tx) => {
      const requester = requireStaffActor(ctx, "request a reversal");
      const amount = validateAmount(input.amount);
      const key = validateIdempotencyKey(input.idempotencyKey);
      const note = normaliseNote(input.note);
      const reason = await validateReason(tx, input.reasonCode, note);
      const charge = await findCharge(tx, input, { lock: true });
      const fingerprint = requestFingerprint({
        customerId: input.customerId,
        transactionId: input.transactionId,
        amount,
        reasonCode: reason.code,
        note,
        requestedById: requester.id,
      });
      const at = now();
      const requestId = await claimIdempotencyKey(tx, {
        key,
        fingerprint,
        customerId: charge.customerId,
        transactionId: charge.id,
        amount,
        reasonCode: reason.code,
        note,
        incidentId: incidentId ?? null,
        requestedById: requester.id,
        at,
      });
      if (!requestId) {
        const existing = await tx.reversalRequest.findUniqueOrThrow({ where: { idempotencyKey: key } });
        if (existing.fingerprint !== fingerprint) {
          throw new ReversalError(
            "IDEMPOTENCY_KEY_REUSED",
            "This form was already submitted with different values. Nothing was changed: reload the page to start a new reversal.",
            422,
          );
        }
        const outcome = outcomeOf(existing, true);
        return { result: outcome, after: { replayed: true, requestId: existing.id, status: existing.status } };
      }

      assertWithinRemaining(charge, amount);
      // Refused now, pending approval or not: the approval checks again when the money moves.
      await assertSecuredForWalletCredit(tx, charge);
      const destination = describeDestination(charge, amount);
      if (charge.kind === "TOP_UP") {
        // Checked again under the account lock when the money moves; here so that a request that could never be
        // executed is refused now, with the reason, instead of waiting for an approval that would fail.
        const wallet = await tx.ledgerAccount.findUnique({
          where: { customerId: charge.customerId },
          select: { balance: true },
        });
        const balance = Number(wallet?.balance ?? 0);
        if (balance < amount) throw walletWouldGoNegative(balance, amount);
      }
      const { rule, policy, reversedToday } = await approvalRuleFor(tx, { requestedById: requester.id, amount, at });
      const before = chargeSnapshot(charge);
      if (rule) {
        await tx.reversalRequest.update({
          where: { id: requestId },
          data: { status: "PENDING_APPROVAL", approvalRule: rule },
        });
        const outcome: ReversalOutcome = {
          requestId,
          customerId: charge.customerId,
          originalTransactionId: charge.id,
          status: "PENDING_APPROVAL",
          amount,
          reversalTransactionId: null,
          approvalRule: rule,
          replayed: false,
        };
        return {
          result: outcome,
          before,
          after: {
            requestId,
            status: "PENDING_APPROVAL",
            approvalRule: rule,
            amount,
            note,
            destination: destination.sentence,
            thresholdYen: policy.approvalThresholdYen,
            dailyCapYen: policy.dailyCapYen,
            reversedTodayYen: reversedToday,
          },
        };
      }
      const posted = await postReversal(tx, {
        charge,
        amount,
        reasonCode: reason.code,
        idempotencyKey: `reversal:${requestId}`,
        occurredAt: at,
      });
      await tx.reversalRequest.update({
        where: { id: requestId },
        data: { status: "COMPLETED", reversalTransactionId: posted.transactionId, completedAt: at },
      });
      return {
        result: {
          requestId,
          customerId: charge.customerId,
          originalTransactionId: charge.id,
          status: "COMPLETED",
          amount,
          reversalTransactionId: posted.transactionId,
          approvalRule: null,
          replayed: false,
        },
        before,
        after: {
          requestId,
          status: "COMPLETED",
          amount,
          note,
          reversalTransactionId: posted.transactionId,
          refundInstructionId: posted.refundInstructionId,
          remainingAfter: charge.remaining - amount,
          walletBalanceAfter: posted.walletBalanceAfter,
          destination: destination.sentence,
        },
      };
    },
  );
}
