// The durable job runner: long bulk actions (cohort-wide reversals, bulk password resets…) as rows in bulk_job /
// bulk_job_item, worked in batches by whichever process holds the job's lease. Generic: each job kind registers a
// handler that processes one batch of items inside the batch's transaction.
//
//   enqueueJob(tx, …)          inside the caller's audited action: the job and all its items, in one transaction
//   runner: claim ──▶ batch ──▶ batch ──▶ … ──▶ complete (handler.finish → report)
//     claim:    a QUEUED job, or a RUNNING one whose lease expired (its runner died): lease_owner = me
//     batch:    ONE transaction through the spine (actor = the job's creator, permission re-checked every batch):
//               lock the job row, verify the lease is still mine, take the next PENDING items (lowest phase first),
//               handler.processBatch(tx, items), settle the items, bump the counters and the lease, audit rows
//     complete: handler.finish(tx) → report, status SUCCEEDED
//
// Exactly-once: an item is settled in the same transaction as its effect, so a crash rolls both back and the next
// runner redoes the batch; a settled item can never be settled again (the batch's UPDATE only touches PENDING items,
// and a trigger refuses any change to a settled item); a runner whose lease was taken over cannot commit (the lease
// check runs under the job's row lock). Handlers add their own idempotency (reversals use a deterministic ledger key).
// See docs/decisions/012-reversals.md.
import { randomUUID } from "node:crypto";
import { NO_ORIGIN, type Actor } from "~/audit/actor";
import { appendAuditEvent, type AuditEventInput } from "~/audit/audit-log.server";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { ROLES, type Permission, type Role } from "~/auth/permissions";
import { prisma, type DbTx } from "~/db.server";
import { backoffMs, isConnectionLoss, isContention } from "~/db/transient-errors";
import type { BulkJobItemStatus, BulkJobStatus } from "~/generated/prisma/enums";
import { now } from "~/lib/clock.server";
import { DomainError, PermissionDeniedError } from "~/lib/domain-error";
import { intArray, textArray } from "~/ledger/sql-array";

export const ONE_MINUTE = 60 * 1000;
export const DEFAULT_LEASE_MS = ONE_MINUTE;
export const DEFAULT_POLL_INTERVAL_MS = 1000;
const MAX_TRANSIENT_RETRIES = 5;
// Connection loss gets longer: about half a minute of backoff covers a restart or a failover. After that the job is
// left RUNNING with its lease, for this or another runner to take over once the lease runs out (never FAILED).
const MAX_CONNECTION_RETRIES = 10;
const RUNNER_ACTOR: Actor = { kind: "system", id: "system:job-runner" };

// ───────────────────────────── Handler API ─────────────────────────────

export interface JobItemInput {
  /** What the item acts on (a ledger transaction for reversals, a customer for resets). Unique per job. */
  subjectId: string;
  customerId?: string | null;
  /** Planned yen, for jobs that move money. */
  amount?: number | null;
  /** Items of a lower phase all run before any item of a higher phase. Default 0. */
  phase?: number;
}

export interface JobItem {
  id: bigint;
  seq: number;
  phase: number;
  subjectId: string;
  customerId: string | null;
  amount: number | null;
}

export interface JobRecord {
  id: string;
  kind: string;
  params: unknown;
  totals: unknown;
  incidentId: string | null;
  createdById: string;
  createdByRole: string;
  createdAt: Date;
}

export type ItemOutcomeStatus = Exclude<BulkJobItemStatus, "PENDING">;

export interface ItemOutcome {
  itemId: bigint;
  status: ItemOutcomeStatus;
  resultId?: string | null;
  resultAmount?: number | null;
  errorCode?: string | null;
  errorMessage?: string | null;
}

export interface BatchResult {
  /** Exactly one per item handed in. */
  outcomes: ItemOutcome[];
  /** Audit rows for the batch's items (e.g. one per reversal), chained in the batch's transaction. */
  auditEvents?: Omit<AuditEventInput, "actor" | "origin">[];
  /** Yen moved by the batch; 0 or absent for jobs that move no money. */
  amountMoved?: number;
}

