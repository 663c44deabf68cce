// Proof the attacker cannot have: recovery codes go only to the last known-good contact, are short-lived, hashed at
// rest, attempt-limited and single-use; restores go only to the known-good value; keeping a suspect contact needs a
// second security lead; and no sequence of requests by one agent (or two) sends a reset link to the attacker.
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { isDomainError } from "~/lib/domain-error";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { listSinkSms } from "~/notify/sms-transport.server";
import { forceReset } from "~/recovery/force-reset.server";
import { recordIdentityCheck } from "~/recovery/identity-check.server";
import { decideKeepContact, requestKeepContact } from "~/recovery/keep-contact.server";
import {
  MAX_CODE_ATTEMPTS,
  RECOVERY_CODE_LIFETIME_MS,
  sendRecoveryCode,
  verifyRecoveryCode,
} from "~/recovery/recovery-code.server";
import { restoreContact } from "~/recovery/restore-contact.server";
import { onFile, staffContext } from "../support/staff";
import {
  allAuditText,
  BIRTH_DATE,
  CARD_LAST4,
  createRecoveryCustomer,
  hijackEmail,
  latestMailedCode,
  proveKnownGoodEmail,
  restoreHijackedEmail,
  type RecoveryCustomer,
} from "./recovery-fixtures";

process.env.FIREBREAK_TEST_CLOCK = "1";
afterEach(() => resetClock());

const agent = staffContext("AGENT");
const reason = "caller on the line after the takeover";
const DAY = 24 * 60 * 60 * 1000;

/** The birth date and card digits: both on the agent's own screen, so a malicious agent always "passes". */
function passCheck(customerId: string, ctx = agent) {
  return recordIdentityCheck(ctx, { customerId, birthDate: BIRTH_DATE, cardLast4: CARD_LAST4 });
}

function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

async function phoneOf(customerId: string): Promise<string> {
  return (await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).phone;
}

