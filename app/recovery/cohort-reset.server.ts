// Forced resets for a saved cohort, as a durable job with progress (app/jobs/job-loop.server.ts). Starting it is
// one audited action (bulk:run; the route requires a recent step-up) that snapshots the members as job items; the
// runner then resets them in batches, each batch one transaction with one audit row per account, so a crash or a
// restart resumes where it stopped and never resets an account twice within one job. Closed accounts are skipped
// with the reason; accounts whose email is under review are contained but their link is held, and the report lists
// them for an agent to restore or confirm.
import { createHash } from "node:crypto";
import { canonicalJson } from "~/audit/canonical";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { assertConfirmedFor, needsConfirmationCode, type ActionConfirmation } from "~/auth/action-confirmation.server";
import type { Role } from "~/auth/permissions";
import { prisma, type DbTx } from "~/db.server";
import { enqueueJob, JobAlreadyEnqueued } from "~/jobs/job-enqueue.server";
import {
  registerJobHandler,
  type BatchResult,
  type ItemOutcome,
  type JobHandler,
  type JobItem,
  type JobRecord,
} from "~/jobs/job-handlers.server";
import { getCohortMembers } from "~/incidents/cohorts/cohort-members.server";
import { PermissionDeniedError } from "~/lib/domain-error";
import { customersWithUnreviewedChange } from "~/recovery/contact-review.server";
import { RecoveryRefusal } from "~/recovery/errors";
import { applyForcedReset } from "~/recovery/force-reset.server";
import { CohortResetFields, parseOrThrow, type CohortResetInput } from "~/recovery/schemas";

export const COHORT_RESET_JOB = "recovery.bulk-reset";
export const COHORT_RESET_START = "recovery.cohort-reset.start";
/** Accounts per batch (one transaction). Each reset is a handful of statements plus rendering one mail. */
export const COHORT_RESET_BATCH_SIZE = 50;
export const MAX_COHORT_RESET_ACCOUNTS = 50_000;

interface CohortResetParams {
  cohortId: string;
  cohortName: string;
  requireTwoFactor: boolean;
  reason: string;
}

/** The saved cohort through the cohorts API (an immutable snapshot), refused when empty or too large for one job. */
async function loadCohort(db: Pick<DbTx, "cohort" | "cohortMember" | "$queryRaw">, cohortId: string) {
  const { cohort, members } = await getCohortMembers(cohortId, { db });
  if (members.length === 0) throw new RecoveryRefusal("COHORT_EMPTY", "This cohort has no members.", 422);
  if (members.length > MAX_COHORT_RESET_ACCOUNTS) {
    throw new RecoveryRefusal(
      "COHORT_TOO_LARGE",
      `A cohort reset covers at most ${MAX_COHORT_RESET_ACCOUNTS.toLocaleString("en-US")} accounts; split this cohort.`,
      422,
    );
  }
  return { ...cohort, customerIds: members.map((m) => m.customerId) };
}

/** What a lead confirms: this cohort's members (a saved cohort never changes). A code typed for it binds to this. */
function resetDigest(cohortId: string, customerIds: string[]): string {
  return createHash("sha256")
    .update(canonicalJson({ v: 1, action: COHORT_RESET_START, cohortId, members: [...customerIds].sort() }))
    .digest("hex");
}

export interface CohortResetPreview {
  cohortId: string;
  cohortName: string;
  accounts: number;
  closed: number;
  noVerifiedEmail: number;
  /** Contained, but the link is held until an agent reviews the recent email change. */
  emailUnderReview: number;
  linksToSend: number;
  /** The digest a confirmation code binds to, and whether this many accounts need one (ADR 017). */
  digest: string;
  needsCode: boolean;
}

