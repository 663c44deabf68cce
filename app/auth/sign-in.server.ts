// The first factor: email and password. Rules (OWASP ASVS 5.0 V6, PCI DSS 8.3.4):
//   - the same answer, status and (argon2) cost for an unknown email, a disabled account, an account still waiting for
//     its invite, a locked account and a wrong password: nobody learns which emails are staff;
//   - 10 consecutive wrong passwords from one source (address bucket, IPv6 by /64) lock that source out of the account
//     for 30 minutes; 50 consecutive wrong passwords from anywhere lock the account itself for 30 minutes. So someone who
//     knows only a lead's email cannot lock the lead out from the lead's own network, and a distributed guesser still
//     meets an account-wide lock (docs/decisions/018-lockout-without-a-weapon.md). Locks are audited, and so is the
//     account lock's end (on the first attempt after it expires, or by an admin);
//   - more than 20 failures from one address in 10 minutes → 429 for that address (ip-throttle.server.ts);
//   - success starts a new password-only session; the second factor replaces it again.
import type { Origin } from "~/audit/actor";
import type { AuditEventInput } from "~/audit/audit-log.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { ANONYMOUS_ACTOR, AUTH_SYSTEM_ACTOR, lockStaffRow, recordAttempt, staffActor } from "~/auth/auth-audit.server";
import { ipThrottleState, IP_WINDOW_MS, recordIpFailure } from "~/auth/ip-throttle.server";
import { addressBucket } from "~/auth/address-bucket";
import { hashPassword, needsRehash, verifyAgainstDummyHash, verifyPassword } from "~/auth/password.server";
import { replaceStaffSession } from "~/auth/session.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";

const THIRTY_MINUTES = 30 * 60 * 1000;
export const SOURCE_PASSWORD_FAILURE_LIMIT = 10;
export const ACCOUNT_LOCK_PASSWORD_FAILURES = 50;
export const LOCKOUT_MS = THIRTY_MINUTES;

export const GENERIC_SIGN_IN_ERROR =
  "The email or password is not correct. After 10 failed attempts an account is locked for 30 minutes; an admin can unlock it sooner.";

export type PasswordStepResult =
  | { ok: true; token: string; expiresAt: Date; next: "/sign-in/totp" | "/sign-in/enroll" }
  | { ok: false; status: 400; message: string }
  | { ok: false; status: 429; message: string; retryAfterSeconds: number };

const REJECTED: PasswordStepResult = { ok: false, status: 400, message: GENERIC_SIGN_IN_ERROR };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

interface PasswordAttempt {
  email: string;
  password: string;
  origin: Origin;
  /** The session token the browser already holds, ended on success (no fixation). */
  previousToken: string | null;
}

