// Risk rules on purchases and sign-ins, as on top-ups: a rule names the event kind it decides and may read only that
// kind's features; the purchase and sign-in paths apply the active rules of their kind in their own transaction,
// record the decision (event kind, rule version, triggering features) and fail closed when the rules cannot be read.
// Rules here match amounts and countries no other test uses.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { loadTimeline } from "~/accounts/timeline.server";
import type { ActionContext } from "~/audit/perform-action.server";
import { prisma, type DbTx } from "~/db.server";
import { DomainError } from "~/lib/domain-error";
import { backtestRule, disableRule, draftRule, publishRule } from "~/risk/rules.server";
import type { EventKind } from "~/risk/features";
import { signInCustomer } from "~/wallet/customer-auth.server";
import { purchase } from "~/wallet/purchase.server";
import { ensureSimulatedStore } from "~/wallet/simulated-customers.server";
import { topUp } from "~/wallet/top-up.server";
import { createTestCustomer } from "../support/customers";
import { openFreshDatabase } from "../support/fresh-database";
import { createStaffContext } from "../support/ledger-fixtures";
import { createRecoveryCustomer, deviceClaim, ORIGINAL_PASSWORD } from "./recovery-fixtures";

const origin = { ip: "127.0.0.1", userAgent: "vitest", requestId: "req-risk-kinds" };
const lead = (): ActionContext => ({ actor: { kind: "staff", id: randomUUID(), role: "SECURITY_LEAD" }, origin });
/** A lead with a staff row: a backtest runs as a job, and the job runner acts as its (still active) creator. */
const staffLead = (): Promise<ActionContext> => createStaffContext(prisma, "SECURITY_LEAD");

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "ACCEPTED";
}

const published: string[] = [];
async function goLive(eventKind: EventKind, condition: string, outcome: "BLOCK" | "HOLD" | "STEP_UP") {
  const author = await staffLead();
  const rule = await draftRule(author, {
    ruleKey: `test-${randomUUID().slice(0, 8)}`,
    name: "test rule",
    condition,
    outcome,
    channel: "ALL",
    eventKind,
  });
  await backtestRule(author, rule.id);
  await publishRule(lead(), rule.id);
  published.push(rule.id);
  return rule;
}

afterAll(async () => {
  for (const id of published) {
    const rule = await prisma.riskRule.findUnique({ where: { id } });
    if (rule?.status === "ACTIVE") await disableRule(lead(), id, "test over");
  }
});

async function balanceOf(customerId: string): Promise<number> {
  const wallet = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId } });
  return Number(wallet.balance);
}

async function fundedCustomer(yen: number) {
  const { customer, card } = await createTestCustomer(prisma);
  await topUp({ customerId: customer.id, fundingSourceId: card.id, amount: yen });
  return customer;
}

const giftCards = (yen: number) => [
  { categoryCode: "GIFT_CARD", description: "ギフトカード", quantity: 1, unitPrice: yen },
];
const drinks = (yen: number) => [{ categoryCode: "DRINK", description: "お茶", quantity: 1, unitPrice: yen }];

describe("a rule names the event it decides", () => {
  it("refuses a feature the event kind does not have, and a channel on a rule that is not a top-up's", async () => {
    const key = `test-${randomUUID().slice(0, 8)}`;
    await expect(
      draftRule(lead(), { ruleKey: key, name: "bad", condition: "resellable", outcome: "BLOCK", channel: "ALL" }),
    ).rejects.toThrow(/“resellable” cannot be used in a rule for Top-up events; it exists for: Purchase/);
    await expect(
      draftRule(lead(), {
        ruleKey: key,
        name: "bad",
        condition: "amount > 5000",
        outcome: "BLOCK",
        channel: "ALL",
        eventKind: "SIGN_IN",
      }),
    ).rejects.toThrow(/“amount” cannot be used in a rule for Sign-in events/);
    expect(
      await codeOf(
        draftRule(lead(), {
          ruleKey: key,
          name: "bad",
          condition: "resellable",
          outcome: "BLOCK",
          channel: "CREDIT_CARD",
          eventKind: "PURCHASE",
        }),
      ),
    ).toBe("RULE_CHANNEL_NOT_FOR_EVENT");
    expect(await prisma.riskRule.count({ where: { ruleKey: key } })).toBe(0);
  });
});

describe("the purchase path", () => {
  it("refuses a blocked purchase, records the decision with its features, and lets other purchases through", async () => {
    const rule = await goLive("PURCHASE", "resellable and amount == 7701", "BLOCK");
    const customer = await fundedCustomer(20000);
    const store = await ensureSimulatedStore(prisma, `SIM-${randomUUID().slice(0, 8)}`);
    expect(await codeOf(purchase({ customerId: customer.id, storeCode: store, items: giftCards(7701) }))).toBe(
      "PURCHASE_DECLINED",
    );
    expect(await balanceOf(customer.id)).toBe(20000);
    expect(
      await prisma.riskDecision.findFirstOrThrow({ where: { customerId: customer.id, eventKind: "PURCHASE" } }),
    ).toMatchObject({
      outcome: "BLOCK",
      ruleId: rule.id,
      ruleVersion: 1,
      amount: 7701,
      channel: null,
      features: { resellable: true, amount: 7701 },
      transactionId: null,
    });
    // The same amount of goods that do not resell, and top-ups, are not this rule's business.
    expect(await codeOf(purchase({ customerId: customer.id, storeCode: store, items: drinks(7701) }))).toBe("ACCEPTED");
    expect(await balanceOf(customer.id)).toBe(20000 - 7701);
    const { events } = await prisma.$transaction((tx) => loadTimeline(tx as DbTx, customer.id));
    expect(events.find((e) => e.kind === "risk-decision")?.summary).toContain(`${rule.ruleKey} v1: BLOCK`);
  });

  it("refuses a held purchase at the till (no review item) and a step-up without a second factor", async () => {
    await goLive("PURCHASE", "resellable_yen == 7702", "HOLD");
    await goLive("PURCHASE", "resellable_yen == 7703", "STEP_UP");
    const customer = await fundedCustomer(20000);
    const store = await ensureSimulatedStore(prisma, `SIM-${randomUUID().slice(0, 8)}`);
    expect(await codeOf(purchase({ customerId: customer.id, storeCode: store, items: giftCards(7702) }))).toBe(
      "PURCHASE_DECLINED",
    );
    expect(await codeOf(purchase({ customerId: customer.id, storeCode: store, items: giftCards(7703) }))).toBe(
      "PURCHASE_DECLINED",
    );
    expect(await balanceOf(customer.id)).toBe(20000);
    const decisions = await prisma.riskDecision.findMany({
      where: { customerId: customer.id, eventKind: "PURCHASE" },
      orderBy: { amount: "asc" },
    });
    expect(decisions.map((d) => [d.amount, d.outcome])).toEqual([
      [7702, "HOLD"],
      [7703, "HOLD"],
    ]);
    expect(await prisma.riskReview.count({ where: { customerId: customer.id } })).toBe(0);
  });
});

