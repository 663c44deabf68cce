// A backtest replays the whole recorded history, and backtests share the job runner with the incident's bulk
// reversals and resets. Leads drafting rule after rule and asking each for a backtest must not be able to queue an
// unbounded amount of that work in front of them: only a few backtests wait or run at once, and asking beyond that is
// refused with a clear answer and queues nothing — also when the asks arrive together.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ActionContext } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";
import { DomainError } from "~/lib/domain-error";
import { BACKTEST_JOB_KIND, MAX_UNFINISHED_BACKTESTS, queueBacktest } from "~/risk/backtest-job.server";
import { draftRule } from "~/risk/rules.server";
import { createStaffContext } from "../support/ledger-fixtures";

async function draftedRule(author: ActionContext) {
  return draftRule(author, {
    ruleKey: `cap-${randomUUID().slice(0, 8)}`,
    name: "queue cap",
    condition: "amount == 70003",
    outcome: "BLOCK",
    channel: "ALL",
  });
}

const unfinished = () =>
  prisma.bulkJob.count({ where: { kind: BACKTEST_JOB_KIND, status: { in: ["QUEUED", "RUNNING"] } } });

async function answerOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "QUEUED";
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

// No runner runs in this file: what a test queued is cancelled again, so the next test starts with none waiting.
afterEach(async () => {
  await prisma.bulkJob.updateMany({
    where: { kind: BACKTEST_JOB_KIND, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "CANCELLED" },
  });
});

describe("backtests waiting at once", () => {
  it("stop at the cap: one more is refused, queues nothing, and the rule's own waiting backtest is still answered", async () => {
    const author = await createStaffContext(prisma, "SECURITY_LEAD");
    const rules = [];
    for (let i = 0; i <= MAX_UNFINISHED_BACKTESTS; i++) rules.push(await draftedRule(author));
    const first = await queueBacktest(author, rules[0]!.id);
    for (const rule of rules.slice(1, MAX_UNFINISHED_BACKTESTS)) await queueBacktest(author, rule.id);
    expect(await unfinished()).toBe(MAX_UNFINISHED_BACKTESTS);

    const refused = queueBacktest(author, rules[MAX_UNFINISHED_BACKTESTS]!.id);
    await expect(refused).rejects.toMatchObject({ code: "BACKTESTS_BUSY", status: 429 });
    expect(await unfinished()).toBe(MAX_UNFINISHED_BACKTESTS);
    // Asking again for a rule already waiting is no new work: it is answered with the job already queued.
    expect(await queueBacktest(author, rules[0]!.id)).toEqual({ jobId: first.jobId, queued: false });
  });

  it("asked for together, still stop at the cap", async () => {
    const author = await createStaffContext(prisma, "SECURITY_LEAD");
    const rules = [];
    for (let i = 0; i < MAX_UNFINISHED_BACKTESTS + 3; i++) rules.push(await draftedRule(author));
    const answers = await Promise.all(rules.map((rule) => answerOf(queueBacktest(author, rule.id))));
    expect(answers.filter((a) => a === "QUEUED")).toHaveLength(MAX_UNFINISHED_BACKTESTS);
    expect(answers.filter((a) => a === "BACKTESTS_BUSY")).toHaveLength(3);
    expect(await unfinished()).toBe(MAX_UNFINISHED_BACKTESTS);
  });
});
