// What the recovery page shows: the contact history with what each change can become (restore target or not), the
// suggested last known-good value, the customer's live access (sessions, devices), recent reset links by state, and
// the identity checks recorded on the case. Reads only, and records the access in the audit log.
import { recordAuditEvent, type ActionContext } from "~/audit/perform-action.server";
import { assertCustomerReadAllowed } from "~/auth/read-budget.server";
import { prisma } from "~/db.server";
import type { ContactField } from "~/generated/prisma/enums";
import { now } from "~/lib/clock.server";
import {
  compromiseStart,
  findKnownGoodContact,
  isReviewedSource,
  isSuspectChange,
  suspectWindowStart,
} from "~/recovery/contact-review.server";
import { isUuid } from "~/lib/uuid";
import { RECOVERY_CUSTOMER_FIELDS } from "~/recovery/customer-lock.server";
import { customerNotFound } from "~/recovery/errors";
import { IDENTITY_CHECK_VALIDITY_MS, type FactResult } from "~/recovery/identity-check.server";
import { MAX_CODE_ATTEMPTS, RECOVERY_PROOF_VALIDITY_MS } from "~/recovery/recovery-code.server";

export type LinkState = "ACTIVE" | "USED" | "EXPIRED" | "SUPERSEDED";

function fact(value: boolean | null): FactResult {
  return value === null ? "not asked" : value ? "matched" : "mismatched";
}

