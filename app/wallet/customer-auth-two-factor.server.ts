// The second step of a customer sign-in. The password step leaves a challenge (only its token's hash stored, 10
// minutes, 5 wrong codes at most, each also a failed sign-in of the account); no session exists until it is completed:
//   VERIFY_TWO_FACTOR: a code from the customer's enrolled authenticator (a code's time step is accepted once);
//   ENROLL_TWO_FACTOR: the customer must enrol an authenticator (a forced reset required it): the challenge carries a
//   new secret, and the first valid code both enrols it and signs in.
// A forced reset ends open challenges, so a half-finished sign-in from before it cannot be completed afterwards.
// The account's failure window refills every 15 minutes, so wrong codes are also counted in a row on the authenticator,
// with no window: at CONSECUTIVE_CODE_FAILURE_LIMIT the password is marked must-change, as a forced reset marks it, and
// only a reset link to the verified contact opens the account again (docs/decisions/089-security-audit-round-six.md).
// It runs on the customers' own pool, its audit row's seal too (customerAuthDb, ADR 109).
import type { Actor } from "~/audit/actor";
import { intakeAuditEventsInTx } from "~/audit/audit-log.server";
import { sealCommittedAuditRows } from "~/audit/perform-action.server";
import { decryptSecret, encryptSecret } from "~/auth/totp-key.server";
import { formatManualKey, generateTotpSecret, matchTotpStep, totpKeyUri } from "~/auth/totp.server";
import type { DbTx } from "~/db.server";
import { customerAuthDb } from "~/db.server";
import { refusedWhenBusy } from "~/wallet/customer-pool-busy.server";
import type { CustomerChallengeKind } from "~/generated/prisma/enums";
import { now } from "~/lib/clock.server";
import { CustomerAuthRefusal, type CustomerAuthRefusalCode } from "~/wallet/customer-auth-errors";
import {
  assertNewDeviceAllowed,
  establishSession,
  knownDevice,
  MAX_FAILURES_IN_WINDOW,
  recentFailures,
  recordLogin,
  type DeviceClaim,
  type SignInOrigin,
} from "~/wallet/customer-auth-device.server";
import {
  generateCustomerToken,
  hashCustomerToken,
  looksLikeCustomerToken,
} from "~/wallet/customer-auth-session.server";
import { accountKey, claimTry } from "~/wallet/customer-sign-in-limits.server";
import { WALLET_TRANSACTION_OPTIONS } from "~/wallet/transaction-runner.server";

const TEN_MINUTES = 10 * 60 * 1000;
export const CHALLENGE_LIFETIME_MS = TEN_MINUTES;
export const MAX_CODE_FAILURES = 5;

export function customerSecretBinding(customerId: string): string {
  return `customer:${customerId}`;
}

function enrolmentBinding(challengeId: string): string {
  return `customer-enroll:${challengeId}`;
}

export async function startChallenge(
  tx: DbTx,
  input: { customerId: string; kind: CustomerChallengeKind; device: DeviceClaim; origin: SignInOrigin; at: Date },
) {
  const token = generateCustomerToken();
  const id = hashCustomerToken(token);
  const expiresAt = new Date(input.at.getTime() + CHALLENGE_LIFETIME_MS);
  const secret = input.kind === "ENROLL_TWO_FACTOR" ? generateTotpSecret() : null;
  await tx.customerSignInChallenge.create({
    data: {
      id,
      customerId: input.customerId,
      kind: input.kind,
      deviceFingerprint: input.device.fingerprint,
      platform: input.device.platform,
      ip: input.origin.ip,
      pendingSecretEncrypted: secret ? encryptSecret(secret, enrolmentBinding(id)) : null,
      createdAt: input.at,
      expiresAt,
    },
  });
  if (!secret) {
    return { status: "TWO_FACTOR_REQUIRED" as const, customerId: input.customerId, challengeToken: token, expiresAt };
  }
  const customer = await tx.customer.findUniqueOrThrow({
    where: { id: input.customerId },
    select: { displayId: true },
  });
  return {
    status: "TWO_FACTOR_ENROLLMENT_REQUIRED" as const,
    customerId: input.customerId,
    challengeToken: token,
    expiresAt,
    totpKeyUri: totpKeyUri(customer.displayId, secret),
    manualKey: formatManualKey(secret),
  };
}

export interface CompleteChallengeInput {
  challengeToken: string;
  code: string;
  ip?: string | null;
  country?: string | null;
}

/** Wrong sign-in codes in a row (NIST SP 800-63B 5.2.2 allows at most 100) before the password must be reset. */
export const CONSECUTIVE_CODE_FAILURE_LIMIT = 100;

