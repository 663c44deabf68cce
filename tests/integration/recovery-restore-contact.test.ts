// Restoring hijacked contacts: the agent records what the caller proved (which facts matched, never the
// answers), then restores the last known-good, verified value; the next reset goes there and the attacker's address
// gets nothing. Every refusal is clear, changes nothing and is audited.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { forceReset } from "~/recovery/force-reset.server";
import { IDENTITY_CHECK_VALIDITY_MS, recordIdentityCheck } from "~/recovery/identity-check.server";
import { loadRecoveryView } from "~/recovery/recovery-view.server";
import { requestKeepContact } from "~/recovery/keep-contact.server";
import { restoreContact } from "~/recovery/restore-contact.server";
import { staffContext } from "../support/staff";
import { translateDomainError, translateMessage } from "~/i18n/translate.server";
import type { DomainError } from "~/lib/domain-error";
import {
  allAuditText,
  BIRTH_DATE,
  CARD_LAST4,
  createRecoveryCustomer,
  hijackEmail,
  LAST_TOP_UP_YEN,
  latestResetLink,
  passIdentityCheck,
  proveKnownGoodEmail,
  restoreHijackedEmail,
  type RecoveryCustomer,
} from "./recovery-fixtures";

process.env.FIREBREAK_TEST_CLOCK = "1";
afterEach(() => resetClock());

const agent = staffContext("AGENT");
const reason = "caller passed identity check; email moved by attacker";

async function contactState(customer: RecoveryCustomer) {
  return {
    row: await prisma.customer.findUniqueOrThrow({
      where: { id: customer.id },
      select: { email: true, emailVerified: true, phone: true },
    }),
    changes: await prisma.contactChange.count({ where: { customerId: customer.id } }),
    unusedChecks: await prisma.identityCheck.count({ where: { customerId: customer.id, usedAt: null } }),
  };
}

async function lastAudit(action: string, customerId: string) {
  const rows = await prisma.auditEvent.findMany({ where: { action, targetId: customerId }, orderBy: { seq: "desc" } });
  return rows[0];
}

describe("identity checks", () => {
  it("record which facts matched and never the caller's answers", async () => {
    const customer = await createRecoveryCustomer();
    await hijackEmail(customer);
    const typedBirthDate = "1985-03-15"; // one day off
    const typedLast4 = "9931";

    const result = await recordIdentityCheck(agent, {
      customerId: customer.id,
      birthDate: typedBirthDate,
      lastTopUpYen: LAST_TOP_UP_YEN,
      cardLast4: typedLast4,
    });

    expect(result).toMatchObject({
      passed: false,
      facts: { birthDate: "mismatched", lastTopUp: "matched", cardLast4: "mismatched" },
      validUntil: null,
    });
    const row = await prisma.identityCheck.findUniqueOrThrow({ where: { id: result.id } });
    expect(row).toMatchObject({
      staffId: agent.actor.id,
      birthDateMatched: false,
      lastTopUpMatched: true,
      cardLast4Matched: false,
      passed: false,
    });
    const audit = await lastAudit("recovery.identity-check", customer.id);
    expect(audit).toMatchObject({ outcome: "SUCCESS", after: { passed: false, identityCheckId: result.id } });
    const stored = JSON.stringify(row) + (await allAuditText());
    expect(stored).not.toContain(typedBirthDate);
    expect(stored).not.toContain(typedLast4);
  });

  it("pass with two or more matching facts and none contradicted", async () => {
    const customer = await createRecoveryCustomer();
    const two = await recordIdentityCheck(agent, {
      customerId: customer.id,
      birthDate: BIRTH_DATE,
      cardLast4: CARD_LAST4,
    });
    expect(two.passed).toBe(true);
    expect(two.validUntil).not.toBeNull();
    const oneFact = await recordIdentityCheck(agent, { customerId: customer.id, birthDate: BIRTH_DATE }).catch(
      (error: unknown) => error,
    );
    expect(oneFact).toMatchObject({ code: "INVALID_INPUT", message: "recovery:validation.twoFacts" });
    // The page says which rule was broken, in the member's language, not only that the input was invalid.
    expect(translateDomainError("en", oneFact as DomainError)).toContain("at least two");
    expect(translateDomainError("ja", oneFact as DomainError)).toBe(
      translateMessage("ja", "recovery:validation.twoFacts"),
    );
  });

  it("answer the last top-up from before the takeover: the attacker's own top-up does not count", async () => {
    const customer = await createRecoveryCustomer();
    await hijackEmail(customer, 30);
    const wallet = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: customer.id } });
    const clearing = await prisma.ledgerAccount.findUniqueOrThrow({ where: { code: "clearing:CREDIT_CARD" } });
    await prisma.$transaction(async (tx) => {
      const t = await tx.ledgerTransaction.create({
        data: { kind: "TOP_UP", customerId: customer.id, amount: 30_000, occurredAt: new Date() },
      });
      await tx.ledgerEntry.createMany({
        data: [
          { transactionId: t.id, accountId: clearing.id, amount: -30_000 },
          { transactionId: t.id, accountId: wallet.id, amount: 30_000 },
        ],
      });
    });

    const attackerAnswer = await recordIdentityCheck(agent, {
      customerId: customer.id,
      birthDate: BIRTH_DATE,
      lastTopUpYen: 30_000,
    });
    expect(attackerAnswer.facts.lastTopUp).toBe("mismatched");
    const ownerAnswer = await passIdentityCheck(agent, customer.id);
    expect(ownerAnswer.passed).toBe(true);
  });

  it("stop after three failed checks in a day: the caller is escalated, not retried", async () => {
    const customer = await createRecoveryCustomer();
    for (let i = 0; i < 3; i++) {
      await recordIdentityCheck(agent, { customerId: customer.id, birthDate: "2000-01-01", cardLast4: "0000" });
    }
    await expect(passIdentityCheck(agent, customer.id)).rejects.toMatchObject({
      code: "IDENTITY_CHECK_LOCKED",
      status: 423,
    });
    expect(await prisma.identityCheck.count({ where: { customerId: customer.id, passed: true } })).toBe(0);
  });
});