export async function signInWithPassword(attempt: PasswordAttempt): Promise<PasswordStepResult> {
  const { origin } = attempt;
  const email = normalizeEmail(attempt.email);

  const throttle = await ipThrottleState(origin.ip);
  if (throttle.throttled) {
    const retryAfterSeconds = Math.max(1, Math.ceil(((throttle.retryAt?.getTime() ?? 0) - now().getTime()) / 1000));
    await recordAuditEvent({
      actor: ANONYMOUS_ACTOR,
      origin,
      action: "staff.sign-in.throttled",
      outcome: "DENIED",
      targetType: "client-ip",
      targetId: origin.ip,
      after: { failuresInWindow: throttle.failures, windowMinutes: IP_WINDOW_MS / 60_000, email },
    });
    // This English is for logs and tests: the sign-in page answers with auth:signIn.throttled in the reader's language.
    return {
      ok: false,
      status: 429,
      message: `Too many failed sign-ins from your network. Wait ${Math.ceil(retryAfterSeconds / 60)} minutes and try again, or ask an admin if you are locked out.`,
      retryAfterSeconds,
    };
  }

  const staff = await prisma.staffUser.findUnique({ where: { email } });
  if (!staff || staff.disabledAt || !staff.passwordHash) {
    await reserveNothing();
    await verifyAgainstDummyHash(attempt.password);
    const reason = !staff ? "unknown-email" : staff.disabledAt ? "disabled" : "no-password-yet";
    await recordFailure(origin, email, staff?.id ?? null, reason);
    return REJECTED;
  }

  // Reserve this attempt before the (slow) hash check: concurrent guesses each take a number, so no more than
  // SOURCE_PASSWORD_FAILURE_LIMIT from one source are ever checked between two successes, however many arrive at once.
  const source = sourceOf(origin);
  const reservation = await reserveAttempt(staff.id, source, origin);
  if (!reservation.allowed) {
    await verifyAgainstDummyHash(attempt.password);
    await recordFailure(origin, email, staff.id, reservation.reason);
    return REJECTED;
  }

  const valid = await verifyPassword(staff.passwordHash, attempt.password);
  if (!valid) {
    await recordWrongPassword(staff, origin, reservation);
    return REJECTED;
  }

  const rehashed = needsRehash(staff.passwordHash) ? await hashPassword(attempt.password) : null;
  const session = await recordAttempt(async (tx) => {
    // A concurrent failure may have locked the account while this hash was being checked: the lock wins.
    const { count } = await tx.staffUser.updateMany({
      where: { id: staff.id, lockedUntil: null, disabledAt: null },
      data: { failedPasswordCount: 0, ...(rehashed ? { passwordHash: rehashed } : {}) },
    });
    if (count === 0) return { result: null, events: [] };
    await tx.staffPasswordFailure.deleteMany({ where: { staffId: staff.id, source } });
    const created = await replaceStaffSession(tx, attempt.previousToken, staff.id, "PASSWORD", origin);
    return {
      result: created,
      events: [
        {
          actor: staffActor(staff),
          origin,
          action: "staff.sign-in.password",
          outcome: "SUCCESS",
          targetType: "staff",
          targetId: staff.id,
          after: { stage: "PASSWORD", passwordRehashed: rehashed !== null },
        },
      ],
    };
  });
  if (!session) {
    await recordFailure(origin, email, staff.id, "locked");
    return REJECTED;
  }
  return { ok: true, ...session, next: staff.totpEnrolledAt ? "/sign-in/totp" : "/sign-in/enroll" };
}

/**
 * The same statements as reserveAttempt, against a row that does not exist: an unknown email then costs the database
 * what a known one does, and the two answers cannot be told apart by their timing.
 */
async function reserveNothing(): Promise<void> {
  const nobody = crypto.randomUUID();
  await recordAttempt(async (tx) => {
    await lockStaffRow(tx, nobody);
    await tx.staffUser.findUnique({ where: { id: nobody }, select: { id: true } });
    await tx.staffUser.updateMany({ where: { id: nobody }, data: { failedPasswordCount: 1 } });
    return { result: undefined, events: [] };
  });
}

function sourceOf(origin: Origin): string {
  return origin.ip ? addressBucket(origin.ip) : "unknown";
}

type Reservation =
  | { allowed: false; reason: "locked" | "source-locked" }
  | { allowed: true; attemptNumber: number; sourceFailures: number };

