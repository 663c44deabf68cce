// Bulk reversal of an incident's / a cohort's fraudulent charges, as a durable job:
//   previewBulkReversal  the dry run (read-only): accounts, charges, yen totals, the plan's digest
//   startBulkReversal    a security lead confirms (bulk:run + fresh step-up); the plan is recomputed and must match the
//                        digest the lead saw; the job and its items are written in the same audited transaction
//   bulkReversalJob      the runner's handler: each batch reverses its charges with set-based SQL
//                        (app/ledger/bulk-reversal-batch.server.ts); finishing stores the reconciliation report
import { performAction, type ChangeOutcome } from "~/audit/perform-action.server";
import { assertConfirmedFor, needsConfirmationCode, type ActionConfirmation } from "~/auth/action-confirmation.server";
import { prisma } from "~/db.server";
import { TRANSACTION_OPTIONS } from "~/db/transaction-options";
import { isEmbeddedDatabase } from "~/env.server";
import { enqueueJob, JobAlreadyEnqueued } from "~/jobs/job-enqueue.server";
import { type JobHandler, type JobRecord } from "~/jobs/job-handlers.server";
import { now } from "~/lib/clock.server";
import { reverseChargesInBulk } from "~/ledger/bulk-reversal-batch.server";
import {
  planBulkReversal,
  planItems,
  type BulkReversalParams,
  type BulkReversalPlan,
} from "~/ledger/bulk-reversal-plan.server";
import { buildReconciliation, type Reconciliation } from "~/ledger/bulk-reversal-report.server";
import { BulkScopeSchema } from "~/ledger/bulk-reversal-scope.server";
import { requireStaffActor, type ReversalContext } from "~/ledger/reversal-context.server";
import { ReversalError } from "~/ledger/reversal-errors";
import { normaliseNote, validateIdempotencyKey, validateReason } from "~/ledger/reversal-request-input.server";
import { canonicalJson } from "~/audit/canonical";

export const BULK_REVERSAL_KIND = "ledger.bulk-reversal";
/** Reversals per batch (one transaction). The embedded database is one connection: smaller batches keep pages live. */
export const BULK_REVERSAL_BATCH_SIZE = 500;
export const EMBEDDED_BULK_REVERSAL_BATCH_SIZE = 100;

export interface StoredBulkReversalParams extends BulkReversalParams {
  digest: string;
}

function paramsOf(job: JobRecord): StoredBulkReversalParams {
  return job.params as StoredBulkReversalParams;
}

export const bulkReversalJob: JobHandler = {
  kind: BULK_REVERSAL_KIND,
  permission: "bulk:run",
  get batchSize() {
    return isEmbeddedDatabase() ? EMBEDDED_BULK_REVERSAL_BATCH_SIZE : BULK_REVERSAL_BATCH_SIZE;
  },
  processBatch: (tx, job, items) =>
    reverseChargesInBulk(tx, {
      jobId: job.id,
      reasonCode: paramsOf(job).reasonCode,
      incidentId: job.incidentId,
      occurredAt: now(),
      items,
    }),
  finish: (tx, job) => buildReconciliation(tx, { jobId: job.id, params: paramsOf(job), at: now() }),
};

/** The dry run. Read-only: a snapshot of what a job started now would reverse. */
export async function previewBulkReversal(params: BulkReversalParams): Promise<BulkReversalPlan> {
  BulkScopeSchema.parse(params.scope);
  return prisma.$transaction((tx) => planBulkReversal(tx, params), TRANSACTION_OPTIONS);
}

/** The live reconciliation of a job (the stored report once it finished). */
export async function reconcileBulkReversal(jobId: string): Promise<Reconciliation | null> {
  const job = await prisma.bulkJob.findUnique({ where: { id: jobId } });
  if (!job || job.kind !== BULK_REVERSAL_KIND) return null;
  if (job.status === "SUCCEEDED" && job.report) return job.report as unknown as Reconciliation;
  return prisma.$transaction(
    (tx) => buildReconciliation(tx, { jobId, params: job.params as unknown as BulkReversalParams, at: now() }),
    TRANSACTION_OPTIONS,
  );
}

export interface StartBulkReversalInput {
  params: BulkReversalParams;
  /** The digest of the dry run the lead confirmed. */
  digest: string;
  idempotencyKey: string;
  /** A code typed on the confirmation form for this dry run: required at or above the bulk confirmation bounds. */
  confirmation?: ActionConfirmation | null;
}

