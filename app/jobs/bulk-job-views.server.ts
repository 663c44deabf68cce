// What the job pages show (read-only): the list of bulk jobs, one job's progress, and a bulk reversal's dry-run
// totals, failed items and reconciliation.
import { ACCOUNT_NOT_SECURED } from "~/ledger/account-secured.server";
import { prisma } from "~/db.server";
import { BULK_FREEZE_KIND, type StoredBulkFreezeParams } from "~/jobs/bulk-freeze.server";
import { BULK_REVERSAL_KIND, reconcileBulkReversal } from "~/jobs/bulk-reversal.server";
import { bulkReversalQueryOf } from "~/ledger/bulk-reversal-query.server";
import { getJobProgress, type JobProgress } from "~/jobs/job-progress.server";
import type { PlanTotals } from "~/ledger/bulk-reversal-plan.server";

const KIND_LABELS: Record<string, string> = {
  [BULK_REVERSAL_KIND]: "Bulk reversal",
  [BULK_FREEZE_KIND]: "Bulk freeze",
  "recovery.bulk-reset": "Bulk password reset",
};

export function jobKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

export async function listJobs(limit = 50) {
  const jobs = await prisma.bulkJob.findMany({ orderBy: { createdAt: "desc" }, take: limit });
  const creators = await prisma.staffUser.findMany({
    where: { id: { in: [...new Set(jobs.map((j) => j.createdById))] } },
    select: { id: true, displayName: true },
  });
  const names = new Map(creators.map((c) => [c.id, c.displayName]));
  return jobs.map((job) => {
    const done = job.itemsSucceeded + job.itemsSkipped + job.itemsFailed;
    return {
      id: job.id,
      kind: jobKindLabel(job.kind),
      kindCode: job.kind,
      status: job.status,
      createdAt: job.createdAt.toISOString(),
      createdBy: names.get(job.createdById) ?? job.createdById,
      itemsTotal: job.itemsTotal,
      itemsDone: done,
      itemsFailed: job.itemsFailed,
      percent: job.itemsTotal === 0 ? 100 : Math.floor((done / job.itemsTotal) * 100),
    };
  });
}

export interface FailedItem {
  subjectId: string;
  customerId: string | null;
  displayId: string | null;
  amount: number | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export async function loadJobView(jobId: string, options: { withReport: boolean }) {
  const progress: JobProgress | null = await getJobProgress(jobId);
  if (!progress) return null;
  const job = await prisma.bulkJob.findUniqueOrThrow({
    where: { id: jobId },
    select: { createdById: true, totals: true, params: true, incidentId: true },
  });
  const creator = await prisma.staffUser.findUnique({ where: { id: job.createdById }, select: { displayName: true } });
  const listed = await prisma.$queryRaw<
    {
      status: string;
      subject_id: string;
      customer_id: string | null;
      display_id: string | null;
      amount: number | null;
      error_code: string | null;
      error_message: string | null;
    }[]
  >`
    SELECT i.status::text AS status, i.subject_id::text, i.customer_id::text, c.display_id, i.amount, i.error_code,
           i.error_message
      FROM bulk_job_item i LEFT JOIN customer c ON c.id = i.customer_id
     WHERE i.job_id = ${jobId}::uuid
       AND (i.status = 'FAILED' OR (i.status = 'SKIPPED' AND i.error_code = ${ACCOUNT_NOT_SECURED}))
     ORDER BY i.seq LIMIT 200`;
  const toItem = (f: (typeof listed)[number]): FailedItem => ({
    subjectId: f.subject_id,
    customerId: f.customer_id,
    displayId: f.display_id,
    amount: f.amount,
    errorCode: f.error_code,
    errorMessage: f.error_message,
  });
  const isReversal = progress.kind === BULK_REVERSAL_KIND;
  const finished = progress.status === "SUCCEEDED" || progress.status === "CANCELLED";
  const report = isReversal && (options.withReport || finished) ? await reconcileBulkReversal(jobId) : null;
  return {
    progress,
    kindLabel: jobKindLabel(progress.kind),
    isReversal,
    createdBy: creator?.displayName ?? job.createdById,
    totals: isReversal ? (job.totals as unknown as PlanTotals) : null,
    params: job.params as Record<string, unknown>,
    failed: listed.filter((f) => f.status === "FAILED").map(toItem),
    /** Purchases left unreversed because their account was not secured: reversed once it is, one by one. */
    notSecured: listed.filter((f) => f.status === "SKIPPED").map(toItem),
    report,
    /** A bulk freeze: the bulk reversal's dry run its accounts came from, to run again once they are frozen. */
    dryRunHref:
      progress.kind === BULK_FREEZE_KIND
        ? `/reversals/bulk?${bulkReversalQueryOf((job.params as unknown as StoredBulkFreezeParams).reversal)}`
        : null,
  };
}
