// Forced resets mail a link each: a member (or a stolen agent session) repeating one on the same customer must not
// fill the customer's inbox with reset mails, nor keep voiding the link the customer is about to open (ADR 094).
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { translateDomainError } from "~/i18n/translate.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { forceReset } from "~/recovery/force-reset.server";
import { staffContext } from "../support/staff";
import { createRecoveryCustomer, latestResetLink } from "./recovery-fixtures";

const reason = "caller says someone else signed in";
/** Five an hour: more than a caller who misses a mail needs, few enough that a loop cannot bury the inbox. */
const MAX_FORCED_RESET_LINKS_PER_HOUR = 5;

afterEach(() => resetClock());

async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("forced reset links per customer", () => {
  it("mails at most the hourly limit, whoever asks; the last link keeps working and the refusal is on the record", async () => {
    const customer = await createRecoveryCustomer();
    const agents = [staffContext("AGENT"), staffContext("AGENT")];
    for (let i = 0; i < MAX_FORCED_RESET_LINKS_PER_HOUR; i++) {
      const summary = await forceReset(agents[i % 2]!, { customerId: customer.id, requireTwoFactor: false, reason });
      expect(summary.delivery.kind).toBe("QUEUED");
      advanceClock(60_000);
    }
    const live = await latestResetLink(customer.id);
    const mails = await prisma.outboundMessage.count({ where: { customerId: customer.id } });
    expect(mails).toBe(MAX_FORCED_RESET_LINKS_PER_HOUR);

    const refusal = await refusalOf(
      forceReset(agents[1]!, { customerId: customer.id, requireTwoFactor: false, reason }),
    );
    expect(refusal).toMatchObject({ code: "FORCED_RESET_LINK_LIMIT", status: 429 });
    expect(translateDomainError("ja", refusal)).toContain("アカウントを凍結");
    expect(translateDomainError("en", refusal)).toContain("freeze the account");
    expect(await prisma.outboundMessage.count({ where: { customerId: customer.id } })).toBe(mails);
    // The link the customer already has was not voided by the refused attempt.
    const stored = await prisma.passwordResetToken.findMany({
      where: { customerId: customer.id, supersededAt: null, usedAt: null },
    });
    expect(stored).toHaveLength(1);
    expect((await latestResetLink(customer.id)).token).toBe(live.token);
    const failed = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "recovery.force-reset", targetId: customer.id, outcome: "FAILED" },
    });
    expect(failed.actorId).toBe(agents[1]!.actor.id);

    // An hour after the first link, one more may go.
    advanceClock(60 * 60_000 - MAX_FORCED_RESET_LINKS_PER_HOUR * 60_000 + 1_000);
    const again = await forceReset(agents[0]!, { customerId: customer.id, requireTwoFactor: false, reason });
    expect(again.delivery.kind).toBe("QUEUED");
  });
});
