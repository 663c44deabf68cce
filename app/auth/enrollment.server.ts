// Mandatory TOTP enrollment, on the first sign-in (or the first after an admin reset). The page shows a secret as a QR
// code and a manual key; the loader stores nothing (no loader writes). The secret is derived from the password-only
// session with a keyed PRF (HMAC-SHA-256 under a sub-key of FIREBREAK_TOTP_KEY), so a reload or a mistyped code shows
// the same QR code, a new sign-in gets a new secret, and nobody without the server key can compute it. It is saved —
// encrypted, bound to the staff member — only once a code from the authenticator proves it was set up; the same
// transaction issues ten recovery codes, replaces the session with a full one and writes the audit rows.
import { createHmac } from "node:crypto";
import type { Origin } from "~/audit/actor";
import { performAction } from "~/audit/perform-action.server";
import { staffActor } from "~/auth/auth-audit.server";
import type { Role } from "~/auth/permissions";
import { issueRecoveryCodes } from "~/auth/recovery-codes.server";
import { replaceStaffSession } from "~/auth/session.server";
import { encryptSecret, staffSecretBinding, totpEncryptionKey } from "~/auth/totp-key.server";
import { formatManualKey, matchTotpStep, totpKeyUri, totpQrCodeDataUrl } from "~/auth/totp.server";
import { DomainError } from "~/lib/domain-error";
import { now } from "~/lib/clock.server";

const SECRET_BYTES = 20;

function enrollmentSecret(sessionId: string, staffId: string): Uint8Array {
  // Key separation: the AES key itself is never used as an HMAC key.
  const subKey = createHmac("sha256", totpEncryptionKey()).update("firebreak/totp-enrollment/v1").digest();
  const mac = createHmac("sha256", subKey).update(`${staffId}:${sessionId}`).digest();
  return new Uint8Array(mac.subarray(0, SECRET_BYTES));
}

export interface EnrollmentOffer {
  qrCodeDataUrl: string;
  manualKey: string;
}

export async function offerEnrollment(
  sessionId: string,
  staff: { id: string; email: string },
): Promise<EnrollmentOffer> {
  const secret = enrollmentSecret(sessionId, staff.id);
  return {
    qrCodeDataUrl: await totpQrCodeDataUrl(totpKeyUri(staff.email, secret)),
    manualKey: formatManualKey(secret),
  };
}

interface EnrollmentInput {
  staff: { id: string; role: Role; email: string };
  sessionId: string;
  token: string;
  code: string;
  origin: Origin;
}

export interface EnrollmentResult {
  session: { token: string; expiresAt: Date };
  recoveryCodes: string[];
}

export async function completeEnrollment(input: EnrollmentInput): Promise<EnrollmentResult> {
  const { staff, origin } = input;
  const secret = enrollmentSecret(input.sessionId, staff.id);
  const step = matchTotpStep(secret, input.code, now());
  if (step === null) {
    throw new DomainError(
      "ENROLLMENT_CODE_WRONG",
      "That code does not match. Check that your phone's clock is right and enter the code your app shows now.",
    );
  }
  return performAction(
    { actor: staffActor(staff), origin },
    { action: "staff.totp.enroll", permission: null, targetType: "staff", targetId: staff.id },
    async (tx) => {
      const { count } = await tx.staffUser.updateMany({
        where: { id: staff.id, totpEnrolledAt: null, disabledAt: null },
        data: {
          totpSecretEncrypted: encryptSecret(secret, staffSecretBinding(staff.id)),
          totpEnrolledAt: now(),
          // The code just typed is spent: it cannot be replayed to sign in.
          totpLastUsedStep: step,
        },
      });
      if (count === 0) {
        throw new DomainError("ALREADY_ENROLLED", "An authenticator is already set up for this account.", 409);
      }
      const recoveryCodes = await issueRecoveryCodes(tx, staff.id);
      const session = await replaceStaffSession(tx, input.token, staff.id, "FULL", origin);
      return {
        result: { session, recoveryCodes },
        after: { totpEnrolled: true, recoveryCodesIssued: recoveryCodes.length },
        extraEvents: [
          {
            action: "staff.sign-in",
            outcome: "SUCCESS",
            targetType: "staff",
            targetId: staff.id,
            after: { method: "totp-enrollment" },
          },
        ],
      };
    },
  );
}
