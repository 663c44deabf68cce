// Customer sign-in and "forgot password" say nothing about whether an account exists: an identifier that names nobody
// gets the same answers, after the same number of tries, with the same password verification, as one that names an
// account with a wrong password. And one source (an address, or an IPv6 /64) gets a generous number of failed
// sign-ins across all accounts before it is refused for a while; attempts sent at once cannot get past that limit.
// docs/decisions/079-uniform-customer-sign-in.md.
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as passwords from "~/auth/password.server";
import { prisma } from "~/db.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import * as contactReview from "~/recovery/contact-review.server";
import {
  MAX_FAILURES_IN_WINDOW,
  SOURCE_FAILURE_LIMIT,
  signInCustomer,
  type CustomerSignInInput,
} from "~/wallet/customer-auth.server";
import { SOURCE_BLOCK_MS } from "~/wallet/customer-sign-in-limits.server";
import { requestPasswordReset } from "~/wallet/password-reset.server";
import { createRecoveryCustomer, deviceClaim, ORIGINAL_PASSWORD } from "./recovery-fixtures";

// Spies that still do the real work: the tests count how often each path verifies a password and reads a fact.
vi.mock("~/auth/password.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/auth/password.server")>();
  return {
    ...real,
    verifyPassword: vi.fn(real.verifyPassword),
    verifyAgainstDummyHash: vi.fn(real.verifyAgainstDummyHash),
  };
});
vi.mock("~/recovery/contact-review.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/recovery/contact-review.server")>();
  return { ...real, findUnreviewedChange: vi.fn(real.findUnreviewedChange) };
});

process.env.FIREBREAK_TEST_CLOCK = "1";
afterEach(() => resetClock());
beforeEach(() => vi.clearAllMocks());

/** A fresh address per test, so the per-source count of one test never reaches another's. */
function freshIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

/** What the customer's app is told: code, message and status (everything an attacker can see). */
async function answerOf(promise: Promise<unknown>) {
  try {
    await promise;
    return { code: "ACCEPTED" };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, message: error.message, status: error.status };
  }
}

function verifications(): number {
  return (
    vi.mocked(passwords.verifyPassword).mock.calls.length +
    vi.mocked(passwords.verifyAgainstDummyHash).mock.calls.length
  );
}

describe("an unknown account and a wrong password", () => {
  it("get the same answers, the same verification and the same limit", async () => {
    const customer = await createRecoveryCustomer();
    const ip = freshIp();
    const attempt = (identifier: string): CustomerSignInInput => ({
      identifier,
      password: "a wrong guess",
      device: deviceClaim("attacker"),
      ip,
    });
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    const verifiedPerTry: number[] = [];
    for (let i = 0; i < MAX_FAILURES_IN_WINDOW + 2; i++) {
      let before = verifications();
      known.push(await answerOf(signInCustomer(attempt(customer.displayId))));
      verifiedPerTry.push(verifications() - before);
      before = verifications();
      unknown.push(await answerOf(signInCustomer(attempt(`W-NOBODY-${customer.displayId}`))));
      verifiedPerTry.push(verifications() - before);
    }
    expect(unknown).toEqual(known);
    expect(known.slice(0, MAX_FAILURES_IN_WINDOW)).toEqual(
      Array(MAX_FAILURES_IN_WINDOW).fill(expect.objectContaining({ code: "INVALID_CREDENTIALS", status: 403 })),
    );
    expect(known.slice(MAX_FAILURES_IN_WINDOW)).toEqual(
      Array(2).fill(expect.objectContaining({ code: "TOO_MANY_ATTEMPTS", status: 429 })),
    );
    // One argon2 verification per try while tries are allowed, none once refused — on both paths alike.
    expect(verifiedPerTry).toEqual([...Array(2 * MAX_FAILURES_IN_WINDOW).fill(1), 0, 0, 0, 0]);

    // The account's wrong passwords are recorded all the same, after their answers; the refused tries are not.
    const recorded = () => prisma.loginEvent.count({ where: { customerId: customer.id, success: false } });
    let failures = await recorded();
    while (failures < MAX_FAILURES_IN_WINDOW) failures = await recorded();
    expect(failures).toBe(MAX_FAILURES_IN_WINDOW);

    // Both open again once the block has passed.
    advanceClock(SOURCE_BLOCK_MS + 1000);
    expect((await answerOf(signInCustomer(attempt(customer.displayId)))).code).toBe("INVALID_CREDENTIALS");
    expect((await answerOf(signInCustomer(attempt(`W-NOBODY-${customer.displayId}`)))).code).toBe(
      "INVALID_CREDENTIALS",
    );
  });

  it("a right password verifies once too, and its try is given back", async () => {
    const customer = await createRecoveryCustomer();
    const ip = freshIp();
    for (let i = 0; i < MAX_FAILURES_IN_WINDOW + 3; i++) {
      const before = verifications();
      const result = await signInCustomer({
        identifier: customer.displayId,
        password: ORIGINAL_PASSWORD,
        device: customer.device,
        ip,
      });
      expect(result.status).toBe("SIGNED_IN");
      expect(verifications() - before).toBe(1);
    }
  });
});

