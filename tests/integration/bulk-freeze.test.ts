// Freezing in one job the accounts a bulk reversal's dry run would skip as unsecured (ADR 105): the dry run lists
// exactly them and binds the confirmation to a digest of them; the job freezes each once with its own audit row, in
// the batch's transaction, survives a runner that dies between batches, skips an account secured meanwhile; and the
// bulk reversal's next dry run finds every one of them secured.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { StepUpRequiredError } from "~/audit/perform-action.server";
import { changeAccountStatus } from "~/accounts/account-status.server";
import { bulkFreezeJob, previewBulkFreeze, startBulkFreeze } from "~/jobs/bulk-freeze.server";
import { previewBulkReversal } from "~/jobs/bulk-reversal.server";
import { runJob } from "~/jobs/job-loop.server";
import { DEFAULT_LEASE_MS } from "~/jobs/job-options";
import { isDomainError, PermissionDeniedError } from "~/lib/domain-error";
import { createIncident, createStaffContext, createStore, createVictim, newKey } from "../support/ledger-fixtures";

const OPENED = new Date("2019-07-01T00:00:00Z");
const UNTIL = new Date("2019-07-31T00:00:00Z");
const REASON = "7pay 不正利用: 未保護アカウントの一括凍結";

class SimulatedCrash extends Error {}

/** An incident with one secured victim and `open` victims nobody has secured, each with two purchases. */
async function incidentWithUnsecured(open: number) {
  const incident = await createIncident(prisma, OPENED);
  const store = await createStore(prisma);
  const secured = await createVictim(prisma, incident, store, { topUps: [10_000], purchases: [8_000], secured: true });
  const unsecured = [];
  for (let k = 0; k < open; k++) {
    unsecured.push(await createVictim(prisma, incident, store, { topUps: [10_000], purchases: [4_000, 3_000] }));
  }
  const params = {
    scope: { kind: "incident" as const, incidentId: incident.id },
    since: OPENED.toISOString(),
    until: UNTIL.toISOString(),
    reasonCode: "FRAUDULENT",
    note: null,
  };
  return { incident, secured, unsecured: unsecured.map((v) => v.customer.id), params };
}

async function statuses(ids: string[]) {
  const rows = await prisma.customer.findMany({ where: { id: { in: ids } }, select: { status: true } });
  return rows.map((row) => row.status);
}

async function freezeRows(customerIds: string[]) {
  return prisma.auditEvent.findMany({
    where: { action: "account.freeze", targetId: { in: customerIds } },
    select: { targetId: true, outcome: true, incidentId: true, reason: true, after: true },
  });
}

