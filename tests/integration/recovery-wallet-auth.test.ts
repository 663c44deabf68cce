// The wallet back end honours a forced reset: a revoked session's next request fails; the old password is
// refused while must-change is set; the link works once, then fails; an expired, forged or another account's link
// fails with a clear message and changes nothing (audited); a customer required to enrol 2FA gets no session without
// it; the signin.new_device and reset.self_service kill switches are read inside the transaction and fail closed.
// Tokens and links never reach an audit row or the console.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { IP_FAILURE_LIMIT, IP_WINDOW_MS, ipThrottleState } from "~/auth/ip-throttle.server";
import { totpCodeForStep, totpStepAt } from "~/auth/totp.server";
import { prisma } from "~/db.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { forceReset } from "~/recovery/force-reset.server";
import { RESET_TOKEN_LIFETIME_MS } from "~/recovery/reset-token.server";
import { signInCustomer, type CustomerSignInResult } from "~/wallet/customer-auth.server";
import { requireCustomerSession, validateCustomerSession } from "~/wallet/customer-auth-session.server";
import { completeSignInChallenge } from "~/wallet/customer-auth-two-factor.server";
import { inspectResetLink, redeemPasswordReset, requestPasswordReset } from "~/wallet/password-reset.server";
import { holdKillSwitchTestLock } from "../support/kill-switch-lock";
import { staffContext } from "../support/staff";
import {
  allAuditText,
  createRecoveryCustomer,
  CUSTOMER_ORIGIN,
  deviceClaim,
  hijackEmail,
  latestResetLink,
  NEW_PASSWORD,
  ORIGINAL_PASSWORD,
  type RecoveryCustomer,
} from "./recovery-fixtures";

process.env.FIREBREAK_TEST_CLOCK = "1";
const postgres = process.env.FIREBREAK_TEST_DB === "postgresql";
// A member of its own for each reset: one member resetting more than ten customers in an hour needs a fresh code
// (ADR 104), which is not what these tests are about.
const anAgent = () => staffContext("AGENT");
const reason = "account takeover reported by the customer";

let releaseSwitchLock: () => Promise<void>;
beforeAll(async () => {
  releaseSwitchLock = await holdKillSwitchTestLock();
});
afterAll(async () => {
  await setSwitch("signin.new_device", false);
  await setSwitch("reset.self_service", false);
  await releaseSwitchLock();
});
afterEach(() => resetClock());

async function setSwitch(key: string, engaged: boolean) {
  await prisma.$executeRaw`UPDATE kill_switch SET engaged = ${engaged}, version = version + 1 WHERE key = ${key}`;
}

/** Runs fn while the switch's state cannot be read: its row locked elsewhere (PostgreSQL) or missing (PGlite). */
async function withSwitchUnreadable<T>(key: string, fn: () => Promise<T>): Promise<T> {
  if (postgres) {
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT key FROM kill_switch WHERE key = $1 FOR UPDATE", [key]);
      return await fn();
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
  }
  const [row] = await prisma.$queryRaw<object[]>`SELECT * FROM kill_switch WHERE key = ${key}`;
  await prisma.$executeRaw`DELETE FROM kill_switch WHERE key = ${key}`;
  try {
    return await fn();
  } finally {
    const r = row as { key: string; label: string; description: string; engaged: boolean; version: number };
    await prisma.$executeRaw`
      INSERT INTO kill_switch (key, label, description, engaged, version)
      VALUES (${r.key}, ${r.label}, ${r.description}, ${r.engaged}, ${r.version})`;
  }
}