/** The dry run shown before a lead confirms: what the job would do now. Reads only. */
export async function previewCohortReset(cohortId: string): Promise<CohortResetPreview> {
  const cohort = await loadCohort(prisma, cohortId);
  const customers = await prisma.customer.findMany({
    where: { id: { in: cohort.customerIds } },
    select: { id: true, status: true, emailVerified: true },
  });
  // Set-based: one statement for the whole cohort, not one query per member inside a long transaction.
  const underReview = await customersWithUnreviewedChange(
    prisma,
    customers.filter((c) => c.status !== "CLOSED" && c.emailVerified).map((c) => c.id),
    "EMAIL",
  );
  const closed = customers.filter((c) => c.status === "CLOSED").length;
  const noVerifiedEmail = customers.filter((c) => c.status !== "CLOSED" && !c.emailVerified).length;
  const emailUnderReview = underReview.size;
  return {
    cohortId: cohort.id,
    cohortName: cohort.name,
    accounts: cohort.customerIds.length,
    closed,
    noVerifiedEmail,
    emailUnderReview,
    linksToSend: cohort.customerIds.length - closed - noVerifiedEmail - emailUnderReview,
    digest: resetDigest(cohort.id, cohort.customerIds),
    needsCode: needsConfirmationCode({ yen: 0, accounts: cohort.customerIds.length }),
  };
}

export interface StartCohortResetInput extends CohortResetInput {
  /** The confirming form's key: a double submit finds the job already started. */
  idempotencyKey?: string | null;
  /** A code typed on the confirming form for this cohort: required at or above the bulk confirmation bounds. */
  confirmation?: ActionConfirmation | null;
}

/** Starts the job (bulk:run, a fresh step-up, and at or above the bounds a code bound to this cohort). */
export async function startCohortReset(
  ctx: ActionContext,
  raw: StartCohortResetInput,
): Promise<{ jobId: string; accounts: number; alreadyStarted: boolean }> {
  const input = parseOrThrow(CohortResetFields, raw);
  const idempotencyKey =
    typeof raw.idempotencyKey === "string" && /^[A-Za-z0-9-]{8,64}$/.test(raw.idempotencyKey)
      ? `recovery.bulk-reset:${raw.idempotencyKey}`
      : null;
  try {
    return await performAction(
      ctx,
      {
        action: COHORT_RESET_START,
        permission: "bulk:run",
        stepUp: true,
        targetType: "cohort",
        targetId: input.cohortId,
        reason: input.reason,
      },
      async (tx) => {
        if (ctx.actor.kind !== "staff")
          throw new PermissionDeniedError("Only a staff member can start a cohort reset.");
        const cohort = await loadCohort(tx, input.cohortId);
        if (needsConfirmationCode({ yen: 0, accounts: cohort.customerIds.length })) {
          assertConfirmedFor(raw.confirmation, {
            action: COHORT_RESET_START,
            digest: resetDigest(cohort.id, cohort.customerIds),
            staffId: ctx.actor.id,
          });
        }
        const params: CohortResetParams = {
          cohortId: cohort.id,
          cohortName: cohort.name,
          requireTwoFactor: input.requireTwoFactor,
          reason: input.reason,
        };
        const job = await enqueueJob(tx, {
          kind: COHORT_RESET_JOB,
          params,
          totals: { accounts: cohort.customerIds.length },
          items: cohort.customerIds.map((customerId) => ({ subjectId: customerId, customerId })),
          createdBy: { id: ctx.actor.id, role: ctx.actor.role as Role },
          incidentId: cohort.incidentId,
          idempotencyKey,
        });
        return {
          result: { jobId: job.id, accounts: job.itemsTotal, alreadyStarted: false },
          after: {
            jobId: job.id,
            cohortName: cohort.name,
            accounts: job.itemsTotal,
            requireTwoFactor: params.requireTwoFactor,
          },
        };
      },
    );
  } catch (error) {
    if (error instanceof JobAlreadyEnqueued) {
      const job = await prisma.bulkJob.findUniqueOrThrow({ where: { id: error.jobId }, select: { itemsTotal: true } });
      return { jobId: error.jobId, accounts: job.itemsTotal, alreadyStarted: true };
    }
    throw error;
  }
}

function paramsOf(job: JobRecord): CohortResetParams {
  return job.params as CohortResetParams;
}

