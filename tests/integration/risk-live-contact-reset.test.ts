// Risk rules on the two account events: a signed-in customer changing their email or phone in the app, and a
// self-service password-reset request. Each path applies the active rules of its kind in its own transaction, records
// the decision (event kind, rule version, triggering features), and fails closed when the rules cannot be read. A
// refused reset request is answered exactly as every other request is: the requester cannot tell.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { loadTimeline } from "~/accounts/timeline.server";
import { prisma, type DbTx } from "~/db.server";
import type { EventKind } from "~/risk/features";
import { disableRule, draftRule } from "~/risk/rules.server";
import { changeContact } from "~/wallet/contact-change.server";
import { requestPasswordReset } from "~/wallet/password-reset.server";
import { createRecoveryCustomer, CUSTOMER_ORIGIN } from "./recovery-fixtures";
import { codeOf } from "../support/domain-code";
import { riskRuleHarness } from "../support/risk-rules";

const { lead, steppedUpLead, goLive: goLiveOn, published } = riskRuleHarness("req-risk-contact-reset");
const goLive = (eventKind: EventKind, condition: string, outcome: "BLOCK" | "HOLD" | "STEP_UP") =>
  goLiveOn(condition, outcome, eventKind);

// Each test's rules are disabled after it, so no rule leaks into the next.
afterEach(async () => {
  for (const id of published.splice(0)) {
    const rule = await prisma.riskRule.findUnique({ where: { id } });
    if (rule?.status === "ACTIVE") await disableRule(steppedUpLead(), id, "test over");
  }
});

const uniqueEmail = () => `new-${randomUUID().slice(0, 8)}@example.net`;
const linksOf = (customerId: string) => prisma.passwordResetToken.count({ where: { customerId } });

describe("a rule for contact changes or reset requests", () => {
  it("may read only its kind's features, with a clear message", async () => {
    await expect(
      draftRule(lead(), {
        ruleKey: `test-${randomUUID().slice(0, 8)}`,
        name: "bad",
        condition: "ip_reset_requests_1h > 5",
        outcome: "BLOCK",
        channel: "ALL",
        eventKind: "CONTACT_CHANGE",
      }),
    ).rejects.toThrow(
      /“ip_reset_requests_1h” cannot be used in a rule for Contact change events; it exists for: Reset request/,
    );
    await expect(
      draftRule(lead(), {
        ruleKey: `test-${randomUUID().slice(0, 8)}`,
        name: "bad",
        condition: "device_age_hours < 1",
        outcome: "BLOCK",
        channel: "ALL",
        eventKind: "RESET_REQUEST",
      }),
    ).rejects.toThrow(/“device_age_hours” cannot be used in a rule for Reset request events/);
  });
});

describe("the contact-change path", () => {
  it("refuses a blocked change, keeps the contact, records the decision, and applies other changes", async () => {
    const rule = await goLive("CONTACT_CHANGE", 'contact_field == "EMAIL" and contact_changes_24h == 0', "BLOCK");
    const customer = await createRecoveryCustomer();
    const before = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(await codeOf(changeContact({ customerId: customer.id, field: "EMAIL", newValue: uniqueEmail() }))).toBe(
      "CONTACT_CHANGE_DECLINED",
    );
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(before.email);
    expect(await prisma.contactChange.count({ where: { customerId: customer.id } })).toBe(0);
    expect(
      await prisma.riskDecision.findFirstOrThrow({ where: { customerId: customer.id, eventKind: "CONTACT_CHANGE" } }),
    ).toMatchObject({
      outcome: "BLOCK",
      ruleId: rule.id,
      ruleVersion: 1,
      amount: null,
      features: { contact_field: "EMAIL", contact_changes_24h: 0 },
    });
    // A phone change is not this rule's business: it is applied and recorded as the app's.
    const changed = await changeContact({
      customerId: customer.id,
      field: "PHONE",
      newValue: "+819011112222",
      ip: "203.0.113.61",
    });
    expect(await prisma.contactChange.findUniqueOrThrow({ where: { id: changed.contactChangeId } })).toMatchObject({
      field: "PHONE",
      oldValue: before.phone,
      newValue: "+819011112222",
      source: "APP",
      ip: "203.0.113.61",
    });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).phone).toBe("+819011112222");
    // After that change, the email rule no longer matches (contact_changes_24h is 1).
    expect(await codeOf(changeContact({ customerId: customer.id, field: "EMAIL", newValue: uniqueEmail() }))).toBe(
      "ACCEPTED",
    );
    const { events } = await prisma.$transaction((tx) => loadTimeline(tx as DbTx, customer.id));
    const decision = events.find((e) => e.kind === "risk-decision");
    expect(decision?.summary).toContain(`${rule.ruleKey} v1: BLOCK`);
    expect(decision?.summary).toContain("contact change");
  });

  it("holds a change for support, and treats a step-up without an authenticator as a hold", async () => {
    await goLive("CONTACT_CHANGE", 'contact_field == "PHONE" and account_age_days >= 0', "HOLD");
    await goLive("CONTACT_CHANGE", 'contact_field == "EMAIL" and has_2fa == false', "STEP_UP");
    const customer = await createRecoveryCustomer();
    expect(await codeOf(changeContact({ customerId: customer.id, field: "PHONE", newValue: "+819033334444" }))).toBe(
      "CONTACT_CHANGE_HELD",
    );
    expect(await codeOf(changeContact({ customerId: customer.id, field: "EMAIL", newValue: uniqueEmail() }))).toBe(
      "CONTACT_CHANGE_HELD",
    );
    const decisions = await prisma.riskDecision.findMany({
      where: { customerId: customer.id, eventKind: "CONTACT_CHANGE" },
      orderBy: { occurredAt: "asc" },
    });
    expect(decisions.map((d) => d.outcome)).toEqual(["HOLD", "HOLD"]);
    expect(await prisma.contactChange.count({ where: { customerId: customer.id } })).toBe(0);
  });

  it("refuses bad input with a clear error and changes nothing", async () => {
    const customer = await createRecoveryCustomer();
    expect(await codeOf(changeContact({ customerId: customer.id, field: "EMAIL", newValue: "not an email" }))).toBe(
      "CONTACT_VALUE_INVALID",
    );
    expect(await codeOf(changeContact({ customerId: customer.id, field: "PHONE", newValue: "090-1234" }))).toBe(
      "CONTACT_VALUE_INVALID",
    );
    expect(
      await codeOf(changeContact({ customerId: customer.id, field: "ADDRESS" as "EMAIL", newValue: "x@y.example" })),
    ).toBe("CONTACT_FIELD_INVALID");
    expect(await prisma.contactChange.count({ where: { customerId: customer.id } })).toBe(0);
  });
});

