// A customer's request while the customers' own pool is full (docs/decisions/114-connection-budget-and-a-full-customers-pool.md).
// With every connection of that pool held by transactions that sleep, a sign-in, the reset page's link check and its
// redemption are answered "busy, try again in a moment" within the pool's short wait, not whenever a holder lets go,
// and nothing is half-done: no try is counted against the source or the account, no login_event row, the link is still
// usable. The reset page is asked over HTTP, as a victim's browser does (needs `npx remix build`). Proven by the order
// of events, not by a clock. PostgreSQL only: the embedded database has one connection, not pools to fill.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerAuthDb, prisma } from "~/db.server";
import { CUSTOMER_AUTH_POOL_SIZE } from "~/db/open-database.server";
import { env } from "~/env.server";
import { forceReset } from "~/recovery/force-reset.server";
import { now } from "~/lib/clock.server";
import { signInCustomer } from "~/wallet/customer-auth.server";
import { accountKey, claimTry, giveTriesBackWhenFree } from "~/wallet/customer-sign-in-limits.server";
import { inspectResetLink } from "~/wallet/password-reset.server";
import { codeOf } from "../support/domain-code";
import { createClient, startHttpApp, type TestHttpApp } from "../support/http-app";
import { waitFor } from "../support/smtp-sink";
import { untilSessionsRun } from "../support/database-sessions";
import { staffContext } from "../support/staff";
import { createRecoveryCustomer, CUSTOMER_ORIGIN, latestResetLink, NEW_PASSWORD } from "./recovery-fixtures";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const HOLD_SECONDS = 12;

/** Every connection of the customers' pool held for `seconds`; each holder says when its sleep is over. */
/** What each holder runs, as pg_stat_activity shows it: the test waits until every holder is running it. */
const HOLDER_STATEMENT = "SELECT pg_sleep(";

function holdTheCustomersPool(events: string[], seconds = HOLD_SECONDS): Promise<unknown> {
  return Promise.all(
    Array.from({ length: CUSTOMER_AUTH_POOL_SIZE }, () =>
      customerAuthDb.prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_sleep(${seconds})`;
          events.push("a holder's sleep is over");
        },
        { maxWait: 20_000, timeout: 60_000 },
      ),
    ),
  );
}

async function triesCounted(customerId: string): Promise<number> {
  const rows = await prisma.$queryRaw<{ failures: number }[]>`
    SELECT failures FROM customer_sign_in_limit
     WHERE (scope = 'account' AND key LIKE ${`%${customerId}%`}) OR (scope = 'source' AND key LIKE ${`%${CUSTOMER_ORIGIN.ip}%`})`;
  return rows.reduce((sum, row) => sum + Number(row.failures), 0);
}

const BUSY_JA = "ただいま大変混み合っています。何も変更されていません。少し時間をおいてからもう一度お試しください。";

describe.skipIf(!onPostgres)("a customer's request while the customers' pool is full (PostgreSQL)", () => {
  let app: TestHttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("is answered busy within the pool's wait, changes nothing, and goes through once a connection is free", async () => {
    const customer = await createRecoveryCustomer();
    await forceReset(staffContext("AGENT"), { customerId: customer.id, reason: "account takeover reported" });
    const { token } = await latestResetLink(customer.id);
    const triesBefore = await triesCounted(customer.id);
    const loginsBefore = await prisma.loginEvent.count({ where: { customerId: customer.id } });

    const events: string[] = [];
    const holders = holdTheCustomersPool(events);
    await untilSessionsRun(HOLDER_STATEMENT, CUSTOMER_AUTH_POOL_SIZE);

    const signIn = () =>
      signInCustomer({
        identifier: customer.displayId,
        password: NEW_PASSWORD,
        device: customer.device,
        ip: CUSTOMER_ORIGIN.ip,
        country: "JP",
      });
    events.push(`sign-in ${await codeOf(signIn())}`);
    events.push(`link check ${await codeOf(inspectResetLink(token, customer.displayId, CUSTOMER_ORIGIN.ip))}`);

    // The page a victim opens from the mail, in Japanese, and the form they send.
    const victim = createClient(app);
    const link = `/reset-password?token=${token}&account=${customer.displayId}`;
    const ja = { headers: { "accept-language": "ja-JP" } };
    const page = await victim.get(link, ja);
    events.push(`page ${page.status}`);
    const sent = await victim.post(link, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, ja);
    events.push(`form ${sent.status}`);

    expect(events.slice(0, 4)).toEqual([
      "sign-in CUSTOMER_SERVICE_BUSY",
      "link check CUSTOMER_SERVICE_BUSY",
      "page 503",
      "form 503",
    ]);
    // The bound is short and far inside the hold: a refusal that came when a holder let go would be after its sleep.
    expect(HOLD_SECONDS * 1_000).toBeGreaterThan(4 * env().FIREBREAK_CUSTOMER_POOL_WAIT_MS);
    expect(page.headers.get("Retry-After")).toBe("5");
    expect(sent.headers.get("Retry-After")).toBe("5");
    expect(await page.text()).toContain(BUSY_JA);
    expect(await sent.text()).toContain(BUSY_JA);
    await holders;

    // Nothing half-done: no try counted, no sign-in recorded, the password unchanged and the link still usable.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await triesCounted(customer.id)).toBe(triesBefore);
    expect(await prisma.loginEvent.count({ where: { customerId: customer.id } })).toBe(loginsBefore);
    expect(await codeOf(inspectResetLink(token, customer.displayId, CUSTOMER_ORIGIN.ip))).toBe("ACCEPTED");
    expect(await codeOf(signIn())).toBe("PASSWORD_RESET_REQUIRED");
  }, 60_000);

  it("gives back a try counted before the busy answer once a connection is free, not before", async () => {
    // A sign-in refused busy between its statements leaves its claims to this give-back (customer-auth.server.ts).
    const customer = await createRecoveryCustomer();
    const key = accountKey({ customerId: customer.id });
    const claim = await claimTry(customerAuthDb.prisma, "account", key, now());
    const failures = async () =>
      Number(
        (
          await prisma.$queryRaw<{ failures: number }[]>`
            SELECT failures FROM customer_sign_in_limit WHERE scope = 'account' AND key = ${key}`
        )[0]?.failures,
      );
    expect(await failures()).toBe(1);

    const events: string[] = [];
    const holders = holdTheCustomersPool(events, 4);
    await untilSessionsRun(HOLDER_STATEMENT, CUSTOMER_AUTH_POOL_SIZE);
    giveTriesBackWhenFree(customerAuthDb.prisma, [claim]);
    // Refused busy at least once while the pool is held: the try is still counted.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(events).toEqual([]);
    expect(await failures()).toBe(1);
    await holders;
    await waitFor("the try given back", async () => (await failures()) === 0, 15_000);
  }, 60_000);
});
