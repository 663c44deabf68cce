// Wallet status changes an agent makes from the account view, through the spine. The status is what the wallet back
// end obeys (app/wallet/customer-guard.server.ts reads it inside every money movement), so a freeze committed here stops
// the very next top-up or purchase.
//
//   ACTIVE ──freeze──▶ FROZEN ──unfreeze──▶ ACTIVE
//   ACTIVE / FROZEN ──mark compromised──▶ COMPROMISED ──restore──▶ ACTIVE (after recovery: a reset, a reviewed contact)
//   CLOSED: never changed from the console.
//
// Each change is a conditional UPDATE on the status the agent saw, so two agents acting at once cannot both "win". The
// form's one-time key makes one agent's double click or resent post one change, answered as sent once (ADR 108).
import { z } from "zod";
import { MEMBER_CONTAINMENTS_PER_HOUR_WITHOUT_CODE } from "~/accounts/containment-budget";
import { hasFreshStepUp, performAction, StepUpRequiredError, type ActionContext } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import type { CustomerStatus } from "~/generated/prisma/enums";
import { prisma, type DbTx } from "~/db.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { readAccountSecurity } from "~/ledger/account-secured.server";
import { isUuid } from "~/lib/uuid";

export const StatusReasonSchema = z
  .string({ required_error: "accounts:validation.sayWhy" })
  .transform((value) =>
    value
      .replace(/\p{Cc}/gu, " ")
      .replace(/\s+/g, " ")
      .trim(),
  )
  .pipe(z.string().min(3, "accounts:validation.sayWhyMin").max(500, "accounts:validation.reasonTooLong"));

export type StatusChange = "freeze" | "unfreeze" | "mark-compromised" | "restore";

// Containing an account stays one click on an incident day; letting money move again (unfreeze, restore) needs the
// member's fresh step-up, so a stolen session cannot reopen the accounts the attack was stopped in, and a forced reset
// sent since the account was contained, so an agent talked into it by the caller cannot either (ADR 122).
const CHANGES: Record<
  StatusChange,
  { from: CustomerStatus[]; to: CustomerStatus; action: string; verb: string; stepUp: boolean }
> = {
  freeze: { from: ["ACTIVE"], to: "FROZEN", action: "account.freeze", verb: "froze", stepUp: false },
  unfreeze: { from: ["FROZEN"], to: "ACTIVE", action: "account.unfreeze", verb: "unfroze", stepUp: true },
  "mark-compromised": {
    from: ["ACTIVE", "FROZEN"],
    to: "COMPROMISED",
    action: "account.mark-compromised",
    verb: "marked compromised",
    stepUp: false,
  },
  restore: { from: ["COMPROMISED"], to: "ACTIVE", action: "account.restore", verb: "restored", stepUp: true },
};

/** Which changes the account view offers for a status. */
export function availableStatusChanges(status: string): StatusChange[] {
  return (Object.keys(CHANGES) as StatusChange[]).filter((change) =>
    CHANGES[change].from.includes(status as CustomerStatus),
  );
}

function refusal(current: CustomerStatus, change: StatusChange): DomainError {
  if (current === "CLOSED") {
    return new DomainError("ACCOUNT_CLOSED", "This account is closed: its status cannot be changed here.", 409);
  }
  return new DomainError(
    "ACCOUNT_STATUS_CHANGED",
    `The account is ${current.toLowerCase()} now, so it cannot be ${CHANGES[change].verb}. Reload to see its current state.`,
    409,
  );
}

// The change is filed under the incident the agent names, so that incident must be one a case could be opened in:
// one that exists and is not resolved (the account view offers only those). Checked in the change's transaction.
async function requireOpenIncident(tx: DbTx, incidentId: string): Promise<void> {
  const incident = isUuid(incidentId)
    ? await tx.incident.findUnique({ where: { id: incidentId }, select: { status: true } })
    : null;
  if (!incident) throw new DomainError("INCIDENT_NOT_FOUND", "There is no such incident.", 404);
  if (incident.status === "RESOLVED") {
    throw new DomainError(
      "INCIDENT_RESOLVED",
      "That incident is resolved: file the change under an open incident, or under none.",
      409,
    );
  }
}

const ONE_HOUR = 60 * 60 * 1000;
// pg_advisory_xact_lock(class, key): a class of its own keeps the key apart from other advisory locks.
const MEMBER_CONTAINMENT_LOCK_CLASS = 115;

/** Unfreezing and restoring let money move again for whoever can sign in. */
function reopens(change: StatusChange): boolean {
  return change === "unfreeze" || change === "restore";
}

/**
 * Whoever held the account when it was contained may still know its password and hold a session; a fresh code proves
 * only that the agent is the agent. A forced reset whose link was sent after the containment ended every session and
 * device and voided the password, and its link went only to a contact nobody had changed suspiciously (a held reset
 * sends nothing and does not count): only then can the account open again without letting that holder back in.
 */
async function resetSinceContained(
  db: Pick<DbTx, "$queryRawUnsafe">,
  customerId: string,
  containedAt: Date | null,
): Promise<boolean> {
  const security = await readAccountSecurity(db as DbTx, customerId);
  const resetAt = security?.lastForcedResetAt ?? null;
  return resetAt !== null && (containedAt === null || resetAt > containedAt);
}

/**
 * For the account view, from the status and containment time it read with the customer: whether reopening this account
 * would be refused for want of a reset. Reads nothing for an account whose status offers no reopening (most accounts a
 * page shows are active); the status change itself checks again in its transaction.
 */
