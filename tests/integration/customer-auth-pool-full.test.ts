// A customer signing in and redeeming a reset link while the console is busy
// (docs/decisions/109-customer-sign-in-and-reset-links-on-their-own-pool.md). During an incident the console is busiest
// exactly when victims open the links the agents sent and sign in again. With every connection of both console pools
// held (Prisma's and the driver's, which writes the audit trail) and a console action's seal of the audit trail waiting
// for one of them, a victim still opens the link, sets a new password, signs in with it and completes the authenticator
// enrolment the forced reset required, the app's session check passes, the customer signs out (the next check is
// refused), and another customer asks for a link, each audited, before any holder lets go.
// Proven by the order of events, not by a clock. PostgreSQL only: the embedded database has one connection, not pools
// to fill.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { describe, expect, it } from "vitest";
import { sealCommittedAuditRows } from "~/audit/perform-action.server";
import { totpCodeForStep, totpStepAt } from "~/auth/totp.server";
import { database, prisma } from "~/db.server";
import { CONSOLE_POOL_SIZE } from "~/db/open-database.server";
import { now } from "~/lib/clock.server";
import { forceReset } from "~/recovery/force-reset.server";
import { signInCustomer } from "~/wallet/customer-auth.server";
import { signOutCustomer, validateCustomerSession } from "~/wallet/customer-auth-session.server";
import { completeSignInChallenge } from "~/wallet/customer-auth-two-factor.server";
import { inspectResetLink, redeemPasswordReset, requestPasswordReset } from "~/wallet/password-reset.server";
import { untilSessionsRun } from "../support/database-sessions";
import { staffContext } from "../support/staff";
import {
  createRecoveryCustomer,
  CUSTOMER_ORIGIN,
  latestResetLink,
  NEW_PASSWORD,
  ORIGINAL_PASSWORD,
} from "./recovery-fixtures";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const HOLD_SECONDS = 15;
// How every holder's statement starts, as the server shows it: the customer waits until all of them run.
const HOLDER_STATEMENT = "SELECT pg_sleep(";

/**
 * Every connection of the console's two pools held for HOLD_SECONDS by transactions that sleep (agents' searches,
 * a bulk job, long console work). Each says when its sleep is over, while it still holds its connection: from then
 * on a connection can come free.
 */
