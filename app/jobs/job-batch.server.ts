// One batch, and the job's completion: each one transaction through the spine, acted by the job's creator with the
// permission checked again, under the job's row lock and the lease check.
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { ROLES, type Role } from "~/auth/permissions";
import { prisma } from "~/db.server";
import type { ItemOutcomeStatus, JobHandler, JobRecord } from "~/jobs/job-handlers.server";
import { nextPendingItems, settleItems } from "~/jobs/job-items.server";
import { lockOwnedJob, type ClaimedJob } from "~/jobs/job-lease.server";
import type { ResolvedRunnerOptions } from "~/jobs/job-options";
import { batchKey, prepareBatch } from "~/jobs/job-prepare.server";
import { PermissionDeniedError } from "~/lib/domain-error";

export interface BatchDone {
  step: "continue" | "complete" | "cancelled";
  items: number;
}

/** Thrown by a test hook: propagated as-is, leaving the job as a dead process would (RUNNING, lease held). */
export class HookAbort extends Error {
  constructor(readonly original: unknown) {
    super("runner hook aborted the run");
  }
}

/** The job's creator as the batch's actor, with their current role: disabled staff or a lost permission stop the job. */
export async function creatorContext(job: JobRecord): Promise<ActionContext> {
  const staff = await prisma.staffUser.findUnique({
    where: { id: job.createdById },
    select: { role: true, disabledAt: true },
  });
  if (!staff || staff.disabledAt) {
    throw new PermissionDeniedError(
      "The staff member who started this job is no longer active: a lead must start it again.",
    );
  }
  const role = (ROLES as readonly string[]).includes(staff.role) ? (staff.role as Role) : (job.createdByRole as Role);
  return {
    actor: { kind: "staff", id: job.createdById, role },
    origin: { ip: null, userAgent: "firebreak-job-runner", requestId: `job:${job.id}` },
  };
}

export async function runBatch(
  job: ClaimedJob,
  handler: JobHandler,
  ctx: ActionContext,
  options: ResolvedRunnerOptions,
  batchNumber: number,
): Promise<BatchDone> {
  const batchSize = options.batchSize ?? handler.batchSize;
  const prepared = handler.prepareBatch ? await prepareBatch(job, handler, options, batchSize) : null;
  return performAction(
    ctx,
    {
      action: "jobs.batch",
      permission: handler.permission,
      targetType: "bulk_job",
      targetId: job.id,
      incidentId: job.incidentId ?? undefined,
    },
    async (tx) => {
      const { cancelRequested } = await lockOwnedJob(tx, job);
      const at = options.clock();
      if (cancelRequested) {
        await tx.$executeRaw`
          UPDATE bulk_job SET status = 'CANCELLED', finished_at = ${at}, lease_owner = NULL, lease_until = NULL
           WHERE id = ${job.id}::uuid`;
        return { result: { step: "cancelled", items: 0 } as BatchDone, after: { kind: job.kind, cancelled: true } };
      }
      const batch = await nextPendingItems(tx, job.id, batchSize);
      if (batch.length === 0) {
        return { result: { step: "complete", items: 0 } as BatchDone, after: { kind: job.kind, items: 0 } };
      }
      if (handler.prepareBatch && (!prepared || prepared.itemIds !== batchKey(batch))) {
        // Prepared for other items (or stopped by a cancel the lock above did not see committed yet): prepare again.
        throw new Error(`job ${job.id}: the batch's items changed while it was being prepared`);
      }
      const result = await handler.processBatch(tx, job, batch, prepared?.value);
      await settleItems(tx, job.id, batch, result.outcomes, at);
      const count = (status: ItemOutcomeStatus) => result.outcomes.filter((o) => o.status === status).length;
      const summary = {
        kind: job.kind,
        batch: batchNumber,
        items: batch.length,
        succeeded: count("SUCCEEDED"),
        skipped: count("SKIPPED"),
        failed: count("FAILED"),
        amountMoved: result.amountMoved ?? 0,
      };
      const until = new Date(at.getTime() + options.leaseMs);
      await tx.$executeRaw`
        UPDATE bulk_job
           SET items_succeeded = items_succeeded + ${summary.succeeded}, items_skipped = items_skipped + ${summary.skipped},
               items_failed = items_failed + ${summary.failed}, amount_done = amount_done + ${summary.amountMoved},
               batches_committed = batches_committed + 1, heartbeat_at = ${at}, lease_until = ${until}
         WHERE id = ${job.id}::uuid`;
      if (options.hooks?.beforeCommit) {
        try {
          await options.hooks.beforeCommit({ jobId: job.id, batch: batchNumber, items: batch.length });
        } catch (error) {
          throw new HookAbort(error);
        }
      }
      return {
        result: { step: "continue", items: batch.length } as BatchDone,
        after: summary,
        extraEvents: result.auditEvents ?? [],
      };
    },
  );
}

export async function completeJob(job: ClaimedJob, handler: JobHandler, ctx: ActionContext, at: Date): Promise<void> {
  await performAction(
    ctx,
    {
      action: "jobs.complete",
      permission: handler.permission,
      targetType: "bulk_job",
      targetId: job.id,
      incidentId: job.incidentId ?? undefined,
    },
    async (tx) => {
      await lockOwnedJob(tx, job);
      const report = handler.finish ? await handler.finish(tx, job) : null;
      const [counters] = await tx.$queryRaw<{ items_succeeded: number; items_skipped: number; items_failed: number }[]>`
        UPDATE bulk_job
           SET status = 'SUCCEEDED', finished_at = ${at}, lease_owner = NULL, lease_until = NULL, heartbeat_at = ${at},
               report = ${JSON.stringify(report)}::jsonb
         WHERE id = ${job.id}::uuid
        RETURNING items_succeeded, items_skipped, items_failed`;
      return { result: undefined, after: { kind: job.kind, ...counters } };
    },
  );
}
