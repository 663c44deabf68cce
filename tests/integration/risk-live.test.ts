// Risk rules in the top-up path, governed through the spine: four-eyes publishing on a backtest, block / hold /
// step-up outcomes recorded with the rule version and the triggering features, the review queue's ledger effects,
// one-click disable, refused conditions that save nothing, and failing closed when the rule set cannot be read.
// Each rule only matches amounts no other test uses, so the tests of this file (one database) never trip each other's.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadTimeline } from "~/accounts/timeline.server";
import { prisma, type DbTx } from "~/db.server";
import { now } from "~/lib/clock.server";
import { approveReview, declineReview } from "~/risk/reviews.server";
import { backtestRule, disableRule, draftRule, publishRule } from "~/risk/rules.server";
import { topUp } from "~/wallet/top-up.server";
import { createTestCustomer } from "../support/customers";
import { codeOf } from "../support/domain-code";
import { openFreshDatabase } from "../support/fresh-database";
import { balanceOf, riskRuleHarness } from "../support/risk-rules";
import { createStaffContext } from "../support/ledger-fixtures";

const { lead, agent, goLive, published } = riskRuleHarness("req-risk");

describe("publishing a rule", () => {
  it("needs a backtest and a second lead, and the audit row carries the backtest it was published on", async () => {
    const author = await createStaffContext(prisma, "SECURITY_LEAD");
    const rule = await draftRule(author, {
      ruleKey: `test-${randomUUID().slice(0, 8)}`,
      name: "four eyes",
      condition: "amount == 60001",
      outcome: "BLOCK",
      channel: "CREDIT_CARD",
    });
    expect(await codeOf(publishRule(lead(), rule.id))).toBe("BACKTEST_REQUIRED");
    const { backtest } = await backtestRule(author, rule.id);
    expect(await codeOf(publishRule(author, rule.id))).toBe("FOUR_EYES_REQUIRED");
    expect(await codeOf(publishRule(agent(), rule.id))).toBe("PERMISSION_DENIED");
    const second = lead();
    await publishRule(second, rule.id);
    published.push(rule.id);
    const stored = await prisma.riskRule.findUniqueOrThrow({ where: { id: rule.id } });
    expect(stored).toMatchObject({
      status: "ACTIVE",
      publishedById: second.actor.kind === "staff" && second.actor.id,
      backtestId: backtest.id,
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "risk.rule.publish", targetId: rule.id, outcome: "SUCCESS" },
    });
    expect(audit.after).toMatchObject({
      status: "ACTIVE",
      backtestId: backtest.id,
      backtest: { topUpsReplayed: expect.any(Number) },
    });
    const denied = await prisma.auditEvent.count({
      where: { action: "risk.rule.publish", targetId: rule.id, outcome: { not: "SUCCESS" } },
    });
    expect(denied).toBe(3);
    // Publishing the next version supersedes this one.
    const next = await draftRule(author, {
      ruleKey: rule.ruleKey,
      name: "v2",
      condition: "amount == 60002",
      outcome: "BLOCK",
      channel: "ALL",
    });
    expect(next.version).toBe(2);
    await backtestRule(author, next.id);
    await publishRule(second === author ? lead() : lead(), next.id);
    published.push(next.id);
    expect((await prisma.riskRule.findUniqueOrThrow({ where: { id: rule.id } })).status).toBe("SUPERSEDED");
  });

  it("refuses a bad condition with a clear message and saves nothing", async () => {
    const key = `test-${randomUUID().slice(0, 8)}`;
    for (const [condition, message] of [
      ["amout > 5", /no feature called “amout”/],
      ['amount > "5"', /is a number/],
      ["amount >= 0", /matches every event/],
      ["amount >", /Expected a number/],
    ] as const) {
      await expect(
        draftRule(lead(), { ruleKey: key, name: "bad", condition, outcome: "BLOCK", channel: "ALL" }),
      ).rejects.toThrow(message);
    }
    expect(await prisma.riskRule.count({ where: { ruleKey: key } })).toBe(0);
  });
});

