// The last forms that acted on a customer once per post, over HTTP with real concurrency on PostgreSQL: the reversal
// page's freeze, the recovery page's identity check, code sending, code entry, contact restore and keep request, and a
// large reversal's approval, rejection and withdrawal, and a held top-up's release or decline.
// Each rendered form is sent twice at once (a double click past the disabled button) and then again after both were
// answered (the browser's "send the form again"). Each acts once; every repeat is led back to the page, where the
// first post's result shows, and is audited ALREADY_SUBMITTED (ADR 112). Needs `npx remix build`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { doublePostThenResend, submissionKeyOf } from "../support/forms-once";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { balanceOf, heldTopUp } from "../support/risk-rules";
import { customerWithPurchase, newKey, reversedTotal, securedCustomerWithPurchase } from "../support/ledger-fixtures";
import { createStaff, signIn, staffContext, stepUp, type StaffClient } from "../support/staff";
import {
  BIRTH_DATE,
  CARD_LAST4,
  createRecoveryCustomer,
  hijackEmail,
  LAST_TOP_UP_YEN,
  latestMailedCode,
} from "./recovery-fixtures";

let app: TestHttpApp;
let agent: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
});
afterAll(async () => {
  await app?.close();
});

const SENT_ONCE = "このフォームは二度送信されましたが、実行したのは1回だけです";

/** How many of this action's audit rows on the target succeeded, and each refusal's code. */
async function trailOf(action: string, targetId: string) {
  const rows = await prisma.auditEvent.findMany({ where: { action, targetId }, orderBy: { seq: "asc" } });
  return {
    succeeded: rows.filter((row) => row.outcome === "SUCCESS").length,
    refused: rows
      .filter((row) => row.outcome === "FAILED")
      .map((row) => String((row.after as { error?: string } | null)?.error ?? "").split(":")[0]),
  };
}

/** Three answers that all send the member back to `page`, one SUCCESS row for `action` and two repeats refused as
 *  ALREADY_SUBMITTED, and the page's "sent twice, acted on once" notice. */
async function expectActedOnce(answers: Response[], page: string, action: string, targetId: string) {
  expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
  for (const answer of answers) expect(answer.headers.get("location")).toBe(page);
  expect(await trailOf(action, targetId)).toEqual({
    succeeded: 1,
    refused: ["ALREADY_SUBMITTED", "ALREADY_SUBMITTED"],
  });
  expect(await (await agent.get(page)).text()).toContain(SENT_ONCE);
}

const recoveryPage = (customerId: string) => `/accounts/${customerId}/recovery`;

/** A fresh rendering of the recovery page's form `formKey`, posted once (the steps before the one under test). */
async function postOnce(customerId: string, formKey: string, form: Record<string, string>) {
  const page = recoveryPage(customerId);
  const submissionKey = submissionKeyOf(await (await agent.get(page)).text(), formKey);
  const answer = await agent.post(page, {
    intent: formKey.replace(/-(EMAIL|PHONE)$/, ""),
    formKey,
    ...form,
    submissionKey,
  });
  expect(answer.status).toBe(302);
}

/** The caller proves control of the known-good email and passes the identity check, each once. */
async function proveTheCaller(customerId: string) {
  await postOnce(customerId, "identity-check", { birthDate: BIRTH_DATE, cardLast4: CARD_LAST4 });
  await postOnce(customerId, "send-code", { channel: "EMAIL" });
  await postOnce(customerId, "verify-code", { code: (await latestMailedCode(customerId)).code });
}

describe("the reversal page's freeze, sent twice at once and then again", () => {
  it("freezes once, and every answer leads back to the charge, now refundable", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 24_000, 30_000);
    const customerId = customer.customer.id;
    const page = `/accounts/${customerId}/reverse?charge=${purchaseId}`;
    const html = await (await agent.get(page)).text();
    const submissionKey =
      /name="transactionId" value="[^"]+"\/><input type="hidden" name="submissionKey" value="([0-9a-f-]{36})"/.exec(
        html,
      )?.[1];
    expect(submissionKey).toBeDefined();
    const form = {
      intent: "freeze",
      transactionId: purchaseId,
      reason: "被害の申告を受け、返金の前に凍結",
      submissionKey: submissionKey!,
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    for (const answer of answers) expect(answer.headers.get("location")).toBe(page);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("FROZEN");
    expect(await trailOf("account.freeze", customerId)).toEqual({
      succeeded: 1,
      refused: ["ALREADY_SUBMITTED", "ALREADY_SUBMITTED"],
    });
    const back = await (await agent.get(page)).text();
    expect(back).toContain(SENT_ONCE);
    expect(back).not.toContain('data-testid="not-secured"');
  });

  it("a key that is not a UUID is refused as a stale form, and the account stays active", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 5_000, 10_000);
    const page = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
    const answer = await agent.post(page, {
      intent: "freeze",
      transactionId: purchaseId,
      reason: "被害の申告を受けて凍結",
      submissionKey: "not-a-key",
    });
    expect(answer.status).toBe(400);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.customer.id } })).status).toBe("ACTIVE");
  });
});