describe("restoreContact", () => {
  it("refuses without an identity check: clear message, nothing changed, audited", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    const before = await contactState(customer);

    await expect(restoreHijackedEmail(agent, customer.id, hijack, reason)).rejects.toMatchObject({
      code: "IDENTITY_CHECK_REQUIRED",
      message: expect.stringContaining("identity check"),
    });

    expect(await contactState(customer)).toEqual(before);
    expect(await lastAudit("recovery.restore-contact", customer.id)).toMatchObject({
      outcome: "FAILED",
      after: { error: expect.stringContaining("IDENTITY_CHECK_REQUIRED") },
    });
  });

  it("refuses with a failed check, an expired check, or another agent's check", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    const attempt = (ctx = agent) =>
      restoreContact(ctx, {
        customerId: customer.id,
        contactChangeId: hijack.changeId,
        expectedCurrent: hijack.attackerEmail,
        reason,
      });

    await recordIdentityCheck(agent, { customerId: customer.id, birthDate: "1999-09-09", cardLast4: CARD_LAST4 });
    await expect(attempt()).rejects.toMatchObject({ code: "IDENTITY_CHECK_REQUIRED" });

    await passIdentityCheck(staffContext("AGENT"), customer.id);
    await expect(attempt()).rejects.toMatchObject({ code: "IDENTITY_CHECK_REQUIRED" });

    await passIdentityCheck(agent, customer.id);
    advanceClock(IDENTITY_CHECK_VALIDITY_MS + 1000);
    await expect(attempt()).rejects.toMatchObject({ code: "IDENTITY_CHECK_REQUIRED" });
    expect(IDENTITY_CHECK_VALIDITY_MS).toBe(30 * 60 * 1000);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(hijack.attackerEmail);
  });

  it("refuses to restore a value the customer never verified", async () => {
    const customer = await createRecoveryCustomer();
    const unverified = await prisma.contactChange.create({
      data: {
        customerId: customer.id,
        field: "EMAIL",
        oldValue: "typo-never-confirmed@example.com",
        newValue: customer.email,
        changedAt: new Date(Date.now() - 90 * 60 * 1000),
        source: "APP",
        oldValueVerified: false,
      },
    });
    await passIdentityCheck(agent, customer.id);
    const before = await contactState(customer);

    await expect(
      restoreContact(agent, {
        customerId: customer.id,
        contactChangeId: unverified.id,
        expectedCurrent: customer.email,
        reason,
      }),
    ).rejects.toMatchObject({ code: "CONTACT_NEVER_VERIFIED", message: expect.stringContaining("never verified") });

    // The check was not used up by the refused restore.
    expect(await contactState(customer)).toEqual(before);
    expect(await lastAudit("recovery.restore-contact", customer.id)).toMatchObject({ outcome: "FAILED" });
  });

  it("refuses a change of another account, and a stale view of the contact", async () => {
    const customer = await createRecoveryCustomer();
    const other = await createRecoveryCustomer();
    const otherHijack = await hijackEmail(other);
    const hijack = await hijackEmail(customer);
    await passIdentityCheck(agent, customer.id);

    await expect(
      restoreContact(agent, {
        customerId: customer.id,
        contactChangeId: otherHijack.changeId,
        expectedCurrent: hijack.attackerEmail,
        reason,
      }),
    ).rejects.toMatchObject({ code: "CONTACT_CHANGE_NOT_FOUND", status: 404 });
    await expect(
      restoreContact(agent, {
        customerId: customer.id,
        contactChangeId: hijack.changeId,
        expectedCurrent: "what-the-agent-saw-earlier@example.com",
        reason,
      }),
    ).rejects.toMatchObject({ code: "CONTACT_STALE" });
    await expect(
      restoreContact(agent, { customerId: customer.id, contactChangeId: randomUUID(), expectedCurrent: "x", reason }),
    ).rejects.toMatchObject({ code: "CONTACT_CHANGE_NOT_FOUND" });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: other.id } })).email).toBe(
      otherHijack.attackerEmail,
    );
  });

  it("restores the verified address, then the reset goes there and the attacker's address gets nothing", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    const held = await forceReset(agent, { customerId: customer.id, requireTwoFactor: true, reason });
    expect(held.delivery).toMatchObject({ kind: "HELD", code: "CONTACT_UNDER_REVIEW" });

    const view = await loadRecoveryView(agent, customer.id);
    expect(await lastAudit("recovery.view", customer.id)).toMatchObject({
      outcome: "SUCCESS",
      actorId: agent.actor.id,
    });
    const suggested = view.history.find((change) => change.suggested);
    expect(suggested).toMatchObject({ id: hijack.changeId, oldValue: customer.email, suspect: true, restorable: true });

    const check = await passIdentityCheck(agent, customer.id);
    const codeId = await proveKnownGoodEmail(agent, customer.id);
    const restored = await restoreHijackedEmail(agent, customer.id, hijack, reason);
    expect(restored).toMatchObject({ field: "EMAIL", restored: customer.email, replaced: hijack.attackerEmail });

    const row = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(row).toMatchObject({ email: customer.email, emailVerified: true });
    const undo = await prisma.contactChange.findFirstOrThrow({
      where: { customerId: customer.id, source: "STAFF_RESTORE" },
    });
    // The attacker's address is recorded as never verified: it can never be "restored" itself.
    expect(undo).toMatchObject({ oldValue: hijack.attackerEmail, newValue: customer.email, oldValueVerified: false });
    expect(await prisma.identityCheck.findUniqueOrThrow({ where: { id: check.id } })).toMatchObject({
      usedAt: expect.any(Date),
    });
    expect(await lastAudit("recovery.restore-contact", customer.id)).toMatchObject({
      outcome: "SUCCESS",
      before: { field: "EMAIL", value: hijack.attackerEmail },
      after: { field: "EMAIL", value: customer.email, identityCheckId: check.id, recoveryCodeId: codeId },
    });

    const sent = await forceReset(agent, { customerId: customer.id, requireTwoFactor: true, reason });
    expect(sent.delivery).toMatchObject({ kind: "QUEUED", to: customer.email });
    expect((await latestResetLink(customer.id)).recipient).toBe(customer.email);
    expect(await prisma.outboundMessage.count({ where: { recipient: hijack.attackerEmail } })).toBe(0);

    // Undoing the restore would hand the account back to the attacker: refused (after a fresh check, even).
    await passIdentityCheck(agent, customer.id);
    await expect(
      restoreContact(agent, {
        customerId: customer.id,
        contactChangeId: undo.id,
        expectedCurrent: customer.email,
        reason,
      }),
    ).rejects.toMatchObject({ code: "CONTACT_NEVER_VERIFIED" });
  });

  it("a check authorises one restore only", async () => {
    const customer = await createRecoveryCustomer();
    const first = await hijackEmail(customer, 120);
    await passIdentityCheck(agent, customer.id);
    await proveKnownGoodEmail(agent, customer.id);
    await restoreHijackedEmail(agent, customer.id, first, reason);
    advanceClock(2 * 60 * 1000); // the attacker strikes again after the restore
    const second = await hijackEmail({ ...customer }, 1);
    await expect(restoreHijackedEmail(agent, customer.id, second, reason)).rejects.toMatchObject({
      code: "IDENTITY_CHECK_REQUIRED",
    });
  });
});

