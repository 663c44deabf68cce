// The account page's status, note and case forms over HTTP, with real concurrency on PostgreSQL: the same rendered form sent
// twice at once (a double click past the disabled button) and then again after both were answered (the browser's
// "send the form again" on reload). Each makes one note or one change of the case; every repeat is led back to the
// account, where the first post's result shows, and is audited ALREADY_SUBMITTED (ADR 105, 108). Needs
// `npx remix build`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { openCase } from "~/incidents/cases.server";
import { createTestCustomer } from "../support/customers";
import { createIncident, createStaffContext } from "../support/ledger-fixtures";
import { doublePostThenResend, submissionKeyOf } from "../support/forms-once";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, stepUp, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let agent: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
});
afterAll(async () => {
  await app?.close();
});

/** The error codes of the FAILED rows for this action and target, in order. */
async function refusals(action: string, where: { targetId?: string; targetType?: string }) {
  const rows = await prisma.auditEvent.findMany({
    where: { action, outcome: "FAILED", ...where },
    orderBy: { seq: "asc" },
  });
  return rows.map((row) => String((row.after as { error?: string } | null)?.error ?? "").split(":")[0]);
}

async function accountWithCase() {
  const customer = (await createTestCustomer(prisma)).customer;
  const incident = await createIncident(prisma, new Date());
  const opened = await openCase(await createStaffContext(prisma, "AGENT"), {
    incidentId: incident.id,
    customerId: customer.id,
    reason: "caller reported fraud",
  });
  return { customerId: customer.id, incidentId: incident.id, caseId: opened.id };
}

