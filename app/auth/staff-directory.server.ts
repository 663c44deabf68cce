// Read models for the staff pages: who is on the team, in what state, and what recently happened to their account.
import { maskEmail } from "~/accounts/masking";
import { namedAuditValues } from "~/audit/system-reasons";
import type { Role } from "~/auth/permissions";
import { SECOND_FACTOR_CONSECUTIVE_LIMIT, secondFactorBlockedUntil } from "~/auth/second-factor.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { STAFF_LINK_TEMPLATE } from "~/notify/templates/staff-link";

export type StaffStatus = "active" | "invited" | "enrolling" | "locked" | "disabled";

interface StatusFields {
  disabledAt: Date | null;
  lockedUntil: Date | null;
  passwordHash: string | null;
  totpEnrolledAt: Date | null;
  signInCodeFailures: number;
}

export function staffStatus(staff: StatusFields, at = now()): StaffStatus {
  if (staff.disabledAt) return "disabled";
  if (staff.lockedUntil && staff.lockedUntil > at) return "locked";
  if (signInLockedUntilUnlocked(staff)) return "locked";
  if (!staff.passwordHash) return "invited";
  if (!staff.totpEnrolledAt) return "enrolling";
  return "active";
}

/** Too many wrong sign-in codes in a row: signing in waits for an admin's unlock (second-factor.server.ts). */
function signInLockedUntilUnlocked(staff: { signInCodeFailures: number }): boolean {
  return staff.signInCodeFailures >= SECOND_FACTOR_CONSECUTIVE_LIMIT;
}

export interface StaffListRow {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  status: StaffStatus;
  activeSessions: number;
  lastSignInAt: Date | null;
}

export async function listStaff(): Promise<StaffListRow[]> {
  const current = now();
  const staff = await prisma.staffUser.findMany({ orderBy: [{ disabledAt: "desc" }, { email: "asc" }] });
  const sessions = await prisma.staffSession.groupBy({
    by: ["staffId"],
    where: { stage: "FULL", expiresAt: { gt: current } },
    _count: { _all: true },
  });
  const sessionCounts = new Map(sessions.map((s) => [s.staffId, s._count._all]));
  const ids = staff.map((s) => s.id);
  const lastSignIns = ids.length
    ? await prisma.$queryRaw<{ actor_id: string; occurred_at: Date }[]>`
        SELECT DISTINCT ON (actor_id) actor_id, occurred_at FROM audit_event
        WHERE action = 'staff.sign-in' AND outcome = 'SUCCESS' AND actor_id = ANY(${ids})
        ORDER BY actor_id, seq DESC`
    : [];
  const lastSignInById = new Map(lastSignIns.map((r) => [r.actor_id, r.occurred_at]));
  return staff
    .map((s) => ({
      id: s.id,
      email: s.email,
      displayName: s.displayName,
      role: s.role,
      status: staffStatus(s, current),
      activeSessions: sessionCounts.get(s.id) ?? 0,
      lastSignInAt: lastSignInById.get(s.id) ?? null,
    }))
    .sort(
      (a, b) => Number(a.status === "disabled") - Number(b.status === "disabled") || a.email.localeCompare(b.email),
    );
}

const RECENT_EVENTS = 40;

export async function loadStaffDetail(staffId: string) {
  const staff = await prisma.staffUser.findUnique({ where: { id: staffId } });
  if (!staff) return null;
  const current = now();
  const [activeSessions, recoveryCodesLeft, secondStepBlockedUntil, pendingInvite, lastLinkMail, events] =
    await Promise.all([
      prisma.staffSession.findMany({
        where: { staffId, expiresAt: { gt: current } },
        select: { stage: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
        orderBy: { createdAt: "desc" },
      }),
      prisma.staffRecoveryCode.count({ where: { staffId, usedAt: null } }),
      secondFactorBlockedUntil(prisma, staffId, { kind: "account" }),
      prisma.staffInvite.findFirst({
        where: { staffId, usedAt: null, expiresAt: { gt: current } },
        select: { id: true, expiresAt: true },
      }),
      // The mail that carried the latest one-time link: where it went and whether it arrived (never its body).
      prisma.outboundMessage.findFirst({
        where: { staffId, template: STAFF_LINK_TEMPLATE },
        orderBy: { createdAt: "desc" },
        select: { recipient: true, status: true, discriminator: true, createdAt: true, sentAt: true },
      }),
      // What this member did and what was done to their account: sign-ins, failures, denials, changes.
      prisma.auditEvent.findMany({
        where: { OR: [{ actorId: staffId }, { targetType: "staff", targetId: staffId }] },
        orderBy: { seq: "desc" },
        take: RECENT_EVENTS,
        select: {
          seq: true,
          occurredAt: true,
          action: true,
          outcome: true,
          actorId: true,
          actorRole: true,
          targetType: true,
          targetId: true,
          reason: true,
          after: true,
          ip: true,
        },
      }),
    ]);
  return {
    id: staff.id,
    email: staff.email,
    displayName: staff.displayName,
    role: staff.role,
    status: staffStatus(staff, current),
    createdAt: staff.createdAt,
    totpEnrolledAt: staff.totpEnrolledAt,
    lockedUntil: staff.lockedUntil && staff.lockedUntil > current ? staff.lockedUntil : null,
    failedPasswordCount: staff.failedPasswordCount,
    wrongSignInCodesInARow: staff.signInCodeFailures,
    signInLockedUntilUnlocked: signInLockedUntilUnlocked(staff),
    disabledAt: staff.disabledAt,
    secondStepBlockedUntil,
    recoveryCodesLeft,
    pendingInviteExpiresAt: pendingInvite?.expiresAt ?? null,
    linkMail: lastLinkMail
      ? {
          sentTo: maskEmail(lastLinkMail.recipient ?? ""),
          status: lastLinkMail.status,
          queuedAt: lastLinkMail.createdAt,
          sentAt: lastLinkMail.sentAt,
          // The link it carries is the one still pending (not used, expired or replaced since).
          expiresAt: pendingInvite && lastLinkMail.discriminator === pendingInvite.id ? pendingInvite.expiresAt : null,
        }
      : null,
    sessions: activeSessions,
    // Only the system's codes of the after value (why a sign-in failed, why a form was refused), not the whole value:
    // the page names them as the audit trail does, and the rest of the record is the trail's to show.
    events: events.map(({ after, ...e }) => ({ ...e, seq: e.seq.toString(), named: namedAuditValues(after) })),
  };
}

export type StaffDetail = NonNullable<Awaited<ReturnType<typeof loadStaffDetail>>>;