/** Loads the recovery page and records the access (it shows contact history and identity checks). */
export async function loadRecoveryView(ctx: ActionContext, customerId: string) {
  if (!isUuid(customerId)) throw customerNotFound();
  // The page shows the contacts and their history in full: it counts against the member's read budget.
  await assertCustomerReadAllowed(ctx, "recovery.view", customerId);
  const staffId = ctx.actor.kind === "staff" ? ctx.actor.id : "";
  const customer = await prisma.customer.findUnique({
    where: { id: customerId },
    select: { ...RECOVERY_CUSTOMER_FIELDS, name: true },
  });
  if (!customer) throw customerNotFound();
  await recordAuditEvent({
    actor: ctx.actor,
    origin: ctx.origin,
    action: "recovery.view",
    outcome: "SUCCESS",
    targetType: "customer",
    targetId: customer.id,
    after: { displayId: customer.displayId },
  });
  const at = now();

  const [
    changes,
    activeSessions,
    activeDevices,
    links,
    checks,
    windowStart,
    emailGood,
    phoneGood,
    factsAsOf,
    codes,
    keeps,
    authenticator,
  ] = await prisma.$transaction(
    async (tx) =>
      [
        await tx.contactChange.findMany({
          where: { customerId },
          orderBy: [{ changedAt: "desc" }, { id: "desc" }],
          take: 50,
          include: { device: { select: { platform: true, model: true, firstSeenAt: true, revokedAt: true } } },
        }),
        await tx.customerSession.count({ where: { customerId, revokedAt: null, expiresAt: { gt: at } } }),
        await tx.device.count({ where: { customerId, revokedAt: null } }),
        await tx.passwordResetToken.findMany({
          where: { customerId },
          orderBy: { createdAt: "desc" },
          take: 10,
          // Never the id: it is the token's hash, of no use to an agent.
          select: { origin: true, sentTo: true, createdAt: true, expiresAt: true, usedAt: true, supersededAt: true },
        }),
        await tx.identityCheck.findMany({ where: { customerId }, orderBy: { createdAt: "desc" }, take: 10 }),
        await suspectWindowStart(tx, customerId),
        await findKnownGoodContact(tx, customer, "EMAIL"),
        await findKnownGoodContact(tx, customer, "PHONE"),
        await compromiseStart(tx, customerId),
        await tx.recoveryCode.findMany({
          where: { customerId, staffId },
          orderBy: { createdAt: "desc" },
          take: 5,
          // Never the hash.
          select: {
            id: true,
            channel: true,
            sentTo: true,
            createdAt: true,
            expiresAt: true,
            attempts: true,
            verifiedAt: true,
            usedAt: true,
            supersededAt: true,
          },
        }),
        await tx.contactKeepRequest.findMany({
          where: { customerId },
          orderBy: { requestedAt: "desc" },
          take: 5,
          select: { id: true, field: true, value: true, status: true, requestedAt: true, requestedById: true },
        }),
        await tx.customerTotpCredential.findUnique({ where: { customerId }, select: { enrolledAt: true } }),
      ] as const,
  );

  const knownGood = { EMAIL: emailGood, PHONE: phoneGood };
  const current: Record<ContactField, string> = { EMAIL: customer.email, PHONE: customer.phone };
  const isRestorable = (change: (typeof changes)[number]) =>
    knownGood[change.field].firstSuspect !== null &&
    change.oldValueVerified &&
    change.oldValue === knownGood[change.field].value &&
    change.oldValue !== current[change.field] &&
    !isReviewedSource(change.source);

  return {
    customer,
    activeSessions,
    activeDevices,
    review: { EMAIL: emailGood.firstSuspect, PHONE: phoneGood.firstSuspect },
    /** Where a recovery code can go (null: nowhere on that channel). */
    knownGood: { EMAIL: emailGood.value, PHONE: phoneGood.value },
    /** Changes from here on are suspect whatever the device. */
    windowStart,
    /**
     * The authenticator on file, and whether it was enrolled inside the suspect window: after a takeover it may be the
     * attacker's, so the reset form then proposes dropping it (the owner could not pass the code step otherwise).
     */
    authenticator: authenticator
      ? { enrolledAt: authenticator.enrolledAt, enrolledInWindow: authenticator.enrolledAt >= windowStart }
      : null,
    codes: codes.map((code) => ({
      id: code.id,
      channel: code.channel,
      sentTo: code.sentTo,
      createdAt: code.createdAt,
      state: code.usedAt
        ? ("USED" as const)
        : code.verifiedAt
          ? at.getTime() - code.verifiedAt.getTime() < RECOVERY_PROOF_VALIDITY_MS
            ? ("VERIFIED" as const)
            : ("EXPIRED" as const)
          : code.supersededAt
            ? ("SUPERSEDED" as const)
            : code.expiresAt <= at || code.attempts >= MAX_CODE_ATTEMPTS
              ? ("EXPIRED" as const)
              : ("WAITING" as const),
    })),
    keepRequests: keeps.map((keep) => ({ ...keep, mine: keep.requestedById === staffId })),
    /** Identity questions are answered as of this moment (before any suspicious change). */
    factsAsOf,
    history: changes.map((change) => ({
      id: change.id,
      field: change.field,
      oldValue: change.oldValue,
      newValue: change.newValue,
      changedAt: change.changedAt,
      source: change.source,
      ip: change.ip,
      oldValueVerified: change.oldValueVerified,
      device: change.device,
      suspect: isSuspectChange({ ...change, deviceFirstSeenAt: change.device?.firstSeenAt ?? null }, windowStart),
      suggested: isRestorable(change) && knownGood[change.field].firstSuspect?.id === change.id,
      restorable: isRestorable(change),
    })),
    links: links.map((link) => ({
      origin: link.origin,
      sentTo: link.sentTo,
      createdAt: link.createdAt,
      expiresAt: link.expiresAt,
      state: (link.usedAt
        ? "USED"
        : link.supersededAt
          ? "SUPERSEDED"
          : link.expiresAt <= at
            ? "EXPIRED"
            : "ACTIVE") satisfies LinkState as LinkState,
    })),
    identityChecks: checks.map((check) => ({
      id: check.id,
      mine: check.staffId === staffId,
      passed: check.passed,
      createdAt: check.createdAt,
      usedAt: check.usedAt,
      facts: {
        birthDate: fact(check.birthDateMatched),
        lastTopUp: fact(check.lastTopUpMatched),
        cardLast4: fact(check.cardLast4Matched),
      },
      usable:
        check.passed &&
        check.staffId === staffId &&
        !check.usedAt &&
        at.getTime() - check.createdAt.getTime() < IDENTITY_CHECK_VALIDITY_MS,
    })),
  };
}

export type RecoveryView = Awaited<ReturnType<typeof loadRecoveryView>>;
export type HistoryRow = RecoveryView["history"][number];
export type LinkRow = RecoveryView["links"][number];
