// The 7pay attacker holds a customer's password (credential stuffing) and the customer has an authenticator. The
// account's 10 failures in 15 minutes refill, so without more the attacker could guess codes a few hundred times a day
// for ever. Wrong codes are also counted in a row: at the limit the password must be reset, so only a link mailed to
// the verified contact opens the account (docs/decisions/089-security-audit-round-six.md, finding 3).
import { afterEach, describe, expect, it } from "vitest";
import { encryptSecret } from "~/auth/totp-key.server";
import { generateTotpSecret, totpCodeForStep, totpStepAt, TOTP_WINDOW_STEPS } from "~/auth/totp.server";
import { prisma } from "~/db.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { signInCustomer } from "~/wallet/customer-auth.server";
import { redeemPasswordReset, requestPasswordReset } from "~/wallet/password-reset.server";
import {
  completeSignInChallenge,
  CONSECUTIVE_CODE_FAILURE_LIMIT,
  customerSecretBinding,
  MAX_CODE_FAILURES,
} from "~/wallet/customer-auth-two-factor.server";
import { codeOf } from "../support/domain-code";
import { createRecoveryCustomer, latestResetLink, ORIGINAL_PASSWORD, type RecoveryCustomer } from "./recovery-fixtures";

process.env.FIREBREAK_TEST_CLOCK = "1";
afterEach(() => resetClock());

const SIXTEEN_MINUTES = 16 * 60 * 1000;

async function withAuthenticator(customer: RecoveryCustomer): Promise<Uint8Array> {
  const secret = generateTotpSecret();
  await prisma.customerTotpCredential.create({
    data: {
      customerId: customer.id,
      secretEncrypted: encryptSecret(secret, customerSecretBinding(customer.id)),
      enrolledAt: now(),
    },
  });
  await prisma.customer.update({ where: { id: customer.id }, data: { twoFactorEnrolled: true } });
  return secret;
}

const rightCode = (secret: Uint8Array) => totpCodeForStep(secret, totpStepAt(now()));

function wrongCode(secret: Uint8Array): string {
  const current = totpStepAt(now());
  const valid = new Set<string>();
  for (let offset = -TOTP_WINDOW_STEPS; offset <= TOTP_WINDOW_STEPS; offset++) {
    valid.add(totpCodeForStep(secret, current + BigInt(offset)));
  }
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, "0");
    if (!valid.has(code)) return code;
  }
}

/** The password step, as the attacker (or the customer) sends it: a challenge token, or the refusal's code. */
async function openChallenge(customer: RecoveryCustomer): Promise<{ token: string } | { refused: string }> {
  try {
    const result = await signInCustomer({
      identifier: customer.displayId,
      password: ORIGINAL_PASSWORD,
      device: customer.device,
      ip: "198.51.100.89",
    });
    if (result.status !== "TWO_FACTOR_REQUIRED") return { refused: result.status };
    return { token: result.challengeToken };
  } catch (error) {
    return { refused: (error as { code?: string }).code ?? String(error) };
  }
}

/** As many wrong codes as the account's window allows (two challenges of five), then wait the window out. */
async function guessingRound(customer: RecoveryCustomer, secret: Uint8Array): Promise<string[]> {
  const answers: string[] = [];
  for (let c = 0; c < 2; c++) {
    const challenge = await openChallenge(customer);
    if ("refused" in challenge) {
      answers.push(challenge.refused);
      continue;
    }
    for (let i = 0; i < MAX_CODE_FAILURES; i++) {
      answers.push(await codeOf(completeSignInChallenge({ challengeToken: challenge.token, code: wrongCode(secret) })));
    }
  }
  advanceClock(SIXTEEN_MINUTES);
  return answers;
}

