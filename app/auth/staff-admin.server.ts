// Staff administration (ADMIN, permission staff:manage): invite, issue a new one-time link, change role, disable and
// re-enable (with fresh credentials only), end all sessions, reset TOTP, unlock. Every change goes through the spine with before/after values; no
// row ever holds a password, secret or link token. A one-time link is mailed to the member in the same transaction and
// never returned to the admin (staff-link.server.ts). Guard rails live in the writing transaction: nobody changes their
// own role, disables or resets themselves, and the last active ADMIN cannot be demoted or disabled. Granting a
// privileged role (an invitation with one, or a raise to one) only files a request for a second admin
// (staff-grants.server.ts), and so does re-enabling a member who holds one; what reduces power stays with one admin.
import type { StaffContext } from "~/auth/guard.server";
import { performAction } from "~/audit/perform-action.server";
import { auditOfLink, issueAndMailStaffLink, type SentStaffLink } from "~/auth/staff-link.server";
import { grantsPrivilege, isPrivilegedRole, roleHasPermission, type Role } from "~/auth/permissions";
import { requestStaffGrant, type FiledGrant } from "~/auth/staff-grants.server";
import {
  createMemberWithLink,
  loadTarget,
  reenableWithFreshLink,
  refuseLastAdmin,
  refuseSelf,
  voidCredentials,
} from "~/auth/staff-writes.server";
import type { Language } from "~/i18n/config";
import { normalizeEmail } from "~/auth/sign-in.server";
import { invalidateAllStaffSessions } from "~/auth/session.server";
import { SECOND_FACTOR_CONSECUTIVE_LIMIT } from "~/auth/second-factor.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { liveTokensCreatedBy } from "~/killswitch/service-tokens.server";
import { wakeOutboxWorker } from "~/notify/outbox.server";

const PERMISSION = "staff:manage" as const;

export type InviteOutcome =
  { kind: "invited"; staffId: string; link: SentStaffLink } | { kind: "requested"; grant: FiledGrant };

/** An AGENT is invited at once; a privileged role waits for a second admin, and nothing is created or mailed yet. */
export async function inviteStaff(
  ctx: StaffContext,
  input: { email: string; displayName: string; role: Role; language?: Language },
): Promise<InviteOutcome> {
  const member = {
    email: normalizeEmail(input.email),
    displayName: input.displayName.trim(),
    role: input.role,
    language: input.language ?? "ja",
  };
  if (isPrivilegedRole(member.role)) {
    return { kind: "requested", grant: await requestStaffGrant(ctx, { kind: "INVITE", ...member }) };
  }
  return performAction(
    ctx,
    { action: "staff.invite", permission: PERMISSION, stepUp: true, targetType: "staff" },
    async (tx) => {
      const { staffId, link } = await createMemberWithLink(tx, member, ctx.staff.id);
      return {
        result: { kind: "invited" as const, staffId, link },
        targetId: staffId,
        after: { ...member, ...auditOfLink(link) },
      };
    },
  ).finally(wakeOutboxWorker);
}

/** A new one-time link (set a new password), mailed to the member, voiding any earlier one. Does not touch TOTP. */
export async function reissueInvite(ctx: StaffContext, staffId: string): Promise<SentStaffLink> {
  return performAction(
    ctx,
    { action: "staff.invite.reissue", permission: PERMISSION, stepUp: true, targetType: "staff", targetId: staffId },
    async (tx) => {
      const target = await loadTarget(tx, staffId);
      if (target.disabledAt) throw new DomainError("STAFF_DISABLED", "Enable this account before sending a link.", 409);
      const link = await issueAndMailStaffLink(tx, target, "reissue", ctx.staff.id);
      return { result: link, after: auditOfLink(link) };
    },
  ).finally(wakeOutboxWorker);
}

/** The service tokens a member leaves behind live when disabled or demoted (ADR 094): shown, never revoked here. */
export interface TokensLeftLive {
  serviceTokensLeftLive: number;
}

export type RoleChangeOutcome = ({ kind: "changed" } & TokensLeftLive) | { kind: "requested"; grant: FiledGrant };

