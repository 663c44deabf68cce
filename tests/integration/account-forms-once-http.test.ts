// The account page's status, note and case forms over HTTP, with real concurrency on PostgreSQL: the same rendered form sent
// twice at once (a double click past the disabled button) and then again after both were answered (the browser's
// "send the form again" on reload). Each makes one note or one change of the case; every repeat is led back to the
// account, where the first post's result shows, and is audited ALREADY_SUBMITTED (ADR 105, 108). Needs
// `npx remix build`.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { forceReset } from "~/recovery/force-reset.server";
import { openCase } from "~/incidents/cases.server";
import { createTestCustomer } from "../support/customers";
import { createIncident, createStaffContext } from "../support/ledger-fixtures";
import {
  consoleWithAgentPerFile,
  doublePostThenResend,
  expectActedOnce,
  renderedForm,
  submissionKeyOf,
} from "../support/forms-once";
import { createStaff, signIn, staffContext, stepUp } from "../support/staff";

const http = consoleWithAgentPerFile();

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
    const form = await renderedForm(http.agent, page, "note", {
      intent: "note",
      body: "本人確認済み。メール変更は本人ではないとのこと。",
    });
    const answers = await doublePostThenResend(http.agent, page, form);
    expect(await prisma.accountNote.count({ where: { customerId } })).toBe(1);
    await expectActedOnce(http.agent, answers, { action: "account.note.add", targetId: customerId, ledTo: page });

    // A fresh rendering is a new form: a second note on purpose is written.
    const fresh = submissionKeyOf(await (await http.agent.get(page)).text(), "note");
    expect(fresh).not.toBe(form.submissionKey);
    expect((await http.agent.post(page, { ...form, submissionKey: fresh })).status).toBe(302);
    expect(await prisma.accountNote.count({ where: { customerId } })).toBe(2);
  });

  it("a freeze changes the status once, with one SUCCESS, and the repeats are told it was sent once", async () => {
    const customerId = (await createTestCustomer(prisma)).customer.id;
    const page = `/accounts/${customerId}`;
    const form = await renderedForm(http.agent, page, "status", {
      intent: "status",
      change: "freeze",
      reason: "本人から不正利用の連絡",
    });
    const answers = await doublePostThenResend(http.agent, page, form);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("FROZEN");
    await expectActedOnce(http.agent, answers, { action: "account.freeze", targetId: customerId, ledTo: page });
  });

  it("an unfreeze after a step-up is made once, and its resend does not read as someone else's change", async () => {
    const customerId = (await createTestCustomer(prisma)).customer.id;
    await prisma.customer.update({ where: { id: customerId }, data: { status: "FROZEN" } });
    // Reopening waits for a forced reset sent since the account was contained (ADR 122).
    await forceReset(staffContext("AGENT"), {
      customerId,
      requireTwoFactor: false,
      reason: "caller reports a takeover",
    });
    const page = `/accounts/${customerId}`;
    await stepUp(http.agent, page);
    const form = await renderedForm(http.agent, page, "status", {
      intent: "status",
      change: "unfreeze",
      reason: "本人確認済み、連絡先を確認",
    });
    const answers = await doublePostThenResend(http.agent, page, form);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("ACTIVE");
    await expectActedOnce(http.agent, answers, { action: "account.unfreeze", targetId: customerId, ledTo: page });

    // A fresh rendering is a new form: freezing it again on purpose is done.
    const fresh = submissionKeyOf(await (await http.agent.get(page)).text(), "status");
    const again = await http.agent.post(page, { ...form, change: "freeze", submissionKey: fresh });
    expect(again.status).toBe(302);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("FROZEN");
  });

  it("a case moves from open to contained once, with one SUCCESS and the repeats refused as already sent", async () => {
    const { customerId, caseId } = await accountWithCase();
    const page = `/accounts/${customerId}`;
    const formKey = `case-transition-${caseId}-CONTAINED`;
    const form = await renderedForm(http.agent, page, formKey, {
      intent: "case-transition",
      caseId,
      from: "OPEN",
      to: "CONTAINED",
      reason: "凍結済み",
    });
    const answers = await doublePostThenResend(http.agent, page, form);
    expect((await prisma.incidentCase.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("CONTAINED");
    await expectActedOnce(http.agent, answers, { action: "case.transition", targetId: caseId, ledTo: page });
  });

  it("an assignment is recorded once", async () => {
    const { customerId, caseId } = await accountWithCase();
    const page = `/accounts/${customerId}`;
    const me = await prisma.staffUser.findFirstOrThrow({ where: { id: http.agent.staff.id }, select: { id: true } });
    const formKey = `case-assign-${caseId}`;
    const form = await renderedForm(http.agent, page, formKey, { intent: "case-assign", caseId, assigneeId: me.id });
    const answers = await doublePostThenResend(http.agent, page, form);
    expect((await prisma.incidentCase.findUniqueOrThrow({ where: { id: caseId } })).assigneeId).toBe(me.id);
    await expectActedOnce(http.agent, answers, { action: "case.assign", targetId: caseId, ledTo: page });
  });

  it("a case is opened once, and the repeats are led to the account, not told the case exists", async () => {
    const customerId = (await createTestCustomer(prisma)).customer.id;
    const incident = await createIncident(prisma, new Date());
    const page = `/accounts/${customerId}`;
    const form = await renderedForm(http.agent, page, "case-open", {
      intent: "case-open",
      incidentId: incident.id,
      reason: "",
    });
    const answers = await doublePostThenResend(http.agent, page, form);
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
    const form = await renderedForm(http.agent, page, "note", { intent: "note", body: "一通目" });
    expect((await http.agent.post(page, form)).status).toBe(302);
    const other = await signIn(http.app, await createStaff({ role: "AGENT" }));
    const replay = await other.post(page, { ...form, body: "replayed" });
    expect(replay.status).toBe(409);
    expect(await prisma.accountNote.count({ where: { customerId } })).toBe(1);
  });

  it("a key that is not a UUID is refused as a stale form, and nothing is written", async () => {
    const { customerId } = await accountWithCase();
    const page = `/accounts/${customerId}`;
    const answer = await http.agent.post(page, {
      intent: "note",
      formKey: "note",
      body: "x",
      submissionKey: "not-a-key",
    });
    expect(answer.status).toBe(400);
    expect(await prisma.accountNote.count({ where: { customerId } })).toBe(0);
  });
});
