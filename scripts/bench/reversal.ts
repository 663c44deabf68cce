// `npx tsx scripts/bench/reversal.ts [--customers 5000] [--batch 500] [--single 200] [--keep]`: reversing all the
// 7pay replay's fraudulent charges on the real PostgreSQL, in a scratch database created for the run (dropped after).
//   1. seeds the replay (seedDatabase) and keeps its ground truth (fraudulent top-ups and purchases)
//   2. dry run of the incident scope: the planned charges must be exactly the ground truth's
//   3. starts the bulk job as a security lead and runs it with the durable job runner: batches of set-based SQL
//      through the audited spine, one audit row per reversal  → reversals/s (goal ≥ 1,000)
//   4. baseline in the same run: raw inserts of the same number of ledger rows (one transaction + two entries per
//      reversal, same batch size, same unnest statements, triggers on), with no reads, locks, checks or audit
//   5. the single-charge path for comparison (--single N reversals through reverseCharge, one at a time)
//   6. checks: every fraudulent charge reversed exactly once, the reconciliation (stolen = returned), ledger invariants
// Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { randomUUID } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { createScratchDatabase } from "./lib/bench-database";
import { check, timed } from "./lib/checks";

const { values: args } = parseArgs({
  options: {
    customers: { type: "string", default: "5000" },
    batch: { type: "string", default: "500" },
    single: { type: "string", default: "200" },
    keep: { type: "boolean", default: false },
  },
});
const CUSTOMERS = Number(args.customers);
const BATCH = Number(args.batch);
const SINGLE = Number(args.single);
const GOAL_REVERSALS_PER_SECOND = 1_000;

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const perSecond = (n: number, ms: number) => n / (ms / 1000);

async function main() {
  const scratch = await createScratchDatabase("reversal");
  // The app's modules use the process-wide database: point it at the scratch one before importing them.
  process.env.DATABASE_URL = scratch.url;
  try {
    await run();
  } finally {
    const { database } = await import("~/db.server");
    await database.close();
    if (args.keep) console.log(`kept database ${scratch.name}`);
    else await scratch.drop();
  }
}

