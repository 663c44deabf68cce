// Reopening a contained account (unfreeze, restore from compromised) lets money move again for whoever can sign in.
// Until a forced reset has gone out since the account was contained, that may be the attacker: the password they
// stuffed still works and their session is live. A fresh code does not change that (the agent on the phone with the
// "owner" types their own), so the reopening waits for the reset (ADR 122).
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "~/audit/actor";
import { changeAccountStatus } from "~/accounts/account-status.server";
import { prisma } from "~/db.server";
import { bulkFreezeJob } from "~/jobs/bulk-freeze.server";
import { now } from "~/lib/clock.server";
import { forceReset } from "~/recovery/force-reset.server";
import { assertCustomerCanTransact } from "~/wallet/customer-guard.server";
import { createRecoveryCustomer, hijackEmail, type RecoveryCustomer } from "./recovery-fixtures";

const origin = { ip: "198.51.100.41", userAgent: "vitest", requestId: null };
let agent: { actor: Actor & { id: string }; origin: typeof origin };
let customer: RecoveryCustomer;

/** The same member just after re-entering a TOTP code. */
function steppedUp() {
  return { ...agent, steppedUpAt: now() };
}

async function statusOf(id: string) {
  return (await prisma.customer.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;
}

async function reset() {
  return forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason: "caller reports a takeover" });
}

beforeEach(async () => {
  const member = await prisma.staffUser.create({
    data: { email: `agent-${randomUUID()}@firebreak.test`, displayName: "Agent Kato", role: "AGENT" },
  });
  agent = { actor: { kind: "staff", id: member.id, role: "AGENT" }, origin };
  customer = await createRecoveryCustomer();
});

describe("reopening a contained account", () => {
  it("an unfreeze waits for a forced reset sent since the freeze, whatever code the agent types", async () => {
    await changeAccountStatus(agent, { customerId: customer.id, change: "freeze", reason: "unknown top-ups" });
    // The caller (who holds the stuffed password) asks to be let back in; the agent confirms with a fresh code.
    await expect(
      changeAccountStatus(steppedUp(), { customerId: customer.id, change: "unfreeze", reason: "caller says it is ok" }),
    ).rejects.toMatchObject({ code: "ACCOUNT_NOT_RECOVERED", status: 409 });
    expect(await statusOf(customer.id)).toBe("FROZEN");
    const refused = await prisma.auditEvent.findFirst({
      where: { action: "account.unfreeze", targetId: customer.id, outcome: "FAILED" },
    });
    expect(refused?.actorId).toBe(agent.actor.id);

    const summary = await reset();
    expect(summary.delivery.kind).toBe("QUEUED");
    await changeAccountStatus(steppedUp(), { customerId: customer.id, change: "unfreeze", reason: "reset sent" });
    expect(await statusOf(customer.id)).toBe("ACTIVE");
  });

  it("a reset made before the account was marked compromised does not reopen it", async () => {
    await reset();
    await changeAccountStatus(agent, { customerId: customer.id, change: "mark-compromised", reason: "new device" });
    await expect(
      changeAccountStatus(steppedUp(), { customerId: customer.id, change: "restore", reason: "looks fine" }),
    ).rejects.toMatchObject({ code: "ACCOUNT_NOT_RECOVERED" });
    expect(await statusOf(customer.id)).toBe("COMPROMISED");
    await reset();
    await changeAccountStatus(steppedUp(), { customerId: customer.id, change: "restore", reason: "reset sent" });
    expect(await statusOf(customer.id)).toBe("ACTIVE");
  });

  it("keeps a hijacked account shut while the reset is held for the attacker's email, and the attacker out", async () => {
    const hijack = await hijackEmail(customer);
    await changeAccountStatus(agent, { customerId: customer.id, change: "freeze", reason: "takeover" });
    // The email on file is the attacker's: the reset is held, nobody was sent a link.
    expect((await reset()).delivery.kind).not.toBe("QUEUED");
    await expect(
      changeAccountStatus(steppedUp(), { customerId: customer.id, change: "unfreeze", reason: "caller insists" }),
    ).rejects.toMatchObject({ code: "ACCOUNT_NOT_RECOVERED" });
    await expect(prisma.$transaction((tx) => assertCustomerCanTransact(tx, customer.id))).rejects.toMatchObject({
      code: "ACCOUNT_NOT_ACTIVE",
    });
    expect(hijack.attackerSessionToken).toBeTruthy();
  });

  it("a reset whose mail the outbox refused sent nobody a link, and does not reopen the account", async () => {
    await changeAccountStatus(agent, { customerId: customer.id, change: "freeze", reason: "unknown top-ups" });
    // Verified, unchanged, but no address mail can go to: the link is made and voided at once.
    await prisma.customer.update({ where: { id: customer.id }, data: { email: "owner@localhost" } });
    const summary = await reset();
    expect(summary.delivery).toMatchObject({ kind: "HELD", code: "MAIL_NOT_QUEUED" });
    await expect(
      changeAccountStatus(steppedUp(), { customerId: customer.id, change: "unfreeze", reason: "reset made" }),
    ).rejects.toMatchObject({ code: "ACCOUNT_NOT_RECOVERED" });
    expect(await statusOf(customer.id)).toBe("FROZEN");
  });

  it("a bulk freeze records when it contained the account: a reset from before it does not reopen it", async () => {
    await reset();
    const job = {
      id: randomUUID(),
      kind: bulkFreezeJob.kind,
      params: { reason: "cohort of the wave" },
      totals: {},
      incidentId: null,
      createdById: agent.actor.id,
      createdByRole: "SECURITY_LEAD",
      createdAt: now(),
    };
    const item = { id: 1n, seq: 1, phase: 0, subjectId: customer.id, customerId: customer.id, amount: null };
    await prisma.$transaction((tx) => bulkFreezeJob.processBatch(tx, job, [item]));
    expect(await statusOf(customer.id)).toBe("FROZEN");
    await expect(
      changeAccountStatus(steppedUp(), { customerId: customer.id, change: "unfreeze", reason: "looks fine" }),
    ).rejects.toMatchObject({ code: "ACCOUNT_NOT_RECOVERED" });
  });
});
