// One stolen agent session cannot page through the customer base: a member's caller searches, account views and
// recovery pages share a read budget (set here as production sets it: 600 an hour, 60 in any minute). Past it both are refused with a clear answer, audited as
// denied, while another member reads on; a minute later the member may read again.
import { afterEach, describe, expect, it, vi } from "vitest";
import { configuredReadBudget } from "~/auth/read-budget.server";
import { loadAccountView } from "~/accounts/account-view.server";
import { searchForCaller } from "~/accounts/caller-search.server";
import { prisma } from "~/db.server";
import { loadRecoveryView } from "~/recovery/recovery-view.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { codeOf } from "../support/domain-code";
import { createTestCustomer } from "../support/customers";
import { staffContext } from "../support/staff";

// The budget a production deployment sets (off by default), read before the app's settings are.
vi.hoisted(() => {
  process.env.FIREBREAK_STAFF_READS_PER_HOUR = "600";
});

process.env.FIREBREAK_TEST_CLOCK = "1";
afterEach(() => resetClock());

describe("the read budget", () => {
  it("refuses searches and views past a minute's budget, audits the refusal, and spares other members", async () => {
    const { perMinute } = configuredReadBudget();
    expect(perMinute).toBe(60);
    const { customer } = await createTestCustomer(prisma);
    const agent = staffContext("AGENT");
    for (let i = 0; i < perMinute - 1; i++) {
      expect((await searchForCaller(agent, customer.displayId)).kind).toBe("results");
    }
    expect(await codeOf(loadAccountView(agent, customer.id))).toBe("ACCEPTED");

    const refused = await searchForCaller(agent, customer.displayId);
    expect(refused).toMatchObject({ kind: "refused", code: "rateLimited" });
    expect(await codeOf(loadAccountView(agent, customer.id))).toBe("STAFF_READ_RATE_LIMITED");
    expect(await codeOf(loadRecoveryView(agent, customer.id))).toBe("STAFF_READ_RATE_LIMITED");
    const denied = await prisma.auditEvent.findMany({
      where: { actorId: agent.actor.id, outcome: "DENIED" },
      orderBy: { seq: "asc" },
    });
    expect(denied.map((row) => row.action)).toEqual(["accounts.search", "account.view", "recovery.view"]);
    expect(denied[1]).toMatchObject({ targetId: customer.id, after: { reason: "read budget" } });
    // The refused reads showed nothing: no customer appears in a row of this member after the budget ran out.
    expect(await prisma.auditEvent.count({ where: { actorId: agent.actor.id, outcome: "SUCCESS" } })).toBe(perMinute);

    const colleague = staffContext("AGENT");
    expect((await searchForCaller(colleague, customer.displayId)).kind).toBe("results");

    advanceClock(61_000);
    expect(await codeOf(loadAccountView(agent, customer.id))).toBe("ACCEPTED");
  });
});
