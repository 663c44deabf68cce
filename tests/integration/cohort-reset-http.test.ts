// Forced resets from a saved cohort's page, over HTTP: the panel shows the dry run to those who may run bulk actions
// (not to agents); starting needs a step-up and a reason; one job however often the form is submitted.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { startHttpApp, redirectPath, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, stepUp, type StaffClient } from "../support/staff";
import { createRecoveryCustomer } from "./recovery-fixtures";

let app: TestHttpApp;
let lead: StaffClient;
let agent: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
  agent = await signIn(app, await createStaff({ role: "AGENT" }));
});
afterAll(() => app?.close());

async function savedCohort(size: number) {
  const members = [];
  for (let i = 0; i < size; i++) members.push(await createRecoveryCustomer());
  const creator = await prisma.staffUser.findFirstOrThrow({ where: { role: "SECURITY_LEAD" } });
  return prisma.cohort.create({
    data: {
      name: `reset over http ${randomUUID().slice(0, 6)}`,
      definition: {},
      memberCount: members.length,
      createdById: creator.id,
      members: { create: members.map((m) => ({ customerId: m.id, riskScore: 90, reasons: [] })) },
    },
  });
}

describe("cohort page: forced resets", () => {
  it("shows the dry run to a lead and not to an agent; an agent's POST is refused", async () => {
    const cohort = await savedCohort(2);
    const leadPage = (await (await lead.get(`/cohorts/${cohort.id}`)).text()).replaceAll("<!-- -->", "");
    expect(leadPage).toContain("cohort-reset-panel");
    expect(leadPage).toContain("2 get a single-use link");
    const agentView = await agent.get(`/cohorts/${cohort.id}`);
    expect(agentView.status).toBe(200);
    expect(await agentView.text()).not.toContain("cohort-reset-panel");
    const refused = await agent.post(`/cohorts/${cohort.id}`, { intent: "cohort-reset", reason: "trying it anyway" });
    expect(refused.status).toBe(403);
    expect(await prisma.bulkJob.count({ where: { kind: "recovery.cohort-reset" } })).toBe(0);
  });

  it("asks for an authenticator code on the form when the reset is large enough, and only then", async () => {
    const cohort = await savedCohort(2);
    const codeField = /<input[^>]*name="confirmationCode"[^>]*>/;
    expect(await (await lead.get(`/cohorts/${cohort.id}`)).text()).not.toMatch(codeField);
    process.env.FIREBREAK_BULK_CONFIRMATION_MIN_ACCOUNTS = "2";
    try {
      const page = await (await lead.get(`/cohorts/${cohort.id}`)).text();
      const field = page.match(codeField)?.[0] ?? "";
      expect(field).toContain('data-testid="cohort-reset-confirmation-code"');
      expect(field).toContain('autoComplete="one-time-code"');
      expect(field).toContain('pattern="[0-9０-９ ]{6,8}"');
      expect(page).toContain("Authenticator code for this reset");
    } finally {
      delete process.env.FIREBREAK_BULK_CONFIRMATION_MIN_ACCOUNTS;
    }
  });

  it("needs a step-up and a reason, then starts one job however often the form is sent", async () => {
    const cohort = await savedCohort(3);
    const form = { intent: "cohort-reset", reason: "credential stuffing confirmed", idempotencyKey: randomUUID() };
    const noStepUp = await lead.post(`/cohorts/${cohort.id}`, form);
    expect(redirectPath(noStepUp)).toMatch(/^\/step-up\?redirectTo=/);

    await stepUp(lead, `/cohorts/${cohort.id}`);
    const noReason = await lead.post(`/cohorts/${cohort.id}`, { ...form, reason: "" });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Say why");

    const first = await lead.post(`/cohorts/${cohort.id}`, form);
    const again = await lead.post(`/cohorts/${cohort.id}`, form);
    expect(redirectPath(first)).toMatch(/^\/jobs\/[0-9a-f-]+$/);
    expect(redirectPath(again)).toBe(redirectPath(first));
    const jobs = await prisma.bulkJob.findMany({ where: { createdById: lead.staff.id } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ itemsTotal: 3, status: "QUEUED" });

    const unknown = await lead.post(`/cohorts/${cohort.id}`, { intent: "something-else" });
    expect(unknown.status).toBe(400);
  });

  it("tells a Japanese lead in Japanese that the resets started", async () => {
    const cohort = await savedCohort(2);
    const jaLead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    await stepUp(jaLead, `/cohorts/${cohort.id}`);
    const started = await jaLead.post(`/cohorts/${cohort.id}`, {
      intent: "cohort-reset",
      reason: "リスト型攻撃を確認",
      idempotencyKey: randomUUID(),
    });
    const jobPage = await (await jaLead.get(redirectPath(started)!)).text();
    expect(jobPage).toContain("2 件のアカウントの強制リセットを開始しました。");
    expect(jobPage).not.toContain("Forced resets started");
  });
});
