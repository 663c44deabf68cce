// Freezing, as one durable job, every account a bulk reversal's dry run would skip because nobody has secured it
// (ADR 105). Built like the bulk reversal (app/jobs/bulk-reversal.server.ts) and on the same runner:
//   previewBulkFreeze  the dry run (read-only): the bulk reversal's own plan, reduced to its unsecured accounts, and
//                      the digest of exactly those accounts
//   startBulkFreeze    a lead confirms (accounts:freeze + fresh step-up; at or above the bulk bounds a code bound to
//                      the digest); the accounts are read again and must be the ones confirmed; the job and its items
//                      are written in the same audited transaction
//   bulkFreezeJob      the runner's handler: each batch freezes its ACTIVE accounts in one statement, one audit row per
//                      account in the batch's transaction; an account no longer ACTIVE is skipped, so a resumed or a
//                      second job never freezes (or audits a freeze of) an account twice
// Afterwards the bulk reversal's dry run reads those accounts as secured (a frozen wallet moves no money).
import { createHash } from "node:crypto";
import { canonicalJson } from "~/audit/canonical";
import { performAction, type ActionContext, type ChangeOutcome } from "~/audit/perform-action.server";
import { assertConfirmedFor, needsConfirmationCode, type ActionConfirmation } from "~/auth/action-confirmation.server";
import type { Role } from "~/auth/permissions";
import { StatusReasonSchema } from "~/accounts/account-status.server";
import type { DbTx } from "~/db.server";
import { previewBulkReversal } from "~/jobs/bulk-reversal.server";
import { enqueueJob, JobAlreadyEnqueued } from "~/jobs/job-enqueue.server";
import {
  registerJobHandler,
  type BatchResult,
  type ItemOutcome,
  type JobHandler,
  type JobItem,
  type JobRecord,
} from "~/jobs/job-handlers.server";
import {
  BulkReversalParamsSchema,
  planBulkReversal,
  type BulkReversalParams,
  type BulkReversalPlan,
  type PlannedAccount,
} from "~/ledger/bulk-reversal-plan.server";
import { validateIdempotencyKey } from "~/ledger/reversal-request-input.server";
import { textArray } from "~/ledger/sql-array";
import { now } from "~/lib/clock.server";
import { DomainError, PermissionDeniedError } from "~/lib/domain-error";

export const BULK_FREEZE_KIND = "accounts.bulk-freeze";
export const BULK_FREEZE_START = "accounts.bulk-freeze.start";
/** Accounts per batch (one transaction): one UPDATE and one audit row per account. */
export const BULK_FREEZE_BATCH_SIZE = 200;
/** Why an account in the job was not frozen by it: someone froze, marked or closed it after the confirmation. */
export const ALREADY_SECURED = "ACCOUNT_ALREADY_SECURED";

export interface StoredBulkFreezeParams {
  /** The bulk reversal's dry run the accounts came from: the job page leads back to it. */
  reversal: BulkReversalParams;
  reason: string;
  digest: string;
}

export type UnsecuredAccount = Pick<PlannedAccount, "customerId" | "displayId" | "name" | "unsecuredPurchases"> & {
  unsecuredYen: number;
};

export interface BulkFreezePreview {
  reversal: BulkReversalParams;
  accounts: UnsecuredAccount[];
  unsecuredYen: number;
  /** What a lead confirms and a code binds to: exactly these accounts. */
  digest: string;
  needsCode: boolean;
}

/** The digest of exactly these accounts (in any order): a confirmation for one set never freezes another. */
export function bulkFreezeDigest(customerIds: readonly string[]): string {
  return createHash("sha256")
    .update(canonicalJson({ v: 1, action: BULK_FREEZE_START, accounts: [...customerIds].sort() }))
    .digest("hex");
}

/** The plan's accounts whose purchases the bulk reversal would skip, as its dry run lists them. */
function unsecuredAccountsOf(plan: BulkReversalPlan): UnsecuredAccount[] {
  return plan.accounts
    .filter((a) => a.unsecuredPurchases > 0)
    .map((a) => ({
      customerId: a.customerId,
      displayId: a.displayId,
      name: a.name,
      unsecuredPurchases: a.unsecuredPurchases,
      unsecuredYen: a.unsecuredYen,
    }));
}