function signIn(customer: RecoveryCustomer, password: string, device = customer.device) {
  return signInCustomer({ identifier: customer.displayId, password, device, ip: "203.0.113.50", country: "JP" });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

async function forcedResetLink(customer: RecoveryCustomer, requireTwoFactor = false) {
  await forceReset(anAgent(), { customerId: customer.id, requireTwoFactor, reason });
  return latestResetLink(customer.id);
}

function redeem(customer: RecoveryCustomer, token: string, password = NEW_PASSWORD, account = customer.displayId) {
  return redeemPasswordReset({ token, account, newPassword: password, origin: CUSTOMER_ORIGIN });
}

async function passwordHashOf(customerId: string) {
  return (await prisma.customer.findUniqueOrThrow({ where: { id: customerId }, select: { passwordHash: true } }))
    .passwordHash;
}

function secretFrom(result: CustomerSignInResult): Uint8Array {
  if (result.status !== "TWO_FACTOR_ENROLLMENT_REQUIRED") throw new Error(`expected enrolment, got ${result.status}`);
  return decodeBase32IgnorePadding(new URL(result.totpKeyUri).searchParams.get("secret")!);
}

describe("customer sign-in and sessions", () => {
  it("signs in with the password on a trusted device, and the session works until revoked", async () => {
    const customer = await createRecoveryCustomer();
    const result = await signIn(customer, ORIGINAL_PASSWORD);
    expect(result.status).toBe("SIGNED_IN");
    const token = (result as { sessionToken: string }).sessionToken;
    expect(await requireCustomerSession(token)).toMatchObject({ customerId: customer.id });
    expect(await codeOf(signIn(customer, "not the password at all"))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(signInCustomer({ identifier: "W-NOBODY", password: "x", device: customer.device }))).toBe(
      "INVALID_CREDENTIALS",
    );
  });

  it("after a forced reset: the next request of every session fails, and the old password is refused", async () => {
    const customer = await createRecoveryCustomer();
    const fresh = (await signIn(customer, ORIGINAL_PASSWORD)) as { sessionToken: string };
    await forceReset(anAgent(), { customerId: customer.id, requireTwoFactor: false, reason });

    for (const token of [customer.sessionToken, fresh.sessionToken]) {
      expect(await validateCustomerSession(token)).toEqual({ ok: false, reason: "REVOKED" });
      await expect(requireCustomerSession(token)).rejects.toMatchObject({ code: "SESSION_REVOKED", status: 403 });
    }
    // The same answer whatever password is typed: the attacker cannot even learn the old one was right.
    expect(await codeOf(signIn(customer, ORIGINAL_PASSWORD))).toBe("PASSWORD_RESET_REQUIRED");
    expect(await codeOf(signIn(customer, "a wrong guess entirely"))).toBe("PASSWORD_RESET_REQUIRED");
    expect(await prisma.customerSession.count({ where: { customerId: customer.id, revokedAt: null } })).toBe(0);
    // A wrong password's row is written after its answer (ADR 079): wait for both.
    const failures = () => prisma.loginEvent.count({ where: { customerId: customer.id, success: false } });
    let recorded = await failures();
    while (recorded < 2) recorded = await failures();
    expect(recorded).toBe(2);
  });
});

describe("reset links", () => {
  it("works exactly once; the new password signs in, the old one does not", async () => {
    const customer = await createRecoveryCustomer();
    const link = await forcedResetLink(customer);
    expect(await inspectResetLink(link.token, customer.displayId)).toMatchObject({ ok: true });

    await expect(redeem(customer, link.token)).resolves.toEqual({ displayId: customer.displayId });

    const afterFirst = await passwordHashOf(customer.id);
    await expect(redeem(customer, link.token, "yet another passphrase 1234")).rejects.toMatchObject({
      code: "RESET_LINK_USED",
      message: expect.stringContaining("already been used"),
    });
    expect(await passwordHashOf(customer.id)).toBe(afterFirst);
    expect(await inspectResetLink(link.token, customer.displayId)).toMatchObject({
      ok: false,
      code: "RESET_LINK_USED",
    });

    expect(await codeOf(signIn(customer, ORIGINAL_PASSWORD))).toBe("INVALID_CREDENTIALS");
    // The owner's device was revoked by the reset: signing in with the new password trusts it again.
    const signedIn = await signIn(customer, NEW_PASSWORD);
    expect(signedIn.status).toBe("SIGNED_IN");

    const audits = await prisma.auditEvent.findMany({
      where: { action: "customer.password-reset.redeem", targetId: customer.id },
      orderBy: { seq: "asc" },
    });
    expect(audits.map((a) => a.outcome)).toEqual(["SUCCESS", "FAILED"]);
    expect(audits[1]!.after).toMatchObject({ error: expect.stringContaining("RESET_LINK_USED") });
  });

  it("a weak new password is refused without using the link up", async () => {
    const customer = await createRecoveryCustomer();
    const link = await forcedResetLink(customer);
    await expect(redeem(customer, link.token, "short")).rejects.toMatchObject({ code: "PASSWORD_POLICY", status: 400 });
    await expect(redeem(customer, link.token)).resolves.toMatchObject({ displayId: customer.displayId });
  });

  it("expires 30 minutes after it was made, with a clear message", async () => {
    const customer = await createRecoveryCustomer();
    const early = await forcedResetLink(customer);
    advanceClock(RESET_TOKEN_LIFETIME_MS - 5_000);
    expect(await inspectResetLink(early.token, customer.displayId)).toMatchObject({ ok: true });
    advanceClock(10_000);

    await expect(redeem(customer, early.token)).rejects.toMatchObject({
      code: "RESET_LINK_EXPIRED",
      message: expect.stringMatching(/expired at .* JST/),
    });
    expect(await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({
      mustChangePassword: true,
    });
  });

  it("refuses forged, mangled and other accounts' links: nothing changed, each attempt audited", async () => {
    const customer = await createRecoveryCustomer();
    const other = await createRecoveryCustomer();
    const link = await forcedResetLink(customer);
    const hashBefore = await passwordHashOf(customer.id);
    const otherHashBefore = await passwordHashOf(other.id);
    const forged = "A".repeat(43);

    await expect(redeem(customer, forged)).rejects.toMatchObject({ code: "RESET_LINK_INVALID" });
    await expect(redeem(customer, "short-token")).rejects.toMatchObject({
      code: "RESET_LINK_INVALID",
      message: expect.stringContaining("not valid"),
    });
    await expect(redeem(other, link.token)).rejects.toMatchObject({
      code: "RESET_LINK_WRONG_ACCOUNT",
      message: expect.stringContaining("different account"),
    });
    await expect(redeem(customer, link.token, NEW_PASSWORD, "W-DOES-NOT-EXIST")).rejects.toMatchObject({
      code: "RESET_LINK_WRONG_ACCOUNT",
    });

    expect(await passwordHashOf(customer.id)).toBe(hashBefore);
    expect(await passwordHashOf(other.id)).toBe(otherHashBefore);
    // The refused attempts did not use the real link up.
    expect(await inspectResetLink(link.token, customer.displayId)).toMatchObject({ ok: true });
    const failed = await prisma.auditEvent.findMany({
      where: { action: "customer.password-reset.redeem", outcome: "FAILED", targetId: { in: [customer.id, other.id] } },
    });
    expect(failed).toHaveLength(3);
    const unknownTarget = await prisma.auditEvent.count({
      where: { action: "customer.password-reset.redeem", outcome: "FAILED", targetId: null },
    });
    expect(unknownTarget).toBeGreaterThanOrEqual(1);
  });

  it.runIf(postgres)("two concurrent redemptions of one link: exactly one wins", async () => {
    const customer = await createRecoveryCustomer();
    const link = await forcedResetLink(customer);
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => codeOf(redeem(customer, link.token, `${NEW_PASSWORD} number ${i}`))),
    );
    expect(outcomes.filter((o) => o === "OK")).toHaveLength(1);
    expect(outcomes.filter((o) => o !== "OK").every((o) => o === "RESET_LINK_USED")).toBe(true);
  });

  it(`throttles an address after ${IP_FAILURE_LIMIT} links that match nothing, except a live link; staff sign-in is unaffected`, async () => {
    const customer = await createRecoveryCustomer();
    const link = await forcedResetLink(customer);
    const scanner = { ...CUSTOMER_ORIGIN, ip: `198.51.100.${Math.floor(Math.random() * 200) + 1}` };
    for (let i = 0; i < IP_FAILURE_LIMIT; i++) {
      const guess = i % 2 === 0 ? `guess-${i}-${"x".repeat(40)}` : link.token.slice(0, -2) + "zz";
      if (i % 4 === 0) {
        expect(await inspectResetLink(guess, customer.displayId, scanner.ip)).toMatchObject({
          code: "RESET_LINK_INVALID",
        });
      } else {
        await expect(
          redeemPasswordReset({
            token: guess,
            account: customer.displayId,
            newPassword: NEW_PASSWORD,
            origin: scanner,
          }),
        ).rejects.toMatchObject({ code: "RESET_LINK_INVALID" });
      }
    }
    // Now a link that matches nothing is refused from that address before any work, and nothing changes.
    const before = await passwordHashOf(customer.id);
    await expect(
      redeemPasswordReset({
        token: `guess-late-${"x".repeat(40)}`,
        account: customer.displayId,
        newPassword: NEW_PASSWORD,
        origin: scanner,
      }),
    ).rejects.toMatchObject({ code: "RESET_LINK_THROTTLED", status: 429 });
    expect(await inspectResetLink("another-guess", customer.displayId, scanner.ip)).toMatchObject({
      ok: false,
      code: "RESET_LINK_THROTTLED",
      message: expect.stringContaining("Try again after"),
    });
    expect(await passwordHashOf(customer.id)).toBe(before);
    // Staff sign-in keeps its own bucket.
    expect((await ipThrottleState(scanner.ip)).throttled).toBe(false);
    // The customer's own link still works from that address: behind a carrier's NAT the customer shares it with
    // whoever ran the throttle up (ADR 084).
    expect(await inspectResetLink(link.token, customer.displayId, scanner.ip)).toMatchObject({ ok: true });
    await expect(
      redeemPasswordReset({
        token: link.token,
        account: customer.displayId,
        newPassword: NEW_PASSWORD,
        origin: scanner,
      }),
    ).resolves.toEqual({ displayId: customer.displayId });
    // The window slides: ten minutes later the address may try again.
    advanceClock(IP_WINDOW_MS + 1000);
    expect(await inspectResetLink("another-guess", customer.displayId, scanner.ip)).toMatchObject({
      code: "RESET_LINK_INVALID",
    });
  });
});

