// A forced password reset, in one transaction with its audit row: every session, device token and half-finished
// sign-in of the customer is ended, the password is marked must-change, 2FA enrolment is optionally required (which
// also drops an authenticator the attacker may have enrolled), earlier reset links stop working, and a new single-use
// link (only its hash stored, 30 minutes) is queued to the verified email on file. The agent never types a
// destination. When the address on file cannot be trusted (unverified, or set by a recent change nobody reviewed) the
// link is held: the account is still contained, and the agent restores or confirms the contact, then resets again.
import type { Actor } from "~/audit/actor";
import {
  hasFreshStepUp,
  performAction,
  StepUpRequiredError,
  stepUpTime,
  type ActionContext,
} from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import { prisma, type DbTx } from "~/db.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { wakeOutboxWorker } from "~/notify/outbox.server";
import { findUnreviewedChange } from "~/recovery/contact-review.server";
import { customerTarget } from "~/recovery/customer-action.server";
import { lockCustomer, type LockedCustomer } from "~/recovery/customer-lock.server";
import { RecoveryRefusal } from "~/recovery/errors";
import { MEMBER_FORCED_RESETS_PER_HOUR_WITHOUT_CODE } from "~/recovery/reset-budget";
import { queueResetMail } from "~/recovery/reset-mail.server";
import { generateResetToken, hashResetToken, RESET_TOKEN_LIFETIME_MS } from "~/recovery/reset-token.server";
import { ForceResetSchema, parseOrThrow, type ForceResetInput } from "~/recovery/schemas";

export type LinkHoldCode = "NO_VERIFIED_EMAIL" | "CONTACT_UNDER_REVIEW" | "MAIL_NOT_QUEUED";

export type ResetDelivery =
  | { kind: "QUEUED"; to: string; expiresAt: Date }
  | {
      kind: "HELD";
      code: LinkHoldCode;
      message: string;
      /** The outbox's reason code, for MAIL_NOT_QUEUED: its page says the sentence around it in the member's language. */
      reason?: string;
    };

export interface ForcedResetSummary {
  customerId: string;
  displayId: string;
  sessionsRevoked: number;
  devicesRevoked: number;
  signInsInterrupted: number;
  linksSuperseded: number;
  authenticatorRemoved: boolean;
  mustEnrollTwoFactor: boolean;
  delivery: ResetDelivery;
}

/** Ends everything that lets someone act as the customer without the new password. */
export async function revokeCustomerAccess(tx: DbTx, customerId: string, at: Date) {
  const sessions = await tx.customerSession.updateMany({
    where: { customerId, revokedAt: null },
    data: { revokedAt: at },
  });
  const devices = await tx.device.updateMany({
    where: { customerId, revokedAt: null },
    data: { revokedAt: at, trusted: false },
  });
  const challenges = await tx.customerSignInChallenge.updateMany({
    where: { customerId, usedAt: null },
    data: { usedAt: at },
  });
  return { sessionsRevoked: sessions.count, devicesRevoked: devices.count, signInsInterrupted: challenges.count };
}

/** Every link of the customer that still works stops working (a newer link, a restored contact, a new password). */
export async function supersedeOutstandingLinks(tx: DbTx, customerId: string, at: Date): Promise<number> {
  const { count } = await tx.passwordResetToken.updateMany({
    where: { customerId, usedAt: null, supersededAt: null, expiresAt: { gt: at } },
    data: { supersededAt: at },
  });
  return count;
}

async function decideDestination(tx: DbTx, customer: LockedCustomer): Promise<ResetDelivery | { kind: "SEND" }> {
  if (!customer.emailVerified) {
    return {
      kind: "HELD",
      code: "NO_VERIFIED_EMAIL",
      message:
        "No reset link was sent: the email on file is not verified. Restore a verified contact, then send a link.",
    };
  }
  const unreviewed = await findUnreviewedChange(tx, customer.id, "EMAIL");
  if (unreviewed) {
    return {
      kind: "HELD",
      code: "CONTACT_UNDER_REVIEW",
      message:
        "No reset link was sent: the email on file was changed recently and nobody has reviewed the change. " +
        "Restore the previous address or confirm this one with the caller, then send a link.",
    };
  }
  return { kind: "SEND" };
}

export interface ApplyForcedResetOptions {
  requireTwoFactor: boolean;
  actor: Actor;
  /** A member's single reset counts the links mailed in the last hour (a cohort's job resets each account once). */
  limitLinksPerHour?: boolean;
}

