// The writes staff administration shares between a change made at once and one a second admin approved
// (staff-admin.server.ts, staff-grants.server.ts): each runs inside the caller's performAction transaction.
import type { StaffContext } from "~/auth/guard.server";
import type { Role } from "~/auth/permissions";
import { invalidateAllStaffSessions } from "~/auth/session.server";
import { auditOfLink, issueAndMailStaffLink, type SentStaffLink } from "~/auth/staff-link.server";
import type { DbTx } from "~/db.server";
import type { Language } from "~/i18n/config";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";

export async function loadTarget(tx: DbTx, staffId: string) {
  const staff = await tx.staffUser.findUnique({ where: { id: staffId } });
  if (!staff) throw new DomainError("STAFF_NOT_FOUND", "There is no such staff member.", 404);
  return staff;
}

export function refuseSelf(ctx: StaffContext, staffId: string, what: string): void {
  if (ctx.staff.id === staffId) {
    throw new DomainError("STAFF_SELF_CHANGE", `You cannot ${what} your own account; ask another admin.`, 409);
  }
}

/** Locks every active admin row, then refuses when the change would leave none. */
export async function refuseLastAdmin(
  tx: DbTx,
  target: { id: string; role: Role; disabledAt: Date | null },
): Promise<void> {
  if (target.role !== "ADMIN" || target.disabledAt) return;
  const admins = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM staff_user WHERE role = 'ADMIN' AND disabled_at IS NULL FOR UPDATE`;
  if (admins.filter((a) => a.id !== target.id).length === 0) {
    throw new DomainError("LAST_ADMIN", "This is the last active admin: make someone else an admin first.", 409);
  }
}

export async function refuseTakenEmail(tx: DbTx, email: string): Promise<void> {
  const existing = await tx.staffUser.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw new DomainError("STAFF_EMAIL_TAKEN", "A staff member with this email already exists.", 409);
}

export interface NewMember {
  email: string;
  displayName: string;
  role: Role;
  language: Language;
}

/** Creates the member and mails them their one-time link (to their own address only; staff-link.server.ts). */
export async function createMemberWithLink(
  tx: DbTx,
  input: NewMember,
  requestedBy: string,
): Promise<{ staffId: string; link: SentStaffLink }> {
  await refuseTakenEmail(tx, input.email);
  const staff = await tx.staffUser.create({
    data: {
      email: input.email,
      displayName: input.displayName,
      role: input.role,
      language: input.language,
      createdAt: now(),
    },
  });
  return { staffId: staff.id, link: await issueAndMailStaffLink(tx, staff, "invite", requestedBy) };
}

/**
 * Voids every credential the member holds: password, authenticator, recovery codes, lockout and second-step failures,
 * sessions. Only whoever opens the one-time link mailed next can set a password and enrol again.
 */
export async function voidCredentials(
  tx: DbTx,
  staffId: string,
): Promise<{ recoveryCodesRemoved: number; sessionsEnded: number }> {
  await tx.staffUser.update({
    where: { id: staffId },
    data: {
      passwordHash: null,
      totpSecretEncrypted: null,
      totpEnrolledAt: null,
      totpLastUsedStep: null,
      lockedUntil: null,
      failedPasswordCount: 0,
      signInCodeFailures: 0,
    },
  });
  const { count: recoveryCodesRemoved } = await tx.staffRecoveryCode.deleteMany({ where: { staffId } });
  await tx.staffTotpFailure.deleteMany({ where: { staffId } });
  await tx.staffPasswordFailure.deleteMany({ where: { staffId } });
  const sessionsEnded = await invalidateAllStaffSessions(tx, staffId);
  return { recoveryCodesRemoved, sessionsEnded };
}

/**
 * Re-enables a disabled member with none of their old credentials and mails them a set-up link to their own address.
 * A member is disabled because they left or their credentials may be compromised: re-enabling must not hand the
 * account back to whoever holds the old password or authenticator seed. Conditional on the state and role the caller
 * read, so a concurrent change makes this fail rather than silently win.
 */
export async function reenableWithFreshLink(
  tx: DbTx,
  target: Awaited<ReturnType<typeof loadTarget>>,
  requestedBy: string,
) {
  const { count } = await tx.staffUser.updateMany({
    where: { id: target.id, role: target.role, disabledAt: { not: null } },
    data: { disabledAt: null },
  });
  if (count === 0) throw new DomainError("STAFF_NOT_DISABLED", "This account is not disabled.", 409);
  const voided = await voidCredentials(tx, target.id);
  const link = await issueAndMailStaffLink(tx, target, "reenable", requestedBy);
  return {
    link,
    before: { disabledAt: target.disabledAt, totpEnrolledAt: target.totpEnrolledAt },
    after: { disabledAt: null, totpEnrolledAt: null, passwordVoided: true, ...voided, ...auditOfLink(link) },
  };
}
