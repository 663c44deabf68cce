// One-time links: an invitation (set a password, then enrol TOTP), or a new link an admin issues to someone who lost
// their password. The token (160 random bits) is in the link only; the database keeps its SHA-256. A link works once,
// for 72 hours, and issuing a new one for the same person voids the old.
import type { Origin } from "~/audit/actor";
import { performAction } from "~/audit/perform-action.server";
import { staffActor } from "~/auth/auth-audit.server";
import { hashPassword } from "~/auth/password.server";
import { passwordProblem, passwordProblemMessage } from "~/auth/password-policy";
import {
  generateSessionToken,
  hashToken,
  invalidateAllStaffSessions,
  replaceStaffSession,
} from "~/auth/session.server";
import type { DbTx } from "~/db.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";

const SEVENTY_TWO_HOURS = 72 * 60 * 60 * 1000;
export const INVITE_LIFETIME_MS = SEVENTY_TWO_HOURS;

export interface IssuedInvite {
  token: string;
  expiresAt: Date;
}

export async function issueInvite(tx: DbTx, staffId: string): Promise<IssuedInvite> {
  const token = generateSessionToken();
  const created = now();
  const expiresAt = new Date(created.getTime() + INVITE_LIFETIME_MS);
  await tx.staffInvite.deleteMany({ where: { staffId, usedAt: null } });
  await tx.staffInvite.create({ data: { id: hashToken(token), staffId, createdAt: created, expiresAt } });
  return { token, expiresAt };
}

export function inviteUrl(baseUrl: string, token: string): string {
  return new URL(`/invite/${token}`, baseUrl).toString();
}

function isTokenShaped(token: string): boolean {
  return /^[a-z2-7]{32}$/.test(token);
}

/** The invitee of a live link, or null (unknown, used, expired, or the member was disabled). Reads only. */
export async function findLiveInvite(token: string) {
  if (!isTokenShaped(token)) return null;
  const invite = await prisma.staffInvite.findUnique({ where: { id: hashToken(token) }, include: { staff: true } });
  if (!invite || invite.usedAt || invite.expiresAt <= now() || invite.staff.disabledAt) return null;
  return {
    expiresAt: invite.expiresAt,
    staff: {
      id: invite.staff.id,
      email: invite.staff.email,
      displayName: invite.staff.displayName,
      role: invite.staff.role,
      totpEnrolled: invite.staff.totpEnrolledAt !== null,
    },
  };
}

const LINK_UNUSABLE = "This link has expired or was already used. Ask an admin for a new one.";

/** Sets the password and starts a password-only session: the next stop is TOTP enrollment (or the TOTP step). */
export async function acceptInvite(input: {
  token: string;
  password: string;
  origin: Origin;
  previousToken: string | null;
}): Promise<{ token: string; expiresAt: Date; next: "/sign-in/enroll" | "/sign-in/totp" }> {
  const invite = await findLiveInvite(input.token);
  if (!invite) throw new DomainError("INVITE_UNUSABLE", LINK_UNUSABLE, 404);
  const problem = passwordProblem(input.password, invite.staff.email);
  if (problem) throw new DomainError("PASSWORD_WEAK", passwordProblemMessage(problem));
  const passwordHash = await hashPassword(input.password);
  const { staff } = invite;
  const session = await performAction(
    { actor: staffActor(staff), origin: input.origin },
    { action: "staff.invite.accept", permission: null, targetType: "staff", targetId: staff.id },
    async (tx) => {
      // Spend the link in the statement that checks it: two submissions of one link cannot both succeed.
      const { count } = await tx.staffInvite.updateMany({
        where: { id: hashToken(input.token), usedAt: null, expiresAt: { gt: now() } },
        data: { usedAt: now() },
      });
      if (count === 0) throw new DomainError("INVITE_UNUSABLE", LINK_UNUSABLE, 404);
      const updated = await tx.staffUser.updateMany({
        where: { id: staff.id, disabledAt: null },
        // Wrong sign-in codes in a row (ADR 089) counted against the password this one replaces: a sole admin locked
        // by them comes back through the command line's new link.
        data: { passwordHash, failedPasswordCount: 0, lockedUntil: null, signInCodeFailures: 0 },
      });
      if (updated.count === 0) throw new DomainError("INVITE_UNUSABLE", LINK_UNUSABLE, 404);
      // A new password ends every session the member had (a link may have been sent because one was compromised).
      const sessionsEnded = await invalidateAllStaffSessions(tx, staff.id);
      const created = await replaceStaffSession(tx, input.previousToken, staff.id, "PASSWORD", input.origin);
      return { result: created, after: { passwordSet: true, sessionsEnded } };
    },
  );
  return { ...session, next: staff.totpEnrolled ? "/sign-in/totp" : "/sign-in/enroll" };
}
