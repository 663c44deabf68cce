// Bulk reversal of an incident's charges: dry run, confirmation (bulk:run, step-up, digest, idempotent start), the
// job (purchases first, then top-ups back to the cards), per-item failures, the reconciliation report.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import type { ActionConfirmation } from "~/auth/action-confirmation.server";
import {
  BULK_REVERSAL_START,
  bulkReversalJob,
  previewBulkReversal,
  reconcileBulkReversal,
  startBulkReversal,
} from "~/jobs/bulk-reversal.server";
import { getJobProgress } from "~/jobs/job-progress.server";
import { runJob } from "~/jobs/job-loop.server";
import type { BulkReversalParams } from "~/ledger/bulk-reversal-plan.server";
import { bulkReversalParams } from "~/ledger/bulk-reversal-query.server";
import { translatorFor } from "~/i18n/i18next.server";
import type { Reconciliation } from "~/ledger/bulk-reversal-report.server";
import { reversalContextOf } from "~/ledger/reversal-context.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import {
  buy,
  createIncident,
  createStaffContext,
  createStore,
  createVictim,
  newKey,
  walletBalance,
} from "../support/ledger-fixtures";
import { confirmWithNextCode, createSignedInStaff, staffContext } from "../support/staff";

const OPENED = new Date("2019-07-01T00:00:00Z");
const UNTIL = new Date("2019-07-31T00:00:00Z");

/** Every fraudulent charge of the incident inside the test window. */
function incidentScope(incidentId: string): BulkReversalParams {
  return {
    scope: { kind: "incident", incidentId },
    since: OPENED.toISOString(),
    until: UNTIL.toISOString(),
    reasonCode: "FRAUDULENT",
    note: null,
  };
}

async function scenario() {
  const incident = await createIncident(prisma, OPENED);
  const store = await createStore(prisma);
  // Three ordinary victims (attackers spent part of the stolen money), one whose wallet cannot cover the refund
  // (the attackers' purchase was already refunded to the store's side by someone else: see below), one untouched.
  const a = await createVictim(prisma, incident, store, {
    ownBalance: 2_000,
    topUps: [10_000, 20_000],
    purchases: [25_000],
    secured: true,
  });
  const b = await createVictim(prisma, incident, store, {
    topUps: [50_000],
    purchases: [30_000, 20_000],
    secured: true,
  });
  const c = await createVictim(prisma, incident, store, {
    ownBalance: 500,
    topUps: [7_000],
    purchases: [7_000],
    secured: true,
  });
  return { incident, store, a, b, c, params: incidentScope(incident.id) };
}

async function reversalsOf(originalId: string) {
  return prisma.ledgerTransaction.findMany({ where: { reversesId: originalId } });
}

