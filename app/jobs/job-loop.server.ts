// The durable job runner: long bulk actions (cohort-wide reversals, bulk password resets…) as rows in bulk_job /
// bulk_job_item, worked in batches by whichever process holds the job's lease. Generic: each job kind registers a
// handler that processes one batch of items inside the batch's transaction. Each concern lives in its own
// file (callers import the one they need):
//
//   enqueueJob(tx, …)          inside the caller's audited action: the job and all its items, in one transaction
//                                                                                          (job-enqueue.server.ts)
//   runner: claim ──▶ batch ──▶ batch ──▶ … ──▶ complete (handler.finish → report)        (job-loop.server.ts)
//     claim:    a QUEUED job, or a RUNNING one whose lease expired (its runner died): lease_owner = me
//                                                                                          (job-lease.server.ts)
//     batch:    ONE transaction through the spine (actor = the job's creator, permission re-checked every batch):
//               lock the job row, verify the lease is still mine, take the next PENDING items (lowest phase first),
//               handler.processBatch(tx, items), settle the items, bump the counters and the lease, audit rows
//                                                    (job-batch.server.ts, job-items.server.ts, job-prepare.server.ts)
//     complete: handler.finish(tx) → report, status SUCCEEDED
//   staff: cancel, resume (job-controls.server.ts); the progress the pages show (job-progress.server.ts)
//
// Exactly-once: an item is settled in the same transaction as its effect, so a crash rolls both back and the next
// runner redoes the batch; a settled item can never be settled again (the batch's UPDATE only touches PENDING items,
// and a trigger refuses any change to a settled item); a runner whose lease was taken over cannot commit (the lease
// check runs under the job's row lock). Handlers add their own idempotency (reversals use a deterministic ledger key).
// See docs/decisions/012-reversals.md.
//
// This file runs jobs: one claimed job batch by batch to its end (retrying what is transient), and the background
// poller.
import { randomUUID } from "node:crypto";
import { backoffMs, isConnectionLoss, isContention, isOverloaded, isTransientDbError } from "~/db/transient-errors";
import { completeJob, creatorContext, HookAbort, runBatch, type BatchDone } from "~/jobs/job-batch.server";
import { jobHandler, registerJobHandler } from "~/jobs/job-handlers.server";
import { hasPendingItems } from "~/jobs/job-items.server";
import { claimJob, failJob, LeaseLost, releaseJob, RunnerStopping, type ClaimedJob } from "~/jobs/job-lease.server";
import { DEFAULT_LEASE_MS, DEFAULT_POLL_INTERVAL_MS, type RunnerOptions } from "~/jobs/job-options";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";

const MAX_TRANSIENT_RETRIES = 5;
// Connection loss gets longer: about half a minute of backoff covers a restart or a failover. After that the job is
// left RUNNING with its lease, for this or another runner to take over once the lease runs out (never FAILED). A pool
// with no connection free (a burst of load) is treated the same: the batch never started, and says nothing about it.
const MAX_CONNECTION_RETRIES = 10;

