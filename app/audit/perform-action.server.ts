// The audited-action spine. Every staff mutation in Firebreak passes through performAction:
//
//   route ─▶ domain service ─▶ performAction(ctx, spec, change)
//                                 ├─ permission check ── denied ─▶ DENIED audit row (own transaction) ─▶ throw
//                                 ├─ step-up check (spec.stepUp) ── stale ─▶ DENIED audit row ─▶ throw
//                                 └─ one transaction: the member's session and role as stored now (a staff request)
//                                    + change(tx) + SUCCESS audit row ── throws ─▶ rollback,
//                                                                   then FAILED audit row (own transaction) ─▶ rethrow
//                                    COMMIT fails or goes unanswered ─▶ ask whether it committed (settleCommitInDoubt):
//                                      committed: success after all · not committed: FAILED row · unknown: no row
//
// So there is no change without its audit row and no audit row without its change. See docs/decisions/003-the-audited-spine.md.
import { randomUUID } from "node:crypto";
import { database, prisma, type Db, type DbTx } from "~/db.server";
import type { SqlRunner } from "~/db/sql-runner.server";
import { TRANSACTION_OPTIONS } from "~/db/transaction-options";
import { isConnectionLoss, isOverloaded } from "~/db/transient-errors";
import type { Actor, Origin } from "~/audit/actor";
import { assertStoredAuthority } from "~/audit/actor-authority.server";
import {
  intakeAuditEventsInTx,
  recordAuditEventsShared,
  sealAuditIntake,
  settleCommitInDoubt,
  type AuditEventInput,
} from "~/audit/audit-log.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { STEP_UP_WINDOW_MS } from "~/auth/step-up-window";
import { now } from "~/lib/clock.server";
import { DomainError, PermissionDeniedError } from "~/lib/domain-error";

export interface ActionContext {
  actor: Actor;
  origin: Origin;
  /** Staff only: when the session last re-entered a TOTP code (a StaffContext carries it in `session`). */
  steppedUpAt?: Date | null;
  /** The request's session (a StaffContext carries it): the change is refused if it ended meanwhile. */
  session?: { id?: string; steppedUpAt: Date | null };
}

export class StepUpRequiredError extends DomainError {
  constructor() {
    super("STEP_UP_REQUIRED", "Confirm it is you with a fresh authenticator code, then try again.", 403);
    this.name = "StepUpRequiredError";
  }
}

export interface ActionSpec {
  /** Verb-first, dotted: "killswitch.engage", "ledger.reverse", "staff.sign-in". */
  action: string;
  /** null only for actions anyone may attempt (sign-in). Staff actors must hold it; system actors are trusted. */
  permission: Permission | null;
  targetType?: string;
  targetId?: string;
  incidentId?: string;
  reason?: string;
  /**
   * A staff actor must have stepped up (re-entered a TOTP code) within the last five minutes. Enforced here, so every
   * caller of the domain service gets the check, not only the route that shows the step-up page.
   */
  stepUp?: boolean;
}

export interface ChangeOutcome<T> {
  result: T;
  before?: unknown;
  after?: unknown;
  /** When the target is only known once the change ran (e.g. a created row). */
  targetId?: string;
  /** Extra audit rows to chain in the same transaction (e.g. one per account in a bulk batch). */
  extraEvents?: Omit<AuditEventInput, "actor" | "origin">[];
}

/**
 * The pool an action runs on: its transaction (Prisma) and its audit rows outside it (a DENIED or FAILED row, the seal,
 * a COMMIT in doubt) on the driver. The console's unless given: customers' sign-in and reset-link redemption run on
 * the customers' own pool (customerAuthDb, ADR 109), so a busy console does not keep them waiting.
 */
export interface ActionPool {
  prisma: Pick<Db, "$transaction">;
  sql: Pick<SqlRunner, "query">;
  /** The pool refuses a borrower after a short wait when it is full (the customers', ADR 114). */
  refusesWhenBusy?: boolean;
}

function consolePool(): ActionPool {
  return { prisma, sql: database.sql };
}

function hasPermission(actor: Actor, permission: Permission | null): boolean {
  if (permission === null) return true;
  if (actor.kind === "system") return true;
  if (actor.kind === "staff") return roleHasPermission(actor.role, permission);
  return false;
}

/** Whether a staff actor re-entered a code within the step-up window (a change may need one only in some cases). */
export function hasFreshStepUp(ctx: ActionContext): boolean {
  if (ctx.actor.kind !== "staff") return true; // system actors do not step up
  const at = stepUpTime(ctx);
  return at !== null && now().getTime() - at.getTime() < STEP_UP_WINDOW_MS;
}

/** When the member last confirmed a code in this request's session (or for this action), if ever. */
export function stepUpTime(ctx: ActionContext): Date | null {
  return ctx.steppedUpAt ?? ctx.session?.steppedUpAt ?? null;
}

function describeFailure(error: unknown): string {
  if (error instanceof DomainError) return `${error.code}: ${error.message}`;
  // Unexpected errors: record the class of failure, never a message that might carry secrets or SQL.
  return "INTERNAL_ERROR";
}