describe("the recovery page's forms, each sent twice at once and then again", () => {
  it("a failed identity check is recorded once, so it counts once towards the day's limit", async () => {
    const customer = await createRecoveryCustomer();
    const page = recoveryPage(customer.id);
    const form = {
      intent: "identity-check",
      formKey: "identity-check",
      birthDate: "1990-01-01",
      cardLast4: CARD_LAST4,
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), "identity-check"),
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect(await prisma.identityCheck.count({ where: { customerId: customer.id } })).toBe(1);
    await expectActedOnce(answers, page, "recovery.identity-check", customer.id);
    // Two more honest mistakes are still allowed today, and a right answer then passes.
    await postOnce(customer.id, "identity-check", { birthDate: "1990-01-02", cardLast4: CARD_LAST4 });
    await postOnce(customer.id, "identity-check", { birthDate: BIRTH_DATE, lastTopUpYen: String(LAST_TOP_UP_YEN) });
    const checks = await prisma.identityCheck.findMany({
      where: { customerId: customer.id },
      orderBy: { createdAt: "asc" },
      select: { passed: true },
    });
    expect(checks.map((check) => check.passed)).toEqual([false, false, true]);
  });

  it("a code is sent once, so the code the caller reads out is the one that works", async () => {
    const customer = await createRecoveryCustomer();
    const page = recoveryPage(customer.id);
    const form = {
      intent: "send-code",
      formKey: "send-code",
      channel: "EMAIL",
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), "send-code"),
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    expect(await prisma.recoveryCode.count({ where: { customerId: customer.id } })).toBe(1);
    expect(await prisma.outboundMessage.count({ where: { customerId: customer.id, template: "recovery-code" } })).toBe(
      1,
    );
    expect(await trailOf("recovery.code-send", customer.id)).toEqual({
      succeeded: 1,
      refused: ["ALREADY_SUBMITTED", "ALREADY_SUBMITTED"],
    });
  });

  it('the code the caller read out is entered once, and the repeats are not answered "no live code"', async () => {
    const customer = await createRecoveryCustomer();
    const page = recoveryPage(customer.id);
    await postOnce(customer.id, "send-code", { channel: "EMAIL" });
    const entry = {
      intent: "verify-code",
      formKey: "verify-code",
      code: (await latestMailedCode(customer.id)).code,
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), "verify-code"),
    };
    const entered = await doublePostThenResend(agent, page, entry);
    expect(await prisma.recoveryCode.count({ where: { customerId: customer.id, verifiedAt: { not: null } } })).toBe(1);
    await expectActedOnce(entered, page, "recovery.code-verify", customer.id);
  });

  it("a hijacked email is restored once, and the repeats are not told the contact changed meanwhile", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    await proveTheCaller(customer.id);
    const page = recoveryPage(customer.id);
    const form = {
      intent: "restore",
      formKey: "restore-EMAIL",
      contactChangeId: hijack.changeId,
      expectedCurrent: hijack.attackerEmail,
      reason: "本人確認とコード確認の上で復元",
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), "restore-EMAIL"),
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(customer.email);
    expect(await prisma.contactChange.count({ where: { customerId: customer.id, source: "STAFF_RESTORE" } })).toBe(1);
    await expectActedOnce(answers, page, "recovery.restore-contact", customer.id);
  });

  it("a request to keep the current email is filed once, and the repeats are not told one already waits", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    await proveTheCaller(customer.id);
    const page = recoveryPage(customer.id);
    const form = {
      intent: "keep",
      formKey: "keep",
      field: "EMAIL",
      expectedCurrent: hijack.attackerEmail,
      reason: "お客様ご本人が変更したとのこと",
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), "keep"),
    };
    const answers = await doublePostThenResend(agent, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    expect(await prisma.contactKeepRequest.count({ where: { customerId: customer.id } })).toBe(1);
    expect(await trailOf("recovery.keep-contact.request", customer.id)).toEqual({
      succeeded: 1,
      refused: ["ALREADY_SUBMITTED", "ALREADY_SUBMITTED"],
    });
  });

  it("another member replaying an agent's code key sends nothing and is answered 409", async () => {
    const customer = await createRecoveryCustomer();
    const page = recoveryPage(customer.id);
    const form = {
      intent: "send-code",
      formKey: "send-code",
      channel: "EMAIL",
      submissionKey: submissionKeyOf(await (await agent.get(page)).text(), "send-code"),
    };
    expect((await agent.post(page, form)).status).toBe(302);
    const other = await signIn(app, await createStaff({ role: "AGENT" }));
    expect((await other.post(page, form)).status).toBe(409);
    expect(await prisma.recoveryCode.count({ where: { customerId: customer.id } })).toBe(1);
  });
});