export interface JobHandler {
  /** e.g. "ledger.bulk-reversal", "recovery.bulk-reset". */
  kind: string;
  /** What the job's creator must (still) hold; the spine checks it again at every batch. */
  permission: Permission;
  /** Items per batch: one transaction each. */
  batchSize: number;
  /**
   * Long read-only work for a batch, run before its transaction (no row lock held: a cancel is not kept waiting);
   * its value is handed to processBatch. `progress` records how far it is and renews the lease; it throws when the
   * lease was lost, and stops the work when the job was cancelled (the batch's transaction then cancels the job).
   */
  prepareBatch?(job: JobRecord, items: JobItem[], progress: ProgressReporter): Promise<unknown>;
  /** Processes the items inside the batch's transaction. Throwing rolls the whole batch back (it is retried). */
  processBatch(tx: DbTx, job: JobRecord, items: JobItem[], prepared?: unknown): Promise<BatchResult>;
  /** Runs in the transaction that completes the job; the value is stored as the job's report. */
  finish?(tx: DbTx, job: JobRecord): Promise<unknown>;
}

/** Records done of total units (e.g. events replayed) on the job; throttled, so it may be called very often. */
export type ProgressReporter = (done: number, total: number) => Promise<void>;

// The registry lives on globalThis: a test process holds its own import of this module and the copy bundled into
// build/index.js (the HTTP server's); both must see the same handlers.
const registry = globalThis as unknown as { firebreakJobHandlers?: Map<string, JobHandler> };
function handlers(): Map<string, JobHandler> {
  registry.firebreakJobHandlers ??= new Map();
  return registry.firebreakJobHandlers;
}

export function registerJobHandler(handler: JobHandler): void {
  handlers().set(handler.kind, handler);
}

export function jobHandler(kind: string): JobHandler | undefined {
  return handlers().get(kind);
}

// ───────────────────────────── Enqueueing ─────────────────────────────

export interface EnqueueJobInput {
  kind: string;
  params: unknown;
  /** What the dry run promised (shown next to the progress, kept for the report). */
  totals: unknown;
  items: JobItemInput[];
  createdBy: { id: string; role: Role };
  incidentId?: string | null;
  /** The confirming form's key: enqueueing again with it returns the existing job instead of a second one. */
  idempotencyKey?: string | null;
  at?: Date;
}

export class JobAlreadyEnqueued extends Error {
  constructor(readonly jobId: string) {
    super(`a job with this idempotency key exists: ${jobId}`);
  }
}

/**
 * Creates the job and its items inside the caller's transaction (normally the audited action that confirmed it).
 * Throws JobAlreadyEnqueued when the idempotency key was used before (the caller answers with that job).
 */