describe("keeping a suspect contact (the agent's half)", () => {
  it("files a request only after a passed check and a code read back; the link stays held meanwhile", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer); // here: maybe the customer's own change
    const keep = { customerId: customer.id, field: "EMAIL" as const, expectedCurrent: hijack.attackerEmail, reason };
    await expect(requestKeepContact(agent, keep)).rejects.toMatchObject({ code: "IDENTITY_CHECK_REQUIRED" });
    await passIdentityCheck(agent, customer.id);
    // Knowledge facts alone (on the agent's own screen) are not enough.
    await expect(requestKeepContact(agent, keep)).rejects.toMatchObject({ code: "RECOVERY_CODE_REQUIRED" });

    await passIdentityCheck(agent, customer.id);
    await proveKnownGoodEmail(agent, customer.id);
    const request = await requestKeepContact(agent, keep);
    expect(request).toMatchObject({ field: "EMAIL", value: hijack.attackerEmail });
    const summary = await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });
    expect(summary.delivery).toMatchObject({ kind: "HELD", code: "CONTACT_UNDER_REVIEW" });
    expect(await prisma.outboundMessage.count({ where: { recipient: hijack.attackerEmail } })).toBe(0);
  });

  it("refuses to keep an address that was never verified", async () => {
    const customer = await createRecoveryCustomer({ emailVerified: false });
    await passIdentityCheck(agent, customer.id);
    await expect(
      requestKeepContact(agent, { customerId: customer.id, field: "EMAIL", expectedCurrent: customer.email, reason }),
    ).rejects.toMatchObject({ code: "CONTACT_NEVER_VERIFIED" });
  });
});