/** A reversal above the approval threshold, asked for by `requesterId`: it waits for a security lead. */
async function pendingReversal(requesterId: string) {
  const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 150_000);
  const pending = await reverseCharge(staffContext("AGENT", { steppedUp: true, id: requesterId }), {
    customerId: customer.customer.id,
    transactionId: purchaseId,
    amount: 150_000,
    reasonCode: "FRAUDULENT",
    idempotencyKey: newKey(),
  });
  expect(pending.status).toBe("PENDING_APPROVAL");
  return { requestId: pending.requestId, purchaseId };
}

/** This action's audit rows on the request or review: SUCCESS first, then each refusal's code (sealing orders them). */
async function decisionTrail(action: string, targetId: string) {
  const { succeeded, refused } = await trailOf(action, targetId);
  return [...Array.from({ length: succeeded }, () => "SUCCESS"), ...refused];
}

describe("a large reversal's decision forms, each sent twice at once and then again", () => {
  const keyIn = (html: string, intent: string) =>
    new RegExp(
      `name="submissionKey" value="([0-9a-f-]{36})"/>(?:(?!</form>).)*name="intent" value="${intent}"`,
      "s",
    ).exec(html)?.[1];

  it('an approval reverses once, and every answer leads to the reversal, not to "no longer pending"', async () => {
    const { requestId, purchaseId } = await pendingReversal(agent.staff.id);
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const page = `/approvals/${requestId}`;
    await stepUp(lead, page);
    const submissionKey = keyIn(await (await lead.get(page)).text(), "approve");
    expect(submissionKey).toBeDefined();
    const answers = await doublePostThenResend(lead, page, {
      intent: "approve",
      comment: "確認済み",
      submissionKey: submissionKey!,
    });
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    for (const answer of answers) expect(answer.headers.get("location")).toBe(`/reversals/${requestId}`);
    expect(await reversedTotal(prisma, purchaseId)).toBe(150_000);
    expect(await decisionTrail("ledger.reverse.approve", requestId)).toEqual([
      "SUCCESS",
      "ALREADY_SUBMITTED",
      "ALREADY_SUBMITTED",
    ]);
    expect(await (await lead.get(`/reversals/${requestId}`)).text()).toContain(SENT_ONCE);
  });

  it("a rejection is made once", async () => {
    const { requestId } = await pendingReversal(agent.staff.id);
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const page = `/approvals/${requestId}`;
    const submissionKey = keyIn(await (await lead.get(page)).text(), "reject");
    const form = { intent: "reject", reason: "本人の利用と確認", submissionKey: submissionKey! };
    const answers = await doublePostThenResend(lead, page, form);
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    for (const answer of answers) expect(answer.headers.get("location")).toBe("/approvals");
    expect((await prisma.reversalRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("REJECTED");
    expect(await decisionTrail("ledger.reverse.reject", requestId)).toEqual([
      "SUCCESS",
      "ALREADY_SUBMITTED",
      "ALREADY_SUBMITTED",
    ]);
  });

  it("the requester's withdrawal is made once, and the repeats say so", async () => {
    const { requestId } = await pendingReversal(agent.staff.id);
    const page = `/reversals/${requestId}`;
    const submissionKey = keyIn(await (await agent.get(page)).text(), "withdraw");
    const answers = await doublePostThenResend(agent, page, { intent: "withdraw", submissionKey: submissionKey! });
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    for (const answer of answers) expect(answer.headers.get("location")).toBe(page);
    expect((await prisma.reversalRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("WITHDRAWN");
    expect(await decisionTrail("ledger.reverse.withdraw", requestId)).toEqual([
      "SUCCESS",
      "ALREADY_SUBMITTED",
      "ALREADY_SUBMITTED",
    ]);
    expect(await (await agent.get(page)).text()).toContain(SENT_ONCE);
  });
});

describe("a held top-up's decision, sent twice at once and then again", () => {
  const keyOf = (html: string, reviewId: string, intent: string) =>
    new RegExp(
      `name="submissionKey" value="([0-9a-f-]{36})"/><input type="hidden" name="reviewId" value="${reviewId}"/><input type="hidden" name="intent" value="${intent}"`,
    ).exec(html)?.[1];

  for (const intent of ["approve", "decline"] as const) {
    it(`the ${intent} form acts once, and the repeats are not told someone else decided it`, async () => {
      const { customerId, reviewId } = await heldTopUp(41_000);
      const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
      if (intent === "approve") await stepUp(lead, "/reviews");
      const submissionKey = keyOf(await (await lead.get("/reviews")).text(), reviewId, intent);
      expect(submissionKey).toBeDefined();
      const answers = await doublePostThenResend(lead, "/reviews", { intent, reviewId, submissionKey: submissionKey! });
      expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
      for (const answer of answers) expect(answer.headers.get("location")).toBe("/reviews");
      expect(await balanceOf(customerId)).toBe(intent === "approve" ? 41_000 : 0);
      expect(await decisionTrail(`risk.review.${intent}`, reviewId)).toEqual([
        "SUCCESS",
        "ALREADY_SUBMITTED",
        "ALREADY_SUBMITTED",
      ]);
      expect(await (await lead.get("/reviews")).text()).toContain(SENT_ONCE);
    });
  }
});
