// The second factor, for sign-in and for step-up: a TOTP code, or (sign-in only) a recovery code.
//   - Each attempt runs in one transaction holding the staff row lock, so concurrent guesses are counted one by one.
//   - A TOTP code is accepted once: the matching step is written with `updateMany where totpLastUsedStep < step`, so
//     the check and the write are one statement and two requests racing with the same code cannot both pass.
//   - Failures are counted where they happen (docs/decisions/018-lockout-without-a-weapon.md): 5 wrong step-up codes
//     within 30 minutes block step-up in that session only, so someone who knows a lead's password cannot block the
//     lead's signed-in session; 5 wrong sign-in codes from one source (address bucket) block sign-in from that source,
//     and 20 from all sources together block sign-in for the account. Each block lasts until the oldest counted
//     failure leaves the window; an admin can clear it sooner (audited).
//   - Those windows refill: someone holding the password could spread 20 guesses over every 30 minutes for ever. So
//     wrong sign-in codes are also counted on the member with no window (NIST SP 800-63B 5.2.2: at most 100
//     consecutive failures), and at SECOND_FACTOR_CONSECUTIVE_LIMIT signing in stays blocked until an admin unlocks
//     the member; an accepted sign-in code starts the count again (docs/decisions/089-security-audit-round-six.md).
//   - Failures, blocks and successes are audited with the outcome in the same transaction; codes never are.
import type { Origin } from "~/audit/actor";
import type { AuditEventInput } from "~/audit/audit-log.server";
import { addressBucket } from "~/auth/address-bucket";
import { lockStaffRow, recordAttempt, staffActor } from "~/auth/auth-audit.server";
import type { Role } from "~/auth/permissions";
import { consumeRecoveryCode, countUnusedRecoveryCodes } from "~/auth/recovery-codes.server";
import { decryptSecret, staffSecretBinding } from "~/auth/totp-key.server";
import { matchTotpStep } from "~/auth/totp.server";
import { prisma, type DbTx } from "~/db.server";
import { now } from "~/lib/clock.server";
import { formatJst } from "~/lib/format";

const THIRTY_MINUTES = 30 * 60 * 1000;
export const SECOND_FACTOR_FAILURE_LIMIT = 5;
export const SECOND_FACTOR_ACCOUNT_FAILURE_LIMIT = 20;
export const SECOND_FACTOR_WINDOW_MS = THIRTY_MINUTES;
export const SECOND_FACTOR_CONSECUTIVE_LIMIT = 100;
const SOURCE_PREFIX = "source:";

/** Whose failures count: one signed-in session's step-up, sign-in from one client source, or sign-in account-wide. */
type AttemptScope = { kind: "session"; sessionId: string } | { kind: "source"; ip: string | null };
export type SecondFactorScope = AttemptScope | { kind: "account" };

function scopeKey(scope: AttemptScope): string {
  return scope.kind === "session"
    ? `session:${scope.sessionId}`
    : `${SOURCE_PREFIX}${addressBucket(scope.ip ?? "unknown")}`;
}

export type SecondFactorKind = "totp" | "recovery-code";
/** "confirm-action": a code typed on a confirmation form, bound to that one action (action-confirmation.server.ts). */
export type SecondFactorPurpose = "sign-in" | "step-up" | "confirm-action";

export type SecondFactorResult<T> =
  | { ok: true; value: T; recoveryCodesLeft: number | null }
  | { ok: false; reason: "wrong-code" | "replayed" | "blocked"; message: string; blockedUntil: Date | null };

interface SecondFactorAttempt<T> {
  staff: { id: string; role: Role; email: string };
  kind: SecondFactorKind;
  code: string;
  purpose: SecondFactorPurpose;
  /** For step-up: the session stepping up (its failures block only it). */
  sessionId?: string;
  origin: Origin;
  /** Runs in the same transaction as the accepted code (start the full session, mark the step-up). */
  onSuccess: (tx: DbTx) => Promise<T>;
  /** What the success row records besides the method (a confirmation's action and digest). Never the code. */
  auditDetails?: Record<string, unknown>;
}

const ACTIONS: Record<SecondFactorPurpose, string> = {
  "sign-in": "staff.sign-in.second-factor",
  "step-up": "staff.step-up",
  "confirm-action": "staff.action-confirmation",
};
const SUCCESS_ACTIONS: Record<SecondFactorPurpose, string> = {
  "sign-in": "staff.sign-in",
  "step-up": "staff.step-up",
  "confirm-action": "staff.action-confirmation",
};