/**
 * Forced reset links mailed to one customer per hour, by all staff together. Each reset voids the previous link, so
 * a member (or a stolen agent session) repeating it would bury the inbox and keep voiding the link the customer is
 * about to open; a caller who missed a mail needs one or two more. Past it the reset is refused and changes nothing:
 * freezing the account still cuts access at once.
 */
export const MAX_FORCED_RESET_LINKS_PER_HOUR = 5;
const ONE_HOUR = 60 * 60 * 1000;

async function refusePastLinkLimit(tx: DbTx, customerId: string, at: Date): Promise<void> {
  const since = new Date(at.getTime() - ONE_HOUR);
  const recent = await tx.passwordResetToken.findMany({
    where: { customerId, origin: "STAFF_FORCED", createdAt: { gt: since } },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true },
  });
  if (recent.length < MAX_FORCED_RESET_LINKS_PER_HOUR) return;
  const nextAt = new Date(recent[recent.length - MAX_FORCED_RESET_LINKS_PER_HOUR]!.createdAt.getTime() + ONE_HOUR);
  throw new DomainError(
    "FORCED_RESET_LINK_LIMIT",
    `${MAX_FORCED_RESET_LINKS_PER_HOUR} reset links were already mailed to this customer in the last hour; the latest still works. No new reset before ${formatJst(nextAt)}; to cut access now, freeze the account.`,
    429,
    { max: MAX_FORCED_RESET_LINKS_PER_HOUR, at: formatJst(nextAt) },
  );
}

/** The reset itself, inside the caller's transaction (one account: forceReset; a cohort: the cohort job). */
export async function applyForcedReset(
  tx: DbTx,
  customerId: string,
  options: ApplyForcedResetOptions,
): Promise<{ summary: ForcedResetSummary; before: object; after: object }> {
  const customer = await lockCustomer(tx, customerId);
  if (customer.status === "CLOSED") {
    throw new RecoveryRefusal("ACCOUNT_CLOSED", "This account is closed: a closed account cannot be reset.", 409);
  }
  const at = now();
  // After the row lock: two resets of one account at once are counted one after the other.
  if (options.limitLinksPerHour) await refusePastLinkLimit(tx, customer.id, at);
  const before = {
    mustChangePassword: customer.mustChangePassword,
    mustEnrollTwoFactor: customer.mustEnrollTwoFactor,
    twoFactorEnrolled: customer.twoFactorEnrolled,
  };
  const revoked = await revokeCustomerAccess(tx, customer.id, at);
  const linksSuperseded = await supersedeOutstandingLinks(tx, customer.id, at);

  // Requiring enrolment drops the current authenticator: after a takeover it may well be the attacker's.
  let authenticatorRemoved = false;
  if (options.requireTwoFactor) {
    const removed = await tx.customerTotpCredential.deleteMany({ where: { customerId: customer.id } });
    authenticatorRemoved = removed.count > 0;
  }
  const mustEnrollTwoFactor = options.requireTwoFactor || customer.mustEnrollTwoFactor;
  await tx.customer.update({
    where: { id: customer.id },
    data: {
      mustChangePassword: true,
      mustEnrollTwoFactor,
      ...(options.requireTwoFactor ? { twoFactorEnrolled: false } : {}),
    },
  });

  let delivery: ResetDelivery;
  const destination = await decideDestination(tx, customer);
  if (destination.kind === "SEND") {
    const token = generateResetToken();
    const tokenId = hashResetToken(token);
    const expiresAt = new Date(at.getTime() + RESET_TOKEN_LIFETIME_MS);
    await tx.passwordResetToken.create({
      data: {
        id: tokenId,
        customerId: customer.id,
        origin: "STAFF_FORCED",
        sentTo: customer.email,
        requestedBy: options.actor.kind === "anonymous" ? null : options.actor.id,
        createdAt: at,
        expiresAt,
      },
    });
    const mail = await queueResetMail(tx, {
      customerId: customer.id,
      displayId: customer.displayId,
      token,
      tokenId,
      expiresAt,
      actor: options.actor,
    });
    if (mail.kind === "QUEUED") {
      delivery = { kind: "QUEUED", to: mail.to, expiresAt };
    } else {
      // A link nobody was sent must not stay usable.
      await tx.passwordResetToken.update({ where: { id: tokenId }, data: { supersededAt: at } });
      delivery = {
        kind: "HELD",
        code: "MAIL_NOT_QUEUED",
        message: `No reset link was sent: the outbox refused the address on file (${mail.reason}).`,
        reason: mail.reason,
      };
    }
  } else {
    delivery = destination;
  }

  const summary: ForcedResetSummary = {
    customerId: customer.id,
    displayId: customer.displayId,
    ...revoked,
    linksSuperseded,
    authenticatorRemoved,
    mustEnrollTwoFactor,
    delivery,
  };
  const after = {
    mustChangePassword: true,
    mustEnrollTwoFactor,
    twoFactorEnrolled: options.requireTwoFactor ? false : customer.twoFactorEnrolled,
    ...revoked,
    linksSuperseded,
    authenticatorRemoved,
    // Where the link went and until when: never the link or its token.
    link: delivery.kind === "QUEUED" ? { sentTo: delivery.to, expiresAt: delivery.expiresAt } : { held: delivery.code },
  };
  return { summary, before, after };
}

