// A message that carries a secret (a recovery code, a reset link) goes only where the flow that issued it decided: the
// known-good contact for a code, the reviewed address for a link. Resending a doubtful one must never move it to the
// customer's current address, which may be the attacker's.
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { resetClock } from "~/lib/clock.server";
import { retryMessage } from "~/notify/notice-queries.server";
import { forceReset } from "~/recovery/force-reset.server";
import { sendRecoveryCode } from "~/recovery/recovery-code.server";
import { staffContext } from "../support/staff";
import { createRecoveryCustomer, hijackEmail } from "./recovery-fixtures";

process.env.FIREBREAK_TEST_CLOCK = "1";
afterEach(() => resetClock());

const agent = staffContext("AGENT");
const lead = staffContext("SECURITY_LEAD");

/** The worker's answer when the mail server's reply was lost: the body is kept, the row waits for a reviewer. */
async function markUncertain(messageId: string): Promise<void> {
  await prisma.outboundMessage.update({
    where: { id: messageId },
    data: { status: "UNCERTAIN", attempts: 1, lastError: "connection lost after DATA" },
  });
}

describe("resending a doubtful message that carries a secret", () => {
  it("never sends a recovery code to the attacker's current address", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    await sendRecoveryCode(agent, { customerId: customer.id, channel: "EMAIL" });
    const sent = await prisma.outboundMessage.findFirstOrThrow({
      where: { customerId: customer.id, template: "recovery-code" },
    });
    expect(sent.recipient).toBe(customer.email);
    await markUncertain(sent.id);

    await expect(retryMessage(agent, sent.id, "caller says nothing arrived")).rejects.toMatchObject({
      code: "SECRET_NOT_RESENT",
    });
    const after = await prisma.outboundMessage.findUniqueOrThrow({ where: { id: sent.id } });
    expect(after).toMatchObject({ status: "UNCERTAIN", recipient: customer.email });
    expect(await prisma.outboundMessage.count({ where: { recipient: hijack.attackerEmail } })).toBe(0);
    const denied = await prisma.auditEvent.findFirstOrThrow({ where: { action: "notify.retry", targetId: sent.id } });
    expect(denied.outcome).toBe("FAILED");
  });

  it("never sends a reset link to an address set after the link was issued", async () => {
    const customer = await createRecoveryCustomer();
    await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason: "caller reports a takeover" });
    const sent = await prisma.outboundMessage.findFirstOrThrow({
      where: { customerId: customer.id, template: "password-reset" },
    });
    expect(sent.recipient).toBe(customer.email);
    await markUncertain(sent.id);
    const hijack = await hijackEmail(customer, 0);

    await expect(retryMessage(lead, sent.id)).rejects.toMatchObject({ code: "SECRET_NOT_RESENT" });
    expect(await prisma.outboundMessage.count({ where: { recipient: hijack.attackerEmail } })).toBe(0);
  });
});