/** An attacker's phone takeover from a brand-new device: the phone on file becomes theirs. */
async function hijackPhone(customer: RecoveryCustomer): Promise<{ ownerPhone: string; attackerPhone: string }> {
  const ownerPhone = await phoneOf(customer.id);
  const attackerPhone = `+8170${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const at = new Date(now().getTime() - 30 * 60 * 1000);
  await prisma.$transaction(async (tx) => {
    const device = await tx.device.create({
      data: {
        customerId: customer.id,
        fingerprint: `fp-thief-${randomBytes(4).toString("hex")}`,
        platform: "android",
        firstSeenAt: at,
      },
    });
    await tx.contactChange.create({
      data: {
        customerId: customer.id,
        field: "PHONE",
        oldValue: ownerPhone,
        newValue: attackerPhone,
        changedAt: at,
        source: "APP",
        deviceId: device.id,
        oldValueVerified: true,
      },
    });
    await tx.customer.update({ where: { id: customer.id }, data: { phone: attackerPhone, phoneVerified: true } });
  });
  return { ownerPhone, attackerPhone };
}

describe("the last known-good contact", () => {
  it("is the value before the first suspect change: a second hop by the attacker is not a restore target", async () => {
    const customer = await createRecoveryCustomer();
    const first = await hijackEmail(customer, 90);
    const second = await hijackEmail({ ...customer, email: first.attackerEmail }, 30);
    await sendRecoveryCode(agent, { customerId: customer.id, channel: "EMAIL" });
    expect((await latestMailedCode(customer.id)).recipient).toBe(customer.email);

    await passCheck(customer.id);
    await proveKnownGoodEmail(agent, customer.id);
    // The second change's old value (the attacker's first mailbox, "verified" by them) is refused.
    await expect(restoreHijackedEmail(agent, customer.id, second, reason)).rejects.toMatchObject({
      code: "NOT_KNOWN_GOOD",
    });
    const restored = await restoreContact(agent, {
      customerId: customer.id,
      contactChangeId: first.changeId,
      expectedCurrent: second.attackerEmail,
      reason,
    });
    expect(restored.restored).toBe(customer.email);
  });

  it("counts a change from a device new to the account as suspect, even long before any incident", async () => {
    const customer = await createRecoveryCustomer();
    const at = new Date(now().getTime() - 90 * DAY);
    const stranger = `old-drop-${randomBytes(3).toString("hex")}@attacker.example`;
    await prisma.$transaction(async (tx) => {
      const device = await tx.device.create({
        data: {
          customerId: customer.id,
          fingerprint: `fp-new-${randomBytes(4).toString("hex")}`,
          platform: "ios",
          firstSeenAt: at,
        },
      });
      await tx.contactChange.create({
        data: {
          customerId: customer.id,
          field: "EMAIL",
          oldValue: customer.email,
          newValue: stranger,
          changedAt: new Date(at.getTime() + 60_000),
          source: "APP",
          deviceId: device.id,
        },
      });
      await tx.customer.update({ where: { id: customer.id }, data: { email: stranger } });
    });
    const summary = await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });
    expect(summary.delivery).toMatchObject({ kind: "HELD", code: "CONTACT_UNDER_REVIEW" });
    await sendRecoveryCode(agent, { customerId: customer.id, channel: "EMAIL" });
    expect((await latestMailedCode(customer.id)).recipient).toBe(customer.email);
  });

  it("does not flag an old change made from the owner's long-known device", async () => {
    const customer = await createRecoveryCustomer();
    const at = new Date(now().getTime() - 90 * DAY);
    const newAddress = `moved-${randomBytes(3).toString("hex")}@example.com`;
    await prisma.$transaction(async (tx) => {
      const device = await tx.device.create({
        data: {
          customerId: customer.id,
          fingerprint: `fp-own-${randomBytes(4).toString("hex")}`,
          platform: "ios",
          firstSeenAt: new Date(at.getTime() - 400 * DAY),
        },
      });
      await tx.contactChange.create({
        data: {
          customerId: customer.id,
          field: "EMAIL",
          oldValue: customer.email,
          newValue: newAddress,
          changedAt: at,
          source: "APP",
          deviceId: device.id,
        },
      });
      await tx.customer.update({ where: { id: customer.id }, data: { email: newAddress } });
    });
    const summary = await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });
    expect(summary.delivery).toMatchObject({ kind: "QUEUED", to: newAddress });
  });
});

describe("recovery codes", () => {
  it("go to the known-good address, never the attacker's; only an HMAC is stored and no audit row holds the code", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    const sent = await sendRecoveryCode(agent, { customerId: customer.id, channel: "EMAIL" });
    expect(sent).toMatchObject({ channel: "EMAIL", sentTo: customer.email });
    const { code, recipient } = await latestMailedCode(customer.id);
    expect(recipient).toBe(customer.email);
    expect(await prisma.outboundMessage.count({ where: { recipient: hijack.attackerEmail } })).toBe(0);

    const row = await prisma.recoveryCode.findUniqueOrThrow({ where: { id: sent.id } });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.codeHash).not.toContain(code);
    expect(JSON.stringify(row)).not.toContain(code);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "recovery.code-send", targetId: customer.id },
    });
    expect(audit).toMatchObject({ outcome: "SUCCESS", after: { channel: "EMAIL", sentTo: customer.email } });

    await verifyRecoveryCode(agent, { customerId: customer.id, code });
    expect(await allAuditText()).not.toContain(`"${code}"`);
    expect(await prisma.auditEvent.count({ where: { action: "recovery.code-verify", targetId: customer.id } })).toBe(1);
  });

  it("expire after ten minutes", async () => {
    const customer = await createRecoveryCustomer();
    await sendRecoveryCode(agent, { customerId: customer.id, channel: "EMAIL" });
    const { code } = await latestMailedCode(customer.id);
    advanceClock(RECOVERY_CODE_LIFETIME_MS + 1000);
    await expect(verifyRecoveryCode(agent, { customerId: customer.id, code })).rejects.toMatchObject({
      code: "RECOVERY_CODE_INVALID",
    });
  });

  it(`die after ${MAX_CODE_ATTEMPTS} wrong entries (each audited), even if the right one follows`, async () => {
    const customer = await createRecoveryCustomer();
    await sendRecoveryCode(agent, { customerId: customer.id, channel: "EMAIL" });
    const { code } = await latestMailedCode(customer.id);
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i += 1) {
      await expect(verifyRecoveryCode(agent, { customerId: customer.id, code: wrongCode(code) })).rejects.toMatchObject(
        {
          code: "RECOVERY_CODE_INVALID",
        },
      );
    }
    await expect(verifyRecoveryCode(agent, { customerId: customer.id, code })).rejects.toMatchObject({
      code: "RECOVERY_CODE_INVALID",
    });
    const attempts = await prisma.auditEvent.findMany({
      where: { action: "recovery.code-verify", targetId: customer.id },
      orderBy: { seq: "asc" },
    });
    expect(attempts.length).toBe(MAX_CODE_ATTEMPTS + 1);
    expect(attempts[0]!.after).toMatchObject({ verified: false, attemptsLeft: MAX_CODE_ATTEMPTS - 1 });
    expect(await prisma.recoveryCode.findFirstOrThrow({ where: { customerId: customer.id } })).toMatchObject({
      attempts: MAX_CODE_ATTEMPTS,
      verifiedAt: null,
    });
  });

  it("work once, only for the agent who sent them, and a newer code replaces an older one", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    const other = staffContext("AGENT");
    await sendRecoveryCode(agent, { customerId: customer.id, channel: "EMAIL" });
    const old = await latestMailedCode(customer.id);
    await sendRecoveryCode(agent, { customerId: customer.id, channel: "EMAIL" });
    const fresh = await latestMailedCode(customer.id);
    if (old.code !== fresh.code) {
      await expect(verifyRecoveryCode(agent, { customerId: customer.id, code: old.code })).rejects.toMatchObject({
        code: "RECOVERY_CODE_INVALID",
      });
    }
    await expect(verifyRecoveryCode(other, { customerId: customer.id, code: fresh.code })).rejects.toMatchObject({
      code: "RECOVERY_CODE_INVALID",
    });
    await verifyRecoveryCode(agent, { customerId: customer.id, code: fresh.code });
    await expect(verifyRecoveryCode(agent, { customerId: customer.id, code: fresh.code })).rejects.toMatchObject({
      code: "RECOVERY_CODE_INVALID",
    });
    // One verified code, one restore: the second needs a new code.
    await passCheck(customer.id);
    await restoreHijackedEmail(agent, customer.id, hijack, reason);
    advanceClock(60_000);
    const again = await hijackEmail({ ...customer }, 0);
    await passCheck(customer.id);
    await expect(restoreHijackedEmail(agent, customer.id, again, reason)).rejects.toMatchObject({
      code: "RECOVERY_CODE_REQUIRED",
    });
  });

  it("go by SMS to the known-good phone through the development sink, not to the attacker's phone", async () => {
    const customer = await createRecoveryCustomer();
    const { ownerPhone, attackerPhone } = await hijackPhone(customer);
    const sent = await sendRecoveryCode(agent, { customerId: customer.id, channel: "PHONE" });
    expect(sent).toMatchObject({ channel: "PHONE", sentTo: ownerPhone });
    const text = listSinkSms().find((sms) => sms.to === ownerPhone);
    expect(text?.body).toMatch(/\d{6}/);
    expect(listSinkSms().some((sms) => sms.to === attackerPhone)).toBe(false);
    const code = text!.body.match(/(\d{6})/)![1]!;
    await expect(verifyRecoveryCode(agent, { customerId: customer.id, code })).resolves.toMatchObject({
      verified: true,
    });
    expect(await allAuditText()).not.toContain(code + "）");
  });

  it("are refused with a clear message when no known-good contact exists on that channel", async () => {
    const customer = await createRecoveryCustomer({ emailVerified: false });
    await expect(sendRecoveryCode(agent, { customerId: customer.id, channel: "EMAIL" })).rejects.toMatchObject({
      code: "NO_KNOWN_GOOD_CONTACT",
      status: 422,
    });
    await expect(sendRecoveryCode(agent, { customerId: customer.id, channel: "FAX" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      status: 400,
    });
  });
});

describe("keeping a suspect contact needs a second security lead", () => {
  async function requestedKeep(requester = agent) {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    await passCheck(customer.id, requester);
    await proveKnownGoodEmail(requester, customer.id);
    const request = await requestKeepContact(requester, {
      customerId: customer.id,
      field: "EMAIL",
      expectedCurrent: hijack.attackerEmail,
      reason,
    });
    return { customer, hijack, request };
  }

  it("an agent cannot decide; a lead cannot decide their own request; another lead can, and the link then goes", async () => {
    const lead = await onFile(staffContext("SECURITY_LEAD"));
    const { customer, hijack, request } = await requestedKeep(lead);
    const decision = { requestId: request.id, decision: "approve" as const, reason: "caller's own new address" };
    await expect(decideKeepContact(agent, decision)).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await expect(decideKeepContact({ ...lead, steppedUpAt: now() }, decision)).rejects.toMatchObject({
      code: "FOUR_EYES",
    });
    expect(
      await prisma.auditEvent.count({
        where: { action: "recovery.keep-contact.approve", targetId: request.id, outcome: { in: ["DENIED", "FAILED"] } },
      }),
    ).toBe(2);
    expect(
      (await forceReset(lead, { customerId: customer.id, requireTwoFactor: false, reason })).delivery,
    ).toMatchObject({ kind: "HELD" });

    // Another lead must also prove it is them (a fresh step-up) before approving; refusing needs none.
    const secondWithoutStepUp = staffContext("SECURITY_LEAD");
    await expect(decideKeepContact(secondWithoutStepUp, decision)).rejects.toMatchObject({ code: "STEP_UP_REQUIRED" });
    expect(
      await prisma.auditEvent.count({
        where: { action: "recovery.keep-contact.approve", targetId: request.id, outcome: "DENIED" },
      }),
    ).toBeGreaterThanOrEqual(2);
    const second = { ...secondWithoutStepUp, steppedUpAt: now() };
    await expect(decideKeepContact(second, decision)).resolves.toMatchObject({ status: "APPROVED" });
    const summary = await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason });
    expect(summary.delivery).toMatchObject({ kind: "QUEUED", to: hijack.attackerEmail });
    await expect(decideKeepContact(second, decision)).rejects.toMatchObject({ code: "KEEP_REQUEST_NOT_FOUND" });
  });

  it("a rejection keeps the link held; the database itself refuses a requester deciding", async () => {
    const { customer, request } = await requestedKeep();
    const lead = staffContext("SECURITY_LEAD");
    await decideKeepContact(lead, { requestId: request.id, decision: "reject", reason: "caller could not explain" });
    expect(
      (await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason })).delivery,
    ).toMatchObject({ kind: "HELD", code: "CONTACT_UNDER_REVIEW" });
    await expect(
      prisma.$executeRaw`UPDATE contact_keep_request SET decided_by_id = requested_by_id WHERE id = ${request.id}::uuid`,
    ).rejects.toThrow(/contact_keep_request_four_eyes/);
  });
});

describe("a malicious agent (alone, or with a second agent)", () => {
  type Step =
    | {
        kind: "check" | "send-email" | "send-sms" | "guess" | "attacker-codes" | "keep" | "reset" | "approve";
        who: 0 | 1;
      }
    | { kind: "restore"; who: 0 | 1; pick: number };
  const who = fc.constantFrom<0 | 1>(0, 1);
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constantFrom(
        "check" as const,
        "send-email" as const,
        "send-sms" as const,
        "guess" as const,
        "attacker-codes" as const,
        "keep" as const,
        "reset" as const,
        "approve" as const,
      ),
      who,
    }),
    fc.record({ kind: fc.constant("restore" as const), who, pick: fc.nat(5) }),
  );

  it("never makes a reset link (or a code) reach an address or phone set from the attacker's device", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 9 }), async (steps) => {
        const agents = [staffContext("AGENT"), staffContext("AGENT")] as const;
        const customer = await createRecoveryCustomer();
        const hijack = await hijackEmail(customer, 45);
        const second = await hijackEmail({ ...customer, email: hijack.attackerEmail }, 20);
        const phones = await hijackPhone(customer);
        const attackerAddresses = [hijack.attackerEmail, second.attackerEmail];
        const keepIds: string[] = [];

        for (const s of steps) {
          const ctx = agents[s.who];
          const current = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
          try {
            switch (s.kind) {
              case "check":
                await passCheck(customer.id, ctx);
                break;
              case "send-email":
                await sendRecoveryCode(ctx, { customerId: customer.id, channel: "EMAIL" });
                break;
              case "send-sms":
                await sendRecoveryCode(ctx, { customerId: customer.id, channel: "PHONE" });
                break;
              case "guess":
                await verifyRecoveryCode(ctx, { customerId: customer.id, code: "000000" });
                break;
              case "attacker-codes": {
                // The attacker reads their own mailbox and phone and passes whatever arrived to the agent.
                const mails = await prisma.outboundMessage.findMany({
                  where: { customerId: customer.id, recipient: { in: attackerAddresses } },
                  select: { textBody: true },
                });
                const texts = listSinkSms().filter((sms) => sms.to === phones.attackerPhone);
                for (const body of [...mails.map((m) => m.textBody ?? ""), ...texts.map((t) => t.body)]) {
                  const code = body.match(/\b(\d{6})\b/)?.[1];
                  if (code) await verifyRecoveryCode(ctx, { customerId: customer.id, code });
                }
                break;
              }
              case "keep": {
                const kept = await requestKeepContact(ctx, {
                  customerId: customer.id,
                  field: "EMAIL",
                  expectedCurrent: current.email,
                  reason,
                });
                keepIds.push(kept.id);
                break;
              }
              case "approve":
                for (const requestId of keepIds) {
                  // Stepped up: the property assumes the worst, a colleague who can pass every check they face.
                  await decideKeepContact(
                    { ...ctx, steppedUpAt: now() },
                    { requestId, decision: "approve", reason: "colleague asked me" },
                  );
                }
                break;
              case "reset":
                await forceReset(ctx, { customerId: customer.id, requireTwoFactor: false, reason });
                break;
              case "restore": {
                const history = await prisma.contactChange.findMany({
                  where: { customerId: customer.id },
                  orderBy: { changedAt: "asc" },
                });
                const change = history[s.pick % history.length]!;
                await restoreContact(ctx, {
                  customerId: customer.id,
                  contactChangeId: change.id,
                  expectedCurrent: change.field === "EMAIL" ? current.email : current.phone,
                  reason,
                });
                break;
              }
            }
          } catch (error) {
            if (!isDomainError(error)) throw error;
          }
        }

        const leaked = await prisma.outboundMessage.count({
          where: { customerId: customer.id, recipient: { in: attackerAddresses } },
        });
        const links = await prisma.passwordResetToken.count({
          where: { customerId: customer.id, sentTo: { in: attackerAddresses } },
        });
        expect({ leaked, links, texts: listSinkSms().filter((t) => t.to === phones.attackerPhone).length }).toEqual({
          leaked: 0,
          links: 0,
          texts: 0,
        });
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