async function reserveAttempt(staffId: string, source: string, origin: Origin): Promise<Reservation> {
  return recordAttempt<Reservation>(async (tx) => {
    await lockStaffRow(tx, staffId);
    const row = await tx.staffUser.findUniqueOrThrow({
      where: { id: staffId },
      select: { id: true, role: true, email: true, lockedUntil: true, failedPasswordCount: true },
    });
    const current = now();
    const events: AuditEventInput[] = [];
    let previousFailures = row.failedPasswordCount;
    if (row.lockedUntil && row.lockedUntil > current) return { result: { allowed: false, reason: "locked" }, events };
    // A source's failures run on until 30 quiet minutes pass (or it succeeds): so its lock lasts 30 minutes from its
    // tenth failure, as PCI DSS 8.3.4 asks, and not only until the oldest failure ages out.
    const newest = await tx.staffPasswordFailure.findFirst({
      where: { staffId, source },
      orderBy: { occurredAt: "desc" },
      select: { occurredAt: true },
    });
    if (newest && newest.occurredAt.getTime() <= current.getTime() - LOCKOUT_MS)
      await tx.staffPasswordFailure.deleteMany({ where: { staffId, source } });
    const sourceFailures = await tx.staffPasswordFailure.count({ where: { staffId, source } });
    if (sourceFailures >= SOURCE_PASSWORD_FAILURE_LIMIT)
      return { result: { allowed: false, reason: "source-locked" }, events };
    if (row.lockedUntil) {
      // The lock ran out: end it on the record (audited), and start counting afresh.
      previousFailures = 0;
      events.push({
        actor: AUTH_SYSTEM_ACTOR,
        origin,
        action: "staff.unlock",
        outcome: "SUCCESS",
        targetType: "staff",
        targetId: row.id,
        reason: "The 30-minute lock expired.",
        before: { lockedUntil: row.lockedUntil, failedPasswordCount: row.failedPasswordCount },
        after: { lockedUntil: null, failedPasswordCount: 0 },
      });
    }
    const attemptNumber = previousFailures + 1;
    if (attemptNumber > ACCOUNT_LOCK_PASSWORD_FAILURES) return { result: { allowed: false, reason: "locked" }, events };
    await tx.staffUser.update({
      where: { id: row.id },
      data: { failedPasswordCount: attemptNumber, lockedUntil: null },
    });
    // Counted now, before the hash check; a success from this source deletes its rows again.
    await tx.staffPasswordFailure.create({ data: { staffId, source, occurredAt: current } });
    return { result: { allowed: true, attemptNumber, sourceFailures: sourceFailures + 1 }, events };
  });
}

async function recordWrongPassword(
  staff: { id: string; email: string },
  origin: Origin,
  reservation: { attemptNumber: number; sourceFailures: number },
): Promise<void> {
  const { attemptNumber, sourceFailures } = reservation;
  await recordAttempt(async (tx) => {
    await recordIpFailure(tx, origin.ip);
    const events: AuditEventInput[] = [
      {
        actor: ANONYMOUS_ACTOR,
        origin,
        action: "staff.sign-in.password",
        outcome: "FAILED",
        targetType: "staff",
        targetId: staff.id,
        after: { reason: "wrong-password", consecutiveFailures: attemptNumber, sourceFailures, email: staff.email },
      },
    ];
    if (sourceFailures === SOURCE_PASSWORD_FAILURE_LIMIT) {
      events.push({
        actor: ANONYMOUS_ACTOR,
        origin,
        action: "staff.lock.source",
        outcome: "SUCCESS",
        targetType: "staff",
        targetId: staff.id,
        reason: `${SOURCE_PASSWORD_FAILURE_LIMIT} consecutive wrong passwords from one source.`,
        after: { source: sourceOf(origin), lockedUntil: new Date(now().getTime() + LOCKOUT_MS) },
      });
    }
    if (attemptNumber >= ACCOUNT_LOCK_PASSWORD_FAILURES) {
      const lockedUntil = new Date(now().getTime() + LOCKOUT_MS);
      const { count } = await tx.staffUser.updateMany({
        where: { id: staff.id, lockedUntil: null },
        data: { lockedUntil },
      });
      if (count === 1) {
        events.push({
          actor: ANONYMOUS_ACTOR,
          origin,
          action: "staff.lock",
          outcome: "SUCCESS",
          targetType: "staff",
          targetId: staff.id,
          reason: `${ACCOUNT_LOCK_PASSWORD_FAILURES} consecutive wrong passwords from all sources.`,
          after: { lockedUntil, consecutiveFailures: attemptNumber },
        });
      }
    }
    return { result: undefined, events };
  });
}

async function recordFailure(origin: Origin, email: string, staffId: string | null, reason: string): Promise<void> {
  await recordAttempt(async (tx) => {
    await recordIpFailure(tx, origin.ip);
    return {
      result: undefined,
      events: [
        {
          actor: ANONYMOUS_ACTOR,
          origin,
          action: "staff.sign-in.password",
          outcome: "FAILED",
          targetType: staffId ? "staff" : "staff-email",
          targetId: staffId ?? email,
          after: { reason, email },
        },
      ],
    };
  });
}
