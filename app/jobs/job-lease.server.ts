// A job's lease: the system actor claims a runnable job, every write under the lease first checks it is still held,
// and a job that failed for good is released. Claiming and failing are the runner's own transactions (ADR 019).
import { NO_ORIGIN, type Actor } from "~/audit/actor";
import { appendAuditEvent } from "~/audit/audit-log.server";
import { prisma, type DbTx } from "~/db.server";
import type { BulkJobStatus } from "~/generated/prisma/enums";
import { registeredJobKinds, type JobRecord } from "~/jobs/job-handlers.server";
import { DomainError } from "~/lib/domain-error";

const RUNNER_ACTOR: Actor = { kind: "system", id: "system:job-runner" };

export interface ClaimedJob extends JobRecord {
  owner: string;
}

/** Thrown when the runner's process is stopping mid-job: the runner hands the job back (releaseJob). */
export class RunnerStopping extends Error {
  constructor(jobId: string) {
    super(`the runner of job ${jobId} is stopping`);
  }
}

export class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`the lease on job ${jobId} was taken over`);
  }
}

function toRecord(row: {
  id: string;
  kind: string;
  params: unknown;
  totals: unknown;
  incident_id: string | null;
  created_by_id: string;
  created_by_role: string;
  created_at: Date;
}): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    params: row.params,
    totals: row.totals,
    incidentId: row.incident_id,
    createdById: row.created_by_id,
    createdByRole: row.created_by_role,
    createdAt: new Date(row.created_at),
  };
}

/** Takes a QUEUED job, or a RUNNING one whose lease expired; `jobId` restricts it to that job. Audited when taken. */
export async function claimJob(options: {
  owner: string;
  leaseMs: number;
  at: Date;
  jobId?: string;
}): Promise<ClaimedJob | null> {
  const kinds = registeredJobKinds();
  if (kinds.length === 0) return null;
  const until = new Date(options.at.getTime() + options.leaseMs);
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<
      (Parameters<typeof toRecord>[0] & { claims: number; previous_owner: string | null; status: BulkJobStatus })[]
    >`
      WITH candidate AS (
        SELECT id, lease_owner FROM bulk_job
         WHERE status IN ('QUEUED', 'RUNNING') AND kind = ANY(${kinds}::text[])
           AND (lease_until IS NULL OR lease_until < ${options.at})
           AND (${options.jobId ?? null}::uuid IS NULL OR id = ${options.jobId ?? null}::uuid)
         ORDER BY created_at
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
      UPDATE bulk_job j
         SET status = 'RUNNING', lease_owner = ${options.owner}, lease_until = ${until}, heartbeat_at = ${options.at},
             claims = j.claims + 1, started_at = COALESCE(j.started_at, ${options.at})
        FROM candidate c
       WHERE j.id = c.id
      RETURNING j.id, j.kind, j.params, j.totals, j.incident_id, j.created_by_id, j.created_by_role, j.created_at,
                j.claims, c.lease_owner AS previous_owner, j.status`;
    const row = rows[0];
    if (!row) return null;
    await appendAuditEvent(tx, {
      actor: RUNNER_ACTOR,
      origin: NO_ORIGIN,
      action: row.claims > 1 ? "jobs.resume" : "jobs.start",
      outcome: "SUCCESS",
      targetType: "bulk_job",
      targetId: row.id,
      incidentId: row.incident_id,
      after: { kind: row.kind, owner: options.owner, claims: row.claims, previousOwner: row.previous_owner },
    });
    return { ...toRecord(row), owner: options.owner };
  });
}

/**
 * Locks the job's row for the rest of the transaction and checks the lease is still this runner's; throws LeaseLost
 * when another runner took it over (so a runner that lost its lease can never commit).
 */
export async function lockOwnedJob(tx: DbTx, job: ClaimedJob): Promise<{ cancelRequested: boolean }> {
  const rows = await tx.$queryRaw<
    { lease_owner: string | null; status: BulkJobStatus; cancel_requested_at: Date | null }[]
  >`
    SELECT lease_owner, status, cancel_requested_at FROM bulk_job WHERE id = ${job.id}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row || row.lease_owner !== job.owner || row.status !== "RUNNING") throw new LeaseLost(job.id);
  return { cancelRequested: row.cancel_requested_at !== null };
}

function describeError(error: unknown): string {
  if (error instanceof DomainError) return `${error.code}: ${error.message}`;
  return "INTERNAL_ERROR: the batch failed unexpectedly (see the server log with the job id)";
}

/** Marks the job FAILED and releases its lease, if this runner still holds it; a lead may resume it later. */
export async function failJob(job: ClaimedJob, error: unknown, at: Date): Promise<void> {
  const message = describeError(error);
  await prisma.$transaction(async (tx) => {
    const updated = await tx.$executeRaw`
      UPDATE bulk_job SET status = 'FAILED', last_error = ${message}, lease_owner = NULL, lease_until = NULL,
                          heartbeat_at = ${at}
       WHERE id = ${job.id}::uuid AND lease_owner = ${job.owner}`;
    if (updated === 1) {
      await appendAuditEvent(tx, {
        actor: RUNNER_ACTOR,
        origin: NO_ORIGIN,
        action: "jobs.fail",
        outcome: "FAILED",
        targetType: "bulk_job",
        targetId: job.id,
        incidentId: job.incidentId,
        after: { kind: job.kind, error: message },
      });
    }
  });
}

/**
 * Hands a RUNNING job back, if this runner still holds it: the lease is cleared, so the next runner (another worker,
 * or this process once restarted) resumes it at once instead of after the lease has run out. What was committed
 * stays; the batch that was being prepared is prepared again. Audited as the runner's own step.
 */
export async function releaseJob(job: ClaimedJob, at: Date): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const updated = await tx.$executeRaw`
      UPDATE bulk_job SET lease_owner = NULL, lease_until = NULL, heartbeat_at = ${at}
       WHERE id = ${job.id}::uuid AND lease_owner = ${job.owner} AND status = 'RUNNING'`;
    if (updated === 1) {
      await appendAuditEvent(tx, {
        actor: RUNNER_ACTOR,
        origin: NO_ORIGIN,
        action: "jobs.release",
        outcome: "SUCCESS",
        targetType: "bulk_job",
        targetId: job.id,
        incidentId: job.incidentId,
        after: { kind: job.kind, owner: job.owner, reason: "runner stopping" },
      });
    }
  });
}
