// What a job kind plugs into the runner: the handler interface, the shapes it is handed, and the registry of kinds.
import type { AuditEventInput } from "~/audit/audit-log.server";
import type { Permission } from "~/auth/permissions";
import type { DbTx } from "~/db.server";
import type { BulkJobItemStatus } from "~/generated/prisma/enums";

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
  /**
   * True for a job that contains accounts (a bulk freeze, a cohort reset): cancelling it leaves the accounts it has not
   * reached open, the reopening direction, so a cancel needs a fresh step-up (ADR 122).
   */
  cancelNeedsStepUp?: boolean;
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

/** The kinds this process can run: a runner claims only these. */
export function registeredJobKinds(): string[] {
  return [...handlers().keys()];
}
