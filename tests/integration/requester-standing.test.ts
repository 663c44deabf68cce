// Four eyes judge a request on its requester's word. Once the requester is disabled or demoted (their session was
// stolen, they were talked into it, they misused it), a second person's approval must not carry it out: keeping an
// attacker-set contact (a reset link would then go there), releasing a kill switch, a large reversal, a containment
// policy, a risk rule. Each approval is refused, audited as FAILED and changes nothing; rejecting still works.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { changeStaffRole, disableStaff } from "~/auth/staff-admin.server";
import { prisma } from "~/db.server";
import { approvePolicy, proposePolicy } from "~/detect/policies.server";
import { engageSwitch } from "~/killswitch/engage.server";
import { approveRelease, rejectRelease, requestRelease } from "~/killswitch/release.server";
import { translateMessage } from "~/i18n/translate.server";
import { resetClock } from "~/lib/clock.server";
import { approveReversal } from "~/ledger/reversal-approval.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { forceReset } from "~/recovery/force-reset.server";
import { decideKeepContact, requestKeepContact } from "~/recovery/keep-contact.server";
import { backtestRule, draftRule, publishRule } from "~/risk/rules.server";
import { holdKillSwitchTestLock } from "../support/kill-switch-lock";
import { securedCustomerWithPurchase, newKey, reversedTotal } from "../support/ledger-fixtures";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createSignedInStaff, createStaff, signIn, stepUp, type SignedInStaff } from "../support/staff";
import { createRecoveryCustomer, hijackEmail, passIdentityCheck, proveKnownGoodEmail } from "./recovery-fixtures";

process.env.FIREBREAK_TEST_CLOCK = "1";
afterEach(() => resetClock());

let releaseLock: () => Promise<void>;
beforeAll(async () => {
  releaseLock = await holdKillSwitchTestLock();
});
afterAll(async () => {
  await releaseLock();
});

const REFUSED = { code: "REQUESTER_NO_LONGER_ENTITLED", status: 409 };
const reason = "checked with the caller";

function member(role: "AGENT" | "SECURITY_LEAD" | "ADMIN"): Promise<SignedInStaff> {
  return createSignedInStaff({ role });
}

/** What an admin does when a member's account is found taken over: disable it (sessions end with it). */
async function disable(requester: SignedInStaff) {
  const admin = await member("ADMIN");
  await disableStaff(admin.ctx, requester.member.id, "session stolen");
}

async function demote(requester: SignedInStaff) {
  const admin = await member("ADMIN");
  await changeStaffRole(admin.ctx, requester.member.id, "AGENT", "no longer on the incident team");
}

async function failedApprovals(action: string, targetId: string): Promise<number> {
  return prisma.auditEvent.count({ where: { action, targetId, outcome: "FAILED" } });
}

/** An agent (persuaded by the caller, or on a stolen session) asks to keep the attacker's new email. */
async function keepRequestedBy(agent: SignedInStaff) {
  const customer = await createRecoveryCustomer();
  const hijack = await hijackEmail(customer);
  await passIdentityCheck(agent.ctx, customer.id);
  await proveKnownGoodEmail(agent.ctx, customer.id);
  const request = await requestKeepContact(agent.ctx, {
    customerId: customer.id,
    field: "EMAIL",
    expectedCurrent: hijack.attackerEmail,
    reason,
  });
  return { customer, request };
}

/** A lead engages `key` and asks for its release: the request a second lead would approve. */
async function releaseRequestedBy(requester: SignedInStaff, key: string) {
  await engageSwitch(requester.ctx, { key, reason: "card-testing wave" });
  return requestRelease(requester.ctx, { key, reason: "wave over" });
}

/** Leaves `key` as found: the refused request rejected, then a release two current leads agree on. */
async function releaseAgain(refusedRequestId: string, key: string) {
  const second = await member("SECURITY_LEAD");
  await rejectRelease(second.ctx, { requestId: refusedRequestId, reason: "requester no longer entitled" });
  const again = await requestRelease(second.ctx, { key, reason: "wave over, checked" });
  await approveRelease((await member("SECURITY_LEAD")).ctx, { requestId: again.id });
}

