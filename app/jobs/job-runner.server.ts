// The durable job runner: long bulk actions (cohort-wide reversals, bulk password resets…) as rows in bulk_job /
// bulk_job_item, worked in batches by whichever process holds the job's lease. Generic: each job kind registers a
// handler that processes one batch of items inside the batch's transaction. This module is the runner's public face;
// each concern lives in its own file beside it:
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
export { cancelJob, resumeJob } from "~/jobs/job-controls.server";
export { enqueueJob, JobAlreadyEnqueued, type EnqueueJobInput } from "~/jobs/job-enqueue.server";
export {
  jobHandler,
  registerJobHandler,
  type BatchResult,
  type ItemOutcome,
  type ItemOutcomeStatus,
  type JobHandler,
  type JobItem,
  type JobItemInput,
  type JobRecord,
  type ProgressReporter,
} from "~/jobs/job-handlers.server";
export { runJob, runNextJob, startJobRunner, type JobRunOutcome } from "~/jobs/job-loop.server";
export {
  DEFAULT_LEASE_MS,
  DEFAULT_POLL_INTERVAL_MS,
  ONE_MINUTE,
  type BatchInfo,
  type RunnerHooks,
  type RunnerOptions,
} from "~/jobs/job-options";
export { getJobProgress, type JobProgress } from "~/jobs/job-progress.server";
