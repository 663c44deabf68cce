// Forcing a password reset from the console: one transaction that revokes every session and device token,
// marks must-change, optionally requires 2FA enrolment, replaces earlier links with one single-use link (hash only,
// 30 minutes) and queues it to the verified email on file — or holds it when that address cannot be trusted.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { translateDomainError } from "~/i18n/translate.server";
import { now } from "~/lib/clock.server";
import type { DomainError } from "~/lib/domain-error";
import { forceReset } from "~/recovery/force-reset.server";
import { hashResetToken, RESET_TOKEN_LIFETIME_MS } from "~/recovery/reset-token.server";
import { validateCustomerSession } from "~/wallet/customer-auth-session.server";
import { staffContext } from "../support/staff";
import { allAuditText, createRecoveryCustomer, hijackEmail, latestResetLink } from "./recovery-fixtures";

const agent = staffContext("AGENT");
const reason = "customer reported a takeover on the phone";

async function snapshot(customerId: string) {
  return {
    customer: await prisma.customer.findUniqueOrThrow({
      where: { id: customerId },
      select: { email: true, mustChangePassword: true, mustEnrollTwoFactor: true, passwordHash: true },
    }),
    activeSessions: await prisma.customerSession.count({ where: { customerId, revokedAt: null } }),
    activeDevices: await prisma.device.count({ where: { customerId, revokedAt: null } }),
    tokens: await prisma.passwordResetToken.count({ where: { customerId } }),
    mails: await prisma.outboundMessage.count({ where: { customerId } }),
  };
}

