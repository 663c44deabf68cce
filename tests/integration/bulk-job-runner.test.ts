// The generic job runner with a handler of its own (no money): what another capability (bulk password resets) relies
// on — phases, the lease, cancel, failure and resume, the creator losing their permission, settled items frozen.
import type { Role } from "~/auth/permissions";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { cancelJob, resumeJob } from "~/jobs/job-controls.server";
import { DEFAULT_LEASE_MS } from "~/jobs/job-options";
import { enqueueJob } from "~/jobs/job-enqueue.server";
import { getJobProgress } from "~/jobs/job-progress.server";
import { runJob } from "~/jobs/job-loop.server";
import { type JobHandler, type JobItem } from "~/jobs/job-handlers.server";
import { DomainError } from "~/lib/domain-error";
import { createStaffContext } from "../support/ledger-fixtures";

/** Records what it processed; fails the whole batch while `failBatches` > 0; fails items whose amount is odd. */
function recordingHandler() {
  const seen: { subjectId: string; phase: number }[] = [];
  const state = { failBatches: 0 };
  const handler: JobHandler = {
    kind: `test.recording.${randomUUID()}`,
    permission: "bulk:run",
    batchSize: 2,
    async processBatch(_tx, _job, items: JobItem[]) {
      if (state.failBatches > 0) {
        state.failBatches -= 1;
        throw new DomainError("DOWNSTREAM_UNAVAILABLE", "The downstream service refused the batch.", 503);
      }
      seen.push(...items.map((i) => ({ subjectId: i.subjectId, phase: i.phase })));
      return {
        outcomes: items.map((i) =>
          (i.amount ?? 0) % 2 === 1
            ? { itemId: i.id, status: "FAILED" as const, errorCode: "ODD", errorMessage: "odd amount" }
            : { itemId: i.id, status: "SUCCEEDED" as const, resultAmount: i.amount },
        ),
        amountMoved: items.filter((i) => (i.amount ?? 0) % 2 === 0).reduce((n, i) => n + (i.amount ?? 0), 0),
        auditEvents: items.map((i) => ({ action: "test.item", outcome: "SUCCESS" as const, targetId: i.subjectId })),
      };
    },
    async finish(_tx, job) {
      return { finishedJob: job.id };
    },
  };
  return { handler, seen, state };
}

async function enqueue(handler: JobHandler, creator: { id: string; role: Role }, amounts: number[]) {
  return prisma.$transaction((tx) =>
    enqueueJob(tx, {
      kind: handler.kind,
      params: { test: true },
      totals: { items: amounts.length },
      items: amounts.map((amount, k) => ({ subjectId: randomUUID(), amount, phase: k % 2 === 0 ? 1 : 0 })),
      createdBy: creator,
    }),
  );
}