export async function enqueueJob(tx: DbTx, input: EnqueueJobInput): Promise<{ id: string; itemsTotal: number }> {
  const at = input.at ?? now();
  const id = randomUUID();
  if (input.idempotencyKey) {
    const claimed = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO bulk_job (id, kind, idempotency_key, status, params, totals, incident_id, created_by_id, created_by_role,
                            created_at, items_total)
      VALUES (${id}::uuid, ${input.kind}, ${input.idempotencyKey}, 'QUEUED', ${JSON.stringify(input.params)}::jsonb,
              ${JSON.stringify(input.totals)}::jsonb, ${input.incidentId ?? null}::uuid, ${input.createdBy.id}::uuid,
              ${input.createdBy.role}, ${at}, ${input.items.length})
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id`;
    if (claimed.length === 0) {
      const existing = await tx.bulkJob.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey } });
      throw new JobAlreadyEnqueued(existing.id);
    }
  } else {
    await tx.bulkJob.create({
      data: {
        id,
        kind: input.kind,
        status: "QUEUED",
        params: input.params as object,
        totals: input.totals as object,
        incidentId: input.incidentId ?? null,
        createdById: input.createdBy.id,
        createdByRole: input.createdBy.role,
        createdAt: at,
        itemsTotal: input.items.length,
      },
    });
  }
  const CHUNK = 10_000;
  for (let from = 0; from < input.items.length; from += CHUNK) {
    const chunk = input.items.slice(from, from + CHUNK);
    await tx.$executeRawUnsafe(
      `INSERT INTO bulk_job_item (job_id, seq, phase, subject_id, customer_id, amount)
       SELECT $1::uuid, s.seq, s.phase, s.subject_id, s.customer_id, s.amount
         FROM unnest($2::text::int4[], $3::text::int4[], $4::text::uuid[], $5::text::uuid[], $6::text::int4[])
           AS s(seq, phase, subject_id, customer_id, amount)`,
      id,
      intArray(chunk.map((_, k) => from + k)),
      intArray(chunk.map((item) => item.phase ?? 0)),
      textArray(chunk.map((item) => item.subjectId)),
      textArray(chunk.map((item) => item.customerId ?? null)),
      intArray(chunk.map((item) => item.amount ?? null)),
    );
  }
  return { id, itemsTotal: input.items.length };
}

// ───────────────────────────── Running ─────────────────────────────

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
}

export type JobRunOutcome =
  | { status: "SUCCEEDED" | "CANCELLED" | "FAILED"; jobId: string; batches: number }
  | { status: "LEASE_LOST"; jobId: string; batches: number };

/** Thrown by a test hook: propagated as-is, leaving the job as a dead process would (RUNNING, lease held). */
class HookAbort extends Error {
  constructor(readonly original: unknown) {
    super("runner hook aborted the run");
  }
}

class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`the lease on job ${jobId} was taken over`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof DomainError) return `${error.code}: ${error.message}`;
  return "INTERNAL_ERROR: the batch failed unexpectedly (see the server log with the job id)";
}

interface ClaimedJob extends JobRecord {
  owner: string;
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
async function claimJob(options: {
  owner: string;
  leaseMs: number;
  at: Date;
  jobId?: string;
}): Promise<ClaimedJob | null> {
  const kinds = [...handlers().keys()];
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

/** The job's creator as the batch's actor, with their current role: disabled staff or a lost permission stop the job. */
async function creatorContext(job: JobRecord): Promise<ActionContext> {
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

async function hasPendingItems(jobId: string): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ present: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM bulk_job_item WHERE job_id = ${jobId}::uuid AND status = 'PENDING') AS present`;
  return rows[0]?.present === true;
}

async function lockOwnedJob(tx: DbTx, job: ClaimedJob): Promise<{ cancelRequested: boolean }> {
  const rows = await tx.$queryRaw<
    { lease_owner: string | null; status: BulkJobStatus; cancel_requested_at: Date | null }[]
  >`
    SELECT lease_owner, status, cancel_requested_at FROM bulk_job WHERE id = ${job.id}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row || row.lease_owner !== job.owner || row.status !== "RUNNING") throw new LeaseLost(job.id);
  return { cancelRequested: row.cancel_requested_at !== null };
}

async function settleItems(tx: DbTx, jobId: string, items: JobItem[], outcomes: ItemOutcome[], at: Date) {
  const byId = new Map(outcomes.map((o) => [o.itemId, o]));
  if (byId.size !== items.length || items.some((item) => !byId.has(item.id))) {
    throw new Error(`job ${jobId}: the handler must settle exactly the ${items.length} items it was given`);
  }
  const settled = await tx.$executeRawUnsafe(
    `UPDATE bulk_job_item i
        SET status = s.status::"BulkJobItemStatus", result_id = s.result_id, result_amount = s.result_amount,
            error_code = s.error_code, error_message = s.error_message, processed_at = $8
       FROM unnest($1::text::int8[], $2::text::text[], $3::text::uuid[], $4::text::int4[], $5::text::text[],
                   $6::text::text[]) AS s(id, status, result_id, result_amount, error_code, error_message)
      WHERE i.id = s.id AND i.job_id = $7::uuid AND i.status = 'PENDING'`,
    intArray(outcomes.map((o) => o.itemId)),
    textArray(outcomes.map((o) => o.status)),
    textArray(outcomes.map((o) => o.resultId ?? null)),
    intArray(outcomes.map((o) => o.resultAmount ?? null)),
    textArray(outcomes.map((o) => o.errorCode ?? null)),
    textArray(outcomes.map((o) => (o.errorMessage ?? null)?.slice(0, 500) ?? null)),
    jobId,
    at,
  );
  if (settled !== items.length) throw new Error(`job ${jobId}: ${items.length - settled} items were already settled`);
}

type BatchStep = "continue" | "complete" | "cancelled";
interface BatchDone {
  step: BatchStep;
  items: number;
}

class CancelSeen extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} was cancelled while its batch was being prepared`);
  }
}

