// The last forms that acted on a customer once per post, over HTTP with real concurrency on PostgreSQL: the reversal
// page's freeze, the recovery page's identity check, code sending, code entry, contact restore and keep request, and a
// large reversal's approval, rejection and withdrawal, and a held top-up's release or decline.
// Each rendered form is sent twice at once (a double click past the disabled button) and then again after both were
// answered (the browser's "send the form again"). Each acts once; every repeat is led back to the page, where the
// first post's result shows, and is audited ALREADY_SUBMITTED (ADR 112). Needs `npx remix build`.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { consoleWithAgentPerFile, doublePostThenResend, expectActedOnce, renderedForm } from "../support/forms-once";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { balanceOf, heldTopUp } from "../support/risk-rules";
import { customerWithPurchase, newKey, reversedTotal, securedCustomerWithPurchase } from "../support/ledger-fixtures";
import { createStaff, signIn, staffContext, stepUp } from "../support/staff";
import {
  BIRTH_DATE,
  CARD_LAST4,
  createRecoveryCustomer,
  hijackEmail,
  LAST_TOP_UP_YEN,
  latestMailedCode,
} from "./recovery-fixtures";

const http = consoleWithAgentPerFile();

const recoveryPage = (customerId: string) => `/accounts/${customerId}/recovery`;

/** The recovery page's form `formKey` as a fresh rendering fills it in (its restore forms are named per field). */
function recoveryForm(customerId: string, formKey: string, fields: Record<string, string>) {
  const intent = formKey.replace(/-(EMAIL|PHONE)$/, "");
  return renderedForm(http.agent, recoveryPage(customerId), formKey, { intent, ...fields });
}

/** A recovery form sent twice at once and then again: the three answers. */
async function sendRecoveryFormThrice(customerId: string, formKey: string, fields: Record<string, string>) {
  const form = await recoveryForm(customerId, formKey, fields);
  return doublePostThenResend(http.agent, recoveryPage(customerId), form);
}

/** The recovery action acted on once, and every answer led back to the recovery page, which says so. */
function expectRecoveryActedOnce(answers: Response[], customerId: string, action: string) {
  return expectActedOnce(http.agent, answers, { action, targetId: customerId, ledTo: recoveryPage(customerId) });
}

