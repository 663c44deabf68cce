// "Forgot password" is open to anyone who knows a member number or an email, a thief holding the customer's stolen
// session included. Its per-customer limit must not become a way to keep the real customer, or the agent on their call,
// from a working link (ADR 115): requests are counted per requesting address, a live link an agent forced is never
// voided by them, and a request past every limit still gets a link when none of the customer's links works any more.
import { afterEach, describe, expect, it } from "vitest";
import type { Origin } from "~/audit/actor";
import { prisma } from "~/db.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { forceReset } from "~/recovery/force-reset.server";
import { inspectResetLink, requestPasswordReset } from "~/wallet/password-reset.server";
import { staffContext } from "../support/staff";
import { CUSTOMER_ORIGIN, createRecoveryCustomer, latestResetLink } from "./recovery-fixtures";

const reason = "caller says someone else signed in";
const THIEF: Origin = { ip: "198.51.100.66", userAgent: "curl/8.0", requestId: null };
/** One IPv6 subscriber's /64: every address in it is one requester. */
const thiefInV6 = (n: number): Origin => ({
  ip: `2001:db8:77:1::${n.toString(16)}`,
  userAgent: "curl/8.0",
  requestId: null,
});

afterEach(() => resetClock());

async function resetMails(customerId: string): Promise<number> {
  return prisma.outboundMessage.count({ where: { customerId, template: "password-reset" } });
}

async function linkWorks(customer: { displayId: string }, token: string): Promise<boolean> {
  return (await inspectResetLink(token, customer.displayId)).ok;
}

describe("self-service reset links per customer", () => {
  it("a thief's requests use up the thief's own allowance, not the customer's", async () => {
    const customer = await createRecoveryCustomer();
    for (let i = 0; i < 6; i++) {
      await requestPasswordReset({ identifier: customer.displayId, origin: thiefInV6(i + 1) });
      advanceClock(60_000);
    }
    // Three from the thief's /64, however many addresses in it they use.
    expect(await resetMails(customer.id)).toBe(3);

    await requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN });
    expect(await resetMails(customer.id)).toBe(4);
    const own = await latestResetLink(customer.id);
    expect(await linkWorks(customer, own.token)).toBe(true);
  });

  it("never voids the link an agent forced to the verified contact, and never stops the agent's next reset", async () => {
    const customer = await createRecoveryCustomer();
    const agent = staffContext("AGENT");
    await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });
    const forced = await latestResetLink(customer.id);

    for (let i = 0; i < 5; i++) {
      await requestPasswordReset({ identifier: customer.displayId, origin: THIEF });
      await requestPasswordReset({ identifier: customer.email, origin: { ...THIEF, ip: `192.0.2.${i + 10}` } });
    }
    expect(await linkWorks(customer, forced.token)).toBe(true);
    expect(await resetMails(customer.id)).toBe(1);
    const refused = await prisma.auditEvent.findMany({
      where: { action: "customer.password-reset.request", targetId: customer.id },
      select: { after: true },
    });
    expect(refused).toHaveLength(10);
    for (const row of refused) expect(row.after).toMatchObject({ sent: false, why: "agent link outstanding" });

    // The caller missed the mail: the agent sends another, whatever the requests above did.
    const again = await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });
    expect(again.delivery.kind).toBe("QUEUED");
  });

  it("past the limit across all addresses, a request still gets a link once none of the customer's links works", async () => {
    const customer = await createRecoveryCustomer();
    // Many requesters, three each, spread over twenty minutes: the links stop at the cap of ten.
    for (let source = 0; source < 6; source++) {
      for (let i = 0; i < 3; i++) {
        await requestPasswordReset({
          identifier: customer.displayId,
          origin: { ...THIEF, ip: `192.0.2.${source + 1}` },
        });
      }
      advanceClock(3 * 60_000);
    }
    expect(await resetMails(customer.id)).toBe(10);
    const newest = await latestResetLink(customer.id);

    // While the newest link works, the customer's own request sends nothing: that link is in their inbox.
    await requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN });
    expect(await resetMails(customer.id)).toBe(10);
    expect(await linkWorks(customer, newest.token)).toBe(true);

    // Once it has expired, the customer's request gets a link although the hour's cap is reached.
    advanceClock(31 * 60_000);
    expect(await linkWorks(customer, newest.token)).toBe(false);
    await requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN });
    expect(await resetMails(customer.id)).toBe(11);
    expect(await linkWorks(customer, (await latestResetLink(customer.id)).token)).toBe(true);
    // …and a thief asking again right after voids nothing: a working link is out.
    await requestPasswordReset({ identifier: customer.displayId, origin: { ...THIEF, ip: "192.0.2.99" } });
    expect(await resetMails(customer.id)).toBe(11);
  });
});
