// A containment policy engages a kill switch by itself once a second lead has approved it. Whatever else reaches the
// service with a proposal (extra fields a caller passes along: a status, an approver, a proposer) is ignored: a
// proposal is always PROPOSED, by the lead who made it, approved by nobody yet.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { proposePolicy, type ProposePolicyInput } from "~/detect/policies.server";
import { staffContext } from "../support/staff";

describe("a policy proposal with extra fields", () => {
  it("keeps only the detector, severity and switch", async () => {
    const lead = staffContext("SECURITY_LEAD", { steppedUp: true });
    const accomplice = staffContext("SECURITY_LEAD");
    const smuggled = {
      detector: "failed-signin-rate",
      minSeverity: "HIGH",
      switchKey: "topup.credit_card",
      status: "ACTIVE",
      approvedById: accomplice.actor.id,
      approvedAt: new Date(),
      proposedById: accomplice.actor.id,
    } as unknown as ProposePolicyInput;
    const { id } = await proposePolicy(lead, smuggled);
    const policy = await prisma.containmentPolicy.findUniqueOrThrow({ where: { id } });
    expect(policy).toMatchObject({
      detector: "failed-signin-rate",
      minSeverity: "HIGH",
      switchKey: "topup.credit_card",
      status: "PROPOSED",
      approvedById: null,
      approvedAt: null,
      proposedById: lead.actor.id,
    });
  });
});