export const BULK_REVERSAL_START = "ledger.bulk-reverse.start";

export interface StartedBulkReversal {
  jobId: string;
  /** True when this answered a retry of the same confirmation: no second job. */
  replayed: boolean;
  totals: BulkReversalPlan["totals"] | null;
}

export async function startBulkReversal(
  ctx: ReversalContext,
  input: StartBulkReversalInput,
): Promise<StartedBulkReversal> {
  const scope = BulkScopeSchema.safeParse(input.params?.scope);
  const incidentId = scope.success && scope.data.kind === "incident" ? scope.data.incidentId : undefined;
  return performAction(
    ctx,
    {
      action: BULK_REVERSAL_START,
      permission: "bulk:run",
      stepUp: true,
      targetType: "bulk_job",
      incidentId,
      reason: typeof input.params?.reasonCode === "string" ? input.params.reasonCode.slice(0, 40) : undefined,
    },
    async (tx): Promise<ChangeOutcome<StartedBulkReversal>> => {
      const lead = requireStaffActor(ctx, "start a bulk reversal");
      const key = validateIdempotencyKey(input.idempotencyKey);
      if (!scope.success)
        throw new ReversalError("INVALID_SCOPE", "Choose an incident, a cohort or a list of customer IDs.", 422);
      const note = normaliseNote(input.params.note);
      const reason = await validateReason(tx, input.params.reasonCode, note);
      const params: BulkReversalParams = {
        scope: scope.data,
        since: input.params.since,
        until: input.params.until,
        reasonCode: reason.code,
        note,
      };
      // A double-click or a retry: the job this key started, if the request is the same one.
      const existing = await tx.bulkJob.findUnique({ where: { idempotencyKey: key } });
      if (existing) {
        const stored = existing.params as unknown as StoredBulkReversalParams;
        if (canonicalJson({ ...params, digest: input.digest }) !== canonicalJson(stored)) {
          throw new ReversalError(
            "IDEMPOTENCY_KEY_REUSED",
            "This form was already submitted with different values. Nothing was changed: run the dry run again.",
            422,
          );
        }
        return {
          result: { jobId: existing.id, replayed: true, totals: null },
          targetId: existing.id,
          after: { replayed: true },
        };
      }
      const plan = await planBulkReversal(tx, params);
      if (plan.digest !== input.digest) {
        throw new ReversalError(
          "PLAN_CHANGED",
          "The charges in scope changed since your dry run (new charges, some reversed meanwhile, or an account " +
            "secured or unfrozen). " +
            "Nothing was started: review the new dry run and confirm again.",
          409,
        );
      }
      // Only unsecured purchases left: a job would skip every item, so there is nothing to start yet.
      if (plan.totals.toReverseCharges === 0 && plan.charges.length > 0) {
        throw new ReversalError(
          "NOTHING_REVERSIBLE_UNTIL_SECURED",
          "Every charge left in this scope is a purchase of an account nobody has secured yet: nothing was started. " +
            "Freeze those accounts or force a password reset, then run the dry run again.",
          409,
        );
      }
      if (plan.charges.length === 0) {
        throw new ReversalError(
          "NOTHING_TO_REVERSE",
          "There is nothing left to reverse in this scope and window.",
          422,
        );
      }
      // Millions of yen or a hundred accounts: the step-up is not enough, a code bound to this very dry run is.
      if (needsConfirmationCode({ yen: plan.totals.yen, accounts: plan.totals.accounts })) {
        assertConfirmedFor(input.confirmation, { action: BULK_REVERSAL_START, digest: plan.digest, staffId: lead.id });
      }
      const stored: StoredBulkReversalParams = { ...params, digest: plan.digest };
      try {
        const job = await enqueueJob(tx, {
          kind: BULK_REVERSAL_KIND,
          params: stored,
          totals: plan.totals,
          items: planItems(plan),
          createdBy: { id: lead.id, role: lead.role },
          incidentId: plan.scope.incidentId,
          idempotencyKey: key,
        });
        return {
          result: { jobId: job.id, replayed: false, totals: plan.totals },
          targetId: job.id,
          after: { jobId: job.id, scope: plan.scope.label, digest: plan.digest, ...plan.totals },
        };
      } catch (error) {
        // Lost a race with the same key: the winner's job is the answer.
        if (error instanceof JobAlreadyEnqueued) {
          return {
            result: { jobId: error.jobId, replayed: true, totals: null },
            targetId: error.jobId,
            after: { replayed: true },
          };
        }
        throw error;
      }
    },
  );
}
