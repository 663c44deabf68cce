// The bulk reversal's dry run says, before anything is queued, which purchases the job will skip because their account
// is not secured yet (ADR 089): how many, their yen, which accounts, and where to secure them. The confirmation counts
// what the job will actually reverse, and a change in which accounts are secured after the dry run changes its digest.
// Over HTTP the lead reads it in Japanese (needs `npx remix build`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { bulkReversalJob, previewBulkReversal, startBulkReversal } from "~/jobs/bulk-reversal.server";
import { runJob } from "~/jobs/job-loop.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import {
  createIncident,
  createStaffContext,
  createStore,
  createVictim,
  freezeAccount,
  newKey,
  reversedTotal,
} from "../support/ledger-fixtures";
import { createStaff, signIn } from "../support/staff";

const OPENED = new Date("2019-07-01T00:00:00Z");
const UNTIL = new Date("2019-07-31T00:00:00Z");

function incidentScope(incidentId: string) {
  return {
    scope: { kind: "incident" as const, incidentId },
    since: OPENED.toISOString(),
    until: UNTIL.toISOString(),
    reasonCode: "FRAUDULENT",
    note: null,
  };
}

/** One victim an agent has frozen, one nobody has secured yet. */
async function cohortWithOneUnsecured() {
  const incident = await createIncident(prisma, OPENED);
  const store = await createStore(prisma);
  const secured = await createVictim(prisma, incident, store, {
    topUps: [10_000],
    purchases: [8_000],
    secured: true,
  });
  const open = await createVictim(prisma, incident, store, { topUps: [10_000], purchases: [4_000, 3_000] });
  return { incident, secured, open, params: incidentScope(incident.id) };
}

describe("the dry run of a cohort with an unsecured account", () => {
  it("counts the purchases the job will skip, their yen and accounts, and leaves them out of what it will reverse", async () => {
    const { open, params } = await cohortWithOneUnsecured();
    const plan = await previewBulkReversal(params);
    expect(plan.totals).toMatchObject({
      accounts: 2,
      charges: 5,
      yen: 10_000 + 8_000 + 10_000 + 7_000,
      unsecuredCharges: 2,
      unsecuredYen: 7_000,
      unsecuredAccounts: 1,
      toReverseCharges: 3,
      toReverseYen: 28_000,
    });
    expect([...plan.unsecured].sort()).toEqual([...open.purchaseIds].sort());
    // The purchases stay with the store, so the wallet holds only ¥3,000 for its ¥10,000 top-up refund.
    const account = plan.accounts.find((a) => a.customerId === open.customer.id)!;
    expect(account).toMatchObject({ unsecuredPurchases: 2, unsecuredYen: 7_000, projectedWallet: 3_000 - 10_000 });
    expect(plan.totals).toMatchObject({ accountsShort: 1, shortfallYen: 7_000 });
  });

  it("reverses what the confirmation counted: the job's reversals add up to the confirmed yen", async () => {
    const { open, secured, params } = await cohortWithOneUnsecured();
    const plan = await previewBulkReversal(params);
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const { jobId } = await startBulkReversal(lead, { params, digest: plan.digest, idempotencyKey: newKey() });
    await runJob(jobId, { handlers: [bulkReversalJob] });
    const done = await prisma.bulkJobItem.findMany({ where: { jobId, status: "SUCCEEDED" } });
    // The open account's top-up cannot go back in full (its purchases were not refunded): reported as failed.
    const reversed = done.reduce((n, i) => n + (i.resultAmount ?? 0), 0);
    expect(reversed).toBe(plan.totals.toReverseYen - 10_000);
    expect(await reversedTotal(prisma, secured.purchaseIds[0]!)).toBe(8_000);
    const skipped = await prisma.bulkJobItem.count({ where: { jobId, errorCode: "ACCOUNT_NOT_SECURED" } });
    expect(skipped).toBe(plan.totals.unsecuredCharges);
    expect(await reversedTotal(prisma, open.purchaseIds[0]!)).toBe(0);
  });

  it("is out of date once an account is secured: confirming it starts nothing, the new dry run counts it in", async () => {
    const { open, params } = await cohortWithOneUnsecured();
    const before = await previewBulkReversal(params);
    await freezeAccount(prisma, open.customer.id);
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const jobs = await prisma.bulkJob.count();
    await expect(
      startBulkReversal(lead, { params, digest: before.digest, idempotencyKey: newKey() }),
    ).rejects.toMatchObject({ code: "PLAN_CHANGED" });
    expect(await prisma.bulkJob.count()).toBe(jobs);
    const after = await previewBulkReversal(params);
    expect(after.totals).toMatchObject({ unsecuredCharges: 0, toReverseCharges: 5, toReverseYen: 35_000 });
  });

  it("starts nothing when every charge left is an unsecured purchase, and says to secure the accounts first", async () => {
    const incident = await createIncident(prisma, OPENED);
    const store = await createStore(prisma);
    // The customer's own money from before the incident paid for it: the purchase is the only charge in the window.
    await createVictim(prisma, incident, store, { ownBalance: 6_000, topUps: [], purchases: [6_000] });
    const params = incidentScope(incident.id);
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const plan = await previewBulkReversal(params);
    expect(plan.totals).toMatchObject({ charges: 1, unsecuredCharges: 1, toReverseCharges: 0, toReverseYen: 0 });
    const jobs = await prisma.bulkJob.count();
    await expect(
      startBulkReversal(lead, { params, digest: plan.digest, idempotencyKey: newKey() }),
    ).rejects.toMatchObject({ code: "NOTHING_REVERSIBLE_UNTIL_SECURED", status: 409 });
    expect(await prisma.bulkJob.count()).toBe(jobs);
  });
});