/**
 * Seals into the chain the intake rows a sanctioned writer committed with its change (intakeAuditEventsInTx), as the
 * spine does after its own commit.
 */
export function sealCommittedAuditRows(pool: ActionPool = consolePool()): Promise<void> {
  return sealAuditIntake(pool.sql);
}

/** Writes an audit row on its own, outside any change (denials, failures, reads that must be audited). */
export async function recordAuditEvent(event: AuditEventInput, pool: ActionPool = consolePool()): Promise<void> {
  // Appended to the chain on the driver on its own (reads audit every request; concurrent callers share the call), and
  // durable before the caller goes on, so before the data it describes is returned (ADR 049).
  await recordAuditEventsShared(pool.sql, [event]);
}

export async function performAction<T>(
  ctx: ActionContext,
  spec: ActionSpec,
  change: (tx: DbTx) => Promise<ChangeOutcome<T>>,
  pool: ActionPool = consolePool(),
): Promise<T> {
  const base = {
    actor: ctx.actor,
    origin: ctx.origin,
    action: spec.action,
    targetType: spec.targetType ?? null,
    targetId: spec.targetId ?? null,
    incidentId: spec.incidentId ?? null,
    reason: spec.reason ?? null,
  };

  if (!hasPermission(ctx.actor, spec.permission)) {
    await recordAuditEvent({ ...base, outcome: "DENIED", after: { missingPermission: spec.permission } }, pool);
    throw new PermissionDeniedError();
  }

  if (spec.stepUp && !hasFreshStepUp(ctx)) {
    await recordAuditEvent({ ...base, outcome: "DENIED", after: { reason: "step-up-required" } }, pool);
    throw new StepUpRequiredError();
  }

  let result: T;
  // Written with the SUCCESS row, so that a COMMIT whose answer is lost can be settled (ADR 090).
  const actionId = randomUUID();
  // Set once the change and its audit row are written and only the COMMIT remains: an error from here on may come
  // after the server committed (the connection lost with the answer on its way).
  let awaitingCommit: { result: T } | null = null;
  try {
    result = await pool.prisma.$transaction(async (tx) => {
      await assertStoredAuthority(tx, ctx.actor, ctx.session?.id, spec.permission);
      const outcome = await change(tx);
      await intakeAuditEventsInTx(
        tx,
        [
          {
            ...base,
            targetId: outcome.targetId ?? base.targetId,
            outcome: "SUCCESS",
            before: outcome.before,
            after: outcome.after,
          },
          ...(outcome.extraEvents ?? []).map((extra) => ({ actor: ctx.actor, origin: ctx.origin, ...extra })),
        ],
        { actionId },
      );
      awaitingCommit = { result: outcome.result };
      return outcome.result;
    }, TRANSACTION_OPTIONS);
  } catch (error) {
    if (awaitingCommit !== null) {
      const settled = await settleCommitInDoubt(pool.sql, actionId);
      if (settled.outcome === "committed") {
        // The change and its SUCCESS row are in: the caller gets the result, and the trail has nothing to add.
        await sealAfterCommit(spec.action, pool);
        return (awaitingCommit as { result: T }).result;
      }
      if (settled.outcome === "unknown") {
        // A FAILED row could contradict a SUCCESS row that commits after all; if the change did commit, its own row
        // says so, and if it did not, nothing changed. The caller sees the error and can look before trying again.
        console.warn(
          `[audit] ${spec.action}: commit outcome unknown (action ${actionId}: ${settled.cause}); no FAILED row written`,
        );
        throw error;
      }
    }
    // A change that finds, once it has read the data, that it needs a fresh code is refused like the check above.
    const outcome =
      error instanceof PermissionDeniedError || error instanceof StepUpRequiredError ? "DENIED" : "FAILED";
    await recordAuditEvent({ ...base, outcome, after: { error: describeFailure(error) } }, pool);
    throw error;
  }
  // The change and its audit row are committed; chain the row before reporting success.
  await sealAfterCommit(spec.action, pool);
  return result;
}

/**
 * Chains a committed change's row. A seal that cannot be made now does not turn the committed change into an error the
 * caller would take for "not done" and act on again: the row waits, committed in the intake, for the next seal
 * (another request's, or the checkpoint worker's within its interval). That holds for a pool that refuses when busy
 * (ADR 114) and for the database going away or freezing under the seal (ADR 123): the change is
 * made either way, and only the moment its row joins the chain moves.
 */
async function sealAfterCommit(action: string, pool: ActionPool): Promise<void> {
  try {
    await sealAuditIntake(pool.sql);
  } catch (error) {
    if (pool.refusesWhenBusy && isOverloaded(error)) {
      console.warn(`[audit] ${action}: committed, its row left in the intake for the next seal (no connection free)`);
      return;
    }
    // Only the database away, or a connection closed because it stopped answering: a lock wait or statement past its
    // timeout (the server answered, and refused) or an unexpected error still fails the call, so "chained before the
    // call returns" (ADR 040) gives way to nothing else.
    if (!isConnectionLoss(error)) throw error;
    console.warn(
      `[audit] ${action}: committed, its row left in the intake for the next seal (${String(error).split("\n")[0]})`,
    );
  }
}
