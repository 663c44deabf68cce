// The second sign-in step: a TOTP code or a recovery code promotes the password-only session to a full one (a new
// token, the old one deleted: no fixation).
import type { PendingSignIn } from "~/auth/pending-session.server";
import { verifySecondFactor, type SecondFactorKind, type SecondFactorResult } from "~/auth/second-factor.server";
import { replaceStaffSession } from "~/auth/session.server";

export async function completeSignIn(
  pending: PendingSignIn,
  kind: SecondFactorKind,
  code: string,
): Promise<SecondFactorResult<{ token: string; expiresAt: Date }>> {
  return verifySecondFactor({
    staff: pending.staff,
    kind,
    code,
    purpose: "sign-in",
    origin: pending.origin,
    onSuccess: (tx) => replaceStaffSession(tx, pending.token, pending.staff.id, "FULL", pending.origin),
  });
}
