// The backtest as a bulk job: queued through the spine (audited, refused to an agent, one job per version at a time),
// its progress recorded on the job while the replay runs, its figures saved with the rule version exactly once —
// also when the runner dies before committing or loses its lease mid-replay — and a cancelled or failed backtest
// that saves nothing and says so.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ActionContext } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";
import { cancelJob } from "~/jobs/job-controls.server";
import { DEFAULT_LEASE_MS } from "~/jobs/job-options";
import { runJob } from "~/jobs/job-loop.server";
import { type JobHandler } from "~/jobs/job-handlers.server";
import { DomainError } from "~/lib/domain-error";
import {
  BACKTEST_JOB_KIND,
  backtestJob,
  backtestJobHandler,
  latestBacktestJob,
  queueBacktest,
} from "~/risk/backtest-job.server";
import { draftRule, publishRule } from "~/risk/rules.server";
import { createTestCustomer } from "../support/customers";
import { createStaffContext, topUp } from "../support/ledger-fixtures";

const origin = { ip: "127.0.0.1", userAgent: "vitest", requestId: "req-backtest-job" };
const agent = (): ActionContext => ({ actor: { kind: "staff", id: randomUUID(), role: "AGENT" }, origin });
const lead = (): Promise<ActionContext> => createStaffContext(prisma, "SECURITY_LEAD");

async function draft(author: ActionContext) {
  return draftRule(author, {
    ruleKey: `job-${randomUUID().slice(0, 8)}`,
    name: "backtest job",
    condition: "amount == 70001",
    outcome: "BLOCK",
    channel: "ALL",
  });
}

/** The real handler with small replay pages (many progress reports), its progress calls passed through `spy`. */
function spied(spy: (jobId: string, done: number, total: number) => Promise<void>): JobHandler {
  const real = backtestJobHandler({ pageSize: 2 });
  return {
    ...real,
    prepareBatch: (job, items, progress) =>
      real.prepareBatch!(job, items, async (done, total) => {
        await spy(job.id, done, total);
        await progress(done, total);
      }),
  };
}

const savedFor = (jobId: string) => prisma.riskBacktest.count({ where: { jobId } });

afterEach(() => {
  // Tests register variants of the handler (one registry per process): put the real one back.
  void runJob(randomUUID(), { handlers: [backtestJob] });
});