describe("bulk reversal", () => {
  let s: Awaited<ReturnType<typeof scenario>>;
  beforeAll(async () => {
    s = await scenario();
  });

  it("the dry run lists the accounts, the charges in the window and the yen totals, and writes nothing", async () => {
    const before = await prisma.ledgerTransaction.count();
    const plan = await previewBulkReversal(s.params);
    expect(plan.totals).toMatchObject({
      accounts: 3,
      charges: 8,
      purchases: 4,
      purchaseYen: 25_000 + 50_000 + 7_000,
      topUps: 4,
      topUpYen: 30_000 + 50_000 + 7_000,
      yen: 82_000 + 87_000,
      accountsShort: 0,
    });
    // The victims' own pre-incident top-ups are outside the window.
    expect(plan.charges.map((c) => c.transactionId).sort()).toEqual(
      [
        ...s.a.topUpIds,
        ...s.a.purchaseIds,
        ...s.b.topUpIds,
        ...s.b.purchaseIds,
        ...s.c.topUpIds,
        ...s.c.purchaseIds,
      ].sort(),
    );
    const a = plan.accounts.find((x) => x.customerId === s.a.customer.id)!;
    expect(a).toMatchObject({ walletBalance: 2_000 + 30_000 - 25_000, projectedWallet: 2_000 });
    expect(await prisma.ledgerTransaction.count()).toBe(before);
    expect(plan.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("starting needs bulk:run and a fresh step-up; a stale dry run is refused", async () => {
    const plan = await previewBulkReversal(s.params);
    const agent = await createStaffContext(prisma, "AGENT", { steppedUp: true });
    await expect(
      startBulkReversal(agent, { params: s.params, digest: plan.digest, idempotencyKey: newKey() }),
    ).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    const notSteppedUp = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: false });
    await expect(
      startBulkReversal(notSteppedUp, { params: s.params, digest: plan.digest, idempotencyKey: newKey() }),
    ).rejects.toMatchObject({ code: "STEP_UP_REQUIRED" });
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    await expect(
      startBulkReversal(lead, { params: s.params, digest: "0".repeat(64), idempotencyKey: newKey() }),
    ).rejects.toMatchObject({ code: "PLAN_CHANGED" });
    expect(await prisma.bulkJob.count({ where: { createdById: { in: [agent.actor.id, lead.actor.id] } } })).toBe(0);
  });

  it("reverses purchases then top-ups exactly once, queues refunds, and reconciles stolen against returned", async () => {
    // Someone reverses part of one purchase by hand before the job: the job takes only what is left.
    await reverseCharge(staffContext("AGENT"), {
      customerId: s.b.customer.id,
      transactionId: s.b.purchaseIds[0]!,
      amount: 5_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    const plan = await previewBulkReversal(s.params);
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const key = newKey();
    const started = await startBulkReversal(lead, { params: s.params, digest: plan.digest, idempotencyKey: key });
    // A double-click on "Confirm" answers with the same job.
    const again = await startBulkReversal(lead, { params: s.params, digest: plan.digest, idempotencyKey: key });
    expect(again).toMatchObject({ jobId: started.jobId, replayed: true });
    expect(await prisma.bulkJob.count({ where: { idempotencyKey: key } })).toBe(1);

    const outcome = await runJob(started.jobId, { handlers: [bulkReversalJob], batchSize: 3 });
    // Phases never share a batch: 4 purchases (3 + 1), then 4 top-ups (3 + 1).
    expect(outcome).toMatchObject({ status: "SUCCEEDED", batches: 4 });
    const progress = await getJobProgress(started.jobId);
    expect(progress).toMatchObject({
      status: "SUCCEEDED",
      itemsTotal: 8,
      itemsSucceeded: 8,
      itemsFailed: 0,
      percent: 100,
      amountDone: plan.totals.yen,
    });
    for (const id of [...s.a.topUpIds, ...s.b.topUpIds, ...s.c.topUpIds, ...s.a.purchaseIds, ...s.c.purchaseIds]) {
      const reversals = await reversalsOf(id);
      const original = await prisma.ledgerTransaction.findUniqueOrThrow({ where: { id } });
      expect(reversals.map((r) => r.amount)).toEqual([original.amount]);
      expect(reversals[0]!.idempotencyKey).toBe(`bulk:${started.jobId}:${id}`);
    }
    expect((await reversalsOf(s.b.purchaseIds[0]!)).map((r) => r.amount).sort((x, y) => x - y)).toEqual([
      5_000, 25_000,
    ]);
    // Wallets are back to the victims' own money; the cards get the stolen money back.
    expect(await walletBalance(prisma, s.a)).toBe(2_000);
    expect(await walletBalance(prisma, s.b)).toBe(0);
    expect(await walletBalance(prisma, s.c)).toBe(500);
    const refunds = await prisma.refundInstruction.findMany({
      where: { customerId: { in: [s.a.customer.id, s.b.customer.id, s.c.customer.id] } },
    });
    expect(refunds.map((r) => r.amount).sort((x, y) => x - y)).toEqual([7_000, 10_000, 20_000, 50_000]);
    expect(refunds.every((r) => r.status === "PENDING" && r.channel === "CREDIT_CARD")).toBe(true);

    const report = (await reconcileBulkReversal(started.jobId)) as Reconciliation;
    expect(report.totals).toMatchObject({
      accounts: 3,
      stolenYen: 87_000,
      returnedYen: 87_000,
      outstandingYen: 0,
      accountsOutstanding: 0,
      purchaseYen: 82_000,
      purchaseReversedYen: 82_000,
      reversedByJobYen: plan.totals.yen,
      failedItems: 0,
    });
    const audit = await prisma.auditEvent.count({
      where: { action: "ledger.reverse", outcome: "SUCCESS", after: { path: ["jobId"], equals: started.jobId } },
    });
    expect(audit).toBe(8);

    // Running the finished job again does nothing.
    expect(await runJob(started.jobId, { handlers: [bulkReversalJob] })).toBeNull();
  });

  it("an account whose wallet cannot cover its top-up refund fails on its own; the job goes on and reports it", async () => {
    const incident = await createIncident(prisma, OPENED);
    const store = await createStore(prisma);
    const fine = await createVictim(prisma, incident, store, { topUps: [10_000], purchases: [10_000], secured: true });
    const short = await createVictim(prisma, incident, store, { topUps: [10_000], purchases: [4_000], secured: true });
    // The victim spent part of the stolen money themselves after the window closed (a purchase the job won't reverse).
    await buy(prisma, short, store, 6_000, new Date(UNTIL.getTime() + 60_000));
    const params = incidentScope(incident.id);
    const plan = await previewBulkReversal(params);
    expect(plan.totals).toMatchObject({ accountsShort: 1, shortfallYen: 6_000 });
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const { jobId } = await startBulkReversal(lead, { params, digest: plan.digest, idempotencyKey: newKey() });
    expect(await runJob(jobId, { handlers: [bulkReversalJob] })).toMatchObject({ status: "SUCCEEDED" });
    const failed = await prisma.bulkJobItem.findMany({ where: { jobId, status: "FAILED" } });
    expect(failed.map((f) => [f.subjectId, f.errorCode])).toEqual([[short.topUpIds[0], "WALLET_WOULD_GO_NEGATIVE"]]);
    expect(await reversalsOf(short.topUpIds[0]!)).toEqual([]);
    expect((await reversalsOf(fine.topUpIds[0]!)).map((r) => r.amount)).toEqual([10_000]);
    const report = (await reconcileBulkReversal(jobId)) as Reconciliation;
    expect(report.totals).toMatchObject({
      stolenYen: 20_000,
      returnedYen: 10_000,
      outstandingYen: 10_000,
      failedItems: 1,
    });
    expect(report.accounts.find((x) => x.customerId === short.customer.id)).toMatchObject({
      outstandingYen: 10_000,
      failureCodes: ["WALLET_WOULD_GO_NEGATIVE"],
    });
    expect(
      await prisma.auditEvent.count({
        where: { action: "ledger.reverse", outcome: "FAILED", targetId: short.topUpIds[0]! },
      }),
    ).toBe(1);
  });

  it("a saved cohort is a scope: exactly its snapshot's members", async () => {
    const lead = await createStaffContext(prisma, "SECURITY_LEAD");
    const member = await createVictim(prisma, s.incident, s.store, {
      topUps: [3_000],
      purchases: [1_000],
      secured: true,
    });
    const other = await createVictim(prisma, s.incident, s.store, { topUps: [4_000], purchases: [], secured: true });
    const cohort = await prisma.cohort.create({
      data: {
        name: `Reversal test cohort ${randomUUID().slice(0, 6)}`,
        incidentId: s.incident.id,
        definition: {},
        memberCount: 2,
        createdById: lead.actor.id,
        members: {
          create: [
            { customerId: member.customer.id, riskScore: 90, reasons: [] },
            { customerId: s.c.customer.id, riskScore: 80, reasons: [] },
          ],
        },
      },
    });
    const plan = await previewBulkReversal({ ...s.params, scope: { kind: "cohort", cohortId: cohort.id } });
    expect(plan.scope).toMatchObject({ incidentId: s.incident.id, accounts: 2 });
    expect(plan.scope.label).toContain(cohort.name);
    // s.c's charges were all reversed by the job above: only the new member has something left; `other` is in the
    // incident but not in the cohort.
    expect(plan.charges.map((c) => c.transactionId).sort()).toEqual([...member.topUpIds, ...member.purchaseIds].sort());
    expect(plan.charges.some((c) => c.customerId === other.customer.id)).toBe(false);
    await expect(
      previewBulkReversal({ ...s.params, scope: { kind: "cohort", cohortId: randomUUID() } }),
    ).rejects.toMatchObject({ code: "COHORT_NOT_FOUND" });
  });

  it("a list of customer IDs is a scope too; unknown IDs are refused", async () => {
    const params: BulkReversalParams = {
      ...s.params,
      scope: { kind: "customers", customerIds: [s.a.customer.id, randomUUID()] },
    };
    await expect(previewBulkReversal(params)).rejects.toMatchObject({ code: "UNKNOWN_CUSTOMERS" });
  });
});

describe("a bulk reversal at or above the confirmation bound", () => {
  it("starts only with a fresh code bound to this very dry run", async () => {
    const s = await scenario();
    const signedIn = await createSignedInStaff({ role: "SECURITY_LEAD" });
    const lead = reversalContextOf(signedIn.ctx);
    process.env.FIREBREAK_BULK_CONFIRMATION_MIN_YEN = "1000"; // this scenario moves ¥169,000
    try {
      const plan = await previewBulkReversal(s.params);
      const start = (confirmation?: ActionConfirmation) =>
        startBulkReversal(lead, { params: s.params, digest: plan.digest, idempotencyKey: newKey(), confirmation });
      // A fresh step-up alone (taken, say, for a kill switch a minute earlier) is not enough.
      await expect(start()).rejects.toMatchObject({ code: "CONFIRMATION_CODE_REQUIRED" });
      // A code typed for another dry run does not carry over.
      const other = await confirmWithNextCode(signedIn, { action: BULK_REVERSAL_START, digest: "0".repeat(64) });
      await expect(start(other)).rejects.toMatchObject({ code: "CONFIRMATION_CODE_REQUIRED" });
      expect(await prisma.bulkJob.count({ where: { incidentId: s.incident.id } })).toBe(0);
      const bound = await confirmWithNextCode(signedIn, { action: BULK_REVERSAL_START, digest: plan.digest });
      const started = await start(bound);
      expect(started.replayed).toBe(false);
      expect(await prisma.bulkJob.count({ where: { incidentId: s.incident.id } })).toBe(1);
    } finally {
      delete process.env.FIREBREAK_BULK_CONFIRMATION_MIN_YEN;
    }
  });
});

describe("the bulk-reversal page's window", () => {
  const t = translatorFor("en", "reversals");
  const listed = { scope: "customers" as const, customers: randomUUID(), reasonCode: "FRAUDULENT" };

  it("reads JST datetime-local values as the instants they name", async () => {
    const read = await bulkReversalParams({ ...listed, since: "2019-07-01T09:00", until: "2019-07-04T23:59" }, t);
    expect(read).toMatchObject({
      params: { since: "2019-07-01T00:00:00.000Z", until: "2019-07-04T14:59:00.000Z" },
    });
  });

  it("refuses a date not on the calendar instead of rolling it into March or dropping it for the default", async () => {
    for (const typed of [{ since: "2019-02-31T00:00" }, { since: "2019-07-01T00:00", until: "2019-04-31T10:00" }]) {
      const read = await bulkReversalParams({ ...listed, ...typed }, t);
      expect(read, JSON.stringify(typed)).toEqual({ error: expect.stringContaining("is not a date and time") });
    }
    expect(await bulkReversalParams({ ...listed, since: "soon" }, t)).toEqual({
      error: "“soon” is not a date and time on the calendar (JST).",
    });
  });
});