export async function reopeningWaitsForReset(
  customerId: string,
  status: string,
  containedAt: Date | null,
): Promise<boolean> {
  if (availableStatusChanges(status).every((change) => !reopens(change))) return false;
  return !(await resetSinceContained(prisma, customerId, containedAt));
}

async function refuseReopeningBeforeReset(tx: DbTx, customerId: string, containedAt: Date | null): Promise<void> {
  if (await resetSinceContained(tx, customerId, containedAt)) return;
  throw new DomainError(
    "ACCOUNT_NOT_RECOVERED",
    "This account cannot be reopened yet: whoever held it when it was contained may still know its password. Force " +
      "a password reset that reaches the customer's verified email (restore the contact first if the reset is held), " +
      "then reopen it.",
    409,
  );
}

/** Freezing and marking compromised stop a customer's payments: they count towards the member's hourly budget. */
function contains(change: StatusChange): boolean {
  return change === "freeze" || change === "mark-compromised";
}

/** Whether the member has contained so many other customers in the last hour that containing this one needs a code. */
async function pastContainmentBudget(
  db: Pick<DbTx, "staffContainment">,
  staffId: string,
  customerId: string,
  at: Date,
): Promise<boolean> {
  const recent = await db.staffContainment.findMany({
    where: { staffId, createdAt: { gt: new Date(at.getTime() - ONE_HOUR) } },
    distinct: ["customerId"],
    select: { customerId: true },
  });
  // Marking compromised an account the member froze earlier is the same case, not a new customer.
  if (recent.some((row) => row.customerId === customerId)) return false;
  return recent.length >= MEMBER_CONTAINMENTS_PER_HOUR_WITHOUT_CODE;
}

export async function changeAccountStatus(
  ctx: ActionContext,
  input: {
    customerId: string;
    change: StatusChange;
    reason: string;
    incidentId?: string | null;
    /** The account page's one-time key for the form (ADR 108); absent from a script's call: not deduplicated. */
    submissionKey?: string;
  },
): Promise<{ status: CustomerStatus }> {
  const spec = CHANGES[input.change];
  if (!spec) throw new DomainError("INVALID_STATUS_CHANGE", "Unknown status change.", 400);
  const parsed = StatusReasonSchema.safeParse(input.reason);
  if (!parsed.success) throw new DomainError("INVALID_REASON", parsed.error.issues[0]!.message, 400);
  const reason = parsed.data;
  const tallied = ctx.actor.kind === "staff" && contains(input.change) && isUuid(input.customerId);
  const staffId = ctx.actor.kind === "staff" ? ctx.actor.id : null;
  // Read before the spine so that its step-up check (DENIED, audited) covers it; read again under a lock below.
  const needsCode =
    tallied && staffId !== null && (await pastContainmentBudget(prisma, staffId, input.customerId, now()));

  return performAction(
    ctx,
    {
      action: spec.action,
      permission: "accounts:freeze",
      stepUp: spec.stepUp || needsCode,
      targetType: "customer",
      targetId: input.customerId,
      incidentId: input.incidentId ?? undefined,
      reason,
    },
    async (tx) => {
      // Before anything is read: a repeat of this form waits for the first post and is refused ALREADY_SUBMITTED
      // (the status it made as its outcome), rather than told the account's status changed since it was loaded.
      if (ctx.actor.kind === "staff") {
        await claimSubmission(tx, {
          key: input.submissionKey,
          action: spec.action,
          staffId: ctx.actor.id,
          messageKey: "accounts:form.alreadySent",
          outcome: spec.to,
        });
      }
      if (tallied && staffId !== null) {
        // One member's containments are counted one after another: parallel posts from a stolen session cannot all
        // pass under the budget. Past it since the read above (another tab, a script), the code is asked for here.
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(${MEMBER_CONTAINMENT_LOCK_CLASS}::int, hashtext(${staffId}))::text`;
        if ((await pastContainmentBudget(tx, staffId, input.customerId, now())) && !hasFreshStepUp(ctx)) {
          throw new StepUpRequiredError();
        }
      }
      if (input.incidentId) await requireOpenIncident(tx, input.incidentId);
      const current = await tx.customer.findUnique({
        where: { id: input.customerId },
        select: { status: true, containedAt: true },
      });
      if (!current) throw new DomainError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
      if (reopens(input.change) && spec.from.includes(current.status)) {
        await refuseReopeningBeforeReset(tx, input.customerId, current.containedAt);
      }
      // The write itself carries the check: only from a status this change starts from. Containing an active account
      // records when; marking compromised an account already frozen keeps the freeze's time (a reset made between the
      // two was made after the containment).
      const updated = await tx.customer.updateMany({
        where: { id: input.customerId, status: { in: spec.from } },
        data: {
          status: spec.to,
          ...(contains(input.change) && current.status === "ACTIVE" ? { containedAt: now() } : {}),
        },
      });
      if (updated.count !== 1) {
        const now = await tx.customer.findUniqueOrThrow({ where: { id: input.customerId }, select: { status: true } });
        throw refusal(now.status, input.change);
      }
      if (tallied && staffId !== null) {
        await tx.staffContainment.create({ data: { staffId, customerId: input.customerId, createdAt: now() } });
      }
      return { result: { status: spec.to }, before: { status: current.status }, after: { status: spec.to } };
    },
  );
}