describe("the backtest job", () => {
  it("is queued through the spine, reports progress, and saves the figures with the version once", async () => {
    // A few top-ups for the replay to read (whatever else the database holds is replayed too).
    const customer = await createTestCustomer(prisma);
    for (let k = 0; k < 5; k++) await topUp(prisma, customer, 70001);
    const author = await lead();
    const rule = await draft(author);

    await expect(queueBacktest(agent(), rule.id)).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    const { jobId, queued } = await queueBacktest(author, rule.id);
    expect(queued).toBe(true);
    // A second click while it is queued answers with the same job.
    expect(await queueBacktest(author, rule.id)).toEqual({ jobId, queued: false });
    const audit = await prisma.auditEvent.findMany({
      where: { action: "risk.rule.backtest.queue", targetId: rule.id },
      orderBy: { seq: "asc" },
    });
    // The agent's refusal is audited too.
    expect(audit.map((a) => a.outcome)).toEqual(["DENIED", "SUCCESS", "SUCCESS"]);
    expect(audit[1]!.after).toMatchObject({ jobId, ruleKey: rule.ruleKey, version: 1 });
    expect(await latestBacktestJob(rule.id)).toMatchObject({ id: jobId, status: "QUEUED", done: null });
    expect((await prisma.bulkJob.findUniqueOrThrow({ where: { id: jobId } })).kind).toBe(BACKTEST_JOB_KIND);
    // Not publishable until the backtest has finished.
    await expect(publishRule(await lead(), rule.id)).rejects.toMatchObject({ code: "BACKTEST_REQUIRED" });

    const reported: { done: number; recorded: number | null; status: string }[] = [];
    let last = 0;
    const outcome = await runJob(jobId, {
      handlers: [
        spied(async (id, done) => {
          // What the page reads while the replay runs: the job's row, RUNNING, with the last progress written.
          const row = await prisma.bulkJob.findUniqueOrThrow({ where: { id } });
          reported.push({
            done,
            recorded: row.progressDone === null ? null : Number(row.progressDone),
            status: row.status,
          });
          expect(done).toBeGreaterThanOrEqual(last);
          last = done;
        }),
      ],
    });
    expect(outcome?.status).toBe("SUCCEEDED");
    expect(reported.length).toBeGreaterThan(2);
    expect(reported.every((r) => r.status === "RUNNING")).toBe(true);
    // The first report was written; the page saw it on the next call.
    expect(reported[1]!.recorded).toBe(reported[0]!.done);

    const saved = await prisma.riskBacktest.findUniqueOrThrow({ where: { jobId } });
    expect(saved.ruleId).toBe(rule.id);
    const results = saved.results as { matched: { topUps: number }; eventsReplayed: number };
    expect(results.matched.topUps).toBeGreaterThanOrEqual(5);
    const view = await latestBacktestJob(rule.id);
    expect(view).toMatchObject({ status: "SUCCEEDED", done: results.eventsReplayed, total: results.eventsReplayed });
    const figures = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "risk.rule.backtest", targetId: rule.id },
    });
    expect(figures.after).toMatchObject({ backtestId: saved.id, jobId, matchedTopUps: results.matched.topUps });
    expect(figures.actorId).toBe(author.actor.kind === "staff" ? author.actor.id : null);
    await publishRule(await lead(), rule.id);
    expect((await prisma.riskRule.findUniqueOrThrow({ where: { id: rule.id } })).backtestId).toBe(saved.id);
    await prisma.riskRule.update({ where: { id: rule.id }, data: { status: "DISABLED" } });
  });

  it("a runner that dies before committing, or loses its lease mid-replay, never saves twice", async () => {
    const author = await lead();
    const rule = await draft(author);
    const { jobId } = await queueBacktest(author, rule.id);
    // 1. The process dies just before the batch commits: nothing saved, the job left RUNNING with its lease.
    await expect(
      runJob(jobId, {
        handlers: [backtestJob],
        hooks: {
          beforeCommit: () => {
            throw new Error("killed");
          },
        },
      }),
    ).rejects.toThrow("killed");
    expect(await savedFor(jobId)).toBe(0);
    // 2. A second runner takes over after the lease ran out; while it replays, a third takes the lease from it.
    const later = () => new Date(Date.now() + 2 * DEFAULT_LEASE_MS);
    const robbed = await runJob(jobId, {
      clock: later,
      handlers: [
        spied(async (id) => {
          await prisma.bulkJob.update({ where: { id }, data: { leaseOwner: "runner:thief" } });
        }),
      ],
    });
    expect(robbed?.status).toBe("LEASE_LOST");
    expect(await savedFor(jobId)).toBe(0);
    // 3. The thief's lease runs out too; the next runner replays from the start and saves once.
    await prisma.bulkJob.update({ where: { id: jobId }, data: { leaseUntil: new Date(0) } });
    expect((await runJob(jobId, { handlers: [backtestJob] }))?.status).toBe("SUCCEEDED");
    expect(await savedFor(jobId)).toBe(1);
    expect(await runJob(jobId, { handlers: [backtestJob] })).toBeNull();
    expect(await savedFor(jobId)).toBe(1);
    const job = await prisma.bulkJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ status: "SUCCEEDED", claims: 3, itemsSucceeded: 1 });
  });

  it("a cancelled backtest stops mid-replay and saves nothing; a failed one says why", async () => {
    const author = await lead();
    const rule = await draft(author);
    const { jobId } = await queueBacktest(author, rule.id);
    let cancelled = false;
    const outcome = await runJob(jobId, {
      handlers: [
        spied(async (id) => {
          if (cancelled) throw new Error("the replay went on after the cancel was seen");
          // The lead clicks cancel while the replay runs: the job is RUNNING, the cancel is only requested.
          expect(await cancelJob(author, { jobId: id })).toBe("RUNNING");
          cancelled = true;
        }),
      ],
    });
    expect(outcome?.status).toBe("CANCELLED");
    expect(await savedFor(jobId)).toBe(0);
    expect(await latestBacktestJob(rule.id)).toMatchObject({ id: jobId, status: "CANCELLED", cancelRequested: true });
    // The version can be backtested again.
    const again = await queueBacktest(author, rule.id);
    expect(again.queued).toBe(true);
    const failing: JobHandler = {
      ...backtestJob,
      prepareBatch: () => Promise.reject(new DomainError("REPLAY_UNREADABLE", "The recording could not be read.")),
    };
    expect((await runJob(again.jobId, { handlers: [failing] }))?.status).toBe("FAILED");
    expect(await savedFor(again.jobId)).toBe(0);
    expect(await latestBacktestJob(rule.id)).toMatchObject({
      status: "FAILED",
      lastError: "REPLAY_UNREADABLE: The recording could not be read.",
    });
    await expect(publishRule(await lead(), rule.id)).rejects.toMatchObject({ code: "BACKTEST_REQUIRED" });
  });
});