describe("races", () => {
  it.runIf(postgres)("a sign-in racing a forced reset never leaves a live session behind", async () => {
    for (let round = 0; round < 4; round++) {
      const customer = await createRecoveryCustomer();
      const outcomes = await Promise.all([
        codeOf(signIn(customer, ORIGINAL_PASSWORD, deviceClaim(`race-${round}`))),
        codeOf(forceReset(anAgent(), { customerId: customer.id, requireTwoFactor: false, reason })),
        codeOf(signIn(customer, ORIGINAL_PASSWORD)),
      ]);
      expect(outcomes[1]).toBe("OK");
      for (const signInOutcome of [outcomes[0], outcomes[2]]) {
        expect(["OK", "PASSWORD_RESET_REQUIRED"]).toContain(signInOutcome);
      }
      expect(await prisma.customerSession.count({ where: { customerId: customer.id, revokedAt: null } })).toBe(0);
    }
  });
});

describe("2FA enrolment required by the reset", () => {
  it("no session without enrolling; enrolling with a valid code signs in; then a code is always needed", async () => {
    const customer = await createRecoveryCustomer();
    const link = await forcedResetLink(customer, true);
    await redeem(customer, link.token);

    const first = await signIn(customer, NEW_PASSWORD);
    expect(first.status).toBe("TWO_FACTOR_ENROLLMENT_REQUIRED");
    expect(await prisma.customerSession.count({ where: { customerId: customer.id, revokedAt: null } })).toBe(0);
    const secret = secretFrom(first);
    const challengeToken = (first as { challengeToken: string }).challengeToken;

    expect(await codeOf(completeSignInChallenge({ challengeToken, code: "000000" }))).toBe("INVALID_CODE");
    expect(await prisma.customerSession.count({ where: { customerId: customer.id, revokedAt: null } })).toBe(0);

    const code = totpCodeForStep(secret, totpStepAt(now()));
    const done = await completeSignInChallenge({ challengeToken, code });
    expect(done.status).toBe("SIGNED_IN");
    expect((await validateCustomerSession(done.sessionToken)).ok).toBe(true);
    expect(await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({
      twoFactorEnrolled: true,
      mustEnrollTwoFactor: false,
    });
    // The challenge is single use.
    expect(await codeOf(completeSignInChallenge({ challengeToken, code }))).toBe("CHALLENGE_INVALID");

    const next = await signIn(customer, NEW_PASSWORD);
    expect(next.status).toBe("TWO_FACTOR_REQUIRED");
    // The code already used is refused (replay); the next step's code works.
    const nextToken = (next as { challengeToken: string }).challengeToken;
    expect(await codeOf(completeSignInChallenge({ challengeToken: nextToken, code }))).toBe("INVALID_CODE");
    advanceClock(30_000);
    const later = totpCodeForStep(secret, totpStepAt(now()));
    expect((await completeSignInChallenge({ challengeToken: nextToken, code: later })).status).toBe("SIGNED_IN");
  });

  it("a customer marked enrolled but with no authenticator on file must enrol: the second factor is never skipped", async () => {
    const customer = await createRecoveryCustomer();
    await prisma.customer.update({ where: { id: customer.id }, data: { twoFactorEnrolled: true } });
    expect((await signIn(customer, ORIGINAL_PASSWORD)).status).toBe("TWO_FACTOR_ENROLLMENT_REQUIRED");
  });

  it("a sign-in half-finished before a forced reset cannot be completed after it", async () => {
    const customer = await createRecoveryCustomer();
    await prisma.customer.update({ where: { id: customer.id }, data: { mustEnrollTwoFactor: true } });
    const pending = await signIn(customer, ORIGINAL_PASSWORD);
    const secret = secretFrom(pending);
    await forceReset(anAgent(), { customerId: customer.id, requireTwoFactor: true, reason });
    const code = totpCodeForStep(secret, totpStepAt(now()));
    expect(
      await codeOf(
        completeSignInChallenge({ challengeToken: (pending as { challengeToken: string }).challengeToken, code }),
      ),
    ).toBe("CHALLENGE_INVALID");
  });
});

describe("kill switches", () => {
  it("signin.new_device refuses a new device while engaged (known devices still sign in) and fails closed", async () => {
    const customer = await createRecoveryCustomer();
    const stranger = deviceClaim("new");
    await setSwitch("signin.new_device", true);
    try {
      expect(await codeOf(signIn(customer, ORIGINAL_PASSWORD, stranger))).toBe("SIGN_IN_NEW_DEVICE_SUSPENDED");
      expect((await signIn(customer, ORIGINAL_PASSWORD)).status).toBe("SIGNED_IN");
    } finally {
      await setSwitch("signin.new_device", false);
    }
    expect(await prisma.device.count({ where: { customerId: customer.id, fingerprint: stranger.fingerprint } })).toBe(
      0,
    );
    const refused = await withSwitchUnreadable("signin.new_device", () =>
      codeOf(signIn(customer, ORIGINAL_PASSWORD, stranger)),
    );
    expect(refused).toBe("SIGN_IN_SWITCH_STATE_UNAVAILABLE");
    expect((await signIn(customer, ORIGINAL_PASSWORD, stranger)).status).toBe("SIGNED_IN");
  });

  it("a phone revoked by a forced reset is not a new device: its owner signs in with the new password", async () => {
    const customer = await createRecoveryCustomer();
    const link = await forcedResetLink(customer);
    await redeem(customer, link.token);
    await setSwitch("signin.new_device", true);
    try {
      expect(await codeOf(signIn(customer, NEW_PASSWORD, deviceClaim("stranger")))).toBe(
        "SIGN_IN_NEW_DEVICE_SUSPENDED",
      );
      expect((await signIn(customer, NEW_PASSWORD)).status).toBe("SIGNED_IN");
    } finally {
      await setSwitch("signin.new_device", false);
    }
  });

  it("reset.self_service stops self-service requests and self-service links, not an agent's forced reset", async () => {
    const customer = await createRecoveryCustomer();
    await requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN });
    const selfServiceLink = await latestResetLink(customer.id);

    await setSwitch("reset.self_service", true);
    try {
      await expect(
        requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN }),
      ).rejects.toMatchObject({ code: "RESET_SUSPENDED", status: 503 });
      await expect(redeem(customer, selfServiceLink.token)).rejects.toMatchObject({ code: "RESET_SUSPENDED" });
      expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(1);

      const forced = await forcedResetLink(customer);
      await expect(redeem(customer, forced.token)).resolves.toMatchObject({ displayId: customer.displayId });
    } finally {
      await setSwitch("reset.self_service", false);
    }
    const other = await createRecoveryCustomer();
    await expect(
      withSwitchUnreadable("reset.self_service", () =>
        requestPasswordReset({ identifier: other.displayId, origin: CUSTOMER_ORIGIN }),
      ),
    ).rejects.toMatchObject({ code: "RESET_SWITCH_STATE_UNAVAILABLE" });
  });
});

