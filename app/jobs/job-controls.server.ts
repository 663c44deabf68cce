// What staff do to a job: cancel it, or resume one that failed. Each an audited action through the spine, under the
// permission of the job's kind; cancelling a job that contains accounts also needs a fresh step-up.
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import type { Permission } from "~/auth/permissions";
import { prisma } from "~/db.server";
import type { BulkJobStatus } from "~/generated/prisma/enums";
import { jobHandler } from "~/jobs/job-handlers.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { isUuid } from "~/lib/uuid";

function jobNotFound(): DomainError {
  return new DomainError("JOB_NOT_FOUND", "There is no such job.", 404);
}

// An unknown job or kind falls back to the general permission, so the spine still refuses staff without it.
async function jobKindOf(jobId: string): Promise<{ permission: Permission; cancelNeedsStepUp: boolean }> {
  const job = isUuid(jobId) ? await prisma.bulkJob.findUnique({ where: { id: jobId }, select: { kind: true } }) : null;
  const handler = job ? jobHandler(job.kind) : undefined;
  return { permission: handler?.permission || "bulk:run", cancelNeedsStepUp: handler?.cancelNeedsStepUp === true };
}

async function jobPermission(jobId: string): Promise<Permission> {
  return (await jobKindOf(jobId)).permission;
}

/** Stops a job: at once when it is not running, else before the runner's next batch. Items left PENDING stay so. */
export async function cancelJob(
  ctx: ActionContext,
  input: { jobId: string; reason?: string | null },
): Promise<BulkJobStatus> {
  const jobId = String(input.jobId ?? "").slice(0, 64);
  // Stopping a containment job leaves the accounts it has not reached open: a stolen session must not (ADR 122).
  const kind = await jobKindOf(jobId);
  return performAction(
    ctx,
    {
      action: "jobs.cancel",
      permission: kind.permission,
      stepUp: kind.cancelNeedsStepUp,
      targetType: "bulk_job",
      targetId: jobId,
      reason: input.reason?.trim().slice(0, 1000) || undefined,
    },
    async (tx) => {
      if (!isUuid(jobId)) throw jobNotFound();
      const rows = await tx.$queryRaw<{ status: BulkJobStatus; lease_until: Date | null }[]>`
        SELECT status, lease_until FROM bulk_job WHERE id = ${jobId}::uuid FOR UPDATE`;
      const job = rows[0];
      if (!job) throw jobNotFound();
      if (job.status === "SUCCEEDED" || job.status === "CANCELLED") {
        throw new DomainError("JOB_FINISHED", `This job is already ${job.status.toLowerCase()}.`, 409);
      }
      const at = now();
      const idle = job.status !== "RUNNING";
      await tx.$executeRaw`
        UPDATE bulk_job
           SET cancel_requested_at = COALESCE(cancel_requested_at, ${at}),
               status = CASE WHEN ${idle} THEN 'CANCELLED'::"BulkJobStatus" ELSE status END,
               finished_at = CASE WHEN ${idle} THEN ${at} ELSE finished_at END
         WHERE id = ${jobId}::uuid`;
      const status: BulkJobStatus = idle ? "CANCELLED" : "RUNNING";
      return { result: status, before: { status: job.status }, after: { status, cancelRequested: true } };
    },
  );
}

/** Puts a FAILED job back in the queue; the next runner continues with its PENDING items. */
export async function resumeJob(ctx: ActionContext, input: { jobId: string }): Promise<void> {
  const jobId = String(input.jobId ?? "").slice(0, 64);
  await performAction(
    ctx,
    { action: "jobs.requeue", permission: await jobPermission(jobId), targetType: "bulk_job", targetId: jobId },
    async (tx) => {
      if (!isUuid(jobId)) throw jobNotFound();
      const updated = await tx.$executeRaw`
        UPDATE bulk_job SET status = 'QUEUED', lease_owner = NULL, lease_until = NULL
         WHERE id = ${jobId}::uuid AND status = 'FAILED' AND cancel_requested_at IS NULL`;
      if (updated !== 1) {
        if (!(await tx.bulkJob.findUnique({ where: { id: jobId }, select: { id: true } }))) throw jobNotFound();
        throw new DomainError("JOB_NOT_FAILED", "Only a failed job can be resumed.", 409);
      }
      return { result: undefined, before: { status: "FAILED" }, after: { status: "QUEUED" } };
    },
  );
}
