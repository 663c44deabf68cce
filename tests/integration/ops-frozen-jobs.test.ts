// The bulk job runner when its database freezes in the middle of a batch (docs/decisions/085-reliability-round-four.md):
// the connections open at that moment stop answering for good and a new server answers behind the same address, as a
// frozen primary replaced. The runner gives up on the frozen connection within its bounds and finishes the job through
// the new one, each item once, before the frozen connections are let go. Two freezes: in the middle of the batch's
// transaction across a partition (the server never hears that the client gave up, so that session keeps its
// transaction and the job's row lock), and at its COMMIT (the server commits, the answer never arrives: whether the
// batch was done is unknown to the runner, and running it again must settle nothing twice).
// (ops-frozen-workers.test.ts: the other workers.)
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { enqueueJob } from "~/jobs/job-enqueue.server";
import type { JobHandler, JobItem } from "~/jobs/job-handlers.server";
import { startJobRunner } from "~/jobs/job-loop.server";
import { doneBeforeLetGo, frozenOrFail, openProcessDatabaseThroughProxy } from "../support/frozen-worker";
import { createStaffContext } from "../support/ledger-fixtures";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const through = await vi.hoisted(async () => {
  if (process.env.FIREBREAK_TEST_DB !== "postgresql") return null;
  const { openProcessDatabaseThroughProxy: open } = await import("../support/frozen-worker");
  return open();
});
void openProcessDatabaseThroughProxy; // opened above, before ~/db.server was imported

afterEach(() => {
  through?.proxy.resume();
});
afterAll(async () => {
  await through?.proxy.close();
});

/** A job of `count` items whose batches audit each item; `onBatch` runs first in each batch's transaction. */
async function jobWithItems(count: number, onBatch: (tx: Parameters<JobHandler["processBatch"]>[0]) => Promise<void>) {
  const handler: JobHandler = {
    kind: `test.frozen.${randomUUID()}`,
    permission: "bulk:run",
    batchSize: 2,
    async processBatch(tx, _job, items: JobItem[]) {
      await onBatch(tx);
      return {
        outcomes: items.map((i) => ({ itemId: i.id, status: "SUCCEEDED" as const, resultAmount: i.amount })),
        amountMoved: 0,
        auditEvents: items.map((i) => ({ action: "test.item", outcome: "SUCCESS" as const, targetId: i.subjectId })),
      };
    },
    async finish() {
      return {};
    },
  };
  const lead = await createStaffContext(prisma, "SECURITY_LEAD");
  const job = await prisma.$transaction((tx) =>
    enqueueJob(tx, {
      kind: handler.kind,
      params: {},
      totals: { items: count },
      items: Array.from({ length: count }, () => ({ subjectId: randomUUID(), amount: 0 })),
      createdBy: lead.actor,
    }),
  );
  return { handler, job, lead };
}

describe.skipIf(!onPostgres)("the bulk job runner when its database freezes mid-batch (PostgreSQL)", () => {
  for (const freeze of ["mid-transaction, across a partition", "at the batch's COMMIT"] as const) {
    it(`${freeze}: finishes the job through the new server before the frozen one answers, each item once`, async () => {
      const { proxy, directUrl } = through!;
      const marker = `frozen-batch-${randomUUID()}`;
      let batches = 0;
      const { handler, job, lead } = await jobWithItems(5, async (tx) => {
        if (batches++ === 0) await tx.$queryRawUnsafe(`SELECT '${marker}'`);
      });
      const frozen =
        freeze === "at the batch's COMMIT"
          ? proxy.freezeWhenSent("COMMIT", { after: marker })
          : proxy.freezeWhenSent(marker, { partition: true });
      const stop = startJobRunner({ handlers: [handler], pollIntervalMs: 50 });
      try {
        await frozenOrFail(frozen, `the first batch's ${freeze === "at the batch's COMMIT" ? "COMMIT" : "statement"}`);
        const before = await doneBeforeLetGo(proxy, directUrl, async (client) => {
          const { rows } = await client.query<{ status: string }>("SELECT status FROM bulk_job WHERE id = $1", [
            job.id,
          ]);
          return rows[0]?.status === "SUCCEEDED";
        });
        expect(before).toBe(true);
      } finally {
        await stop();
      }
      const settled = await prisma.auditEvent.findMany({
        where: { action: "test.item", actorId: lead.actor.id },
        select: { targetId: true },
      });
      expect(settled).toHaveLength(5);
      expect(new Set(settled.map((s) => s.targetId)).size).toBe(5);
      const items = await prisma.bulkJobItem.groupBy({ by: ["status"], where: { jobId: job.id }, _count: true });
      expect(items).toEqual([{ status: "SUCCEEDED", _count: 5 }]);
    });
  }
});