describe("self-service reset requests", () => {
  it("answer the same for anyone, and send only to the verified email on file", async () => {
    const customer = await createRecoveryCustomer();
    const unverified = await createRecoveryCustomer({ emailVerified: false });
    for (const identifier of [customer.displayId, customer.email.toUpperCase(), "W-NOBODY", "nobody@example.com"]) {
      expect(await requestPasswordReset({ identifier, origin: CUSTOMER_ORIGIN })).toEqual({ accepted: true });
    }
    await requestPasswordReset({ identifier: unverified.displayId, origin: CUSTOMER_ORIGIN });

    const mails = await prisma.outboundMessage.findMany({
      where: { customerId: { in: [customer.id, unverified.id] } },
    });
    expect(mails.map((m) => m.recipient)).toEqual([customer.email, customer.email]);
    // The second request replaced the first link.
    expect(
      await prisma.passwordResetToken.count({ where: { customerId: customer.id, supersededAt: null, usedAt: null } }),
    ).toBe(1);
  });

  it("send nothing to an address set by a recent unreviewed change (the attacker's)", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    await requestPasswordReset({ identifier: hijack.attackerEmail, origin: CUSTOMER_ORIGIN });
    await requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN });
    expect(await prisma.outboundMessage.count({ where: { customerId: customer.id } })).toBe(0);
  });
});

