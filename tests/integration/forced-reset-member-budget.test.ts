// A stolen agent session must not be able to force resets on customer after customer: each one ends the customer's
// sessions and voids their password. Past a number of different customers in an hour, one member's next forced reset
// needs a fresh authenticator code, which the thief does not have (ADR 104). An agent on a busy day types a code.
import { afterEach, describe, expect, it } from "vitest";
import { StepUpRequiredError } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { forceReset, forcedResetNeedsCode } from "~/recovery/force-reset.server";
import { staffContext } from "../support/staff";
import { createRecoveryCustomer, type RecoveryCustomer } from "./recovery-fixtures";

const reason = "caller says someone else signed in";
/** Ten different customers an hour on the session alone: a fast desk, not a loop over the customer base. */
const BUDGET = 10;

afterEach(() => resetClock());

async function customers(count: number): Promise<RecoveryCustomer[]> {
  const made: RecoveryCustomer[] = [];
  for (let i = 0; i < count; i++) made.push(await createRecoveryCustomer());
  return made;
}

async function untouched(customerId: string) {
  const customer = await prisma.customer.findUniqueOrThrow({ where: { id: customerId } });
  expect(customer.mustChangePassword).toBe(false);
  expect(await prisma.customerSession.count({ where: { customerId, revokedAt: null } })).toBeGreaterThan(0);
  expect(await prisma.outboundMessage.count({ where: { customerId } })).toBe(0);
}

describe("forced resets by one member across customers", () => {
  it("asks for a fresh code past the hourly budget of different customers, and audits the refusal", async () => {
    const agent = staffContext("AGENT");
    const [next, ...first] = await customers(BUDGET + 1);
    for (const customer of first) {
      const summary = await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });
      expect(summary.delivery.kind).toBe("QUEUED");
      advanceClock(60_000);
    }
    expect(await forcedResetNeedsCode(agent.actor.id, next!.id)).toBe(true);
    await expect(forceReset(agent, { customerId: next!.id, requireTwoFactor: false, reason })).rejects.toBeInstanceOf(
      StepUpRequiredError,
    );
    await untouched(next!.id);
    const denied = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "recovery.force-reset", targetId: next!.id, outcome: "DENIED" },
    });
    expect(denied.actorId).toBe(agent.actor.id);

    // The same call again (a caller who missed the mail) is not a new customer.
    expect(await forcedResetNeedsCode(agent.actor.id, first[0]!.id)).toBe(false);
    await forceReset(agent, { customerId: first[0]!.id, requireTwoFactor: false, reason });
    // Another agent has a budget of their own.
    expect(await forcedResetNeedsCode(staffContext("AGENT").actor.id, next!.id)).toBe(false);

    // With a fresh code the agent goes on: never a refusal for the desk.
    const steppedUp = { ...agent, steppedUpAt: now() };
    const summary = await forceReset(steppedUp, { customerId: next!.id, requireTwoFactor: false, reason });
    expect(summary.delivery.kind).toBe("QUEUED");

    // An hour after the first resets, the session alone is enough again.
    advanceClock(60 * 60_000);
    const [later] = await customers(1);
    expect(await forcedResetNeedsCode(agent.actor.id, later!.id)).toBe(false);
    await forceReset(agent, { customerId: later!.id, requireTwoFactor: false, reason });
  });

  it("counts posts sent at once one after another, so a script cannot slip past the budget", async () => {
    const agent = staffContext("AGENT");
    const targets = await customers(BUDGET + 3);
    const outcomes = await Promise.allSettled(
      targets.map((customer) => forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason })),
    );
    const done = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const refused = outcomes.filter(
      (outcome) => outcome.status === "rejected" && outcome.reason instanceof StepUpRequiredError,
    );
    expect(done).toHaveLength(BUDGET);
    expect(refused).toHaveLength(3);
    const reset = await prisma.customer.count({
      where: { id: { in: targets.map((customer) => customer.id) }, mustChangePassword: true },
    });
    expect(reset).toBe(BUDGET);
    // Refused inside the change (the budget was reached while they waited): audited as denials, like the spine's own.
    const rows = await prisma.auditEvent.findMany({
      where: { action: "recovery.force-reset", actorId: agent.actor.id, outcome: { not: "SUCCESS" } },
    });
    expect(rows.map((row) => row.outcome)).toEqual(["DENIED", "DENIED", "DENIED"]);
  });

  it("past the budget, one code covers one further customer: a code is not a licence for a loop", async () => {
    const agent = staffContext("AGENT");
    const [a, b, c, d, ...first] = await customers(BUDGET + 4);
    for (const customer of first) {
      await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });
      advanceClock(1_000);
    }
    const steppedUp = { ...agent, steppedUpAt: now() };
    advanceClock(1_000);
    expect((await forceReset(steppedUp, { customerId: a!.id, requireTwoFactor: false, reason })).delivery.kind).toBe(
      "QUEUED",
    );
    advanceClock(1_000);
    // The same code, still inside its five minutes, does not reset a second customer.
    await expect(forceReset(steppedUp, { customerId: b!.id, requireTwoFactor: false, reason })).rejects.toBeInstanceOf(
      StepUpRequiredError,
    );
    await untouched(b!.id);
    // Nor do posts sent at once with one new code: one goes through, the others are refused.
    const again = { ...agent, steppedUpAt: now() };
    advanceClock(1_000);
    const outcomes = await Promise.allSettled(
      [b!, c!, d!].map((customer) => forceReset(again, { customerId: customer.id, requireTwoFactor: false, reason })),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.filter(
      (outcome) => outcome.status === "rejected" && outcome.reason instanceof StepUpRequiredError,
    );
    expect(refused).toHaveLength(2);
  });
});