/** The dry run. Read-only: the accounts a job started now would freeze. */
export async function previewBulkFreeze(params: BulkReversalParams): Promise<BulkFreezePreview> {
  // The bulk reversal's own dry run, read once: the list the lead saw there is the list frozen here.
  const accounts = unsecuredAccountsOf(await previewBulkReversal(params));
  return {
    reversal: params,
    accounts,
    unsecuredYen: accounts.reduce((sum, a) => sum + a.unsecuredYen, 0),
    digest: bulkFreezeDigest(accounts.map((a) => a.customerId)),
    needsCode: needsConfirmationCode({ yen: 0, accounts: accounts.length }),
  };
}

export interface StartBulkFreezeInput {
  /** The bulk reversal's dry run whose unsecured accounts are to be frozen. */
  reversal: BulkReversalParams;
  reason: string;
  /** The digest of the accounts the lead confirmed. */
  digest: string;
  idempotencyKey: string;
  /** A code typed on the confirmation form for these accounts: required at or above the bulk confirmation bounds. */
  confirmation?: ActionConfirmation | null;
}

export interface StartedBulkFreeze {
  jobId: string;
  /** True when this answered a resend of the same confirmation: no second job. */
  replayed: boolean;
  accounts: number;
}

export async function startBulkFreeze(ctx: ActionContext, input: StartBulkFreezeInput): Promise<StartedBulkFreeze> {
  // The whole dry run, read with the one schema its form is read with: nothing beyond it is stored with the job.
  const dryRun = BulkReversalParamsSchema.safeParse(input.reversal);
  const scope = dryRun.success ? dryRun.data.scope : null;
  const incidentId = scope?.kind === "incident" ? scope.incidentId : undefined;
  const reason = StatusReasonSchema.safeParse(input.reason);
  return performAction(
    ctx,
    {
      action: BULK_FREEZE_START,
      permission: "accounts:freeze",
      stepUp: true,
      targetType: "bulk_job",
      incidentId,
      reason: reason.success ? reason.data : undefined,
    },
    async (tx): Promise<ChangeOutcome<StartedBulkFreeze>> => {
      if (ctx.actor.kind !== "staff") throw new PermissionDeniedError("Only a staff member can start a bulk freeze.");
      const lead = { id: ctx.actor.id, role: ctx.actor.role as Role };
      if (!reason.success) throw new DomainError("INVALID_REASON", reason.error.issues[0]!.message, 400);
      const key = `${BULK_FREEZE_KIND}:${validateIdempotencyKey(input.idempotencyKey)}`;
      if (!dryRun.success) {
        throw new DomainError(
          "INVALID_BULK_REVERSAL",
          "The dry run this confirmation names could not be read. Nothing was frozen: run the dry run again.",
          422,
        );
      }
      // A double click or a resend after the job ran: the job this key started, if it was for the same accounts.
      const existing = await tx.bulkJob.findUnique({ where: { idempotencyKey: key } });
      if (existing) {
        if ((existing.params as unknown as StoredBulkFreezeParams).digest !== input.digest) {
          throw new DomainError(
            "IDEMPOTENCY_KEY_REUSED",
            "This form was already submitted with different values. Nothing was changed: run the dry run again.",
            422,
          );
        }
        return {
          result: { jobId: existing.id, replayed: true, accounts: existing.itemsTotal },
          targetId: existing.id,
          after: { replayed: true },
        };
      }
      const reversal: BulkReversalParams = dryRun.data;
      const accounts = unsecuredAccountsOf(await planBulkReversal(tx, reversal));
      const digest = bulkFreezeDigest(accounts.map((a) => a.customerId));
      if (accounts.length === 0) {
        throw new DomainError(
          "NOTHING_TO_FREEZE",
          "Every account in this dry run is already secured: there is nothing to freeze.",
          422,
        );
      }
      if (digest !== input.digest) {
        throw new DomainError(
          "BULK_FREEZE_CHANGED",
          "The unsecured accounts changed since your dry run (some were secured, or new purchases came in). " +
            "Nothing was frozen: review the new list and confirm again.",
          409,
        );
      }
      if (needsConfirmationCode({ yen: 0, accounts: accounts.length })) {
        assertConfirmedFor(input.confirmation, { action: BULK_FREEZE_START, digest, staffId: lead.id });
      }
      const params: StoredBulkFreezeParams = { reversal, reason: reason.data, digest };
      try {
        const job = await enqueueJob(tx, {
          kind: BULK_FREEZE_KIND,
          params,
          totals: { accounts: accounts.length },
          items: accounts.map((a) => ({ subjectId: a.customerId, customerId: a.customerId })),
          createdBy: lead,
          incidentId: incidentId ?? null,
          idempotencyKey: key,
        });
        return {
          result: { jobId: job.id, replayed: false, accounts: job.itemsTotal },
          targetId: job.id,
          after: { jobId: job.id, accounts: job.itemsTotal, digest },
        };
      } catch (error) {
        // Lost a race with the same key: the winner's job is the answer.
        if (error instanceof JobAlreadyEnqueued) {
          return {
            result: { jobId: error.jobId, replayed: true, accounts: accounts.length },
            targetId: error.jobId,
            after: { replayed: true },
          };
        }
        throw error;
      }
    },
  );
}

