// A batch's read-only preparation (handler.prepareBatch), run before its transaction so no row lock is held while
// it works; its progress is written under the lease, which each write renews.
import { prisma } from "~/db.server";
import type { JobHandler, ProgressReporter } from "~/jobs/job-handlers.server";
import { nextPendingItems } from "~/jobs/job-items.server";
import { LeaseLost, RunnerStopping, type ClaimedJob } from "~/jobs/job-lease.server";
import type { ResolvedRunnerOptions } from "~/jobs/job-options";

class CancelSeen extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} was cancelled while its batch was being prepared`);
  }
}

const PROGRESS_EVERY_MS = 500;

/** Progress of the prepared work, written outside any batch transaction under the lease (which it renews). */
function progressReporter(job: ClaimedJob, options: ResolvedRunnerOptions): ProgressReporter {
  let written = -Infinity;
  return async (done, total) => {
    // Checked at every report, not only at the written ones: a replay of minutes must stop within the shutdown's time.
    if (options.stopRequested?.()) throw new RunnerStopping(job.id);
    const wall = performance.now();
    if (wall - written < PROGRESS_EVERY_MS && done < total) return;
    written = wall;
    const at = options.clock();
    const until = new Date(at.getTime() + options.leaseMs);
    const rows = await prisma.$queryRaw<{ cancelled: boolean }[]>`
      UPDATE bulk_job
         SET progress_done = ${Math.floor(done)}, progress_total = ${Math.floor(total)}, heartbeat_at = ${at},
             lease_until = ${until}
       WHERE id = ${job.id}::uuid AND lease_owner = ${job.owner} AND status = 'RUNNING'
      RETURNING cancel_requested_at IS NOT NULL AS cancelled`;
    if (rows.length === 0) throw new LeaseLost(job.id);
    if (rows[0]!.cancelled) throw new CancelSeen(job.id);
  };
}

export interface PreparedBatch {
  /** The items it was prepared for; the batch's transaction checks it still has exactly these. */
  itemIds: string;
  value: unknown;
}

export function batchKey(items: { id: bigint }[]): string {
  return items.map((i) => i.id).join(",");
}

/** Runs the handler's prepareBatch for the next items; null when there are none or a cancel stopped it. */
export async function prepareBatch(
  job: ClaimedJob,
  handler: JobHandler,
  options: ResolvedRunnerOptions,
  batchSize: number,
): Promise<PreparedBatch | null> {
  const items = await nextPendingItems(prisma, job.id, batchSize);
  if (items.length === 0) return null;
  try {
    const value = await handler.prepareBatch!(job, items, progressReporter(job, options));
    return { itemIds: batchKey(items), value };
  } catch (error) {
    if (error instanceof CancelSeen) return null;
    throw error;
  }
}