const LOCKED_UNTIL_UNLOCKED = `Too many wrong codes in a row (${SECOND_FACTOR_CONSECUTIVE_LIMIT}). Signing in is blocked until an admin unlocks your account; ask an admin to unlock it.`;

function blockedMessage(until: Date): string {
  return `Too many wrong codes. The second step is blocked until ${formatJst(until)}; ask an admin to unlock it sooner.`;
}

async function blockedByCount(
  tx: Pick<DbTx, "staffTotpFailure">,
  where: { staffId: string; scope: string | { startsWith: string } },
  limit: number,
): Promise<Date | null> {
  const since = new Date(now().getTime() - SECOND_FACTOR_WINDOW_MS);
  const recent = await tx.staffTotpFailure.findMany({
    where: { ...where, occurredAt: { gt: since } },
    orderBy: { occurredAt: "desc" },
    select: { occurredAt: true },
    take: limit,
  });
  if (recent.length < limit) return null;
  return new Date(recent[limit - 1]!.occurredAt.getTime() + SECOND_FACTOR_WINDOW_MS);
}

/** When the second step is blocked for this scope, until when; null when it is not. Reads only. */
export async function secondFactorBlockedUntil(
  tx: Pick<DbTx, "staffTotpFailure">,
  staffId: string,
  scope: SecondFactorScope,
): Promise<Date | null> {
  const accountWide = () =>
    blockedByCount(tx, { staffId, scope: { startsWith: SOURCE_PREFIX } }, SECOND_FACTOR_ACCOUNT_FAILURE_LIMIT);
  if (scope.kind === "account") return accountWide();
  const own = await blockedByCount(tx, { staffId, scope: scopeKey(scope) }, SECOND_FACTOR_FAILURE_LIMIT);
  // A signed-in session's step-up is never blocked by failures made elsewhere.
  if (scope.kind === "session") return own;
  const account = await accountWide();
  if (!own) return account;
  if (!account) return own;
  return own > account ? own : account;
}

function attemptScope(purpose: SecondFactorPurpose, sessionId: string | undefined, origin: Origin): AttemptScope {
  if (purpose === "step-up" || purpose === "confirm-action") {
    if (!sessionId) throw new Error("a step-up or a confirmation is always made by a session");
    return { kind: "session", sessionId };
  }
  return { kind: "source", ip: origin.ip };
}