/** One batch: each account reset in the batch's transaction, with its own audit row. Refusals settle the item only. */
async function processBatch(tx: DbTx, job: JobRecord, items: JobItem[]): Promise<BatchResult> {
  const params = paramsOf(job);
  const actor = { kind: "staff" as const, id: job.createdById, role: job.createdByRole as Role };
  const outcomes: ItemOutcome[] = [];
  const auditEvents: NonNullable<BatchResult["auditEvents"]> = [];
  const statuses = await tx.customer.findMany({
    where: { id: { in: items.map((item) => item.subjectId) } },
    select: { id: true, status: true },
  });
  const statusOf = new Map(statuses.map((s) => [s.id, s.status]));
  for (const item of items) {
    const status = statusOf.get(item.subjectId);
    // Checked before touching anything: a thrown refusal would roll back the whole batch.
    if (!status || status === "CLOSED") {
      const code = status ? "ACCOUNT_CLOSED" : "CUSTOMER_NOT_FOUND";
      outcomes.push({
        itemId: item.id,
        status: "SKIPPED",
        errorCode: code,
        errorMessage: status
          ? "The account is closed; closed accounts are not reset."
          : "The customer no longer exists.",
      });
      auditEvents.push({
        action: "recovery.force-reset",
        outcome: "FAILED",
        targetType: "customer",
        targetId: item.subjectId,
        incidentId: job.incidentId,
        reason: params.reason,
        after: { jobId: job.id, error: code },
      });
      continue;
    }
    const { summary, before, after } = await applyForcedReset(tx, item.subjectId, {
      requireTwoFactor: params.requireTwoFactor,
      actor,
    });
    const held = summary.delivery.kind === "HELD" ? summary.delivery : null;
    outcomes.push({
      itemId: item.id,
      status: "SUCCEEDED",
      resultId: item.subjectId,
      // A held link is not a failure of the reset (the account is contained); the code says what is left to do.
      errorCode: held ? `LINK_HELD_${held.code}` : null,
      errorMessage: held ? held.message : null,
    });
    auditEvents.push({
      action: "recovery.force-reset",
      outcome: "SUCCESS",
      targetType: "customer",
      targetId: item.subjectId,
      incidentId: job.incidentId,
      reason: params.reason,
      before,
      after: { ...after, jobId: job.id },
    });
  }
  return { outcomes, auditEvents };
}

export interface CohortResetReport {
  accounts: number;
  reset: number;
  linksQueued: number;
  linksHeld: { code: string; count: number }[];
  skipped: { code: string; count: number }[];
}

async function finish(tx: DbTx, job: JobRecord): Promise<CohortResetReport> {
  const rows = await tx.bulkJobItem.groupBy({
    by: ["status", "errorCode"],
    where: { jobId: job.id },
    _count: { _all: true },
  });
  const count = (predicate: (row: (typeof rows)[number]) => boolean) =>
    rows.filter(predicate).reduce((sum, row) => sum + row._count._all, 0);
  return {
    accounts: count(() => true),
    reset: count((r) => r.status === "SUCCEEDED"),
    linksQueued: count((r) => r.status === "SUCCEEDED" && r.errorCode === null),
    linksHeld: rows
      .filter((r) => r.status === "SUCCEEDED" && r.errorCode)
      .map((r) => ({ code: r.errorCode!.replace(/^LINK_HELD_/, ""), count: r._count._all })),
    skipped: rows
      .filter((r) => r.status !== "SUCCEEDED")
      .map((r) => ({ code: r.errorCode ?? r.status, count: r._count._all })),
  };
}

export const cohortResetHandler: JobHandler = {
  kind: COHORT_RESET_JOB,
  permission: "bulk:run",
  cancelNeedsStepUp: true,
  batchSize: COHORT_RESET_BATCH_SIZE,
  processBatch,
  finish,
};

// Registered on import as well as in the worker list: the registry is shared through globalThis, so the console's
// job pages (which import this module) and the background runner see the same handler.
registerJobHandler(cohortResetHandler);
