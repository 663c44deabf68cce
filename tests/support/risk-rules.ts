// The risk-rule tests' common setup: staff contexts, a rule taken live through the spine (drafted, backtested,
// published by a second lead), and the file's live rules disabled again when it ends.
import { randomUUID } from "node:crypto";
import { afterAll } from "vitest";
import type { ActionContext } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import type { EventKind } from "~/risk/features";
import { backtestRule, disableRule, draftRule, publishRule } from "~/risk/rules.server";
import { createTestCustomer } from "./customers";
import { createStaffContext } from "./ledger-fixtures";

export function riskRuleHarness(requestId: string) {
  const origin = { ip: "127.0.0.1", userAgent: "vitest", requestId };
  const lead = (): ActionContext => ({ actor: { kind: "staff", id: randomUUID(), role: "SECURITY_LEAD" }, origin });
  /** A lead who has just re-entered a code: disabling a live rule needs one. */
  const steppedUpLead = (): ActionContext => ({ ...lead(), steppedUpAt: now() });
  const agent = (): ActionContext => ({ actor: { kind: "staff", id: randomUUID(), role: "AGENT" }, origin });

  /** Rules the file published: disabled again when it ends (a test that publishes one itself adds it). */
  const published: string[] = [];
  /** A rule live on `condition`: drafted and backtested by one lead, published by another. The author has a staff row:
   *  a backtest runs as a job, and the job runner acts as its (still active) creator. */
  async function goLive(condition: string, outcome: "BLOCK" | "HOLD" | "STEP_UP", eventKind?: EventKind) {
    const author = await createStaffContext(prisma, "SECURITY_LEAD");
    const rule = await draftRule(author, {
      ruleKey: `test-${randomUUID().slice(0, 8)}`,
      name: "test rule",
      condition,
      outcome,
      channel: "ALL",
      ...(eventKind ? { eventKind } : {}),
    });
    await backtestRule(author, rule.id);
    await publishRule(lead(), rule.id);
    published.push(rule.id);
    return rule;
  }

  afterAll(async () => {
    for (const id of published) {
      const rule = await prisma.riskRule.findUnique({ where: { id } });
      if (rule?.status === "ACTIVE") await disableRule(steppedUpLead(), id, "test over");
    }
  });

  return { origin, lead, steppedUpLead, agent, goLive, published };
}

export async function balanceOf(customerId: string): Promise<number> {
  const wallet = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId } });
  return Number(wallet.balance);
}

/** A top-up a rule held: its decision and its pending review, as the wallet writes them. */
export async function heldTopUp(amount: number) {
  const { customer, card } = await createTestCustomer(prisma);
  const decision = await prisma.riskDecision.create({
    data: {
      occurredAt: new Date(),
      eventKind: "TOP_UP",
      customerId: customer.id,
      outcome: "HOLD",
      features: { amount },
      amount,
      channel: "CREDIT_CARD",
    },
  });
  const review = await prisma.riskReview.create({
    data: {
      decisionId: decision.id,
      customerId: customer.id,
      fundingSourceId: card.id,
      channel: "CREDIT_CARD",
      amount,
      createdAt: new Date(),
    },
  });
  return { customerId: customer.id, reviewId: review.id };
}