describe("the top-up path", () => {
  it("blocks a matching top-up, records the decision with the rule version and features, and moves no money", async () => {
    const rule = await goLive("amount == 61111", "BLOCK");
    const { customer, card } = await createTestCustomer(prisma);
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 61111 }))).toBe(
      "TOPUP_DECLINED",
    );
    expect(await balanceOf(customer.id)).toBe(0);
    const decision = await prisma.riskDecision.findFirstOrThrow({ where: { customerId: customer.id } });
    expect(decision).toMatchObject({
      outcome: "BLOCK",
      ruleId: rule.id,
      ruleKey: rule.ruleKey,
      ruleVersion: 1,
      features: { amount: 61111 },
      transactionId: null,
    });
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }))).toBe("ACCEPTED");
    expect(await balanceOf(customer.id)).toBe(1000);
    // Agents see the decision on the account's timeline, with the rule version and what triggered it.
    const { events } = await prisma.$transaction((tx) => loadTimeline(tx as DbTx, customer.id));
    const shown = events.find((e) => e.kind === "risk-decision");
    expect(shown?.summary).toContain(`${rule.ruleKey} v1: BLOCK`);
    expect(shown?.summary).toContain("amount = 61111");
    // Turning a live rule off lets the money it stops through again: not on a session alone (a stolen one would
    // switch off the rule blocking the attacker's top-ups), only after a fresh code, like a kill switch.
    expect(await codeOf(disableRule(lead(), rule.id))).toBe("STEP_UP_REQUIRED");
    expect((await prisma.riskRule.findUniqueOrThrow({ where: { id: rule.id } })).status).toBe("ACTIVE");
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 61111 }))).toBe(
      "TOPUP_DECLINED",
    );
    await disableRule({ ...lead(), steppedUpAt: now() }, rule.id);
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 61111 }))).toBe("ACCEPTED");
  });

  it("holds a top-up for review: approving posts it once, declining moves nothing", async () => {
    await goLive("amount == 62222 or amount == 62223", "HOLD");
    const { customer, card } = await createTestCustomer(prisma);
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 62222 }))).toBe(
      "TOPUP_HELD_FOR_REVIEW",
    );
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 62223 }))).toBe(
      "TOPUP_HELD_FOR_REVIEW",
    );
    expect(await balanceOf(customer.id)).toBe(0);
    const [first, second] = await prisma.riskReview.findMany({
      where: { customerId: customer.id },
      orderBy: { amount: "asc" },
    });
    expect(first).toMatchObject({ status: "PENDING", amount: 62222, channel: "CREDIT_CARD" });

    expect(await codeOf(approveReview(agent(), first!.id))).toBe("PERMISSION_DENIED");
    // Approving moves the money (the card is charged now): a lead's session alone, without a fresh code, is refused.
    expect(await codeOf(approveReview(lead(), first!.id))).toBe("STEP_UP_REQUIRED");
    expect(await balanceOf(customer.id)).toBe(0);
    expect(await prisma.riskReview.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({
      status: "PENDING",
    });
    const steppedUpLead = () => ({ ...lead(), steppedUpAt: now() });
    const approved = await approveReview(steppedUpLead(), first!.id);
    expect(await balanceOf(customer.id)).toBe(62222);
    expect(await codeOf(approveReview(steppedUpLead(), first!.id))).toBe("REVIEW_ALREADY_DECIDED");
    expect(await codeOf(declineReview(lead(), first!.id))).toBe("REVIEW_ALREADY_DECIDED");
    const posted = await prisma.ledgerTransaction.findUniqueOrThrow({ where: { id: approved.transactionId } });
    expect(posted).toMatchObject({ kind: "TOP_UP", amount: 62222, customerId: customer.id, fundingSourceId: card.id });

    await declineReview(lead(), second!.id);
    expect(await balanceOf(customer.id)).toBe(62222);
    expect((await prisma.riskReview.findUniqueOrThrow({ where: { id: second!.id } })).status).toBe("DECLINED");
    expect(
      await prisma.auditEvent.count({
        where: {
          action: { in: ["risk.review.approve", "risk.review.decline"] },
          outcome: "SUCCESS",
          targetId: { in: [first!.id, second!.id] },
        },
      }),
    ).toBe(2);
  });

  it("holds a step-up for a customer who has no second factor to step up to", async () => {
    await goLive("amount == 63333", "STEP_UP");
    const { customer, card } = await createTestCustomer(prisma);
    expect(await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 63333 }))).toBe(
      "TOPUP_HELD_FOR_REVIEW",
    );
    expect(await prisma.riskDecision.findFirstOrThrow({ where: { customerId: customer.id } })).toMatchObject({
      outcome: "HOLD",
    });
  });
});

describe("failing closed", () => {
  it("refuses top-ups when the rule set cannot be read, and moves no money", async () => {
    const db = await openFreshDatabase();
    try {
      const { customer, card } = await createTestCustomer(db.prisma);
      expect(
        await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }, { db: db.prisma })),
      ).toBe("ACCEPTED");
      await db.sql.query(`ALTER TABLE risk_rule RENAME TO risk_rule_unreadable`);
      expect(
        await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }, { db: db.prisma })),
      ).toBe("TOPUP_RISK_RULES_UNAVAILABLE");
      const wallet = await db.prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: customer.id } });
      expect(Number(wallet.balance)).toBe(1000);
    } finally {
      await db.dispose();
    }
  });
});
