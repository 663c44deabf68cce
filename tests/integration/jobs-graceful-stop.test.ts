// A worker stopping on SIGTERM stops its job runner, which must not run the job it holds to its end: a bulk job of
// many batches or a backtest replay of minutes outlasts the shutdown's deadline (25 s), the process then exits 1 and
// the job waits for its lease to run out. The runner finishes the batch that is committing (or stops a batch being
// prepared at its next progress report), hands the job back at once, audited, and the next runner resumes it with
// every item settled once.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { enqueueJob } from "~/jobs/job-enqueue.server";
import { type JobHandler, type JobItem } from "~/jobs/job-handlers.server";
import { runJob, startJobRunner } from "~/jobs/job-loop.server";
import { createStaffContext } from "../support/ledger-fixtures";
import { settleBeforeLetGo } from "../support/order-of-events";
import { waitFor } from "../support/smtp-sink";

const BATCH_MS = 150;
const BATCHES = 30;
/** When a replay that has not been stopped is let finish: far past any stop that works. */
const REPLAY_LET_GO_MS = 20_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function slowHandler(kind: string, prepare?: JobHandler["prepareBatch"]): JobHandler {
  return {
    kind,
    permission: "bulk:run",
    batchSize: 1,
    prepareBatch: prepare,
    async processBatch(_tx, _job, items: JobItem[]) {
      await sleep(BATCH_MS);
      return {
        outcomes: items.map((i) => ({ itemId: i.id, status: "SUCCEEDED" as const, resultAmount: i.amount })),
        auditEvents: items.map((i) => ({ action: "test.item", outcome: "SUCCESS" as const, targetId: i.subjectId })),
      };
    },
    async finish() {
      return {};
    },
  };
}

async function queue(kind: string, items: number) {
  const lead = await createStaffContext(prisma, "SECURITY_LEAD");
  return prisma.$transaction((tx) =>
    enqueueJob(tx, {
      kind,
      params: {},
      totals: { items },
      items: Array.from({ length: items }, () => ({ subjectId: randomUUID(), amount: 0 })),
      createdBy: lead.actor,
    }),
  );
}

const jobRow = (id: string) => prisma.bulkJob.findUniqueOrThrow({ where: { id } });
const released = (id: string) => prisma.auditEvent.count({ where: { action: "jobs.release", targetId: id } });

describe("a job runner told to stop mid-job", () => {
  it("commits the batch in hand, hands the job back, and the next runner settles the rest once", async () => {
    const handler = slowHandler(`test.stop.${randomUUID()}`);
    const job = await queue(handler.kind, BATCHES);
    const stop = startJobRunner({ handlers: [handler], pollIntervalMs: 50 });
    await waitFor("two batches committed", async () => ((await jobRow(job.id)).batchesCommitted ?? 0) >= 2);

    // Proven by what was left, not by a clock: a stop that waited for the job would find every batch committed.
    await stop();
    const handedBack = await jobRow(job.id);
    expect(handedBack).toMatchObject({ status: "RUNNING", leaseOwner: null, leaseUntil: null });
    expect(handedBack.itemsSucceeded).toBeLessThan(BATCHES);
    expect(await released(job.id)).toBe(1);

    // Resumed at once by the next runner: its lease is not waited out.
    expect(await runJob(job.id, { handlers: [handler] })).toMatchObject({ status: "SUCCEEDED" });
    expect(await jobRow(job.id)).toMatchObject({ status: "SUCCEEDED", itemsSucceeded: BATCHES });
    const settled = await prisma.auditEvent.findMany({
      where: { action: "test.item", actorId: handedBack.createdById },
      select: { targetId: true },
    });
    expect(new Set(settled.map((e) => e.targetId)).size).toBe(BATCHES);
    expect(settled).toHaveLength(BATCHES);
  });

  it("stops a batch still being prepared (a backtest's replay) at its next progress report", async () => {
    let reports = 0;
    let replayMayEnd = false;
    const handler = slowHandler(`test.stop-prepare.${randomUUID()}`, async (_job, _items, progress) => {
      // A replay that reports its progress as it goes and ends only when the test lets it.
      while (!replayMayEnd) {
        await progress(reports, reports + 1);
        reports += 1;
        await sleep(50);
      }
      return "replayed";
    });
    const job = await queue(handler.kind, 1);
    const stop = startJobRunner({ handlers: [handler], pollIntervalMs: 50 });
    await waitFor("the replay under way", async () => reports > 3);

    // The stop must settle while the replay still runs: one that waited for it settles only after the let-go.
    const { settledBeforeLetGo } = await settleBeforeLetGo(stop(), () => (replayMayEnd = true), REPLAY_LET_GO_MS);
    expect(settledBeforeLetGo).toBe(true);
    expect(await jobRow(job.id)).toMatchObject({ status: "RUNNING", leaseOwner: null, itemsSucceeded: 0 });
    expect(await released(job.id)).toBe(1);
  });
});
