// A customer's six-digit authenticator code cannot be guessed by trying many: a step-up (a risky top-up, payment or
// contact change) locks after a few wrong codes until the customer signs in again, and wrong codes at the sign-in's
// second step count against the account, so a right password does not open challenge after challenge. Guesses sent at
// once are held to the same limits (on PostgreSQL they really run concurrently).
import { afterEach, describe, expect, it } from "vitest";
import { loadAccountView } from "~/accounts/account-view.server";
import { encryptSecret } from "~/auth/totp-key.server";
import { generateTotpSecret, totpCodeForStep, totpStepAt, TOTP_WINDOW_STEPS } from "~/auth/totp.server";
import { prisma } from "~/db.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { MAX_STEP_UP_FAILURES } from "~/risk/live.server";
import { MAX_FAILURES_IN_WINDOW, signInCustomer } from "~/wallet/customer-auth.server";
import {
  completeSignInChallenge,
  customerSecretBinding,
  MAX_CODE_FAILURES,
} from "~/wallet/customer-auth-two-factor.server";
import { topUp } from "~/wallet/top-up.server";
import { codeOf } from "../support/domain-code";
import { staffContext } from "../support/staff";
import { balanceOf, riskRuleHarness } from "../support/risk-rules";
import { createRecoveryCustomer, deviceClaim, ORIGINAL_PASSWORD, type RecoveryCustomer } from "./recovery-fixtures";

process.env.FIREBREAK_TEST_CLOCK = "1";
afterEach(() => resetClock());

const { goLive } = riskRuleHarness("req-wallet-code-attempts");
// No other test tops up this amount, so the rule touches only this file's top-ups.
const STEP_UP_AMOUNT = 64441;

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

/** A six-digit code no step of the accepted window gives. */
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

async function cardOf(customerId: string): Promise<string> {
  return (await prisma.fundingSource.findFirstOrThrow({ where: { customerId }, select: { id: true } })).id;
}

function stepUpTopUp(customerId: string, fundingSourceId: string, code?: string) {
  return codeOf(topUp({ customerId, fundingSourceId, amount: STEP_UP_AMOUNT, secondFactorCode: code ?? null }));
}

function openChallenge(customer: RecoveryCustomer, device = customer.device) {
  return signInCustomer({ identifier: customer.displayId, password: ORIGINAL_PASSWORD, device, ip: "203.0.113.50" });
}

async function challengeToken(customer: RecoveryCustomer): Promise<string> {
  const result = await openChallenge(customer);
  if (result.status !== "TWO_FACTOR_REQUIRED") throw new Error(`expected a challenge, got ${result.status}`);
  return result.challengeToken;
}

describe("step-up codes", () => {
  it("lock after the limit of wrong codes, refuse even the right code, and open again after a full sign-in", async () => {
    await goLive(`amount == ${STEP_UP_AMOUNT}`, "STEP_UP");
    const customer = await createRecoveryCustomer();
    const secret = await withAuthenticator(customer);
    const card = await cardOf(customer.id);
    const before = await balanceOf(customer.id);

    expect(await stepUpTopUp(customer.id, card)).toBe("TOPUP_SECOND_FACTOR_REQUIRED");
    const answers: string[] = [];
    for (let i = 0; i < MAX_STEP_UP_FAILURES; i++)
      answers.push(await stepUpTopUp(customer.id, card, wrongCode(secret)));
    expect(answers).toEqual([
      ...Array<string>(MAX_STEP_UP_FAILURES - 1).fill("TOPUP_SECOND_FACTOR_INVALID"),
      "TOPUP_SECOND_FACTOR_LOCKED",
    ]);
    // The right code no longer helps, and asking without one says why.
    expect(await stepUpTopUp(customer.id, card, rightCode(secret))).toBe("TOPUP_SECOND_FACTOR_LOCKED");
    expect(await stepUpTopUp(customer.id, card)).toBe("TOPUP_SECOND_FACTOR_LOCKED");
    expect(await balanceOf(customer.id)).toBe(before);
    const locked = await prisma.customerTotpCredential.findUniqueOrThrow({ where: { customerId: customer.id } });
    expect(locked.stepUpFailures).toBe(MAX_STEP_UP_FAILURES);
    expect(locked.stepUpLockedAt).not.toBeNull();
    // The agent on the owner's call sees it: a stranger guessing codes is a takeover signal.
    const seen = await loadAccountView(staffContext("AGENT"), customer.id);
    expect(seen.customer.stepUpLockedAt).toBe(locked.stepUpLockedAt!.toISOString());
    // Every refusal is recorded as the rule's step-up decision.
    expect(await prisma.riskDecision.count({ where: { customerId: customer.id, outcome: "STEP_UP" } })).toBe(
      MAX_STEP_UP_FAILURES + 3,
    );

    // The owner signs in again with password and code: the lock is lifted.
    const token = await challengeToken(customer);
    expect((await completeSignInChallenge({ challengeToken: token, code: rightCode(secret) })).status).toBe(
      "SIGNED_IN",
    );
    expect(await prisma.customerTotpCredential.findUniqueOrThrow({ where: { customerId: customer.id } })).toMatchObject(
      { stepUpFailures: 0, stepUpLockedAt: null },
    );
    expect((await loadAccountView(staffContext("AGENT"), customer.id)).customer.stepUpLockedAt).toBeNull();
    advanceClock(30_000);
    expect(await stepUpTopUp(customer.id, card, rightCode(secret))).toBe("ACCEPTED");
    expect(await balanceOf(customer.id)).toBe(before + STEP_UP_AMOUNT);
  });

  it("a right code before the limit clears the count of wrong ones", async () => {
    await goLive(`amount == ${STEP_UP_AMOUNT}`, "STEP_UP");
    const customer = await createRecoveryCustomer();
    const secret = await withAuthenticator(customer);
    const card = await cardOf(customer.id);
    for (let i = 0; i < MAX_STEP_UP_FAILURES - 1; i++) await stepUpTopUp(customer.id, card, wrongCode(secret));
    expect(await stepUpTopUp(customer.id, card, rightCode(secret))).toBe("ACCEPTED");
    expect(
      (await prisma.customerTotpCredential.findUniqueOrThrow({ where: { customerId: customer.id } })).stepUpFailures,
    ).toBe(0);
  });

  it("guesses sent at once cannot exceed the limit", async () => {
    await goLive(`amount == ${STEP_UP_AMOUNT}`, "STEP_UP");
    const customer = await createRecoveryCustomer();
    const secret = await withAuthenticator(customer);
    const card = await cardOf(customer.id);
    const guesses = 3 * MAX_STEP_UP_FAILURES;
    const answers = await Promise.all(
      Array.from({ length: guesses }, () => stepUpTopUp(customer.id, card, wrongCode(secret))),
    );
    expect(answers.filter((a) => a === "TOPUP_SECOND_FACTOR_INVALID")).toHaveLength(MAX_STEP_UP_FAILURES - 1);
    expect(answers.filter((a) => a === "TOPUP_SECOND_FACTOR_LOCKED")).toHaveLength(guesses - MAX_STEP_UP_FAILURES + 1);
    expect(
      (await prisma.customerTotpCredential.findUniqueOrThrow({ where: { customerId: customer.id } })).stepUpFailures,
    ).toBe(MAX_STEP_UP_FAILURES);
    expect(await stepUpTopUp(customer.id, card, rightCode(secret))).toBe("TOPUP_SECOND_FACTOR_LOCKED");
  });
});

