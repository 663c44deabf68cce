// Freezing an account, or marking it compromised, takes one click and no code: containment must be fast on an
// incident day. On a stolen agent session that click, looped over the customers a search finds, would stop every
// customer's payments, and each one would take an agent's fresh code to reopen. Past a number of different customers
// in an hour, one member's next containment needs a fresh authenticator code (ADR 115).
import { afterEach, describe, expect, it } from "vitest";
import { changeAccountStatus } from "~/accounts/account-status.server";
import { MEMBER_CONTAINMENTS_PER_HOUR_WITHOUT_CODE } from "~/accounts/containment-budget";
import { StepUpRequiredError } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { staffContext } from "../support/staff";
import { createRecoveryCustomer, type RecoveryCustomer } from "./recovery-fixtures";

const reason = "caller reports a takeover";
/** Twenty different customers an hour on the session alone: more than a desk of calls, far from a loop. */
const BUDGET = 20;

afterEach(() => resetClock());

async function customers(count: number): Promise<RecoveryCustomer[]> {
  const made: RecoveryCustomer[] = [];
  for (let i = 0; i < count; i++) made.push(await createRecoveryCustomer());
  return made;
}

async function statusOf(customerId: string) {
  return (await prisma.customer.findUniqueOrThrow({ where: { id: customerId }, select: { status: true } })).status;
}

describe("containment by one member across customers", () => {
  it("asks for a fresh code past the hourly budget of different customers, and audits the refusal", async () => {
    expect(MEMBER_CONTAINMENTS_PER_HOUR_WITHOUT_CODE).toBe(BUDGET);
    const agent = staffContext("AGENT");
    const [next, ...first] = await customers(BUDGET + 1);
    for (const [i, customer] of first.entries()) {
      const change = i % 2 === 0 ? "freeze" : "mark-compromised";
      await changeAccountStatus(agent, { customerId: customer.id, change, reason });
      advanceClock(1_000);
    }
    await expect(changeAccountStatus(agent, { customerId: next!.id, change: "freeze", reason })).rejects.toBeInstanceOf(
      StepUpRequiredError,
    );
    expect(await statusOf(next!.id)).toBe("ACTIVE");
    const denied = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "account.freeze", targetId: next!.id, outcome: "DENIED" },
    });
    expect(denied.actorId).toBe(agent.actor.id);

    // The same customer again (freeze, then mark compromised) is not a new customer; another agent has their own.
    await changeAccountStatus(agent, { customerId: first[0]!.id, change: "mark-compromised", reason });
    await changeAccountStatus(staffContext("AGENT"), { customerId: next!.id, change: "freeze", reason });
    const [later] = await customers(1);
    // With a fresh code the agent goes on: containment is never refused to the desk.
    await changeAccountStatus({ ...agent, steppedUpAt: now() }, { customerId: later!.id, change: "freeze", reason });
    expect(await statusOf(later!.id)).toBe("FROZEN");
  });

  it("counts posts sent at once one after another, so a script cannot slip past the budget", async () => {
    const agent = staffContext("AGENT");
    const targets = await customers(BUDGET + 3);
    const outcomes = await Promise.allSettled(
      targets.map((customer) => changeAccountStatus(agent, { customerId: customer.id, change: "freeze", reason })),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(BUDGET);
    const refused = outcomes.filter(
      (outcome) => outcome.status === "rejected" && outcome.reason instanceof StepUpRequiredError,
    );
    expect(refused).toHaveLength(3);
    const frozen = await prisma.customer.count({
      where: { id: { in: targets.map((customer) => customer.id) }, status: "FROZEN" },
    });
    expect(frozen).toBe(BUDGET);
  });
});