function holdTheConsole(events: string[]): Promise<unknown> {
  const over = () => events.push("a holder's sleep is over");
  const onPrisma = Array.from({ length: CONSOLE_POOL_SIZE }, () =>
    prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_sleep(${HOLD_SECONDS})`;
        over();
      },
      { maxWait: 20_000, timeout: 60_000 },
    ),
  );
  const onDriver = Array.from({ length: CONSOLE_POOL_SIZE }, () =>
    database.sqlTransaction(async (tx) => {
      await tx.query(`SELECT pg_sleep(${HOLD_SECONDS})`);
      over();
    }),
  );
  return Promise.all([...onPrisma, ...onDriver]);
}

/** What the victim saw at a step: the answer's status, or the refusal's code. */
async function step<T>(events: string[], label: string, work: Promise<T>, answer: (value: T) => string): Promise<T> {
  try {
    const value = await work;
    events.push(`${label}: ${answer(value)}`);
    return value;
  } catch (error) {
    events.push(`${label}: ${(error as { code?: string }).code ?? String(error)}`);
    throw error;
  }
}

describe.skipIf(!onPostgres)("a customer's sign-in and reset link while the console is busy (PostgreSQL)", () => {
  it("opens the link, sets a new password and signs in with a code before any console holder lets go", async () => {
    const customer = await createRecoveryCustomer();
    // The agent's forced reset, before the flood: a link to the verified email, and an authenticator to enrol.
    await forceReset(staffContext("AGENT"), {
      customerId: customer.id,
      requireTwoFactor: true,
      reason: "account takeover reported by the customer",
    });
    const { token } = await latestResetLink(customer.id);
    // Another customer, who asks for a link from the app themselves.
    const other = await createRecoveryCustomer();

    const events: string[] = [];
    const holders = holdTheConsole(events);
    await untilSessionsRun(HOLDER_STATEMENT, 2 * CONSOLE_POOL_SIZE);
    // A console action's seal of the audit intake, caught waiting for a console connection: the customers' own seals
    // must not queue behind it.
    const consoleSeal = sealCommittedAuditRows();

    const victim = (async () => {
      await step(events, "link", inspectResetLink(token, customer.displayId, CUSTOMER_ORIGIN.ip), (inspection) =>
        inspection.ok ? "usable" : inspection.code,
      );
      await step(
        events,
        "new password",
        redeemPasswordReset({
          token,
          account: customer.displayId,
          newPassword: NEW_PASSWORD,
          origin: CUSTOMER_ORIGIN,
        }),
        () => "set",
      );
      const signIn = (password: string) =>
        signInCustomer({
          identifier: customer.displayId,
          password,
          device: customer.device,
          ip: CUSTOMER_ORIGIN.ip,
          country: "JP",
        });
      await step(events, "sign-in, old password", signIn(ORIGINAL_PASSWORD), (result) => result.status).catch(
        () => undefined,
      );
      const challenge = await step(events, "sign-in, new password", signIn(NEW_PASSWORD), (result) => result.status);
      if (challenge.status !== "TWO_FACTOR_ENROLLMENT_REQUIRED") return;
      const secret = decodeBase32IgnorePadding(new URL(challenge.totpKeyUri).searchParams.get("secret")!);
      const signedIn = await step(
        events,
        "code",
        completeSignInChallenge({
          challengeToken: challenge.challengeToken,
          code: totpCodeForStep(secret, totpStepAt(now())),
          ip: CUSTOMER_ORIGIN.ip,
          country: "JP",
        }),
        (result) => result.status,
      );
      if (signedIn.status !== "SIGNED_IN") return;
      // The app's next requests: each checks the session, then the customer signs out, and the token is refused.
      const check = () =>
        step(events, "session check", validateCustomerSession(signedIn.sessionToken), (validation) =>
          validation.ok ? "ok" : validation.reason,
        );
      await check();
      await step(events, "sign-out", signOutCustomer(signedIn.sessionToken), () => "done");
      await check();
      await step(
        events,
        "forgot password",
        requestPasswordReset({ identifier: other.email, origin: CUSTOMER_ORIGIN }),
        (answer) => (answer.accepted ? "accepted" : "refused"),
      );
    })();
    await Promise.allSettled([victim]);
    events.push("the victim is done");
    await holders;
    await consoleSeal;

    // Before ADR 109 every one of these waited for the console (before ADR 112 the session check and the sign-out did):
    // the first answer came only after a holder let go.
    expect(events.slice(0, 10)).toEqual([
      "link: usable",
      "new password: set",
      "sign-in, old password: INVALID_CREDENTIALS",
      "sign-in, new password: TWO_FACTOR_ENROLLMENT_REQUIRED",
      "code: SIGNED_IN",
      "session check: ok",
      "sign-out: done",
      "session check: REVOKED",
      "forgot password: accepted",
      "the victim is done",
    ]);
    // Each kept its record: the redemption's audit row sealed into the chain, every attempt a login_event row.
    const redeemed = await prisma.auditEvent.findMany({
      where: { action: "customer.password-reset.redeem", targetId: customer.id },
      select: { outcome: true },
    });
    expect(redeemed).toEqual([{ outcome: "SUCCESS" }]);
    const logins = await prisma.loginEvent.findMany({
      where: { customerId: customer.id, occurredAt: { gt: new Date(now().getTime() - 5 * 60_000) } },
      select: { success: true },
      orderBy: { occurredAt: "asc" },
    });
    expect(logins.map((login) => login.success)).toEqual([false, true]);
    // The other customer's link was queued to their verified address.
    expect((await latestResetLink(other.id)).recipient).toBe(other.email);
  }, 90_000);
});
