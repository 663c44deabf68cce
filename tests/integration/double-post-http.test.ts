// A double post over HTTP, with real concurrency on PostgreSQL: the same rendered form sent twice at once (a double
// click that got past the disabled button) and then sent again after the first succeeded (the browser's "send the form
// again" on reload, a retry after a timeout). Each form that saves something — a cohort, a rule's draft, the starter
// set — makes it once, and every repeat is shown what the first post made. Needs `npx remix build`.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { runJob } from "~/jobs/job-loop.server";
import { backtestJob } from "~/risk/backtest-job.server";
import { draftReport } from "~/incidents/breach-report/reports.server";
import { draftRule } from "~/risk/rules.server";
import { STARTER_RULES } from "~/risk/starter-rules";
import { createIncident, createStaffContext } from "../support/ledger-fixtures";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let lead: StaffClient;
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  app = await startHttpApp();
  lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
});
afterAll(async () => {
  await app?.close();
});

/** The hidden value a page rendered into its form, as the browser would post it back. */
function hiddenValue(html: string, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
  if (!value) throw new Error(`the page has no ${name}`);
  return value;
}

/** Two posts in flight at once, then the same post again once both have been answered. */
async function doublePostThenResend(client: StaffClient, page: string, form: Record<string, string>) {
  const together = await Promise.all([client.post(page, form), client.post(page, form)]);
  const again = await client.post(page, form);
  return [...together, again];
}