/** A fresh rendering of the recovery page's form `formKey`, posted once (the steps before the one under test). */
async function postOnce(customerId: string, formKey: string, form: Record<string, string>) {
  const answer = await http.agent.post(recoveryPage(customerId), await recoveryForm(customerId, formKey, form));
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
    const html = await (await http.agent.get(page)).text();
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
    const answers = await doublePostThenResend(http.agent, page, form);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("FROZEN");
    await expectActedOnce(http.agent, answers, { action: "account.freeze", targetId: customerId, ledTo: page });
    expect(await (await http.agent.get(page)).text()).not.toContain('data-testid="not-secured"');
  });

  it("a key that is not a UUID is refused as a stale form, and the account stays active", async () => {
    const { customer, purchaseId } = await customerWithPurchase(prisma, 5_000, 10_000);
    const page = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
    const answer = await http.agent.post(page, {
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
    const answers = await sendRecoveryFormThrice(customer.id, "identity-check", {
      birthDate: "1990-01-01",
      cardLast4: CARD_LAST4,
    });
    expect(await prisma.identityCheck.count({ where: { customerId: customer.id } })).toBe(1);
    await expectRecoveryActedOnce(answers, customer.id, "recovery.identity-check");
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
    const answers = await sendRecoveryFormThrice(customer.id, "send-code", { channel: "EMAIL" });
    expect(await prisma.recoveryCode.count({ where: { customerId: customer.id } })).toBe(1);
    expect(await prisma.outboundMessage.count({ where: { customerId: customer.id, template: "recovery-code" } })).toBe(
      1,
    );
    await expectRecoveryActedOnce(answers, customer.id, "recovery.code-send");
  });

  it('the code the caller read out is entered once, and the repeats are not answered "no live code"', async () => {
    const customer = await createRecoveryCustomer();
    await postOnce(customer.id, "send-code", { channel: "EMAIL" });
    const code = (await latestMailedCode(customer.id)).code;
    const entered = await sendRecoveryFormThrice(customer.id, "verify-code", { code });
    expect(await prisma.recoveryCode.count({ where: { customerId: customer.id, verifiedAt: { not: null } } })).toBe(1);
    await expectRecoveryActedOnce(entered, customer.id, "recovery.code-verify");
  });

  it("a hijacked email is restored once, and the repeats are not told the contact changed meanwhile", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    await proveTheCaller(customer.id);
    const answers = await sendRecoveryFormThrice(customer.id, "restore-EMAIL", {
      contactChangeId: hijack.changeId,
      expectedCurrent: hijack.attackerEmail,
      reason: "本人確認とコード確認の上で復元",
    });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(customer.email);
    expect(await prisma.contactChange.count({ where: { customerId: customer.id, source: "STAFF_RESTORE" } })).toBe(1);
    await expectRecoveryActedOnce(answers, customer.id, "recovery.restore-contact");
  });

  it("a request to keep the current email is filed once, and the repeats are not told one already waits", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    await proveTheCaller(customer.id);
    const answers = await sendRecoveryFormThrice(customer.id, "keep", {
      field: "EMAIL",
      expectedCurrent: hijack.attackerEmail,
      reason: "お客様ご本人が変更したとのこと",
    });
    expect(await prisma.contactKeepRequest.count({ where: { customerId: customer.id } })).toBe(1);
    await expectRecoveryActedOnce(answers, customer.id, "recovery.keep-contact.request");
  });

  it("another member replaying an agent's code key sends nothing and is answered 409", async () => {
    const customer = await createRecoveryCustomer();
    const page = recoveryPage(customer.id);
    const form = await recoveryForm(customer.id, "send-code", { channel: "EMAIL" });
    expect((await http.agent.post(page, form)).status).toBe(302);
    const other = await signIn(http.app, await createStaff({ role: "AGENT" }));
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

describe("a large reversal's decision forms, each sent twice at once and then again", () => {
  const keyIn = (html: string, intent: string) =>
    new RegExp(
      `name="submissionKey" value="([0-9a-f-]{36})"/>(?:(?!</form>).)*name="intent" value="${intent}"`,
      "s",
    ).exec(html)?.[1];

  it('an approval reverses once, and every answer leads to the reversal, not to "no longer pending"', async () => {
    const { requestId, purchaseId } = await pendingReversal(http.agent.staff.id);
    const lead = await signIn(http.app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const page = `/approvals/${requestId}`;
    await stepUp(lead, page);
    const submissionKey = keyIn(await (await lead.get(page)).text(), "approve");
    expect(submissionKey).toBeDefined();
    const answers = await doublePostThenResend(lead, page, {
      intent: "approve",
      comment: "確認済み",
      submissionKey: submissionKey!,
    });
    expect(await reversedTotal(prisma, purchaseId)).toBe(150_000);
    await expectActedOnce(lead, answers, {
      action: "ledger.reverse.approve",
      targetId: requestId,
      ledTo: `/reversals/${requestId}`,
    });
  });

  it("a rejection is made once", async () => {
    const { requestId } = await pendingReversal(http.agent.staff.id);
    const lead = await signIn(http.app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const page = `/approvals/${requestId}`;
    const submissionKey = keyIn(await (await lead.get(page)).text(), "reject");
    const form = { intent: "reject", reason: "本人の利用と確認", submissionKey: submissionKey! };
    const answers = await doublePostThenResend(lead, page, form);
    expect((await prisma.reversalRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("REJECTED");
    await expectActedOnce(lead, answers, {
      action: "ledger.reverse.reject",
      targetId: requestId,
      ledTo: "/approvals",
      noticeOn: null,
    });
  });

  it("the requester's withdrawal is made once, and the repeats say so", async () => {
    const { requestId } = await pendingReversal(http.agent.staff.id);
    const page = `/reversals/${requestId}`;
    const submissionKey = keyIn(await (await http.agent.get(page)).text(), "withdraw");
    const answers = await doublePostThenResend(http.agent, page, { intent: "withdraw", submissionKey: submissionKey! });
    expect((await prisma.reversalRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("WITHDRAWN");
    await expectActedOnce(http.agent, answers, { action: "ledger.reverse.withdraw", targetId: requestId, ledTo: page });
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
      const lead = await signIn(http.app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
      if (intent === "approve") await stepUp(lead, "/reviews");
      const submissionKey = keyOf(await (await lead.get("/reviews")).text(), reviewId, intent);
      expect(submissionKey).toBeDefined();
      const answers = await doublePostThenResend(lead, "/reviews", { intent, reviewId, submissionKey: submissionKey! });
      expect(await balanceOf(customerId)).toBe(intent === "approve" ? 41_000 : 0);
      await expectActedOnce(lead, answers, { action: `risk.review.${intent}`, targetId: reviewId, ledTo: "/reviews" });
    });
  }
});