describe("the account page's forms, each sent twice at once and then again", () => {
  it("a note is written once, every answer leads to the account, and the page says it in Japanese", async () => {
    const { customerId } = await accountWithCase();
    const page = `/accounts/${customerId}`;
    const html = await (await agent.get(page)).text();
    const form = {
      intent: "note",
      formKey: "note",
      body: "本人確認済み。メール変更は本人ではないとのこと。",
      submissionKey: submissionKeyOf(html, "note"),
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    for (const answer of answers) expect(answer.headers.get("location")).toBe(page);
    expect(await prisma.accountNote.count({ where: { customerId } })).toBe(1);
    const trail = await prisma.auditEvent.findMany({ where: { action: "account.note.add", targetId: customerId } });
    expect(trail.filter((row) => row.outcome === "SUCCESS")).toHaveLength(1);
    expect(await refusals("account.note.add", { targetId: customerId })).toEqual([
      "ALREADY_SUBMITTED",
      "ALREADY_SUBMITTED",
    ]);
    expect(await (await agent.get(page)).text()).toContain(
      "このフォームは二度送信されましたが、実行したのは1回だけです",
    );

    // A fresh rendering is a new form: a second note on purpose is written.
    const fresh = submissionKeyOf(await (await agent.get(page)).text(), "note");
    expect(fresh).not.toBe(form.submissionKey);
    expect((await agent.post(page, { ...form, submissionKey: fresh })).status).toBe(302);
    expect(await prisma.accountNote.count({ where: { customerId } })).toBe(2);
  });

  it("a freeze changes the status once, with one SUCCESS, and the repeats are told it was sent once", async () => {
    const customerId = (await createTestCustomer(prisma)).customer.id;
    const page = `/accounts/${customerId}`;
    const form = {
      intent: "status",
      formKey: "status",
      change: "freeze",
      reason: "本人から不正利用の連絡",
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), "status"),
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    for (const answer of answers) expect(answer.headers.get("location")).toBe(page);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("FROZEN");
    const frozen = await prisma.auditEvent.count({
      where: { action: "account.freeze", targetId: customerId, outcome: "SUCCESS" },
    });
    expect(frozen).toBe(1);
    expect(await refusals("account.freeze", { targetId: customerId })).toEqual([
      "ALREADY_SUBMITTED",
      "ALREADY_SUBMITTED",
    ]);
    expect(await (await agent.get(page)).text()).toContain(
      "このフォームは二度送信されましたが、実行したのは1回だけです",
    );
  });

  it("an unfreeze after a step-up is made once, and its resend does not read as someone else's change", async () => {
    const customerId = (await createTestCustomer(prisma)).customer.id;
    await prisma.customer.update({ where: { id: customerId }, data: { status: "FROZEN" } });
    const page = `/accounts/${customerId}`;
    await stepUp(agent, page);
    const form = {
      intent: "status",
      formKey: "status",
      change: "unfreeze",
      reason: "本人確認済み、連絡先を確認",
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), "status"),
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    for (const answer of answers) expect(answer.headers.get("location")).toBe(page);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("ACTIVE");
    const unfrozen = await prisma.auditEvent.count({
      where: { action: "account.unfreeze", targetId: customerId, outcome: "SUCCESS" },
    });
    expect(unfrozen).toBe(1);
    expect(await refusals("account.unfreeze", { targetId: customerId })).toEqual([
      "ALREADY_SUBMITTED",
      "ALREADY_SUBMITTED",
    ]);

    // A fresh rendering is a new form: freezing it again on purpose is done.
    const fresh = submissionKeyOf(await (await agent.get(page)).text(), "status");
    const again = await agent.post(page, { ...form, change: "freeze", submissionKey: fresh });
    expect(again.status).toBe(302);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("FROZEN");
  });

  it("a case moves from open to contained once, with one SUCCESS and the repeats refused as already sent", async () => {
    const { customerId, caseId } = await accountWithCase();
    const page = `/accounts/${customerId}`;
    const formKey = `case-transition-${caseId}-CONTAINED`;
    const html = await (await agent.get(page)).text();
    const form = {
      intent: "case-transition",
      formKey,
      caseId,
      from: "OPEN",
      to: "CONTAINED",
      reason: "凍結済み",
      submissionKey: submissionKeyOf(html, formKey),
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    expect((await prisma.incidentCase.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("CONTAINED");
    const moves = await prisma.auditEvent.count({
      where: { action: "case.transition", targetId: caseId, outcome: "SUCCESS" },
    });
    expect(moves).toBe(1);
    expect(await refusals("case.transition", { targetId: caseId })).toEqual(["ALREADY_SUBMITTED", "ALREADY_SUBMITTED"]);
  });

  it("an assignment is recorded once", async () => {
    const { customerId, caseId } = await accountWithCase();
    const page = `/accounts/${customerId}`;
    const me = await prisma.staffUser.findFirstOrThrow({ where: { id: agent.staff.id }, select: { id: true } });
    const formKey = `case-assign-${caseId}`;
    const form = {
      intent: "case-assign",
      formKey,
      caseId,
      assigneeId: me.id,
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), formKey),
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    expect((await prisma.incidentCase.findUniqueOrThrow({ where: { id: caseId } })).assigneeId).toBe(me.id);
    const assigned = await prisma.auditEvent.count({
      where: { action: "case.assign", targetId: caseId, outcome: "SUCCESS" },
    });
    expect(assigned).toBe(1);
    expect(await refusals("case.assign", { targetId: caseId })).toEqual(["ALREADY_SUBMITTED", "ALREADY_SUBMITTED"]);
  });

  it("a case is opened once, and the repeats are led to the account, not told the case exists", async () => {
    const customerId = (await createTestCustomer(prisma)).customer.id;
    const incident = await createIncident(prisma, new Date());
    const page = `/accounts/${customerId}`;
    const form = {
      intent: "case-open",
      formKey: "case-open",
      incidentId: incident.id,
      reason: "",
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), "case-open"),
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    expect(await prisma.incidentCase.count({ where: { customerId, incidentId: incident.id } })).toBe(1);
    const codes = await prisma.auditEvent.findMany({
      where: { action: "case.open", incidentId: incident.id },
      select: { outcome: true, after: true },
    });
    expect(codes.filter((row) => row.outcome === "SUCCESS")).toHaveLength(1);
    expect(
      codes
        .filter((row) => row.outcome === "FAILED")
        .map((row) => String((row.after as { error?: string }).error).split(":")[0]),
    ).toEqual(["ALREADY_SUBMITTED", "ALREADY_SUBMITTED"]);
  });

  it("another member replaying an agent's note key writes nothing and is answered 409", async () => {
    const { customerId } = await accountWithCase();
    const page = `/accounts/${customerId}`;
    const form = {
      intent: "note",
      formKey: "note",
      body: "一通目",
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), "note"),
    };
    expect((await agent.post(page, form)).status).toBe(302);
    const other = await signIn(app, await createStaff({ role: "AGENT" }));
    const replay = await other.post(page, { ...form, body: "replayed" });
    expect(replay.status).toBe(409);
    expect(await prisma.accountNote.count({ where: { customerId } })).toBe(1);
  });

  it("a key that is not a UUID is refused as a stale form, and nothing is written", async () => {
    const { customerId } = await accountWithCase();
    const page = `/accounts/${customerId}`;
    const answer = await agent.post(page, { intent: "note", formKey: "note", body: "x", submissionKey: "not-a-key" });
    expect(answer.status).toBe(400);
    expect(await prisma.accountNote.count({ where: { customerId } })).toBe(0);
  });
});