describe("the reset-request path", () => {
  it("sends no link when a rule stops the request, answers as always, and records every request", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const rule = await goLive("RESET_REQUEST", "ip_reset_accounts_24h >= 3", "BLOCK");
    const customers = [await createRecoveryCustomer(), await createRecoveryCustomer(), await createRecoveryCustomer()];
    const answers = [];
    for (const customer of customers) {
      answers.push(await requestPasswordReset({ identifier: customer.displayId, origin: { ...CUSTOMER_ORIGIN, ip } }));
    }
    // The same answer for all three, and for an account that does not exist.
    answers.push(await requestPasswordReset({ identifier: "no-such-member", origin: { ...CUSTOMER_ORIGIN, ip } }));
    expect(answers).toEqual([{ accepted: true }, { accepted: true }, { accepted: true }, { accepted: true }]);
    expect(await linksOf(customers[0]!.id)).toBe(1);
    expect(await linksOf(customers[1]!.id)).toBe(1);
    expect(await linksOf(customers[2]!.id)).toBe(0);
    expect(
      await prisma.riskDecision.findFirstOrThrow({
        where: { customerId: customers[2]!.id, eventKind: "RESET_REQUEST" },
      }),
    ).toMatchObject({
      outcome: "BLOCK",
      ruleId: rule.id,
      features: { ip_reset_accounts_24h: 3 },
    });
    expect(await prisma.resetRequest.count({ where: { ip } })).toBe(4);
    expect(await prisma.resetRequest.count({ where: { ip, customerId: null } })).toBe(1);
    // The same customer from elsewhere is not stopped.
    await requestPasswordReset({
      identifier: customers[2]!.displayId,
      origin: { ...CUSTOMER_ORIGIN, ip: "203.0.113.77" },
    });
    expect(await linksOf(customers[2]!.id)).toBe(1);
  });

  it("counts the account's own requests", async () => {
    await goLive("RESET_REQUEST", "reset_requests_1h >= 1", "HOLD");
    const customer = await createRecoveryCustomer();
    await requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN });
    await requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN });
    expect(await linksOf(customer.id)).toBe(1);
    expect(
      await prisma.riskDecision.findFirstOrThrow({ where: { customerId: customer.id, eventKind: "RESET_REQUEST" } }),
    ).toMatchObject({ outcome: "HOLD", features: { reset_requests_1h: 1 } });
  });
});

describe("failing closed", () => {
  it("refuses contact changes and reset requests (named account or not) when the rule set cannot be read", async () => {
    const customer = await createRecoveryCustomer();
    const before = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    // This file's own database: the rule table is put back before the test ends.
    await prisma.$executeRawUnsafe(`ALTER TABLE risk_rule RENAME TO risk_rule_unreadable`);
    try {
      expect(await codeOf(changeContact({ customerId: customer.id, field: "EMAIL", newValue: uniqueEmail() }))).toBe(
        "CONTACT_CHANGE_CHECKS_UNAVAILABLE",
      );
      expect(await codeOf(requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN }))).toBe(
        "RESET_CHECKS_UNAVAILABLE",
      );
      expect(await codeOf(requestPasswordReset({ identifier: "no-such-member", origin: CUSTOMER_ORIGIN }))).toBe(
        "RESET_CHECKS_UNAVAILABLE",
      );
    } finally {
      await prisma.$executeRawUnsafe(`ALTER TABLE risk_rule_unreadable RENAME TO risk_rule`);
    }
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(before.email);
    expect(await linksOf(customer.id)).toBe(0);
    // Readable again: both go through (a phone change, so that the email on file still gets the link).
    await changeContact({ customerId: customer.id, field: "PHONE", newValue: "+819055556666" });
    await requestPasswordReset({ identifier: customer.displayId, origin: CUSTOMER_ORIGIN });
    expect(await linksOf(customer.id)).toBe(1);
  });
});