describe("guessing a customer's sign-in code with the password", () => {
  it("stops for good at the limit of wrong codes in a row: the password must be reset", async () => {
    const customer = await createRecoveryCustomer();
    const secret = await withAuthenticator(customer);
    const answers: string[] = [];
    const rounds = CONSECUTIVE_CODE_FAILURE_LIMIT / (2 * MAX_CODE_FAILURES) + 1;
    for (let round = 0; round < rounds; round++) answers.push(...(await guessingRound(customer, secret)));

    // Without the limit every one of them was checked: ten every fifteen minutes, for ever.
    expect(answers.filter((a) => a === "INVALID_CODE")).toHaveLength(CONSECUTIVE_CODE_FAILURE_LIMIT);
    expect(answers.slice(CONSECUTIVE_CODE_FAILURE_LIMIT)).toEqual([
      "PASSWORD_RESET_REQUIRED",
      "PASSWORD_RESET_REQUIRED",
    ]);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).mustChangePassword).toBe(true);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "customer.sign-in.codes-locked", targetId: customer.id },
    });
    expect(audit.after).toMatchObject({ consecutiveWrongCodes: CONSECUTIVE_CODE_FAILURE_LIMIT });
    // Even the password with the right code does not open it now.
    expect(await openChallenge(customer)).toEqual({ refused: "PASSWORD_RESET_REQUIRED" });

    // The customer asks for a reset link: it goes to the verified email, and a new password and the code open it.
    const origin = { ip: "198.51.100.90", userAgent: null, requestId: null };
    await requestPasswordReset({ identifier: customer.displayId, origin });
    const link = await latestResetLink(customer.id);
    const newPassword = "a fresh passphrase after the guessing";
    await redeemPasswordReset({ token: link.token, account: customer.displayId, newPassword, origin });
    const reopened = await signInCustomer({
      identifier: customer.displayId,
      password: newPassword,
      device: customer.device,
      ip: origin.ip,
    });
    if (reopened.status !== "TWO_FACTOR_REQUIRED") throw new Error(`expected a challenge, got ${reopened.status}`);
    advanceClock(30_000);
    const signedIn = await completeSignInChallenge({
      challengeToken: reopened.challengeToken,
      code: rightCode(secret),
    });
    expect(signedIn.status).toBe("SIGNED_IN");
  }, 240_000);

  it("starts counting afresh after the customer signs in with a right code", async () => {
    const customer = await createRecoveryCustomer();
    const secret = await withAuthenticator(customer);
    await guessingRound(customer, secret);
    const challenge = await openChallenge(customer);
    if (!("token" in challenge)) throw new Error(`expected a challenge, got ${challenge.refused}`);
    const signedIn = await completeSignInChallenge({ challengeToken: challenge.token, code: rightCode(secret) });
    expect(signedIn.status).toBe("SIGNED_IN");
    const credential = await prisma.customerTotpCredential.findUniqueOrThrow({ where: { customerId: customer.id } });
    expect(credential.signInCodeFailures).toBe(0);
  });

  it("locks the account and records the lock in one transaction: a record that cannot be written leaves neither", async () => {
    const customer = await createRecoveryCustomer();
    const secret = await withAuthenticator(customer);
    // One wrong code short of the limit, as if the guessing had gone on for days.
    await prisma.customerTotpCredential.update({
      where: { customerId: customer.id },
      data: { signInCodeFailures: CONSECUTIVE_CODE_FAILURE_LIMIT - 1 },
    });
    // The record of the lock cannot be written (the process killed between the two, a connection lost): refused here
    // by a trigger on the audit intake, for this action only.
    await prisma.$executeRawUnsafe(`CREATE FUNCTION test_refuse_codes_locked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action = 'customer.sign-in.codes-locked' THEN RAISE EXCEPTION 'audit intake unavailable'; END IF;
        RETURN NEW;
      END $$`);
    await prisma.$executeRawUnsafe(
      "CREATE TRIGGER test_refuse_codes_locked BEFORE INSERT ON audit_intake FOR EACH ROW EXECUTE FUNCTION test_refuse_codes_locked()",
    );
    const lockedAndRecorded = async () => ({
      locked: (await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).mustChangePassword,
      recorded:
        (await prisma.auditEvent.count({
          where: { action: "customer.sign-in.codes-locked", targetId: customer.id, outcome: "SUCCESS" },
        })) +
          (await prisma.auditIntake.count({
            where: { action: "customer.sign-in.codes-locked", targetId: customer.id, outcome: "SUCCESS" },
          })) >
        0,
    });
    try {
      const challenge = await openChallenge(customer);
      if (!("token" in challenge)) throw new Error(`expected a challenge, got ${challenge.refused}`);
      await expect(
        completeSignInChallenge({ challengeToken: challenge.token, code: wrongCode(secret) }),
      ).rejects.toThrow();
      // Before: the lock had committed on its own, and the account was locked with nothing saying why.
      expect(await lockedAndRecorded()).toEqual({ locked: false, recorded: false });
    } finally {
      await prisma.$executeRawUnsafe("DROP TRIGGER IF EXISTS test_refuse_codes_locked ON audit_intake");
      await prisma.$executeRawUnsafe("DROP FUNCTION IF EXISTS test_refuse_codes_locked()");
    }

    // With the record writable again, the next wrong code locks the account and says so, together.
    const challenge = await openChallenge(customer);
    if (!("token" in challenge)) throw new Error(`expected a challenge, got ${challenge.refused}`);
    expect(await codeOf(completeSignInChallenge({ challengeToken: challenge.token, code: wrongCode(secret) }))).toBe(
      "INVALID_CODE",
    );
    expect(await lockedAndRecorded()).toEqual({ locked: true, recorded: true });
    expect(await openChallenge(customer)).toEqual({ refused: "PASSWORD_RESET_REQUIRED" });
  });
});