describe("sign-in codes", () => {
  it("count against the account: challenges opened with the right password do not give fresh tries", async () => {
    const customer = await createRecoveryCustomer();
    const secret = await withAuthenticator(customer);
    const sessionsBefore = await prisma.customerSession.count({ where: { customerId: customer.id } });
    const tokens = [await challengeToken(customer), await challengeToken(customer), await challengeToken(customer)];
    const perChallenge = MAX_FAILURES_IN_WINDOW / 2;
    expect(perChallenge).toBeLessThanOrEqual(MAX_CODE_FAILURES);
    for (const token of tokens.slice(0, 2)) {
      for (let i = 0; i < perChallenge; i++) {
        expect(await codeOf(completeSignInChallenge({ challengeToken: token, code: wrongCode(secret) }))).toBe(
          "INVALID_CODE",
        );
      }
    }
    expect(await prisma.loginEvent.count({ where: { customerId: customer.id, success: false } })).toBe(
      MAX_FAILURES_IN_WINDOW,
    );
    // The third challenge was opened before the failures: even its right code is refused now, and so is a new one.
    expect(await codeOf(completeSignInChallenge({ challengeToken: tokens[2]!, code: rightCode(secret) }))).toBe(
      "TOO_MANY_ATTEMPTS",
    );
    expect(await codeOf(openChallenge(customer))).toBe("TOO_MANY_ATTEMPTS");
    expect(await prisma.customerSession.count({ where: { customerId: customer.id } })).toBe(sessionsBefore);
  });

  it("guesses sent at once on one challenge, or across several, cannot exceed the limits", async () => {
    const customer = await createRecoveryCustomer();
    const secret = await withAuthenticator(customer);
    const one = await challengeToken(customer);
    const atOnce = await Promise.all(
      Array.from({ length: 3 * MAX_CODE_FAILURES }, () =>
        codeOf(completeSignInChallenge({ challengeToken: one, code: wrongCode(secret) })),
      ),
    );
    expect(atOnce.filter((a) => a === "INVALID_CODE")).toHaveLength(MAX_CODE_FAILURES);
    expect(atOnce.filter((a) => a === "CHALLENGE_INVALID")).toHaveLength(2 * MAX_CODE_FAILURES);

    const other = await createRecoveryCustomer();
    const otherSecret = await withAuthenticator(other);
    const device = deviceClaim("owner-again");
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await openChallenge(other, i === 0 ? other.device : device);
      if (result.status !== "TWO_FACTOR_REQUIRED") throw new Error(result.status);
      tokens.push(result.challengeToken);
    }
    const across = await Promise.all(
      tokens.flatMap((token) =>
        Array.from({ length: MAX_CODE_FAILURES }, () =>
          codeOf(completeSignInChallenge({ challengeToken: token, code: wrongCode(otherSecret) })),
        ),
      ),
    );
    expect(across.filter((a) => a === "INVALID_CODE")).toHaveLength(MAX_FAILURES_IN_WINDOW);
    expect(across.filter((a) => a === "TOO_MANY_ATTEMPTS")).toHaveLength(
      4 * MAX_CODE_FAILURES - MAX_FAILURES_IN_WINDOW,
    );
  });
});