async function run() {
  const { database, prisma } = await import("~/db.server");
  const { seedDatabase } = await import("~/incidents/replay/seed.server");
  const { checkLedgerIntegrity } = await import("~/incidents/replay/bulk-load.server");
  const { BULK_REVERSAL_START, bulkReversalJob, previewBulkReversal, reconcileBulkReversal, startBulkReversal } =
    await import("~/jobs/bulk-reversal.server");
  const { reversalContextOf } = await import("~/ledger/reversal-context.server");
  const { confirmWithNextCode, createSignedInStaff } = await import("../../tests/support/staff");
  const { runJob } = await import("~/jobs/job-loop.server");
  const { reverseCharge } = await import("~/ledger/reverse-charge.server");
  const { intArray, textArray } = await import("~/ledger/sql-array");
  const { walletAccountCode } = await import("~/ledger/post-transaction.server");

  console.log(`reversal benchmark — ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}, batch ${BATCH}`);
  const seeded = await timed(() => seedDatabase(database, { customers: CUSTOMERS, audit: false }));
  const truth = seeded.result.groundTruth;
  const fraud = new Map<string, number>([
    ...truth.fraudulentTopUps.map((t) => [t.transactionId, t.amount] as const),
    ...truth.fraudulentPurchases.map((p) => [p.transactionId, p.amount] as const),
  ]);
  console.log(
    `seeded ${fmt(CUSTOMERS)} customers in ${fmt(seeded.ms)} ms: ${fmt(truth.totals.victims)} victims, ` +
      `${fmt(truth.fraudulentTopUps.length)} fraudulent top-ups (¥${fmt(truth.totals.fraudulentTopUpYen)}), ` +
      `${fmt(truth.fraudulentPurchases.length)} fraudulent purchases (¥${fmt(truth.totals.fraudulentPurchaseYen)})`,
  );

  // A bulk reversal this large starts only with an authenticator code bound to its dry run (ADR 017), so the bench's
  // lead is a real enrolled member with a stepped-up session, as a person at the console would be.
  const lead = await createSignedInStaff({ role: "SECURITY_LEAD", displayName: "Bench lead", userAgent: "bench" });
  const ctx = reversalContextOf(lead.ctx);
  const incident = await prisma.incident.findUniqueOrThrow({ where: { id: truth.incidentId } });
  const params = {
    scope: { kind: "incident" as const, incidentId: incident.id },
    since: incident.openedAt.toISOString(),
    until: new Date().toISOString(),
    reasonCode: "FRAUDULENT",
    note: null,
  };

  // Agents secure the victims before their purchases are refunded to the wallets (a purchase reversal on an active,
  // unsecured account is refused): the bench freezes them all, outside the timings.
  await prisma.$executeRaw`
    UPDATE customer SET status = 'FROZEN'
     WHERE status = 'ACTIVE' AND id IN (SELECT customer_id FROM incident_case WHERE incident_id = ${incident.id}::uuid)`;

  // Dry run: exactly the ground truth's charges.
  const dry = await timed(() => previewBulkReversal(params));
  const plan = dry.result;
  const planned = new Set(plan.charges.map((c) => c.transactionId));
  check(planned.size === fraud.size && [...fraud.keys()].every((id) => planned.has(id)), "dry run = ground truth");
  console.log(
    `dry run: ${fmt(plan.totals.accounts)} accounts, ${fmt(plan.totals.charges)} charges, ¥${fmt(plan.totals.yen)} ` +
      `(purchases ¥${fmt(plan.totals.purchaseYen)}, top-ups ¥${fmt(plan.totals.topUpYen)}; ` +
      `${plan.totals.accountsShort} accounts short by ¥${fmt(plan.totals.shortfallYen)}) in ${fmt(dry.ms)} ms`,
  );

  const confirmation = await confirmWithNextCode(lead, { action: BULK_REVERSAL_START, digest: plan.digest });
  const started = await timed(() =>
    startBulkReversal(ctx, {
      params,
      digest: plan.digest,
      idempotencyKey: `bench-${randomUUID()}`,
      confirmation,
    }),
  );
  const jobId = started.result.jobId;
  console.log(`job ${jobId} enqueued with ${fmt(plan.totals.charges)} items in ${fmt(started.ms)} ms`);

  const ran = await timed(() => runJob(jobId, { handlers: [bulkReversalJob], batchSize: BATCH }));
  const job = await prisma.bulkJob.findUniqueOrThrow({ where: { id: jobId } });
  const reversals = job.itemsSucceeded;
  const rate = perSecond(reversals, ran.ms);
  check(ran.result?.status === "SUCCEEDED", `job status ${ran.result?.status}`);

  // Baseline: the same number of ledger rows, raw. A scratch customer's wallet receives N balanced transactions of ¥1
  // from the card clearing account, in the same batch size, one transaction per batch.
  const baselineCustomer = await prisma.customer.create({
    data: {
      displayId: `BENCH-${randomUUID().slice(0, 8)}`,
      name: "ベンチ",
      nameKana: "ベンチ",
      email: "bench@example.com",
      phone: "+819000000000",
      birthDate: new Date("1990-01-01"),
    },
  });
  const wallet = await prisma.ledgerAccount.create({
    data: { code: walletAccountCode(baselineCustomer.id), kind: "CUSTOMER_WALLET", customerId: baselineCustomer.id },
  });
  const clearing = await prisma.ledgerAccount.findUniqueOrThrow({ where: { code: "clearing:CREDIT_CARD" } });
  const baseline = await timed(async () => {
    for (let done = 0; done < reversals; done += BATCH) {
      const n = Math.min(BATCH, reversals - done);
      const ids = Array.from({ length: n }, () => randomUUID());
      await prisma.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(
            `INSERT INTO ledger_transaction (id, kind, customer_id, amount, occurred_at, created_at)
             SELECT s.id, 'TOP_UP', $2::uuid, 1, now(), now() FROM unnest($1::text::uuid[]) AS s(id)`,
            textArray(ids),
            baselineCustomer.id,
          );
          for (const [account, sign] of [
            [wallet.id, 1],
            [clearing.id, -1],
          ] as const) {
            await tx.$executeRawUnsafe(
              `INSERT INTO ledger_entry (transaction_id, account_id, amount)
               SELECT s.id, $2::uuid, s.amount FROM unnest($1::text::uuid[], $3::text::int4[]) AS s(id, amount)`,
              textArray(ids),
              account,
              intArray(ids.map(() => sign)),
            );
          }
        },
        { timeout: 60_000 },
      );
    }
  });
  const baselineRate = perSecond(reversals, baseline.ms);

  // Where the job's time goes: the same number of audit rows of the same shape, appended on their own through the
  // spine's appendAuditEvents in the same batch size (one transaction each).
  const { appendAuditEvents } = await import("~/audit/audit-log.server");
  const auditOnly = await timed(async () => {
    for (let done = 0; done < reversals; done += BATCH) {
      const n = Math.min(BATCH, reversals - done);
      const events = Array.from({ length: n }, () => ({
        actor: ctx.actor,
        origin: ctx.origin,
        action: "bench.audit-only",
        outcome: "SUCCESS" as const,
        targetType: "ledger_transaction",
        targetId: randomUUID(),
        reason: "FRAUDULENT",
        before: { kind: "PURCHASE", amount: 1234, reversedBefore: 0 },
        after: { jobId, amount: 1234, reversalTransactionId: randomUUID(), destination: "wallet", storeCode: "S-X" },
      }));
      await prisma.$transaction((tx) => appendAuditEvents(tx, events), { timeout: 60_000 });
    }
  });

  // The single-charge path: one reversal per request, as an agent's form does. ¥1 of ordinary purchases.
  const ordinary = await prisma.$queryRaw<{ id: string; customer_id: string }[]>`
    SELECT t.id, t.customer_id FROM ledger_transaction t
     WHERE t.kind = 'PURCHASE' AND t.occurred_at < ${incident.openedAt}
     ORDER BY t.id LIMIT ${SINGLE}`;
  await prisma.customer.updateMany({
    where: { id: { in: ordinary.map((c) => c.customer_id) }, status: "ACTIVE" },
    data: { status: "FROZEN" },
  });
  process.env.FIREBREAK_REVERSAL_DAILY_CAP_YEN = "1000000000";
  const single = await timed(async () => {
    for (const charge of ordinary) {
      await reverseCharge(ctx, {
        customerId: charge.customer_id,
        transactionId: charge.id,
        amount: 1,
        reasonCode: "DUPLICATE",
        idempotencyKey: `bench-single-${randomUUID()}`,
      });
    }
  });
  const singleRate = perSecond(ordinary.length, single.ms);

  // Checks: exactly once, the reconciliation, the ledger.
  const reversed = await prisma.$queryRawUnsafe<{ reverses_id: string; n: bigint; total: bigint }[]>(
    `SELECT reverses_id, COUNT(*) AS n, SUM(amount) AS total FROM ledger_transaction
      WHERE reverses_id = ANY($1::text::uuid[]) GROUP BY reverses_id`,
    textArray([...fraud.keys()]),
  );
  const failedItems = await prisma.bulkJobItem.findMany({ where: { jobId, status: "FAILED" } });
  const once = reversed.every((r) => Number(r.n) === 1 && Number(r.total) === fraud.get(r.reverses_id));
  check(once, "every fraudulent charge reversed at most once, in full");
  check(reversed.length + failedItems.length === fraud.size, "every fraudulent charge reversed or reported as failed");
  const report = await reconcileBulkReversal(jobId);
  const totals = report!.totals;
  check(totals.stolenYen === truth.totals.fraudulentTopUpYen, "stolen = ground truth's fraudulent top-ups");
  const integrity = await checkLedgerIntegrity(database.sql);
  check(
    Object.values(integrity).every((n) => n === 0),
    `ledger integrity ${JSON.stringify(integrity)}`,
  );
  const auditRows = await prisma.auditEvent.count({
    where: { action: "ledger.reverse", outcome: "SUCCESS", after: { path: ["jobId"], equals: jobId } },
  });
  check(auditRows === reversals, `one audit row per reversal (${auditRows} for ${reversals})`);

  console.log("");
  console.log(
    `bulk job:        ${fmt(reversals)} reversals in ${fmt(ran.ms)} ms = ${fmt(rate)} reversals/s (goal ≥ ${fmt(GOAL_REVERSALS_PER_SECOND)})`,
  );
  console.log(
    `                 ${job.batchesCommitted} batches of ≤ ${BATCH}; ${job.itemsFailed} failed items; ${fmt(auditRows)} audit rows`,
  );
  console.log(
    `raw baseline:    ${fmt(reversals)} transactions + ${fmt(2 * reversals)} entries in ${fmt(baseline.ms)} ms = ${fmt(baselineRate)} transactions/s`,
  );
  console.log(`                 the bulk job runs at ${((rate / baselineRate) * 100).toFixed(0)}% of raw insert speed`);
  console.log(
    `audit rows only: ${fmt(reversals)} rows through appendAuditEvents in ${fmt(auditOnly.ms)} ms ` +
      `(${((auditOnly.ms / ran.ms) * 100).toFixed(0)}% of the job's time)`,
  );
  console.log(
    `single path:     ${fmt(ordinary.length)} reversals one by one in ${fmt(single.ms)} ms = ${fmt(singleRate)} reversals/s`,
  );
  console.log(
    `reconciliation:  stolen ¥${fmt(totals.stolenYen)}, returned to cards ¥${fmt(totals.returnedYen)}, outstanding ` +
      `¥${fmt(totals.outstandingYen)} (${totals.accountsOutstanding} of ${totals.accounts} accounts); purchases ` +
      `¥${fmt(totals.purchaseYen)} reversed ¥${fmt(totals.purchaseReversedYen)}`,
  );
  if (failedItems.length > 0) {
    const codes = new Map<string, number>();
    for (const item of failedItems) codes.set(item.errorCode ?? "?", (codes.get(item.errorCode ?? "?") ?? 0) + 1);
    console.log(`failed items:    ${JSON.stringify(Object.fromEntries(codes))}`);
  }
  console.log(`checks:          ${process.exitCode ? "FAILED (see above)" : "all passed"}`);
  console.log(`goal:            ${rate >= GOAL_REVERSALS_PER_SECOND ? "met" : "NOT met"}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