describe("job runner", () => {
  it("runs lower phases first, settles each item once, counts, audits, and stores the report", async () => {
    const { handler, seen } = recordingHandler();
    const lead = await createStaffContext(prisma, "SECURITY_LEAD");
    const job = await enqueue(handler, lead.actor, [2, 4, 6, 8, 3]);
    expect(await runJob(job.id, { handlers: [handler] })).toMatchObject({ status: "SUCCEEDED" });
    expect(seen.map((s) => s.phase)).toEqual([0, 0, 1, 1, 1]);
    expect(await getJobProgress(job.id)).toMatchObject({
      status: "SUCCEEDED",
      itemsTotal: 5,
      itemsSucceeded: 4,
      itemsFailed: 1,
      amountDone: 20,
      percent: 100,
    });
    const stored = await prisma.bulkJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(stored.report).toEqual({ finishedJob: job.id });
    expect(await prisma.auditEvent.count({ where: { action: "test.item", actorId: lead.actor.id } })).toBe(5);
    expect(
      await prisma.auditEvent.count({ where: { action: "jobs.batch", targetId: job.id, outcome: "SUCCESS" } }),
    ).toBe(3);
    // A settled item is frozen in the database.
    const item = await prisma.bulkJobItem.findFirstOrThrow({ where: { jobId: job.id } });
    await expect(
      prisma.$executeRaw`UPDATE bulk_job_item SET status = 'PENDING', processed_at = NULL WHERE id = ${item.id}`,
    ).rejects.toThrow(/cannot change/);
  });

  it("a job held by a live runner is not claimed by another; an expired lease is", async () => {
    const { handler } = recordingHandler();
    const lead = await createStaffContext(prisma, "SECURITY_LEAD");
    const job = await enqueue(handler, lead.actor, [2, 2, 2, 2]);
    let second: Awaited<ReturnType<typeof runJob>> | undefined;
    await expect(
      runJob(job.id, {
        handlers: [handler],
        hooks: {
          afterCommit: async () => {
            second = await runJob(job.id, { handlers: [handler] });
            throw new Error("die");
          },
        },
      }),
    ).rejects.toThrow("die");
    expect(second).toBeNull();
    expect(await getJobProgress(job.id, new Date(Date.now() + 2 * DEFAULT_LEASE_MS))).toMatchObject({
      status: "RUNNING",
      stalled: true,
    });
    const resumed = await runJob(job.id, {
      handlers: [handler],
      clock: () => new Date(Date.now() + 2 * DEFAULT_LEASE_MS),
    });
    expect(resumed).toMatchObject({ status: "SUCCEEDED" });
    expect(await getJobProgress(job.id)).toMatchObject({ itemsSucceeded: 4 });
  });

  it("a failing batch stops the job as FAILED with the reason; a lead resumes it and it finishes", async () => {
    const { handler, state } = recordingHandler();
    const lead = await createStaffContext(prisma, "SECURITY_LEAD");
    const job = await enqueue(handler, lead.actor, [2, 4, 6]);
    state.failBatches = 1;
    expect(await runJob(job.id, { handlers: [handler] })).toMatchObject({ status: "FAILED" });
    expect(await getJobProgress(job.id)).toMatchObject({
      status: "FAILED",
      itemsDone: 0,
      lastError: expect.stringContaining("DOWNSTREAM_UNAVAILABLE"),
    });
    await expect(resumeJob(await createStaffContext(prisma, "AGENT"), { jobId: job.id })).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });
    await resumeJob(lead, { jobId: job.id });
    expect(await runJob(job.id, { handlers: [handler] })).toMatchObject({ status: "SUCCEEDED" });
    await expect(resumeJob(lead, { jobId: job.id })).rejects.toMatchObject({ code: "JOB_NOT_FAILED" });
  });

  it("cancelling stops a running job before its next batch; pending items stay pending", async () => {
    const { handler } = recordingHandler();
    const lead = await createStaffContext(prisma, "SECURITY_LEAD");
    const job = await enqueue(handler, lead.actor, [2, 2, 2, 2, 2, 2]);
    const outcome = await runJob(job.id, {
      handlers: [handler],
      hooks: {
        afterCommit: async ({ batch }) => {
          if (batch === 1) expect(await cancelJob(lead, { jobId: job.id, reason: "wrong cohort" })).toBe("RUNNING");
        },
      },
    });
    expect(outcome).toMatchObject({ status: "CANCELLED", batches: 1 });
    expect(await getJobProgress(job.id)).toMatchObject({ status: "CANCELLED", itemsDone: 2, cancelRequested: true });
    expect(await prisma.bulkJobItem.count({ where: { jobId: job.id, status: "PENDING" } })).toBe(4);
    await expect(cancelJob(lead, { jobId: job.id })).rejects.toMatchObject({ code: "JOB_FINISHED" });
    // A queued job is cancelled at once.
    const queued = await enqueue(handler, lead.actor, [2]);
    expect(await cancelJob(lead, { jobId: queued.id })).toBe("CANCELLED");
    expect(await runJob(queued.id, { handlers: [handler] })).toBeNull();
  });

  it("when the creator loses the permission, the next batch is denied and the job stops", async () => {
    const { handler, seen } = recordingHandler();
    const lead = await createStaffContext(prisma, "SECURITY_LEAD");
    const job = await enqueue(handler, lead.actor, [2, 2, 2, 2]);
    const outcome = await runJob(job.id, {
      handlers: [handler],
      hooks: {
        afterCommit: async ({ batch }) => {
          if (batch === 1) await prisma.staffUser.update({ where: { id: lead.actor.id }, data: { role: "AGENT" } });
        },
      },
    });
    expect(outcome).toMatchObject({ status: "FAILED", batches: 1 });
    expect(seen).toHaveLength(2);
    expect(
      await prisma.auditEvent.count({ where: { action: "jobs.batch", targetId: job.id, outcome: "DENIED" } }),
    ).toBe(1);
  });
});
