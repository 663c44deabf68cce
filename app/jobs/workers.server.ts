// Starts every background worker of the console in the current process and returns a function that stops them.
// Each capability registers its worker here (notification outbox, bulk jobs, kill-switch auto-release).
import { startAuditCheckpointWorker } from "~/audit/checkpoint-worker.server";
import { startAuthHousekeeping } from "~/auth/auth-housekeeping.server";
import { startDetectWorker } from "~/detect/live-worker.server";
import { bulkFreezeJob } from "~/jobs/bulk-freeze.server";
import { bulkReversalJob } from "~/jobs/bulk-reversal.server";
import { startJobRunner } from "~/jobs/job-loop.server";
import { startAutoReleaseWorker } from "~/killswitch/auto-release.server";
import { startOutboxWorkerFromEnv } from "~/notify/outbox-worker.server";
import { cohortResetHandler } from "~/recovery/cohort-reset.server";
import { backtestJob } from "~/risk/backtest-job.server";

type StopWorker = () => Promise<void>;
type WorkerStarter = () => StopWorker | Promise<StopWorker>;

const starters: { name: string; start: WorkerStarter }[] = [
  { name: "audit-checkpoints", start: () => startAuditCheckpointWorker() }, // signs the audit chain head every few seconds
  { name: "auth-housekeeping", start: () => startAuthHousekeeping() }, // drops expired sessions and stale sign-in rows
  { name: "kill-switch-auto-release", start: () => startAutoReleaseWorker() }, // releases switches at their set time
  { name: "detectors", start: () => startDetectWorker() }, // evaluates the early-warning detectors every minute
  { name: "notification-outbox", start: () => startOutboxWorkerFromEnv() }, // delivers queued mail (dev: to the sink)
  // Durable bulk jobs (app/jobs/job-loop.server.ts): add each job kind's handler to this list.
  {
    name: "bulk-jobs",
    start: () => startJobRunner({ handlers: [bulkReversalJob, bulkFreezeJob, cohortResetHandler, backtestJob] }),
  },
];

/** The names of every registered worker (the heartbeat reports them). */
export function backgroundWorkerNames(): string[] {
  return starters.map((s) => s.name);
}

export async function startBackgroundWorkers(): Promise<StopWorker> {
  const stops = await Promise.all(starters.map((s) => s.start()));
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