/** A customer who signed in from a new device inside the window: the one account the builder's filters match. */
async function customerSignedInFromNewDevice(at: Date) {
  const customer = await prisma.customer.create({
    data: {
      displayId: `C-${randomUUID().slice(0, 8)}`,
      name: "二重 送信",
      nameKana: "ニジュウ ソウシン",
      email: `double-${randomUUID().slice(0, 8)}@double.example`,
      phone: `+8180${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
      birthDate: new Date("1984-04-04"),
    },
  });
  const device = await prisma.device.create({
    data: { customerId: customer.id, fingerprint: `fp-${randomUUID()}`, platform: "ios", firstSeenAt: at },
  });
  await prisma.loginEvent.create({
    data: {
      customerId: customer.id,
      deviceId: device.id,
      ip: "198.18.0.7",
      country: "JP",
      success: true,
      newDevice: true,
      occurredAt: at,
    },
  });
}

describe("a cohort's save form posted twice at once, then again", () => {
  it("saves one cohort, and every answer leads to it, saying in Japanese that it was saved once", async () => {
    // A window of this test's own, far from every other test's sign-ins.
    const start = new Date(Date.UTC(2047, 0, 1) + Math.floor(Math.random() * 3000) * 24 * HOUR);
    await customerSignedInFromNewDevice(new Date(start.getTime() + HOUR));
    const jstLocal = (date: Date) => new Date(date.getTime() + 9 * HOUR).toISOString().slice(0, 16);
    const filters = {
      from: jstLocal(start),
      to: jstLocal(new Date(start.getTime() + 48 * HOUR)),
      match: "all",
      minScore: "0",
      newDevice: "on",
    };
    const preview = await lead.get(`/cohorts/new?${new URLSearchParams(filters).toString()}`);
    const name = `二重送信 ${randomUUID().slice(0, 8)}`;
    const form = {
      ...filters,
      name,
      incidentId: "",
      submissionKey: hiddenValue(await preview.text(), "submissionKey"),
    };

    const answers = await doublePostThenResend(lead, "/cohorts/new", form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    const saved = await prisma.cohort.findMany({ where: { name }, select: { id: true, memberCount: true } });
    expect(saved).toHaveLength(1);
    expect(saved[0]!.memberCount).toBe(1);
    for (const answer of answers) expect(answer.headers.get("location")).toBe(`/cohorts/${saved[0]!.id}`);
    // The last answer's toast is the resent post's: shown on the cohort it leads to.
    expect(await (await lead.get(`/cohorts/${saved[0]!.id}`)).text()).toContain(
      "このフォームは二度送信されましたが、保存したのは1回だけです。",
    );

    const trail = await prisma.auditEvent.findMany({ where: { action: "cohort.save", reason: `cohort "${name}"` } });
    expect(trail.filter((row) => row.outcome === "SUCCESS")).toHaveLength(1);
    const refused = trail.filter((row) => row.outcome === "FAILED");
    expect(refused.map((row) => String((row.after as { error: string }).error).split(":")[0])).toEqual([
      "ALREADY_SUBMITTED",
      "ALREADY_SUBMITTED",
    ]);

    // A fresh rendering of the builder is a new form: a deliberate second save is possible.
    const fresh = hiddenValue(
      await (await lead.get(`/cohorts/new?${new URLSearchParams(filters)}`)).text(),
      "submissionKey",
    );
    expect(fresh).not.toBe(form.submissionKey);
    expect((await lead.post("/cohorts/new", { ...form, submissionKey: fresh })).status).toBe(302);
    expect(await prisma.cohort.count({ where: { name } })).toBe(2);
  });

  it("another member replaying the form's key saves nothing and is not shown the first member's cohort", async () => {
    const other = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    const start = new Date(Date.UTC(2047, 0, 1) + Math.floor(Math.random() * 3000) * 24 * HOUR);
    await customerSignedInFromNewDevice(new Date(start.getTime() + HOUR));
    const jstLocal = (date: Date) => new Date(date.getTime() + 9 * HOUR).toISOString().slice(0, 16);
    const filters = {
      from: jstLocal(start),
      to: jstLocal(new Date(start.getTime() + 48 * HOUR)),
      match: "all",
      minScore: "0",
      newDevice: "on",
    };
    const html = await (await lead.get(`/cohorts/new?${new URLSearchParams(filters)}`)).text();
    const name = `replayed ${randomUUID().slice(0, 8)}`;
    const form = { ...filters, name, incidentId: "", submissionKey: hiddenValue(html, "submissionKey") };
    expect((await lead.post("/cohorts/new", form)).status).toBe(302);
    const replay = await other.post("/cohorts/new", form);
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain("This cohort was already saved from this page");
    expect(await prisma.cohort.count({ where: { name } })).toBe(1);
  });
});

describe("the rule pages' forms posted twice at once, then again", () => {
  it("a rule's draft is saved as one version, and every answer leads to it", async () => {
    const page = await (await lead.get("/rules")).text();
    const ruleKey = `double-${randomUUID().slice(0, 8)}`;
    const form = {
      ruleKey,
      name: "二重送信の下書き",
      condition: "amount >= 30000",
      outcome: "HOLD",
      eventKind: "TOP_UP",
      channel: "ALL",
      submissionKey: hiddenValue(page, "submissionKey"),
    };
    const answers = await doublePostThenResend(lead, "/rules", form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    const versions = await prisma.riskRule.findMany({ where: { ruleKey }, select: { id: true, version: true } });
    expect(versions).toEqual([{ id: expect.any(String), version: 1 }]);
    for (const answer of answers) expect(answer.headers.get("location")).toBe(`/rules/${versions[0]!.id}`);
    expect(await (await lead.get(`/rules/${versions[0]!.id}`)).text()).toContain(
      "このフォームは二度送信されましたが、下書きしたのは1回だけです。",
    );
  });

  it("the starter set is drafted once, and the repeats say so in Japanese", async () => {
    const page = await (await lead.get("/rules")).text();
    const starterKey = /name="intent" value="starter"\/><input type="hidden" name="submissionKey" value="([^"]+)"/.exec(
      page,
    )?.[1];
    expect(starterKey).toBeDefined();
    const before = await prisma.riskRule.count();
    const answers = await doublePostThenResend(lead, "/rules", { intent: "starter", submissionKey: starterKey! });
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    expect(answers.map((answer) => answer.headers.get("location"))).toEqual(["/rules", "/rules", "/rules"]);
    expect(await prisma.riskRule.count()).toBe(before + STARTER_RULES.length);
    expect(await (await lead.get("/rules")).text()).toContain(
      "推奨スターターセットはこの画面からすでに下書きされています",
    );
  });
});

describe("a rule's backtest button posted twice at once, then again after the replay ended", () => {
  it("replays once: the repeats land on the rule's page, saying in Japanese that it was already started", async () => {
    const author = await createStaffContext(prisma, "SECURITY_LEAD");
    const rule = await draftRule(author, {
      ruleKey: `double-bt-${randomUUID().slice(0, 8)}`,
      name: "二重送信のバックテスト",
      condition: "amount == 73519",
      outcome: "HOLD",
      channel: "ALL",
    });
    const page = `/rules/${rule.id}`;
    const form = {
      intent: "backtest",
      submissionKey: hiddenValue(await (await lead.get(page)).text(), "submissionKey"),
    };
    const together = await Promise.all([lead.post(page, form), lead.post(page, form)]);
    const jobs = () =>
      prisma.bulkJob.findMany({ where: { kind: "risk.backtest", params: { path: ["ruleId"], equals: rule.id } } });
    const queued = await jobs();
    expect(queued).toHaveLength(1);
    // No worker runs in this app: the test runs the replay to its end, as the job runner would.
    await runJob(queued[0]!.id, { handlers: [backtestJob] });
    expect(await prisma.riskBacktest.count({ where: { ruleId: rule.id } })).toBe(1);

    const again = await lead.post(page, form); // the browser's "send the form again" once the replay has ended
    for (const answer of [...together, again]) {
      expect(answer.status).toBe(302);
      expect(answer.headers.get("location")).toBe(page);
    }
    expect(await jobs()).toHaveLength(1);
    expect(await prisma.riskBacktest.count({ where: { ruleId: rule.id } })).toBe(1);
    expect(await (await lead.get(page)).text()).toContain("このバックテストはこの画面からすでに開始されています");
  });
});

describe("the regulator report's editor saved twice at once, then again", () => {
  it("makes one new version, and every answer leads to it instead of saying someone else saved it", async () => {
    const incident = await createIncident(prisma, new Date(Date.now() - 48 * HOUR));
    const { id } = await draftReport(await createStaffContext(prisma, "COMPLIANCE"), {
      incidentId: incident.id,
      kind: "PRELIMINARY",
      learnedAt: new Date(incident.openedAt.getTime() + 24 * HOUR),
      unauthorizedIntent: false,
    });
    const compliance = await signIn(app, await createStaff({ role: "COMPLIANCE", language: "ja" }));
    const page = `/reports/breach/${id}`;
    const form = {
      baseVersion: "1",
      "items.publication.ja": "公表済み",
      submissionKey: hiddenValue(await (await compliance.get(page)).text(), "submissionKey"),
    };
    const answers = await doublePostThenResend(compliance, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    const versions = await prisma.breachReport.findMany({
      where: { incidentId: incident.id },
      select: { id: true, version: true },
      orderBy: { version: "asc" },
    });
    expect(versions.map((row) => row.version)).toEqual([1, 2]);
    for (const answer of answers) expect(answer.headers.get("location")).toBe(`/reports/breach/${versions[1]!.id}`);
    expect(await (await compliance.get(`/reports/breach/${versions[1]!.id}`)).text()).toContain(
      "このフォームは二度送信されましたが、保存したのは1回だけです。下が保存された第2版です。",
    );
  });
});