describe("secrets", () => {
  it("no token or link appears in any audit row or in the console output of the whole flow", async () => {
    const output: string[] = [];
    const capture = (...args: unknown[]) => output.push(args.map(String).join(" "));
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(capture),
    );
    const writes = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, "write").mockImplementation((chunk: unknown) => {
        output.push(String(chunk));
        return true;
      }),
    );
    const tokens: string[] = [];
    try {
      const customer = await createRecoveryCustomer();
      const first = await forcedResetLink(customer, true);
      const second = await forcedResetLink(customer, true);
      tokens.push(first.token, first.url.toString(), second.token, second.url.toString());
      await codeOf(redeem(customer, first.token)); // superseded
      await codeOf(redeem(customer, second.token, "short")); // weak password
      await redeem(customer, second.token);
      await codeOf(redeem(customer, second.token)); // reused
      await requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN });
      const selfService = await latestResetLink(customer.id);
      tokens.push(selfService.token, selfService.url.toString());
      await inspectResetLink(selfService.token, customer.displayId);
    } finally {
      for (const spy of [...spies, ...writes]) spy.mockRestore();
    }
    const audit = await allAuditText();
    const logged = output.join("\n");
    expect(tokens).toHaveLength(6);
    for (const secret of tokens) {
      expect(audit).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
  });
});