// pg_advisory_xact_lock(class, key): a class of its own keeps the key apart from other advisory locks.
const MEMBER_BUDGET_LOCK_CLASS = 104;

/** Whether the member has reset so many other customers in the last hour that resetting this one needs a code. */
async function pastMemberBudget(
  db: Pick<DbTx, "staffForcedReset">,
  staffId: string,
  customerId: string,
  at: Date,
): Promise<boolean> {
  const recent = await db.staffForcedReset.findMany({
    where: { staffId, createdAt: { gt: new Date(at.getTime() - ONE_HOUR) } },
    distinct: ["customerId"],
    select: { customerId: true },
  });
  // Resetting a customer again (a caller who missed the mail) is the same call, not a new customer.
  if (recent.some((row) => row.customerId === customerId)) return false;
  return recent.length >= MEMBER_FORCED_RESETS_PER_HOUR_WITHOUT_CODE;
}

/**
 * Past the budget, a code covers one further customer: it must be fresh and newer than the member's latest forced
 * reset. A code typed once would otherwise let a script reset customer after customer for its five minutes; codes are
 * single-use, so a member past the budget resets at most one more customer per authenticator step (ADR 115).
 */
async function codeCoversReset(tx: DbTx, ctx: ActionContext): Promise<boolean> {
  const steppedUpAt = stepUpTime(ctx);
  if (ctx.actor.kind !== "staff" || !hasFreshStepUp(ctx) || steppedUpAt === null) return false;
  const latest = await tx.staffForcedReset.findFirst({
    where: { staffId: ctx.actor.id },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  return latest === null || steppedUpAt > latest.createdAt;
}

/** For the recovery page: whether this member's next forced reset of this customer asks for a fresh code first. */
export async function forcedResetNeedsCode(staffId: string, customerId: string): Promise<boolean> {
  return pastMemberBudget(prisma, staffId, customerId, now());
}

export async function forceReset(ctx: ActionContext, raw: ForceResetInput): Promise<ForcedResetSummary> {
  const input = parseOrThrow(ForceResetSchema, raw);
  const staffId = ctx.actor.kind === "staff" ? ctx.actor.id : null;
  // Read before the spine so that its step-up check (DENIED, audited) covers it; read again under a lock below.
  const needsCode = staffId !== null && (await pastMemberBudget(prisma, staffId, input.customerId, now()));
  const summary = await performAction(
    ctx,
    {
      action: "recovery.force-reset",
      permission: "recovery:force-reset",
      stepUp: needsCode,
      ...(await customerTarget(input)),
    },
    async (tx) => {
      if (staffId !== null) {
        await claimSubmission(tx, {
          key: input.submissionKey,
          action: "recovery.force-reset",
          staffId,
          messageKey: "recovery:reset.alreadySubmitted",
        });
        // One member's resets are counted one after another: parallel posts from a stolen session cannot all pass
        // under the budget. Past it since the read above (another tab, a script), the code is asked for here.
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(${MEMBER_BUDGET_LOCK_CLASS}::int, hashtext(${staffId}))::text`;
        if ((await pastMemberBudget(tx, staffId, input.customerId, now())) && !(await codeCoversReset(tx, ctx))) {
          throw new StepUpRequiredError();
        }
      }
      const { summary, before, after } = await applyForcedReset(tx, input.customerId, {
        requireTwoFactor: input.requireTwoFactor,
        actor: ctx.actor,
        limitLinksPerHour: true,
      });
      if (staffId !== null) {
        await tx.staffForcedReset.create({ data: { staffId, customerId: summary.customerId, createdAt: now() } });
      }
      return { result: summary, before, after };
    },
  );
  // Committed: deliver the link now rather than at the worker's next poll (it expires in 30 minutes).
  if (summary.delivery.kind === "QUEUED") wakeOutboxWorker();
  return summary;
}