describe("forgot password", () => {
  it("answers the same and reads the same facts for an account and for nobody", async () => {
    const customer = await createRecoveryCustomer();
    const origin = { ip: freshIp(), userAgent: "wallet-app/7.0 (iOS)", requestId: null };
    const review = vi.mocked(contactReview.findUnreviewedChange);
    const forSomeone = await answerOf(requestPasswordReset({ identifier: customer.displayId, origin }));
    const readForSomeone = review.mock.calls.length;
    const forNobody = await answerOf(requestPasswordReset({ identifier: "W-NOBODY-AT-ALL", origin }));
    expect(forNobody).toEqual(forSomeone);
    expect(readForSomeone).toBe(1);
    expect(review.mock.calls.length - readForSomeone).toBe(1);
  });
});

describe("failed sign-ins from one source", () => {
  it("sent at once stop at the limit; the source is then refused, audited, and visible on the account", async () => {
    const ip = freshIp();
    const guess = (n: number) =>
      answerOf(
        signInCustomer({ identifier: `W-STUFFED-${ip}-${n}`, password: "123456", device: deviceClaim("bot"), ip }),
      );
    const answers = await Promise.all(Array.from({ length: SOURCE_FAILURE_LIMIT + 10 }, (_, n) => guess(n)));
    const codes = answers.map((a) => a.code);
    expect(codes.filter((c) => c === "INVALID_CREDENTIALS")).toHaveLength(SOURCE_FAILURE_LIMIT);
    expect(codes.filter((c) => c === "TOO_MANY_ATTEMPTS")).toHaveLength(10);

    // Even the right password of a real customer is refused from that source, and the refusal names its reason.
    const customer = await createRecoveryCustomer();
    const fromThere = { identifier: customer.displayId, password: ORIGINAL_PASSWORD, device: customer.device, ip };
    expect((await answerOf(signInCustomer(fromThere))).code).toBe("TOO_MANY_ATTEMPTS");
    // The row is written after the answer (so the answer's timing says nothing): wait for it.
    const refusedRows = () =>
      prisma.loginEvent.findMany({
        where: { customerId: customer.id, success: false },
        select: { success: true, reason: true },
      });
    let rows = await refusedRows();
    while (rows.length === 0) rows = await refusedRows();
    expect(rows).toEqual([{ success: false, reason: "SOURCE_LIMITED" }]);
    const audits = await prisma.auditEvent.findMany({
      where: { action: "customer.sign-in.source-blocked", targetId: ip },
      select: { outcome: true },
    });
    expect(audits).toEqual([{ outcome: "SUCCESS" }]);

    // The owner is not locked out by it: from their own network they sign in.
    const home = await signInCustomer({ ...fromThere, ip: freshIp() });
    expect(home.status).toBe("SIGNED_IN");

    // After the block the source may try again.
    advanceClock(SOURCE_BLOCK_MS + 1000);
    expect((await answerOf(signInCustomer(fromThere))).code).toBe("ACCEPTED");
  });

  it("count failures only: a shared address's successful sign-ins never add up to a block", async () => {
    const ip = freshIp();
    const customer = await createRecoveryCustomer();
    const rightOnce = () =>
      signInCustomer({ identifier: customer.displayId, password: ORIGINAL_PASSWORD, device: customer.device, ip });
    for (let i = 0; i < 3; i++) await rightOnce();
    const row = await prisma.customerSignInLimit.findUnique({
      where: { scope_key: { scope: "source", key: ip } },
      select: { failures: true },
    });
    expect(row?.failures).toBe(0);
  });

  it("an IPv6 /64 is one source: failures from one address of it refuse every other", async () => {
    const [a, b] = randomBytes(2);
    const prefix = `2001:db8:${a!.toString(16)}:${b!.toString(16)}`;
    const guess = (host: number) =>
      answerOf(
        signInCustomer({
          identifier: `W-V6-${prefix}-${host}`,
          password: "123456",
          device: deviceClaim("v6"),
          ip: `${prefix}::${host.toString(16)}`,
        }),
      );
    const answers: string[] = [];
    for (let host = 1; host <= SOURCE_FAILURE_LIMIT + 1; host++) answers.push((await guess(host)).code);
    expect(answers.filter((c) => c === "INVALID_CREDENTIALS")).toHaveLength(SOURCE_FAILURE_LIMIT);
    expect(answers.at(-1)).toBe("TOO_MANY_ATTEMPTS");
  });
});