export type JobRunOutcome =
  | { status: "SUCCEEDED" | "CANCELLED" | "FAILED"; jobId: string; batches: number }
  | { status: "LEASE_LOST"; jobId: string; batches: number }
  /** The runner's process was stopping: the job was handed back, RUNNING, for the next runner to resume. */
  | { status: "RELEASED"; jobId: string; batches: number };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function runClaimedJob(job: ClaimedJob, options: RunnerOptions): Promise<JobRunOutcome> {
  const handler = jobHandler(job.kind);
  const clock = options.clock ?? now;
  const full = { ...options, leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS, clock };
  if (!handler) throw new Error(`no handler registered for job kind ${job.kind}`);
  let batches = 0;
  for (;;) {
    let attempt = 0;
    let done: BatchDone;
    for (;;) {
      try {
        const ctx = await creatorContext(job);
        done = (await hasPendingItems(job.id))
          ? await runBatch(job, handler, ctx, full, batches + 1)
          : { step: "complete", items: 0 };
        if (done.step === "complete") await completeJob(job, handler, ctx, clock());
        break;
      } catch (error) {
        if (error instanceof HookAbort) throw error.original;
        if (error instanceof LeaseLost) return { status: "LEASE_LOST", jobId: job.id, batches };
        if (error instanceof RunnerStopping) return handBack(job, clock(), batches);
        if (isConnectionLoss(error) || isOverloaded(error)) {
          // Stopping: no half minute of retries past the shutdown's deadline.
          if (options.stopRequested?.()) return handBack(job, clock(), batches);
          if (attempt < MAX_CONNECTION_RETRIES) {
            attempt += 1;
            await sleep(backoffMs(attempt));
            continue;
          }
          console.warn(`job ${job.id} (${job.kind}): database unreachable or busy; left to lease takeover`);
          return { status: "LEASE_LOST", jobId: job.id, batches };
        }
        if (isContention(error) && attempt < MAX_TRANSIENT_RETRIES) {
          attempt += 1;
          await sleep(50 * 2 ** attempt);
          continue;
        }
        if (!(error instanceof DomainError)) console.error(`job ${job.id} (${job.kind}) failed:`, error);
        await failJob(job, error, clock());
        return { status: "FAILED", jobId: job.id, batches };
      }
    }
    if (done.step === "complete") return { status: "SUCCEEDED", jobId: job.id, batches };
    if (done.step === "cancelled") return { status: "CANCELLED", jobId: job.id, batches };
    batches += 1;
    if (options.hooks?.afterCommit) {
      await options.hooks.afterCommit({ jobId: job.id, batch: batches, items: done.items });
    }
    if (options.stopRequested?.()) return handBack(job, clock(), batches);
  }
}

/** The process is stopping: the job goes back to the queue's next runner now rather than when its lease runs out. */
async function handBack(job: ClaimedJob, at: Date, batches: number): Promise<JobRunOutcome> {
  try {
    await releaseJob(job, at);
  } catch (error) {
    // The database away at shutdown: the lease runs out by itself and the job is taken over then.
    console.warn(`job ${job.id} (${job.kind}): could not hand the job back (${String(error).split("\n")[0]})`);
  }
  return { status: "RELEASED", jobId: job.id, batches };
}

/** Registers the options' handlers, claims a runnable job (this one, or else the oldest) and runs it to the end. */
async function claimAndRun(options: RunnerOptions, jobId?: string): Promise<JobRunOutcome | null> {
  for (const handler of options.handlers ?? []) registerJobHandler(handler);
  const owner = options.owner ?? `runner:${randomUUID()}`;
  const job = await claimJob({
    owner,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    at: (options.clock ?? now)(),
    jobId,
  });
  return job ? runClaimedJob(job, options) : null;
}

/**
 * Claims this job (if it is QUEUED, or RUNNING with an expired lease) and runs it to the end in this process.
 * Returns null when it could not be claimed (finished, failed, or another runner holds a live lease).
 */
export function runJob(jobId: string, options: RunnerOptions = {}): Promise<JobRunOutcome | null> {
  return claimAndRun(options, jobId);
}

/** Claims the oldest runnable job of a registered kind and runs it; null when there is none. */
export function runNextJob(options: RunnerOptions = {}): Promise<JobRunOutcome | null> {
  return claimAndRun(options);
}

/**
 * The background worker: polls for runnable jobs and runs them one at a time. Returns a stop function that waits
 * for the current batch to commit (or a batch being prepared to stop at its next progress report) and hands the
 * unfinished job back, for the next runner to resume at once.
 */
export function startJobRunner(options: RunnerOptions & { pollIntervalMs?: number } = {}): () => Promise<void> {
  for (const handler of options.handlers ?? []) registerJobHandler(handler);
  const owner = options.owner ?? `runner:${randomUUID()}`;
  const poll = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let stopping = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopping) {
      try {
        const outcome = await runNextJob({ ...options, owner, handlers: [], stopRequested: () => stopping });
        if (outcome) continue;
      } catch (error) {
        // The database being away or busy is an operating condition, not a defect: wait and poll again.
        if (isTransientDbError(error))
          console.warn(`job runner: database unavailable (${String(error).split("\n")[0]})`);
        else console.error("job runner:", error);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, poll);
        timer.unref?.();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return async () => {
    stopping = true;
    (wake as (() => void) | null)?.();
    await loop;
  };
}