const ANONYMOUS: Actor = { kind: "anonymous" };

type Outcome =
  | { refusal: CustomerAuthRefusalCode; codesLocked?: boolean }
  | { signedIn: { customerId: string; sessionToken: string; expiresAt: Date; deviceId: string } };

function signInOriginOf(input: CompleteChallengeInput, challengeIp: string | null): SignInOrigin {
  return {
    ip: typeof input.ip === "string" ? input.ip.slice(0, 64) : challengeIp,
    country: typeof input.country === "string" && /^[A-Z]{2}$/.test(input.country) ? input.country : "ZZ",
  };
}

export function completeSignInChallenge(input: CompleteChallengeInput) {
  return refusedWhenBusy(() => completeOnTheCustomersPool(input));
}

async function completeOnTheCustomersPool(input: CompleteChallengeInput) {
  if (!looksLikeCustomerToken(input.challengeToken)) throw new CustomerAuthRefusal("CHALLENGE_INVALID");
  const id = hashCustomerToken(input.challengeToken);
  const code = typeof input.code === "string" ? input.code.trim() : "";

  const outcome = await customerAuthDb.prisma.$transaction(async (tx): Promise<Outcome> => {
    const at = now();
    const challenge = await tx.customerSignInChallenge.findUnique({ where: { id } });
    if (!challenge || challenge.usedAt || challenge.expiresAt <= at || challenge.failedAttempts >= MAX_CODE_FAILURES) {
      return { refusal: "CHALLENGE_INVALID" };
    }
    // FOR UPDATE, not FOR SHARE: this customer's code checks run one at a time, so neither the challenge's tries nor
    // the account's failures below can be overrun by guesses sent at once. A forced reset (FOR UPDATE on this row)
    // still either committed before us or waits for us.
    await tx.$queryRaw`SELECT id FROM customer WHERE id = ${challenge.customerId}::uuid FOR UPDATE`;
    const customer = await tx.customer.findUniqueOrThrow({
      where: { id: challenge.customerId },
      select: { status: true, mustChangePassword: true, totpCredential: true },
    });
    if (customer.mustChangePassword) return { refusal: "PASSWORD_RESET_REQUIRED" };
    if (customer.status === "CLOSED") return { refusal: "ACCOUNT_CLOSED" };
    // A password that is right opens as many challenges as asked, each with its own five tries: wrong codes count
    // against the account as wrong passwords do, so the codes cannot be guessed one challenge after another.
    if ((await recentFailures(tx, challenge.customerId, at)) >= MAX_FAILURES_IN_WINDOW) {
      return { refusal: "TOO_MANY_ATTEMPTS" };
    }
    const tried = await tx.customerSignInChallenge.updateMany({
      where: { id, usedAt: null, failedAttempts: { lt: MAX_CODE_FAILURES } },
      data: { failedAttempts: { increment: 1 } },
    });
    if (tried.count !== 1) return { refusal: "CHALLENGE_INVALID" };

    const secret =
      challenge.kind === "ENROLL_TWO_FACTOR"
        ? challenge.pendingSecretEncrypted && decryptSecret(challenge.pendingSecretEncrypted, enrolmentBinding(id))
        : customer.totpCredential &&
          decryptSecret(customer.totpCredential.secretEncrypted, customerSecretBinding(challenge.customerId));
    if (!secret) return { refusal: "CHALLENGE_INVALID" };
    const step = matchTotpStep(secret, code, at);
    const lastUsed = customer.totpCredential?.lastUsedStep ?? null;
    const replayed = challenge.kind === "VERIFY_TWO_FACTOR" && step !== null && lastUsed !== null && step <= lastUsed;
    const known = await knownDevice(tx, challenge.customerId, challenge.deviceFingerprint);
    if (step === null || replayed) {
      // The try claimed above stays counted; the failure is the account's too, in the count the password step checks.
      await claimTry(tx, "account", accountKey({ customerId: challenge.customerId }), at);
      await recordLogin(tx, {
        customerId: challenge.customerId,
        deviceId: known?.id ?? null,
        origin: signInOriginOf(input, challenge.ip),
        success: false,
        newDevice: !known,
        at,
      });
      const ip = signInOriginOf(input, challenge.ip).ip;
      if (challenge.kind === "VERIFY_TWO_FACTOR" && (await countWrongSignInCode(tx, challenge.customerId, ip, at))) {
        return { refusal: "INVALID_CODE", codesLocked: true };
      }
      return { refusal: "INVALID_CODE" };
    }

    // Thrown, not returned: a switch read that timed out has aborted this transaction.
    if (!known) await assertNewDeviceAllowed(tx);
    // Single use, even against a concurrent completion of the same challenge.
    const claimed = await tx.customerSignInChallenge.updateMany({ where: { id, usedAt: null }, data: { usedAt: at } });
    if (claimed.count !== 1) return { refusal: "CHALLENGE_INVALID" };

    if (challenge.kind === "ENROLL_TWO_FACTOR") {
      await tx.customerTotpCredential.upsert({
        where: { customerId: challenge.customerId },
        create: {
          customerId: challenge.customerId,
          secretEncrypted: encryptSecret(secret, customerSecretBinding(challenge.customerId)),
          enrolledAt: at,
          lastUsedStep: step,
        },
        update: {
          secretEncrypted: encryptSecret(secret, customerSecretBinding(challenge.customerId)),
          enrolledAt: at,
          lastUsedStep: step,
          stepUpFailures: 0,
          stepUpLockedAt: null,
        },
      });
      await tx.customer.update({
        where: { id: challenge.customerId },
        data: { twoFactorEnrolled: true, mustEnrollTwoFactor: false },
      });
    } else {
      const advanced = await tx.customerTotpCredential.updateMany({
        where: { customerId: challenge.customerId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
        // A completed sign-in (password and code) lifts a step-up lock (app/risk/live.server.ts).
        data: { lastUsedStep: step, stepUpFailures: 0, stepUpLockedAt: null, signInCodeFailures: 0 },
      });
      if (advanced.count !== 1) return { refusal: "INVALID_CODE" };
    }

    const session = await establishSession(tx, {
      customerId: challenge.customerId,
      device: { fingerprint: challenge.deviceFingerprint, platform: challenge.platform },
      origin: signInOriginOf(input, challenge.ip),
      newDevice: !known,
      at,
    });
    return {
      signedIn: {
        customerId: challenge.customerId,
        sessionToken: session.token,
        expiresAt: session.expiresAt,
        deviceId: session.deviceId,
      },
    };
  }, WALLET_TRANSACTION_OPTIONS);

  // The lock's audit row committed with it (in the intake); chain it now rather than at the next seal. A seal that
  // fails leaves the row committed in the intake for the next one: the customer's answer does not wait on it.
  if ("refusal" in outcome && outcome.codesLocked) {
    await sealCommittedAuditRows(customerAuthDb).catch((error: unknown) =>
      console.warn(
        `[audit] codes-locked row not sealed yet: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
  if ("refusal" in outcome) throw new CustomerAuthRefusal(outcome.refusal);
  return { status: "SIGNED_IN" as const, ...outcome.signedIn };
}

/**
 * One more wrong sign-in code in a row (the customer row is locked by the caller). At the limit the count starts again
 * and the password is marked must-change: every sign-in then answers PASSWORD_RESET_REQUIRED and open challenges end,
 * so only a reset link mailed to the verified contact lets anyone in. The console's record of the lock is written in
 * the same transaction: a lock without its row would leave support unable to say why the customer must reset, and a
 * row without its lock would claim one (docs/decisions/103-reliability-round-seven.md). Returns whether this code
 * reached the limit.
 */
async function countWrongSignInCode(tx: DbTx, customerId: string, ip: string | null, at: Date): Promise<boolean> {
  const { signInCodeFailures } = await tx.customerTotpCredential.update({
    where: { customerId },
    data: { signInCodeFailures: { increment: 1 } },
    select: { signInCodeFailures: true },
  });
  if (signInCodeFailures < CONSECUTIVE_CODE_FAILURE_LIMIT) return false;
  await tx.customerTotpCredential.update({ where: { customerId }, data: { signInCodeFailures: 0 } });
  await tx.customer.update({ where: { id: customerId }, data: { mustChangePassword: true } });
  await tx.customerSignInChallenge.updateMany({ where: { customerId, usedAt: null }, data: { usedAt: at } });
  // Support sees why the customer is asked to reset their password.
  await intakeAuditEventsInTx(tx, [
    {
      actor: ANONYMOUS,
      origin: { ip, userAgent: null, requestId: null },
      action: "customer.sign-in.codes-locked",
      outcome: "SUCCESS",
      targetType: "customer",
      targetId: customerId,
      reason: `${CONSECUTIVE_CODE_FAILURE_LIMIT} wrong authenticator codes in a row at sign-in: the password must be reset.`,
      after: { consecutiveWrongCodes: CONSECUTIVE_CODE_FAILURE_LIMIT, mustChangePassword: true },
    },
  ]);
  return true;
}