describe("the sign-in path", () => {
  it("refuses a blocked sign-in before any session, records it, and signs in from elsewhere", async () => {
    const rule = await goLive("SIGN_IN", 'ip_country == "AQ" and device_age_hours < 1', "BLOCK");
    const customer = await createRecoveryCustomer();
    const sessionsBefore = await prisma.customerSession.count({ where: { customerId: customer.id } });
    const device = deviceClaim("abroad");
    expect(
      await codeOf(
        signInCustomer({
          identifier: customer.displayId,
          password: ORIGINAL_PASSWORD,
          device,
          ip: "198.51.100.7",
          country: "AQ",
        }),
      ),
    ).toBe("SIGN_IN_DECLINED");
    expect(await prisma.customerSession.count({ where: { customerId: customer.id } })).toBe(sessionsBefore);
    expect(
      await prisma.riskDecision.findFirstOrThrow({ where: { customerId: customer.id, eventKind: "SIGN_IN" } }),
    ).toMatchObject({
      outcome: "BLOCK",
      ruleId: rule.id,
      amount: null,
      features: { ip_country: "AQ", device_age_hours: 0 },
    });
    const refused = await prisma.loginEvent.findFirstOrThrow({ where: { customerId: customer.id, country: "AQ" } });
    expect(refused).toMatchObject({ success: false, country: "AQ" });
    const home = await signInCustomer({
      identifier: customer.displayId,
      password: ORIGINAL_PASSWORD,
      device: deviceClaim("home"),
      ip: "203.0.113.9",
      country: "JP",
    });
    expect(home.status).toBe("SIGNED_IN");
  });

  it("refuses a step-up for a customer with no authenticator to step up to", async () => {
    await goLive("SIGN_IN", 'ip_country == "AX"', "STEP_UP");
    const customer = await createRecoveryCustomer();
    expect(
      await codeOf(
        signInCustomer({
          identifier: customer.displayId,
          password: ORIGINAL_PASSWORD,
          device: deviceClaim("island"),
          ip: "198.51.100.8",
          country: "AX",
        }),
      ),
    ).toBe("SIGN_IN_DECLINED");
    expect(
      await prisma.riskDecision.findFirstOrThrow({ where: { customerId: customer.id, eventKind: "SIGN_IN" } }),
    ).toMatchObject({ outcome: "HOLD" });
  });
});

describe("failing closed", () => {
  it("refuses purchases when the rule set cannot be read, and moves no money", async () => {
    const db = await openFreshDatabase();
    try {
      const { customer, card } = await createTestCustomer(db.prisma);
      await topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 5000 }, { db: db.prisma });
      const store = await ensureSimulatedStore(db.prisma, "SIM-CLOSED-001");
      await db.sql.query(`ALTER TABLE risk_rule RENAME TO risk_rule_unreadable`);
      expect(
        await codeOf(purchase({ customerId: customer.id, storeCode: store, items: drinks(1000) }, { db: db.prisma })),
      ).toBe("PURCHASE_RISK_RULES_UNAVAILABLE");
      const wallet = await db.prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: customer.id } });
      expect(Number(wallet.balance)).toBe(5000);
    } finally {
      await db.dispose();
    }
  });

  it("refuses sign-ins when the rule set cannot be read", async () => {
    const customer = await createRecoveryCustomer();
    const sessionsBefore = await prisma.customerSession.count({ where: { customerId: customer.id } });
    const attempt = () =>
      signInCustomer({
        identifier: customer.displayId,
        password: ORIGINAL_PASSWORD,
        device: deviceClaim("any"),
        ip: "203.0.113.10",
        country: "JP",
      });
    // This file's own database: the rule table is put back before the file ends.
    await prisma.$executeRawUnsafe(`ALTER TABLE risk_rule RENAME TO risk_rule_unreadable`);
    try {
      expect(await codeOf(attempt())).toBe("SIGN_IN_CHECKS_UNAVAILABLE");
      expect(await prisma.customerSession.count({ where: { customerId: customer.id } })).toBe(sessionsBefore);
    } finally {
      await prisma.$executeRawUnsafe(`ALTER TABLE risk_rule_unreadable RENAME TO risk_rule`);
    }
    expect((await attempt()).status).toBe("SIGNED_IN");
    expect(await prisma.customerSession.count({ where: { customerId: customer.id } })).toBe(sessionsBefore + 1);
  });
});