describe("the dry run page, in Japanese", () => {
  let app: TestHttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it("warns before confirming, lists the unsecured accounts with a link to each, and confirms what will be reversed", async () => {
    const { incident, open, secured } = await cohortWithOneUnsecured();
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const query = `scope=incident&incidentId=${incident.id}&since=2019-07-01T09:00&until=2019-07-31T09:00&reasonCode=FRAUDULENT&run=1`;
    const html = (await (await lead.get(`/reversals/bulk?${query}`)).text()).replace(/<!-- -->/g, "");
    expect(html).toContain('data-testid="bulk-unsecured"');
    expect(html).toContain("このうち 1件のアカウントの購入 2件（¥7,000）は、アカウントがまだ保護されていない");
    expect(html).toMatch(/data-testid="dry-run-charges"[^>]*>3</);
    expect(html).toMatch(/data-testid="dry-run-purchases"[^>]*>¥8,000</);
    expect(html).toContain("確認して 3件・¥28,000 を取り消す");
    expect(html).toContain(`href="/accounts/${open.customer.id}"`);

    const only = (await (await lead.get(`/reversals/bulk?${query}&unsecured=1`)).text()).replace(/<!-- -->/g, "");
    expect(only).toContain(open.customer.displayId);
    expect(only).not.toContain(secured.customer.displayId);
    expect(only).toContain("未保護：購入 2件（¥7,000）はスキップされます。");
    expect(only).toContain("すべての対象アカウントを表示");
  });

  it("the job page repeats how many purchases were expected to be skipped when the run was confirmed", async () => {
    const { params } = await cohortWithOneUnsecured();
    const plan = await previewBulkReversal(params);
    const staff = await createStaff({ role: "SECURITY_LEAD", language: "ja" });
    const lead = await signIn(app, staff);
    const ctx = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const { jobId } = await startBulkReversal(ctx, { params, digest: plan.digest, idempotencyKey: newKey() });
    const html = (await (await lead.get(`/jobs/${jobId}`)).text()).replace(/<!-- -->/g, "");
    expect(html).toContain("うち決済2件（¥7,000）は、確定の時点でアカウントが保護されていなかったため");
    expect(html).toContain("（取消見込みは¥28,000）");
  });
});
