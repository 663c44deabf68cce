// How a runner is configured: its lease, its clock, and the hooks tests use to crash it at chosen points.
import type { JobHandler } from "~/jobs/job-handlers.server";

export const ONE_MINUTE = 60 * 1000;
export const DEFAULT_LEASE_MS = ONE_MINUTE;
export const DEFAULT_POLL_INTERVAL_MS = 1000;

export interface BatchInfo {
  jobId: string;
  /** 1-based count of batches this runner has run for the job. */
  batch: number;
  items: number;
}

export interface RunnerHooks {
  /** Inside the batch's transaction, after the handler, before commit. Throwing = a crash mid-batch (rolled back). */
  beforeCommit?(info: BatchInfo): void | Promise<void>;
  /** After a batch committed. Throwing = the process dying between batches (the lease is left to expire). */
  afterCommit?(info: BatchInfo): void | Promise<void>;
}

export interface RunnerOptions {
  /** Registered before running (equivalent to registerJobHandler for each). */
  handlers?: JobHandler[];
  /** Lease owner id; a new random one per runner by default. */
  owner?: string;
  leaseMs?: number;
  /** The runner's notion of now (lease expiry); tests move it forward to take over a dead runner's job. */
  clock?: () => Date;
  /** Overrides the handler's batch size (benchmarks, tests). */
  batchSize?: number;
  hooks?: RunnerHooks;
  /**
   * True once the process is stopping (the background runner's stop, on SIGTERM): the job is handed back after the
   * batch that is committing, or at the next progress report of a batch still being prepared, instead of run to its
   * end past the shutdown deadline.
   */
  stopRequested?: () => boolean;
}

/** The options once the runner has filled in its defaults. */
export type ResolvedRunnerOptions = RunnerOptions & Required<Pick<RunnerOptions, "leaseMs" | "clock">>;