/** Lowering (or any change that grants no privileged power) happens at once; a raise waits for a second admin. */
export async function changeStaffRole(
  ctx: StaffContext,
  staffId: string,
  role: Role,
  reason: string,
): Promise<RoleChangeOutcome> {
  const current = await prisma.staffUser.findUnique({ where: { id: staffId }, select: { role: true } });
  if (current && grantsPrivilege(current.role, role)) {
    return { kind: "requested", grant: await requestStaffGrant(ctx, { kind: "ROLE_RAISE", staffId, role, reason }) };
  }
  return performAction(
    ctx,
    {
      action: "staff.role.change",
      permission: PERMISSION,
      stepUp: true,
      targetType: "staff",
      targetId: staffId,
      reason,
    },
    async (tx) => {
      refuseSelf(ctx, staffId, "change the role of");
      const target = await loadTarget(tx, staffId);
      if (target.role === role) throw new DomainError("ROLE_UNCHANGED", `This member already has the ${role} role.`);
      // Raised by someone else since we looked, this change would now grant a power: it needs a second admin.
      if (grantsPrivilege(target.role, role)) {
        throw new DomainError("STAFF_CHANGED", "This member was changed meanwhile; reload.", 409);
      }
      if (role !== "ADMIN") await refuseLastAdmin(tx, target);
      // Conditional on the role we read: a concurrent change in between makes this one fail, not silently win.
      const { count } = await tx.staffUser.updateMany({ where: { id: staffId, role: target.role }, data: { role } });
      if (count === 0) throw new DomainError("STAFF_CHANGED", "This member was changed meanwhile; reload.", 409);
      const tokens = roleHasPermission(role, "service-tokens:manage") ? [] : await liveTokensCreatedBy(tx, staffId);
      return {
        result: { kind: "changed" as const, serviceTokensLeftLive: tokens.length },
        before: { role: target.role },
        after: { role, ...(tokens.length > 0 ? { serviceTokensLeftLive: tokens } : {}) },
      };
    },
  );
}

export async function disableStaff(
  ctx: StaffContext,
  staffId: string,
  reason: string,
): Promise<{ sessionsEnded: number } & TokensLeftLive> {
  return performAction(
    ctx,
    { action: "staff.disable", permission: PERMISSION, targetType: "staff", targetId: staffId, reason },
    async (tx) => {
      refuseSelf(ctx, staffId, "disable");
      const target = await loadTarget(tx, staffId);
      if (target.disabledAt) throw new DomainError("STAFF_ALREADY_DISABLED", "This account is already disabled.", 409);
      await refuseLastAdmin(tx, target);
      const disabledAt = now();
      const { count } = await tx.staffUser.updateMany({
        where: { id: staffId, disabledAt: null },
        data: { disabledAt },
      });
      if (count === 0) throw new DomainError("STAFF_ALREADY_DISABLED", "This account is already disabled.", 409);
      const sessionsEnded = await invalidateAllStaffSessions(tx, staffId);
      await tx.staffInvite.deleteMany({ where: { staffId, usedAt: null } });
      // Not revoked with the member: a payment service would fail closed and stop top-ups without anyone deciding it.
      const tokens = await liveTokensCreatedBy(tx, staffId);
      return {
        result: { sessionsEnded, serviceTokensLeftLive: tokens.length },
        before: { disabledAt: null },
        after: { disabledAt, sessionsEnded, ...(tokens.length > 0 ? { serviceTokensLeftLive: tokens } : {}) },
      };
    },
  );
}

export type EnableOutcome = { kind: "enabled"; link: SentStaffLink } | { kind: "requested"; grant: FiledGrant };

/**
 * Re-enables a disabled member without their old credentials: password, authenticator and recovery codes are voided
 * and a one-time set-up link is mailed to their own address (staff-writes.server.ts). An agent is re-enabled at once;
 * a member whose role is privileged gets back that power only when a second admin approves (ADR 066).
 */
export async function enableStaff(ctx: StaffContext, staffId: string, reason: string): Promise<EnableOutcome> {
  const current = await prisma.staffUser.findUnique({ where: { id: staffId }, select: { role: true } });
  if (current && isPrivilegedRole(current.role)) {
    return { kind: "requested", grant: await requestStaffGrant(ctx, { kind: "REENABLE", staffId, reason }) };
  }
  return performAction(
    ctx,
    { action: "staff.enable", permission: PERMISSION, stepUp: true, targetType: "staff", targetId: staffId, reason },
    async (tx) => {
      const target = await loadTarget(tx, staffId);
      if (!target.disabledAt) throw new DomainError("STAFF_NOT_DISABLED", "This account is not disabled.", 409);
      // Raised since we looked: re-enabling would now restore a privileged power, which needs a second admin.
      if (isPrivilegedRole(target.role)) {
        throw new DomainError("STAFF_CHANGED", "This member was changed meanwhile; reload.", 409);
      }
      const { link, before, after } = await reenableWithFreshLink(tx, target, ctx.staff.id);
      return { result: { kind: "enabled" as const, link }, before, after };
    },
  ).finally(wakeOutboxWorker);
}