describe("an approval is refused once its requester was disabled or demoted", () => {
  it("keeping an attacker-set email: the agent who filed it is disabled, so no lead's approval sends a link there", async () => {
    const agent = await member("AGENT");
    const { customer, request } = await keepRequestedBy(agent);
    await disable(agent);

    const lead = await member("SECURITY_LEAD");
    const approve = { requestId: request.id, decision: "approve" as const, reason: "the agent vouched for it" };
    await expect(decideKeepContact(lead.ctx, approve)).rejects.toMatchObject(REFUSED);
    expect(await failedApprovals("recovery.keep-contact.approve", request.id)).toBe(1);
    expect(await prisma.contactKeepRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "PENDING",
    });
    // The attacker's address is still under review: a forced reset holds the link.
    const other = await member("AGENT");
    const summary = await forceReset(other.ctx, { customerId: customer.id, requireTwoFactor: true, reason });
    expect(summary.delivery).toMatchObject({ kind: "HELD", code: "CONTACT_UNDER_REVIEW" });
    // The lead clears the queue by rejecting it.
    await expect(
      decideKeepContact(lead.ctx, { requestId: request.id, decision: "reject", reason: "requester disabled" }),
    ).resolves.toMatchObject({ status: "REJECTED" });
  });

  it("releasing a kill switch: a lead demoted after asking cannot have it released", async () => {
    const key = "topup.bank";
    const requester = await member("SECURITY_LEAD");
    const request = await releaseRequestedBy(requester, key);
    await demote(requester);

    const second = await member("SECURITY_LEAD");
    await expect(approveRelease(second.ctx, { requestId: request.id })).rejects.toMatchObject(REFUSED);
    expect(await failedApprovals("killswitch.release.approve", request.id)).toBe(1);
    expect((await prisma.killSwitch.findUniqueOrThrow({ where: { key } })).engaged).toBe(true);

    await releaseAgain(request.id, key);
    expect((await prisma.killSwitch.findUniqueOrThrow({ where: { key } })).engaged).toBe(false);
  });

  it("a large reversal asked for by an agent since disabled moves no money", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 150_000);
    const agent = await member("AGENT");
    const pending = await reverseCharge(agent.ctx, {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 150_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    expect(pending.status).toBe("PENDING_APPROVAL");
    await disable(agent);

    const lead = await member("SECURITY_LEAD");
    await expect(approveReversal(lead.ctx, { requestId: pending.requestId })).rejects.toMatchObject(REFUSED);
    expect(await failedApprovals("ledger.reverse.approve", pending.requestId)).toBe(1);
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
  });

  it("a containment policy proposed by a lead since disabled does not become active", async () => {
    const proposer = await member("SECURITY_LEAD");
    const { id } = await proposePolicy(proposer.ctx, {
      detector: "accounts-per-device",
      minSeverity: "LOW",
      switchKey: "topup.all",
    });
    await disable(proposer);

    const second = await member("SECURITY_LEAD");
    await expect(approvePolicy(second.ctx, id)).rejects.toMatchObject(REFUSED);
    expect(await failedApprovals("detect.policy.approve", id)).toBe(1);
    expect((await prisma.containmentPolicy.findUniqueOrThrow({ where: { id } })).status).toBe("PROPOSED");
  });

  it("a risk rule drafted by a lead since demoted is not published", async () => {
    const author = await member("SECURITY_LEAD");
    const rule = await draftRule(author.ctx, {
      ruleKey: `standing-${randomUUID().slice(0, 8)}`,
      name: "weakened version",
      condition: "amount >= 100000",
      outcome: "BLOCK",
      channel: "ALL",
    });
    await backtestRule(author.ctx, rule.id);
    await demote(author);

    const second = await member("SECURITY_LEAD");
    await expect(publishRule(second.ctx, rule.id)).rejects.toMatchObject(REFUSED);
    expect(await failedApprovals("risk.rule.publish", rule.id)).toBe(1);
    expect((await prisma.riskRule.findUniqueOrThrow({ where: { id: rule.id } })).status).toBe("DRAFT");
  });
});

describe("over HTTP, at /approvals", () => {
  let app: TestHttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it("a Japanese lead is told in Japanese why the disabled agent's request cannot be approved", async () => {
    const agent = await member("AGENT");
    const { request } = await keepRequestedBy(agent);
    await disable(agent);
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    await stepUp(lead, "/approvals");
    const refused = await lead.post("/approvals", {
      requestId: request.id,
      decision: "approve",
      reason: "旧アドレスに送ったコードを読み上げてもらいました",
    });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(translateMessage("ja", "errors:REQUESTER_NO_LONGER_ENTITLED"));
    expect((await prisma.contactKeepRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("PENDING");
  });

  it("the kill-switch board says it in Japanese too, and the switch stays engaged", async () => {
    const key = "topup.convenience_cash";
    const requester = await member("SECURITY_LEAD");
    const request = await releaseRequestedBy(requester, key);
    await disable(requester);
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    await stepUp(lead, "/kill-switches");
    const form = { intent: "approve", requestId: request.id, formId: `approve:${request.id}`, comment: "了解" };
    const refused = await lead.post("/kill-switches?index", form);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(translateMessage("ja", "errors:REQUESTER_NO_LONGER_ENTITLED"));
    expect((await prisma.killSwitch.findUniqueOrThrow({ where: { key } })).engaged).toBe(true);
    await releaseAgain(request.id, key);
  });
});
