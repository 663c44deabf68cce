// The second factor, for sign-in and for step-up: a TOTP code, or (sign-in only) a recovery code.
//   - Each attempt runs in one transaction holding the staff row lock, so concurrent guesses are counted one by one.
//   - A TOTP code is accepted once: the matching step is written with `updateMany where totpLastUsedStep < step`, so
//     the check and the write are one statement and two requests racing with the same code cannot both pass.
//   - 5 wrong codes within 30 minutes block the second step until the oldest of them leaves the window.
//   - Failures, blocks and successes are audited with the outcome in the same transaction; codes never are.
import type { Origin } from "~/audit/actor";
import type { AuditEventInput } from "~/audit/audit-log.server";
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
export const SECOND_FACTOR_WINDOW_MS = THIRTY_MINUTES;

export type SecondFactorKind = "totp" | "recovery-code";
export type SecondFactorPurpose = "sign-in" | "step-up";

export type SecondFactorResult<T> =
  | { ok: true; value: T; recoveryCodesLeft: number | null }
  | { ok: false; reason: "wrong-code" | "replayed" | "blocked"; message: string; blockedUntil: Date | null };

interface SecondFactorAttempt<T> {
  staff: { id: string; role: Role; email: string };
  kind: SecondFactorKind;
  code: string;
  purpose: SecondFactorPurpose;
  origin: Origin;
  /** Runs in the same transaction as the accepted code (start the full session, mark the step-up). */
  onSuccess: (tx: DbTx) => Promise<T>;
}

const ACTIONS: Record<SecondFactorPurpose, string> = {
  "sign-in": "staff.sign-in.second-factor",
  "step-up": "staff.step-up",
};

function blockedMessage(until: Date): string {
  return `Too many wrong codes. The second step is blocked until ${formatJst(until)}; ask an admin to unlock it sooner.`;
}

/** When the staff member's second step is blocked, until when; null when it is not. Reads only. */
export async function secondFactorBlockedUntil(
  tx: Pick<DbTx, "staffTotpFailure">,
  staffId: string,
): Promise<Date | null> {
  const current = now();
  const recent = await tx.staffTotpFailure.findMany({
    where: { staffId, occurredAt: { gt: new Date(current.getTime() - SECOND_FACTOR_WINDOW_MS) } },
    orderBy: { occurredAt: "desc" },
    select: { occurredAt: true },
    take: SECOND_FACTOR_FAILURE_LIMIT,
  });
  if (recent.length < SECOND_FACTOR_FAILURE_LIMIT) return null;
  return new Date(recent[SECOND_FACTOR_FAILURE_LIMIT - 1]!.occurredAt.getTime() + SECOND_FACTOR_WINDOW_MS);
}

export async function verifySecondFactor<T>(attempt: SecondFactorAttempt<T>): Promise<SecondFactorResult<T>> {
  const { staff, origin, purpose, kind } = attempt;
  const actor = staffActor(staff);
  const action = ACTIONS[purpose];
  const base = { actor, origin, action, targetType: "staff", targetId: staff.id } as const;

  return recordAttempt<SecondFactorResult<T>>(async (tx) => {
    await lockStaffRow(tx, staff.id);
    const current = now();
    const blockedUntil = await secondFactorBlockedUntil(tx, staff.id);
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
      await tx.staffTotpFailure.create({ data: { staffId: staff.id, occurredAt: current } });
      const nowBlockedUntil = await secondFactorBlockedUntil(tx, staff.id);
      const events: AuditEventInput[] = [{ ...base, outcome: "FAILED", after: { reason: failure, method: kind } }];
      if (nowBlockedUntil) {
        events.push({
          ...base,
          action: "staff.second-factor.block",
          outcome: "SUCCESS",
          reason: `${SECOND_FACTOR_FAILURE_LIMIT} wrong codes within 30 minutes.`,
          after: { blockedUntil: nowBlockedUntil },
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

    const value = await attempt.onSuccess(tx);
    const recoveryCodesLeft = kind === "recovery-code" ? await countUnusedRecoveryCodes(tx, staff.id) : null;
    return {
      result: { ok: true, value, recoveryCodesLeft },
      events: [
        {
          ...base,
          action: purpose === "sign-in" ? "staff.sign-in" : "staff.step-up",
          outcome: "SUCCESS",
          after: { method: kind, ...(recoveryCodesLeft !== null ? { recoveryCodesLeft } : {}) },
        },
      ],
    };
  });
}

/** secondFactorBlockedUntil outside any transaction: what the second-step pages show. */
export function readSecondFactorBlock(staffId: string): Promise<Date | null> {
  return secondFactorBlockedUntil(prisma, staffId);
}