export async function endStaffSessions(ctx: StaffContext, staffId: string): Promise<{ sessionsEnded: number }> {
  return performAction(
    ctx,
    { action: "staff.sessions.end", permission: PERMISSION, targetType: "staff", targetId: staffId },
    async (tx) => {
      await loadTarget(tx, staffId);
      const sessionsEnded = await invalidateAllStaffSessions(tx, staffId);
      return { result: { sessionsEnded }, after: { sessionsEnded } };
    },
  );
}

/**
 * Forgets the authenticator and recovery codes, ends every session and voids the password, and mails the member a
 * one-time link to set a new password and enrol a new authenticator. The password goes too: a second factor is reset
 * because the member lost it, and whoever first signed in with the password alone would otherwise enrol theirs — a
 * stolen password would win the race. Only the holder of the link can, and the link goes only to the member's own
 * address: the admin who resets learns where it went and whether it arrived, never the link itself.
 */
export async function resetStaffTotp(ctx: StaffContext, staffId: string, reason: string): Promise<SentStaffLink> {
  return performAction(
    ctx,
    {
      action: "staff.totp.reset",
      permission: PERMISSION,
      stepUp: true,
      targetType: "staff",
      targetId: staffId,
      reason,
    },
    async (tx) => {
      refuseSelf(ctx, staffId, "reset the authenticator of");
      const target = await loadTarget(tx, staffId);
      // As for a new link (and as the page offers it): the reset mails a link, and a disabled member's would not work.
      if (target.disabledAt) {
        throw new DomainError("STAFF_DISABLED", "Enable this account before sending a link.", 409);
      }
      const { recoveryCodesRemoved, sessionsEnded } = await voidCredentials(tx, staffId);
      const link = await issueAndMailStaffLink(tx, target, "totp-reset", ctx.staff.id);
      return {
        result: link,
        before: { totpEnrolledAt: target.totpEnrolledAt },
        after: {
          totpEnrolledAt: null,
          passwordVoided: true,
          recoveryCodesRemoved,
          sessionsEnded,
          ...auditOfLink(link),
        },
      };
    },
  ).finally(wakeOutboxWorker);
}

/** Ends a password lock and a second-step block before they expire on their own. */
/**
 * Whether unlocking this member clears the block that lasts until an admin lifts it (ADR 089): the member's password
 * is known to whoever typed 100 wrong codes, and clearing it gives them 100 more. That unlock needs a fresh code
 * (ADR 094), so a stolen admin session alone cannot keep a guesser going; the windowed locks, which lift by
 * themselves, stay one click away.
 */
export function unlockClearsCodeBlock(member: { signInCodeFailures: number }): boolean {
  return member.signInCodeFailures >= SECOND_FACTOR_CONSECUTIVE_LIMIT;
}

export async function unlockStaff(ctx: StaffContext, staffId: string): Promise<void> {
  const seen = await prisma.staffUser.findUnique({ where: { id: staffId }, select: { signInCodeFailures: true } });
  const clearsCodeBlock = seen ? unlockClearsCodeBlock(seen) : false;
  await performAction(
    ctx,
    {
      action: "staff.unlock",
      permission: PERMISSION,
      stepUp: clearsCodeBlock,
      targetType: "staff",
      targetId: staffId,
    },
    async (tx) => {
      // Break-glass stays four-eyes: a session blocked by its own failures cannot clear them itself.
      refuseSelf(ctx, staffId, "unlock");
      const target = await loadTarget(tx, staffId);
      // Blocked since we looked: this unlock now needs the step-up it was not checked for.
      if (!clearsCodeBlock && unlockClearsCodeBlock(target)) {
        throw new DomainError("STAFF_CHANGED", "This member was changed meanwhile; reload.", 409);
      }
      const { signInCodeFailures } = await tx.staffUser.update({
        where: { id: staffId },
        data: { lockedUntil: null, failedPasswordCount: 0, signInCodeFailures: 0 },
        select: { signInCodeFailures: true },
      });
      const { count: secondFactorFailuresCleared } = await tx.staffTotpFailure.deleteMany({ where: { staffId } });
      await tx.staffPasswordFailure.deleteMany({ where: { staffId } });
      return {
        result: undefined,
        before: {
          lockedUntil: target.lockedUntil,
          failedPasswordCount: target.failedPasswordCount,
          consecutiveSignInCodeFailures: target.signInCodeFailures,
        },
        after: {
          lockedUntil: null,
          failedPasswordCount: 0,
          consecutiveSignInCodeFailures: signInCodeFailures,
          secondFactorFailuresCleared,
        },
      };
    },
  );
}