const PROGRESS_EVERY_MS = 500;

/** Progress of the prepared work, written outside any batch transaction under the lease (which it renews). */
function progressReporter(
  job: ClaimedJob,
  options: Required<Pick<RunnerOptions, "leaseMs" | "clock">>,
): ProgressReporter {
  let written = -Infinity;
  return async (done, total) => {
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

/** Runs the handler's prepareBatch for the next items; null when there are none or a cancel stopped it. */
async function prepareBatch(
  job: ClaimedJob,
  handler: JobHandler,
  options: Required<Pick<RunnerOptions, "leaseMs" | "clock">> & RunnerOptions,
  batchSize: number,
): Promise<{ itemIds: string; value: unknown } | null> {
  const rows = await prisma.$queryRaw<
    { id: bigint; seq: number; phase: number; subject_id: string; customer_id: string | null; amount: number | null }[]
  >`
    SELECT id, seq, phase, subject_id, customer_id, amount FROM bulk_job_item
     WHERE job_id = ${job.id}::uuid AND status = 'PENDING'
       AND phase = (SELECT MIN(phase) FROM bulk_job_item WHERE job_id = ${job.id}::uuid AND status = 'PENDING')
     ORDER BY seq
     LIMIT ${batchSize}`;
  if (rows.length === 0) return null;
  const items: JobItem[] = rows.map((r) => ({
    id: BigInt(r.id),
    seq: r.seq,
    phase: r.phase,
    subjectId: r.subject_id,
    customerId: r.customer_id,
    amount: r.amount,
  }));
  try {
    const value = await handler.prepareBatch!(job, items, progressReporter(job, options));
    return { itemIds: items.map((i) => i.id).join(","), value };
  } catch (error) {
    if (error instanceof CancelSeen) return null;
    throw error;
  }
}

async function runBatch(
  job: ClaimedJob,
  handler: JobHandler,
  ctx: ActionContext,
  options: Required<Pick<RunnerOptions, "leaseMs" | "clock">> & RunnerOptions,
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
      const items = await tx.$queryRaw<
        {
          id: bigint;
          seq: number;
          phase: number;
          subject_id: string;
          customer_id: string | null;
          amount: number | null;
        }[]
      >`
        SELECT id, seq, phase, subject_id, customer_id, amount FROM bulk_job_item
         WHERE job_id = ${job.id}::uuid AND status = 'PENDING'
           AND phase = (SELECT MIN(phase) FROM bulk_job_item WHERE job_id = ${job.id}::uuid AND status = 'PENDING')
         ORDER BY seq
         LIMIT ${batchSize}`;
      if (items.length === 0) {
        return { result: { step: "complete", items: 0 } as BatchDone, after: { kind: job.kind, items: 0 } };
      }
      const batch: JobItem[] = items.map((r) => ({
        id: BigInt(r.id),
        seq: r.seq,
        phase: r.phase,
        subjectId: r.subject_id,
        customerId: r.customer_id,
        amount: r.amount,
      }));
      if (handler.prepareBatch && (!prepared || prepared.itemIds !== batch.map((i) => i.id).join(","))) {
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

async function completeJob(job: ClaimedJob, handler: JobHandler, ctx: ActionContext, at: Date): Promise<void> {
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

async function failJob(job: ClaimedJob, error: unknown, at: Date): Promise<void> {
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
        if (isConnectionLoss(error)) {
          if (attempt < MAX_CONNECTION_RETRIES) {
            attempt += 1;
            await sleep(backoffMs(attempt));
            continue;
          }
          console.warn(`job ${job.id} (${job.kind}): database unreachable; left to lease takeover`);
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
  }
}

function registerAll(options: RunnerOptions): void {
  for (const handler of options.handlers ?? []) registerJobHandler(handler);
}

/**
 * Claims this job (if it is QUEUED, or RUNNING with an expired lease) and runs it to the end in this process.
 * Returns null when it could not be claimed (finished, failed, or another runner holds a live lease).
 */
export async function runJob(jobId: string, options: RunnerOptions = {}): Promise<JobRunOutcome | null> {
  registerAll(options);
  const owner = options.owner ?? `runner:${randomUUID()}`;
  const job = await claimJob({
    owner,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    at: (options.clock ?? now)(),
    jobId,
  });
  return job ? runClaimedJob(job, options) : null;
}

/** Claims the oldest runnable job of a registered kind and runs it; null when there is none. */
export async function runNextJob(options: RunnerOptions = {}): Promise<JobRunOutcome | null> {
  registerAll(options);
  const owner = options.owner ?? `runner:${randomUUID()}`;
  const job = await claimJob({ owner, leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS, at: (options.clock ?? now)() });
  return job ? runClaimedJob(job, options) : null;
}

/**
 * The background worker: polls for runnable jobs and runs them one at a time. Returns a stop function that waits
 * for the current batch to finish (a stopped runner's unfinished job is resumed by the next one after its lease).
 */
export function startJobRunner(options: RunnerOptions & { pollIntervalMs?: number } = {}): () => Promise<void> {
  registerAll(options);
  const owner = options.owner ?? `runner:${randomUUID()}`;
  const poll = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let stopping = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopping) {
      try {
        const outcome = await runNextJob({ ...options, owner, handlers: [] });
        if (outcome) continue;
      } catch (error) {
        // The database being away is an operating condition, not a defect: wait and poll again.
        if (isConnectionLoss(error)) console.warn(`job runner: database unreachable (${String(error).split("\n")[0]})`);
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

// ───────────────────────────── Staff controls and progress ─────────────────────────────

function jobNotFound(): DomainError {
  return new DomainError("JOB_NOT_FOUND", "There is no such job.", 404);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function jobPermission(jobId: string): Promise<Permission> {
  if (!UUID.test(jobId)) return "bulk:run";
  const job = await prisma.bulkJob.findUnique({ where: { id: jobId }, select: { kind: true } });
  return (job && jobHandler(job.kind)?.permission) || "bulk:run";
}

/** Stops a job: at once when it is not running, else before the runner's next batch. Items left PENDING stay so. */
export async function cancelJob(
  ctx: ActionContext,
  input: { jobId: string; reason?: string | null },
): Promise<BulkJobStatus> {
  const jobId = String(input.jobId ?? "").slice(0, 64);
  return performAction(
    ctx,
    {
      action: "jobs.cancel",
      permission: await jobPermission(jobId),
      targetType: "bulk_job",
      targetId: jobId,
      reason: input.reason?.trim().slice(0, 1000) || undefined,
    },
    async (tx) => {
      if (!UUID.test(jobId)) throw jobNotFound();
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
      if (!UUID.test(jobId)) throw jobNotFound();
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
  if (!UUID.test(jobId)) return null;
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
