// Killing the bulk reversal job at random points and resuming it reverses each charge exactly once.
//   - In-process (both database modes): a seeded random plan of crashes, thrown from the runner's hooks either inside
//     a batch's transaction (before commit: the batch rolls back) or between batches (after commit: the lease is left
//     held, as by a dead process). A new runner takes the job over once the lease has expired.
//   - Child processes (PostgreSQL mode): a real runner in another process is SIGKILLed at random moments, including
//     mid-transaction; the next process resumes.
// Seed: printed; override with FIREBREAK_CRASH_SEED=<n> to replay a failure.
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { checkLedgerIntegrity } from "~/incidents/replay/bulk-load.server";
import { bulkReversalJob, previewBulkReversal, startBulkReversal } from "~/jobs/bulk-reversal.server";
import { DEFAULT_LEASE_MS } from "~/jobs/job-options";
import { runJob, type JobRunOutcome } from "~/jobs/job-loop.server";
import type { BulkReversalParams } from "~/ledger/bulk-reversal-plan.server";
import { database } from "~/db.server";
import { createIncident, createStaffContext, createStore, createVictim, newKey } from "../support/ledger-fixtures";
import { Rng } from "~/incidents/replay/rng";

const OPENED = new Date("2019-07-01T00:00:00Z");
const SEED = Number(process.env.FIREBREAK_CRASH_SEED ?? Date.now() % 1_000_000);

/** Seeded, so a printed seed replays the same crash points. */
function rng(seed: number): () => number {
  const seeded = new Rng(seed);
  return () => seeded.float();
}

class SimulatedCrash extends Error {}

async function incidentJob(victims: number, random: () => number) {
  const incident = await createIncident(prisma, OPENED);
  const store = await createStore(prisma);
  const charges: { id: string; amount: number }[] = [];
  for (let v = 0; v < victims; v++) {
    const topUps = Array.from({ length: 1 + Math.floor(random() * 3) }, () => 1_000 * (1 + Math.floor(random() * 20)));
    const stolen = topUps.reduce((a, b) => a + b, 0);
    // Attackers spend between nothing and all of it, in one to three purchases.
    const spend = Math.floor(random() * (stolen + 1));
    const purchases = spend === 0 ? [] : [Math.ceil(spend / 2), Math.floor(spend / 2)].filter((x) => x > 0);
    const victim = await createVictim(prisma, incident, store, { ownBalance: 300, topUps, purchases, secured: true });
    victim.topUpIds.forEach((id, k) => charges.push({ id, amount: topUps[k]! }));
    victim.purchaseIds.forEach((id, k) => charges.push({ id, amount: purchases[k]! }));
  }
  const params: BulkReversalParams = {
    scope: { kind: "incident", incidentId: incident.id },
    since: OPENED.toISOString(),
    until: new Date("2019-08-01T00:00:00Z").toISOString(),
    reasonCode: "FRAUDULENT",
    note: null,
  };
  const plan = await previewBulkReversal(params);
  const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
  const { jobId } = await startBulkReversal(lead, { params, digest: plan.digest, idempotencyKey: newKey() });
  return { jobId, charges, yen: plan.totals.yen };
}

async function expectExactlyOnce(jobId: string, charges: { id: string; amount: number }[], yen: number) {
  const reversals = await prisma.ledgerTransaction.findMany({
    where: { reversesId: { in: charges.map((c) => c.id) } },
    select: { reversesId: true, amount: true, idempotencyKey: true },
  });
  const byOriginal = new Map<string, number[]>();
  for (const r of reversals) byOriginal.set(r.reversesId!, [...(byOriginal.get(r.reversesId!) ?? []), r.amount]);
  for (const charge of charges) {
    expect(byOriginal.get(charge.id), `charge ${charge.id}`).toEqual([charge.amount]);
  }
  expect(reversals.every((r) => r.idempotencyKey === `bulk:${jobId}:${r.reversesId}`)).toBe(true);
  const job = await prisma.bulkJob.findUniqueOrThrow({ where: { id: jobId } });
  expect(job).toMatchObject({
    status: "SUCCEEDED",
    itemsTotal: charges.length,
    itemsSucceeded: charges.length,
    itemsFailed: 0,
  });
  expect(Number(job.amountDone)).toBe(yen);
  expect(await prisma.bulkJobItem.count({ where: { jobId, status: { not: "SUCCEEDED" } } })).toBe(0);
  const topUpReversals = await prisma.ledgerTransaction.findMany({
    where: { reversesId: { in: charges.map((c) => c.id) }, reverses: { kind: "TOP_UP" } },
    select: { id: true },
  });
  expect(
    await prisma.refundInstruction.count({ where: { reversalTransactionId: { in: topUpReversals.map((t) => t.id) } } }),
  ).toBe(topUpReversals.length);
  expect(await checkLedgerIntegrity(database.sql)).toEqual({
    unbalancedTransactions: 0,
    orphanEntries: 0,
    entriesOnMissingAccounts: 0,
    balanceMismatches: 0,
    negativeWallets: 0,
  });
}