/**
 * One batch: freezes the batch's ACTIVE accounts in one statement (rows locked in id order, as the reversals lock
 * accounts), then one audit row per account. An account that is no longer ACTIVE is skipped and says why.
 */
async function processBatch(tx: DbTx, job: JobRecord, items: JobItem[]): Promise<BatchResult> {
  const params = job.params as StoredBulkFreezeParams;
  const ids = items.map((item) => item.subjectId);
  const frozen = await tx.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE customer c SET status = 'FROZEN', contained_at = $2
       FROM (SELECT id FROM customer WHERE id = ANY($1::text::uuid[]) AND status = 'ACTIVE' ORDER BY id FOR UPDATE) s
      WHERE c.id = s.id
     RETURNING c.id::text AS id`,
    textArray(ids),
    now(),
  );
  const frozenIds = new Set(frozen.map((row) => row.id));
  const others = await tx.customer.findMany({
    where: { id: { in: ids.filter((id) => !frozenIds.has(id)) } },
    select: { id: true, status: true },
  });
  const statusOf = new Map(others.map((c) => [c.id, c.status]));
  const outcomes: ItemOutcome[] = [];
  const auditEvents: NonNullable<BatchResult["auditEvents"]> = [];
  for (const item of items) {
    const common = {
      action: "account.freeze",
      targetType: "customer",
      targetId: item.subjectId,
      incidentId: job.incidentId,
      reason: params.reason,
    };
    if (frozenIds.has(item.subjectId)) {
      outcomes.push({ itemId: item.id, status: "SUCCEEDED", resultId: item.subjectId });
      auditEvents.push({
        ...common,
        outcome: "SUCCESS",
        before: { status: "ACTIVE" },
        after: { status: "FROZEN", jobId: job.id },
      });
      continue;
    }
    const status = statusOf.get(item.subjectId);
    const code = status ? ALREADY_SECURED : "CUSTOMER_NOT_FOUND";
    outcomes.push({
      itemId: item.id,
      status: "SKIPPED",
      errorCode: code,
      errorMessage: status
        ? `The account is ${status.toLowerCase()} already: nothing to freeze.`
        : "The customer no longer exists.",
    });
    auditEvents.push({ ...common, outcome: "FAILED", after: { jobId: job.id, error: code, status: status ?? null } });
  }
  return { outcomes, auditEvents };
}

export const bulkFreezeJob: JobHandler = {
  kind: BULK_FREEZE_KIND,
  permission: "accounts:freeze",
  cancelNeedsStepUp: true,
  batchSize: BULK_FREEZE_BATCH_SIZE,
  processBatch,
};

// Registered on import as well as in the worker list: the registry is shared through globalThis, so the console's
// pages and the background runner see the same handler.
registerJobHandler(bulkFreezeJob);