describe("forceReset", () => {
  it("revokes sessions and devices, marks must-change and queues one link to the verified email", async () => {
    const customer = await createRecoveryCustomer();
    expect((await validateCustomerSession(customer.sessionToken)).ok).toBe(true);
    const before = now();

    const summary = await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });

    expect(summary).toMatchObject({
      sessionsRevoked: 1,
      devicesRevoked: 1,
      linksSuperseded: 0,
      delivery: { kind: "QUEUED", to: customer.email },
    });
    expect(await validateCustomerSession(customer.sessionToken)).toEqual({ ok: false, reason: "REVOKED" });
    const state = await snapshot(customer.id);
    expect(state).toMatchObject({ activeSessions: 0, activeDevices: 0, tokens: 1, mails: 1 });
    expect(state.customer).toMatchObject({ mustChangePassword: true, mustEnrollTwoFactor: false });

    const link = await latestResetLink(customer.id);
    expect(link.recipient).toBe(customer.email);
    expect(link.url.searchParams.get("account")).toBe(customer.displayId);
    // Only the hash is stored, and it expires 30 minutes after it was made.
    const row = await prisma.passwordResetToken.findUniqueOrThrow({ where: { id: hashResetToken(link.token) } });
    expect(row).toMatchObject({
      customerId: customer.id,
      origin: "STAFF_FORCED",
      sentTo: customer.email,
      usedAt: null,
    });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(RESET_TOKEN_LIFETIME_MS);
    expect(RESET_TOKEN_LIFETIME_MS).toBe(30 * 60 * 1000);
    expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(await prisma.passwordResetToken.count({ where: { id: link.token } })).toBe(0);

    const [audit] = await prisma.auditEvent.findMany({
      where: { action: "recovery.force-reset", targetId: customer.id },
    });
    expect(audit).toMatchObject({ outcome: "SUCCESS", actorId: agent.actor.id, reason });
    expect(audit!.after).toMatchObject({ sessionsRevoked: 1, devicesRevoked: 1, link: { sentTo: customer.email } });
    const text = await allAuditText();
    expect(text).not.toContain(link.token);
    expect(text).not.toContain(link.url.toString());
  });

  it("optionally requires 2FA enrolment and drops the authenticator on file (it may be the attacker's)", async () => {
    const customer = await createRecoveryCustomer();
    await prisma.customerTotpCredential.create({
      data: { customerId: customer.id, secretEncrypted: "x:y:z", enrolledAt: now() },
    });
    await prisma.customer.update({ where: { id: customer.id }, data: { twoFactorEnrolled: true } });

    const summary = await forceReset(agent, { customerId: customer.id, requireTwoFactor: true, reason });

    expect(summary).toMatchObject({ authenticatorRemoved: true, mustEnrollTwoFactor: true });
    expect(await prisma.customerTotpCredential.count({ where: { customerId: customer.id } })).toBe(0);
    expect(await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({
      mustChangePassword: true,
      mustEnrollTwoFactor: true,
      twoFactorEnrolled: false,
    });
  });

  it("a second reset replaces the first link: only the newest works", async () => {
    const customer = await createRecoveryCustomer();
    await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });
    const first = await latestResetLink(customer.id);
    const summary = await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });
    const second = await latestResetLink(customer.id);

    expect(summary.linksSuperseded).toBe(1);
    expect(second.token).not.toBe(first.token);
    const rows = await prisma.passwordResetToken.findMany({ where: { customerId: customer.id } });
    expect(rows.find((r) => r.id === hashResetToken(first.token))!.supersededAt).not.toBeNull();
    expect(rows.find((r) => r.id === hashResetToken(second.token))!.supersededAt).toBeNull();
  });

  it("refuses a closed account with a clear message, changes nothing and audits the attempt", async () => {
    const customer = await createRecoveryCustomer({ status: "CLOSED" });
    const before = await snapshot(customer.id);

    await expect(forceReset(agent, { customerId: customer.id, requireTwoFactor: true, reason })).rejects.toMatchObject({
      code: "ACCOUNT_CLOSED",
      message: expect.stringContaining("closed"),
    });

    expect(await snapshot(customer.id)).toEqual(before);
    const rows = await prisma.auditEvent.findMany({ where: { action: "recovery.force-reset", targetId: customer.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "FAILED", after: { error: expect.stringContaining("ACCOUNT_CLOSED") } });
  });

  it("refuses staff without the permission and audits the denial", async () => {
    const customer = await createRecoveryCustomer();
    const before = await snapshot(customer.id);
    const compliance = staffContext("COMPLIANCE");

    await expect(
      forceReset(compliance, { customerId: customer.id, requireTwoFactor: false, reason }),
    ).rejects.toMatchObject({ code: "PERMISSION_DENIED" });

    expect(await snapshot(customer.id)).toEqual(before);
    const [row] = await prisma.auditEvent.findMany({
      where: { action: "recovery.force-reset", targetId: customer.id },
    });
    expect(row).toMatchObject({ outcome: "DENIED", actorId: compliance.actor.id });
  });

  it("has no destination input: an address passed along is ignored, the link goes to the file's email", async () => {
    const customer = await createRecoveryCustomer();
    const input = { customerId: customer.id, requireTwoFactor: false, reason, email: "someone@attacker.example" };

    await forceReset(agent, input);

    const link = await latestResetLink(customer.id);
    expect(link.recipient).toBe(customer.email);
    expect(await prisma.outboundMessage.count({ where: { recipient: "someone@attacker.example" } })).toBe(0);
  });

  it("holds the link when the email on file is not verified, but still contains the account", async () => {
    const customer = await createRecoveryCustomer({ emailVerified: false });

    const summary = await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });

    expect(summary.delivery).toMatchObject({ kind: "HELD", code: "NO_VERIFIED_EMAIL" });
    expect(await snapshot(customer.id)).toMatchObject({ activeSessions: 0, activeDevices: 0, tokens: 0, mails: 0 });
  });

  it("holds the link when the email was changed recently and nobody reviewed it: the attacker gets nothing", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);

    const summary = await forceReset(agent, { customerId: customer.id, requireTwoFactor: true, reason });

    expect(summary.delivery).toMatchObject({ kind: "HELD", code: "CONTACT_UNDER_REVIEW" });
    expect(summary.sessionsRevoked).toBe(2); // the owner's and the attacker's
    expect(await validateCustomerSession(hijack.attackerSessionToken)).toEqual({ ok: false, reason: "REVOKED" });
    expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(0);
    expect(await prisma.outboundMessage.count({ where: { recipient: hijack.attackerEmail } })).toBe(0);
  });

  it("refuses malformed input with a clear message", async () => {
    await expect(
      forceReset(agent, { customerId: "not-a-customer", requireTwoFactor: false, reason }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", status: 400 });
    const customer = await createRecoveryCustomer();
    const blank = await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason: " " }).then(
      () => expect.fail("a blank reason was accepted"),
      (error: DomainError) => error,
    );
    expect(blank).toMatchObject({ code: "INVALID_INPUT", status: 400 });
    // The shared reader's message, in the member's language.
    expect(translateDomainError("en", blank)).toContain("Say why");
    expect(translateDomainError("ja", blank)).toContain("理由を5文字以上");
    await expect(
      forceReset(agent, { customerId: "00000000-0000-4000-8000-000000000000", requireTwoFactor: false, reason }),
    ).rejects.toMatchObject({ code: "CUSTOMER_NOT_FOUND", status: 404 });
  });
});