describe("a bulk freeze of the unsecured accounts", () => {
  it("freezes exactly the accounts the dry run skipped, one audit row each, and the next dry run covers them", async () => {
    const { incident, secured, unsecured, params } = await incidentWithUnsecured(3);
    const before = await previewBulkReversal(params);
    expect(before.totals.unsecuredAccounts).toBe(3);

    const preview = await previewBulkFreeze(params);
    expect(preview.accounts.map((a) => a.customerId).sort()).toEqual([...unsecured].sort());
    expect(preview.unsecuredYen).toBe(3 * 7_000);
    expect(preview.needsCode).toBe(false);

    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const started = await startBulkFreeze(lead, {
      reversal: params,
      reason: REASON,
      digest: preview.digest,
      idempotencyKey: newKey(),
    });
    expect(started).toMatchObject({ replayed: false, accounts: 3 });
    // Nothing is frozen until the job runs: the confirmation only queues it.
    expect(await statuses(unsecured)).toEqual(["ACTIVE", "ACTIVE", "ACTIVE"]);
    const outcome = await runJob(started.jobId, { handlers: [bulkFreezeJob] });
    expect(outcome?.status).toBe("SUCCEEDED");
    expect(await statuses(unsecured)).toEqual(["FROZEN", "FROZEN", "FROZEN"]);
    expect(await statuses([secured.customer.id])).toEqual(["FROZEN"]);

    const rows = await freezeRows(unsecured);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ outcome: "SUCCESS", incidentId: incident.id, reason: REASON });
      expect(row.after).toMatchObject({ status: "FROZEN", jobId: started.jobId });
    }
    const start = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "accounts.bulk-freeze.start", targetId: started.jobId },
    });
    expect(start.outcome).toBe("SUCCESS");

    const after = await previewBulkReversal(params);
    expect(after.totals).toMatchObject({ unsecuredAccounts: 0, unsecuredCharges: 0 });
    expect(after.totals.toReverseCharges).toBe(after.totals.charges);
    expect((await previewBulkFreeze(params)).accounts).toEqual([]);
  });

  it("a runner that dies between batches is resumed by another, and no account is frozen or audited twice", async () => {
    const { unsecured, params } = await incidentWithUnsecured(4);
    const preview = await previewBulkFreeze(params);
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const { jobId } = await startBulkFreeze(lead, {
      reversal: params,
      reason: REASON,
      digest: preview.digest,
      idempotencyKey: newKey(),
    });
    await expect(
      runJob(jobId, {
        handlers: [bulkFreezeJob],
        batchSize: 1,
        hooks: {
          afterCommit: ({ batch }) => {
            if (batch === 2) throw new SimulatedCrash("the worker died");
          },
        },
      }),
    ).rejects.toThrow();
    expect((await prisma.bulkJob.findUniqueOrThrow({ where: { id: jobId } })).itemsSucceeded).toBe(2);
    // Meanwhile an agent freezes one of the accounts still to do: the job skips it and says why.
    const item = await prisma.bulkJobItem.findFirstOrThrow({
      where: { jobId, status: "PENDING" },
      orderBy: { seq: "asc" },
    });
    const agent = await createStaffContext(prisma, "AGENT");
    await changeAccountStatus(agent, { customerId: item.subjectId, change: "freeze", reason: "本人から連絡" });

    const resumed = await runJob(jobId, {
      handlers: [bulkFreezeJob],
      batchSize: 1,
      clock: () => new Date(Date.now() + 2 * DEFAULT_LEASE_MS),
    });
    expect(resumed?.status).toBe("SUCCEEDED");
    expect(await statuses(unsecured)).toEqual(["FROZEN", "FROZEN", "FROZEN", "FROZEN"]);
    const items = await prisma.bulkJobItem.findMany({ where: { jobId } });
    expect(items.filter((i) => i.status === "SUCCEEDED")).toHaveLength(3);
    expect(items.find((i) => i.subjectId === item.subjectId)).toMatchObject({
      status: "SKIPPED",
      errorCode: "ACCOUNT_ALREADY_SECURED",
    });
    const rows = await freezeRows(unsecured);
    const successes = rows.filter((r) => r.outcome === "SUCCESS");
    // Three by the job, one by the agent: each account frozen (and audited as frozen) exactly once.
    expect(successes).toHaveLength(4);
    expect(new Set(successes.map((r) => r.targetId)).size).toBe(4);
    expect(rows.filter((r) => r.outcome === "FAILED").map((r) => r.targetId)).toEqual([item.subjectId]);
  });

  it("is bound to exactly the accounts the lead saw: one secured meanwhile refuses the start, nothing queued", async () => {
    const { unsecured, params } = await incidentWithUnsecured(2);
    const preview = await previewBulkFreeze(params);
    const agent = await createStaffContext(prisma, "AGENT");
    await changeAccountStatus(agent, { customerId: unsecured[0]!, change: "freeze", reason: "本人から連絡" });
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const key = newKey();
    const refused = await startBulkFreeze(lead, {
      reversal: params,
      reason: REASON,
      digest: preview.digest,
      idempotencyKey: key,
    }).catch((error: unknown) => error);
    expect(isDomainError(refused) && refused.code).toBe("BULK_FREEZE_CHANGED");
    expect(await prisma.bulkJob.count({ where: { idempotencyKey: `accounts.bulk-freeze:${key}` } })).toBe(0);
    expect(await statuses([unsecured[1]!])).toEqual(["ACTIVE"]);
  });

  it("the same confirmation sent twice starts one job", async () => {
    const { params } = await incidentWithUnsecured(1);
    const preview = await previewBulkFreeze(params);
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const input = { reversal: params, reason: REASON, digest: preview.digest, idempotencyKey: newKey() };
    const [a, b] = await Promise.all([startBulkFreeze(lead, input), startBulkFreeze(lead, input)]);
    expect(a.jobId).toBe(b.jobId);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    await runJob(a.jobId, { handlers: [bulkFreezeJob] });
    const again = await startBulkFreeze(lead, input);
    expect(again).toMatchObject({ jobId: a.jobId, replayed: true });
  });

  it("needs a fresh step-up and accounts:freeze, a reason, and refuses an empty set", async () => {
    const { unsecured, params } = await incidentWithUnsecured(1);
    const preview = await previewBulkFreeze(params);
    const input = { reversal: params, reason: REASON, digest: preview.digest, idempotencyKey: newKey() };
    const stale = await createStaffContext(prisma, "SECURITY_LEAD");
    await expect(startBulkFreeze(stale, input)).rejects.toBeInstanceOf(StepUpRequiredError);
    const compliance = await createStaffContext(prisma, "COMPLIANCE", { steppedUp: true });
    await expect(startBulkFreeze(compliance, input)).rejects.toBeInstanceOf(PermissionDeniedError);
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const noReason = await startBulkFreeze(lead, { ...input, reason: " " }).catch((error: unknown) => error);
    expect(isDomainError(noReason) && noReason.code).toBe("INVALID_REASON");
    // A dry run with anything more than its own fields is not stored with a job (the route refuses it sooner).
    const padded = { ...params, frozenBy: "someone else" } as unknown as typeof params;
    const unread = await startBulkFreeze(lead, { ...input, reversal: padded }).catch((error: unknown) => error);
    expect(isDomainError(unread) && unread.code).toBe("INVALID_BULK_REVERSAL");
    expect(await prisma.bulkJob.count({ where: { kind: "accounts.bulk-freeze", createdById: lead.actor.id } })).toBe(0);
    expect(await statuses(unsecured)).toEqual(["ACTIVE"]);

    const agent = await createStaffContext(prisma, "AGENT");
    await changeAccountStatus(agent, { customerId: unsecured[0]!, change: "freeze", reason: "本人から連絡" });
    const empty = await previewBulkFreeze(params);
    const nothing = await startBulkFreeze(lead, { ...input, digest: empty.digest, idempotencyKey: newKey() }).catch(
      (error: unknown) => error,
    );
    expect(isDomainError(nothing) && nothing.code).toBe("NOTHING_TO_FREEZE");
  });
});