export async function verifySecondFactor<T>(attempt: SecondFactorAttempt<T>): Promise<SecondFactorResult<T>> {
  const { staff, origin, purpose, kind } = attempt;
  const actor = staffActor(staff);
  const action = ACTIONS[purpose];
  const base = { actor, origin, action, targetType: "staff", targetId: staff.id } as const;

  const scope = attemptScope(purpose, attempt.sessionId, origin);

  return recordAttempt<SecondFactorResult<T>>(async (tx) => {
    await lockStaffRow(tx, staff.id);
    const current = now();
    // Signing in only: a signed-in session's step-up is never blocked by guesses made elsewhere (ADR 018).
    const counted = purpose === "sign-in";
    const consecutive = counted ? await consecutiveSignInFailures(tx, staff.id) : 0;
    if (consecutive >= SECOND_FACTOR_CONSECUTIVE_LIMIT) {
      return {
        result: { ok: false, reason: "blocked", message: LOCKED_UNTIL_UNLOCKED, blockedUntil: null },
        events: [{ ...base, outcome: "DENIED", after: { reason: "locked-until-unlocked", method: kind } }],
      };
    }
    const blockedUntil = await secondFactorBlockedUntil(tx, staff.id, scope);
    if (blockedUntil) {
      return {
        result: { ok: false, reason: "blocked", message: blockedMessage(blockedUntil), blockedUntil },
        events: [{ ...base, outcome: "DENIED", after: { reason: "blocked", method: kind, blockedUntil } }],
      };
    }

    let failure: "wrong-code" | "replayed" | null = null;
    if (kind === "totp") {
      const row = await tx.staffUser.findUniqueOrThrow({
        where: { id: staff.id },
        select: { totpSecretEncrypted: true },
      });
      const secret = row.totpSecretEncrypted
        ? decryptSecret(row.totpSecretEncrypted, staffSecretBinding(staff.id))
        : null;
      const step = secret ? matchTotpStep(secret, attempt.code, current) : null;
      if (step === null) failure = "wrong-code";
      else {
        const { count } = await tx.staffUser.updateMany({
          where: { id: staff.id, OR: [{ totpLastUsedStep: null }, { totpLastUsedStep: { lt: step } }] },
          data: { totpLastUsedStep: step },
        });
        if (count === 0) failure = "replayed";
      }
    } else if (!(await consumeRecoveryCode(tx, staff.id, attempt.code, current))) {
      failure = "wrong-code";
    }

    if (failure) {
      await tx.staffTotpFailure.create({ data: { staffId: staff.id, occurredAt: current, scope: scopeKey(scope) } });
      const events: AuditEventInput[] = [{ ...base, outcome: "FAILED", after: { reason: failure, method: kind } }];
      if (counted) {
        await tx.staffUser.update({ where: { id: staff.id }, data: { signInCodeFailures: { increment: 1 } } });
        if (consecutive + 1 >= SECOND_FACTOR_CONSECUTIVE_LIMIT) {
          events.push({
            ...base,
            action: "staff.second-factor.block",
            outcome: "SUCCESS",
            reason: `${SECOND_FACTOR_CONSECUTIVE_LIMIT} wrong sign-in codes in a row, from any source: blocked until an admin unlocks the member.`,
            after: { scope: "account", untilUnlocked: true, consecutiveFailures: consecutive + 1 },
          });
          return {
            result: { ok: false, reason: "blocked", message: LOCKED_UNTIL_UNLOCKED, blockedUntil: null },
            events,
          };
        }
      }
      const nowBlockedUntil = await secondFactorBlockedUntil(tx, staff.id, scope);
      if (nowBlockedUntil) {
        events.push({
          ...base,
          action: "staff.second-factor.block",
          outcome: "SUCCESS",
          reason:
            scope.kind === "session"
              ? `${SECOND_FACTOR_FAILURE_LIMIT} wrong step-up codes within 30 minutes in this session.`
              : `Too many wrong sign-in codes within 30 minutes.`,
          after: { blockedUntil: nowBlockedUntil, scope: scope.kind },
        });
      }
      const message = nowBlockedUntil
        ? blockedMessage(nowBlockedUntil)
        : failure === "replayed"
          ? "This code has already been used. Wait for the next code in your authenticator app (up to 30 seconds)."
          : kind === "totp"
            ? "That code is not correct. Check that your phone's clock is right and enter the current code."
            : "That recovery code is not correct or has already been used.";
      return {
        result: { ok: false, reason: nowBlockedUntil ? "blocked" : failure, message, blockedUntil: nowBlockedUntil },
        events,
      };
    }

    if (counted && consecutive > 0) {
      await tx.staffUser.update({ where: { id: staff.id }, data: { signInCodeFailures: 0 } });
    }
    const value = await attempt.onSuccess(tx);
    const recoveryCodesLeft = kind === "recovery-code" ? await countUnusedRecoveryCodes(tx, staff.id) : null;
    return {
      result: { ok: true, value, recoveryCodesLeft },
      events: [
        {
          ...base,
          action: SUCCESS_ACTIONS[purpose],
          outcome: "SUCCESS",
          after: {
            method: kind,
            ...(recoveryCodesLeft !== null ? { recoveryCodesLeft } : {}),
            ...(attempt.auditDetails ?? {}),
          },
        },
      ],
    };
  });
}

async function consecutiveSignInFailures(tx: Pick<DbTx, "staffUser">, staffId: string): Promise<number> {
  const row = await tx.staffUser.findUnique({ where: { id: staffId }, select: { signInCodeFailures: true } });
  return row?.signInCodeFailures ?? 0;
}

/** Whether signing in is blocked until an admin unlocks the member (the sign-in code pages say so on arrival). */
export async function signInLockedUntilUnlocked(staffId: string): Promise<boolean> {
  return (await consecutiveSignInFailures(prisma, staffId)) >= SECOND_FACTOR_CONSECUTIVE_LIMIT;
}

/** secondFactorBlockedUntil outside any transaction: what the second-step pages show. */
export function readSecondFactorBlock(staffId: string, scope: SecondFactorScope): Promise<Date | null> {
  return secondFactorBlockedUntil(prisma, staffId, scope);
}
