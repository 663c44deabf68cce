// A job's progress as the job pages show it (read-only).
import { prisma } from "~/db.server";
import type { BulkJobStatus } from "~/generated/prisma/enums";
import { now } from "~/lib/clock.server";
import { isUuid } from "~/lib/uuid";

export interface JobProgress {
  id: string;
  kind: string;
  status: BulkJobStatus;
  itemsTotal: number;
  itemsDone: number;
  itemsSucceeded: number;
  itemsSkipped: number;
  itemsFailed: number;
  amountDone: number;
  batchesCommitted: number;
  percent: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
  cancelRequested: boolean;
  lastError: string | null;
  /** RUNNING but nobody has renewed the lease: the runner died, another will resume it. */
  stalled: boolean;
}

export async function getJobProgress(jobId: string, at = now()): Promise<JobProgress | null> {
  if (!isUuid(jobId)) return null;
  const job = await prisma.bulkJob.findUnique({ where: { id: jobId } });
  if (!job) return null;
  const done = job.itemsSucceeded + job.itemsSkipped + job.itemsFailed;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    itemsTotal: job.itemsTotal,
    itemsDone: done,
    itemsSucceeded: job.itemsSucceeded,
    itemsSkipped: job.itemsSkipped,
    itemsFailed: job.itemsFailed,
    amountDone: Number(job.amountDone),
    batchesCommitted: job.batchesCommitted,
    percent: job.itemsTotal === 0 ? 100 : Math.floor((done / job.itemsTotal) * 100),
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    heartbeatAt: job.heartbeatAt?.toISOString() ?? null,
    cancelRequested: job.cancelRequestedAt !== null,
    lastError: job.lastError,
    stalled: job.status === "RUNNING" && (job.leaseUntil === null || job.leaseUntil < at),
  };
}