describe(`bulk job crash and resume (seed ${SEED})`, () => {
  beforeAll(() => {
    console.log(`bulk-crash seed: ${SEED} (replay with FIREBREAK_CRASH_SEED=${SEED})`);
  });

  it("crashes thrown at random points, mid-batch and between batches, never reverse a charge twice", async () => {
    const random = rng(SEED);
    const { jobId, charges, yen } = await incidentJob(14, random);
    let crashes = 0;
    let outcome: JobRunOutcome | null = null;
    for (let run = 0; run < 200 && outcome?.status !== "SUCCEEDED"; run++) {
      // Each new runner lives far enough in the future that the dead runner's lease has expired.
      const offset = run * 2 * DEFAULT_LEASE_MS;
      // The first runner always crashes in its first batch (so every seed exercises a resume); later ones at random.
      const crashAt = run === 0 ? 1 : random() < 0.85 ? 1 + Math.floor(random() * 4) : Number.POSITIVE_INFINITY;
      const where = random() < 0.5 ? "beforeCommit" : "afterCommit";
      const crash = ({ batch }: { batch: number }) => {
        if (batch === crashAt) throw new SimulatedCrash(`crash ${where} batch ${batch}`);
      };
      try {
        outcome = await runJob(jobId, {
          handlers: [bulkReversalJob],
          batchSize: 1 + Math.floor(random() * 5),
          clock: () => new Date(Date.now() + offset),
          hooks: where === "beforeCommit" ? { beforeCommit: crash } : { afterCommit: crash },
        });
        expect(outcome, "the job must be claimable after the previous runner's lease expired").not.toBeNull();
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        crashes += 1;
      }
    }
    expect(outcome?.status).toBe("SUCCEEDED");
    expect(crashes).toBeGreaterThan(0);
    await expectExactlyOnce(jobId, charges, yen);
    const resumes = await prisma.auditEvent.count({ where: { action: "jobs.resume", targetId: jobId } });
    expect(resumes).toBe((await prisma.bulkJob.findUniqueOrThrow({ where: { id: jobId } })).claims - 1);
  });

  it("a runner whose lease was taken over cannot commit another batch", async () => {
    const random = rng(SEED + 1);
    const { jobId, charges, yen } = await incidentJob(6, random);
    let takeover: Promise<JobRunOutcome | null> | null = null;
    // Runner A stalls after its first batch (a long GC pause, a network partition); its lease expires and runner B,
    // whose clock is past A's lease, takes the job over and finishes it. Then A wakes up and tries its next batch.
    const a = await runJob(jobId, {
      handlers: [bulkReversalJob],
      batchSize: 2,
      hooks: {
        afterCommit: async ({ batch }) => {
          if (batch !== 1) return;
          takeover = runJob(jobId, {
            handlers: [bulkReversalJob],
            batchSize: 3,
            clock: () => new Date(Date.now() + 2 * DEFAULT_LEASE_MS),
          });
          await takeover;
        },
      },
    });
    expect(a).toMatchObject({ status: "LEASE_LOST", batches: 1 });
    expect(await takeover).toMatchObject({ status: "SUCCEEDED" });
    await expectExactlyOnce(jobId, charges, yen);
  });

  it.skipIf(process.env.FIREBREAK_TEST_DB !== "postgresql")(
    "a runner process killed with SIGKILL at random moments is resumed by the next one",
    async () => {
      const random = rng(SEED + 2);
      const { jobId, charges, yen } = await incidentJob(20, random);
      const childCode = `
        import("./app/jobs/job-loop.server.ts").then(async (runner) => {
          const { bulkReversalJob } = await import("./app/jobs/bulk-reversal.server.ts");
          const pause = (ms) => new Promise((r) => setTimeout(r, ms));
          // Hold each batch's transaction open a moment, so a kill often lands mid-transaction.
          await runner.runJob(process.env.JOB_ID, {
            handlers: [bulkReversalJob],
            batchSize: 2,
            clock: () => new Date(Date.now() + Number(process.env.CLOCK_OFFSET)),
            hooks: {
              beforeCommit: async () => { await pause(40); },
              afterCommit: async ({ batch }) => { console.log("committed " + batch); },
            },
          });
          console.log("finished");
          process.exit(0);
        });`;
      let kills = 0;
      for (let round = 0; round < 3; round++) {
        // node itself with tsx as a loader: the tsx CLI would run the script in a grandchild that SIGKILL cannot reach,
        // leaving an orphaned runner holding the job.
        const child = spawn(process.execPath, ["--import", "tsx", "--eval", childCode], {
          cwd: process.cwd(),
          env: { ...process.env, JOB_ID: jobId, CLOCK_OFFSET: String(round * 2 * DEFAULT_LEASE_MS) },
          stdio: ["ignore", "pipe", "pipe"],
        });
        const killAfterBatches = 1 + Math.floor(random() * 4);
        const extraDelay = Math.floor(random() * 60);
        let finished = false;
        await new Promise<void>((resolve, reject) => {
          let output = "";
          child.stdout.on("data", (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes("finished")) finished = true;
            const committed = output.match(/committed (\d+)/g)?.length ?? 0;
            if (committed >= killAfterBatches && !child.killed) {
              setTimeout(() => {
                child.kill("SIGKILL");
                kills += 1;
              }, extraDelay);
            }
          });
          child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
          child.on("exit", () => resolve());
          child.on("error", reject);
        });
        if (finished) break;
      }
      expect(kills).toBeGreaterThan(0);
      // A killed child's server backend may still hold the job's row lock for a moment (PostgreSQL ends it once it
      // notices the closed connection), and a claim skips a locked job — as the workers' next poll would, try again.
      let outcome: JobRunOutcome | null = null;
      for (let attempt = 0; attempt < 50 && !outcome; attempt++) {
        outcome = await runJob(jobId, {
          handlers: [bulkReversalJob],
          clock: () => new Date(Date.now() + 10 * DEFAULT_LEASE_MS),
        });
        const { status } = await prisma.bulkJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
        if (status === "SUCCEEDED") break;
        if (!outcome) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Null only if a child happened to finish the job before being killed.
      if (outcome) expect(outcome.status).toBe("SUCCEEDED");
      await expectExactlyOnce(jobId, charges, yen);
    },
    180_000,
  );
});
