// What a stressed person's browser sends, over HTTP: the same rendered form posted twice (a double click that got past
// the disabled button, a reload that resends the post, a retry), a form sent after the session ended while the
// person was typing, and a form sent from a page gone stale while another tab or another lead acted. Each answer is checked against the database and a real SMTP server. Needs `npx remix build`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createClient, startHttpApp, type TestHttpApp } from "../support/http-app";
import { startTestWorker } from "../support/notify-fixtures";
import { sinkAndWorkerPerFile, waitFor } from "../support/smtp-sink";
import { securedCustomerWithPurchase, reversedTotal } from "../support/ledger-fixtures";
import { createStaff, signIn, stepUp } from "../support/staff";
import { createRecoveryCustomer } from "./recovery-fixtures";

let app: TestHttpApp;
const mail = sinkAndWorkerPerFile();

beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

/** The hidden value a page rendered into its form, as the browser would post it back. */
function hiddenValue(html: string, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
  if (!value) throw new Error(`the page has no ${name}`);
  return value;
}

describe("the same form posted twice", () => {
  it("a forced reset sent twice from one page resets once, mails one link and says so in Japanese", async () => {
    const agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const customer = await createRecoveryCustomer();
    const page = `/accounts/${customer.id}/recovery`;
    const form = {
      intent: "force-reset",
      formKey: "force-reset",
      reason: "乗っ取りの申告を電話で受けた",
      submissionKey: hiddenValue(await (await agent.get(page)).text(), "submissionKey"),
    };

    // Both posts in flight at once (a double click), then the same post again (a reload that resends it).
    const answers = await Promise.all([agent.post(page, form), agent.post(page, form)]);
    const again = await agent.post(page, form);
    expect(answers.map((answer) => answer.status).sort()).toEqual([302, 409]);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("このリセットはこの画面からすでに送信されています");

    expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(1);
    const outcomes = await prisma.auditEvent.findMany({
      where: { action: "recovery.force-reset", targetId: customer.id },
      select: { outcome: true },
    });
    expect(outcomes.filter((row) => row.outcome === "SUCCESS")).toHaveLength(1);
    expect(outcomes).toHaveLength(3); // the two refused posts are recorded as refused, and changed nothing

    mail.worker = startTestWorker(mail.sink);
    await waitFor("the reset mail", () => mail.sink.received.some((m) => m.envelopeTo.includes(customer.email)));
    await waitFor(
      "an empty outbox",
      async () => (await prisma.outboundMessage.count({ where: { status: "QUEUED" } })) === 0,
    );
    expect(mail.sink.received.filter((m) => m.envelopeTo.includes(customer.email))).toHaveLength(1);

    // A fresh render of the page is a new form: the agent can reset again on purpose.
    const fresh = hiddenValue(await (await agent.get(page)).text(), "submissionKey");
    expect(fresh).not.toBe(form.submissionKey);
    expect((await agent.post(page, { ...form, submissionKey: fresh })).status).toBe(302);
    expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(2);
  });

  it("a reversal sent twice from one page reverses once, and the second answer says so in Japanese", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 24_000, 30_000);
    const agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const page = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
    const form = {
      transactionId: purchaseId,
      amount: "10000",
      reasonCode: "FRAUDULENT",
      idempotencyKey: hiddenValue(await (await agent.get(page)).text(), "idempotencyKey"),
    };
    const first = await agent.post(page, form);
    const second = await agent.post(page, form);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    const shown = await (await agent.get(second.headers.get("location")!)).text();
    expect(shown).toContain(
      "¥10,000を取り消しました。 このフォームは二度送信されましたが、取り消したのは1回だけです。",
    );
    expect(await reversedTotal(prisma, purchaseId)).toBe(10_000);
  });

  it("a post whose reset failed can be sent again: the claim is rolled back with it", async () => {
    const agent = await signIn(app, await createStaff({ role: "AGENT" }));
    const customer = await createRecoveryCustomer({ status: "CLOSED" });
    const page = `/accounts/${customer.id}/recovery`;
    const submissionKey = hiddenValue(await (await agent.get(page)).text(), "submissionKey");
    const form = { intent: "force-reset", formKey: "force-reset", reason: "takeover reported", submissionKey };
    expect((await agent.post(page, form)).status).toBe(409);
    expect(await prisma.formSubmission.count({ where: { key: submissionKey } })).toBe(0);
    // The same rendered form, sent again once the refusal's cause is gone, is acted on (not "already sent").
    await prisma.customer.update({ where: { id: customer.id }, data: { status: "ACTIVE" } });
    expect((await agent.post(page, form)).status).toBe(302);
    expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(1);
  });
});

describe("a form sent after the session ended", () => {
  it("sends the person to sign in and back to the page the form was on, saying it was not sent", async () => {
    const staff = await createStaff({ role: "AGENT", language: "ja" });
    const agent = await signIn(app, staff);
    const customer = await createRecoveryCustomer();
    const page = `/accounts/${customer.id}/recovery`;
    await agent.get(page);
    await prisma.staffSession.deleteMany({ where: { staffId: staff.id } }); // ended while the agent typed

    const answer = await agent.post(
      page,
      { intent: "force-reset", formKey: "force-reset", reason: "乗っ取りの申告を電話で受けた" },
      { headers: { referer: `${app.baseUrl}${page}` } },
    );
    expect(answer.status).toBe(302);
    const target = new URL(answer.headers.get("location")!, app.baseUrl);
    expect(target.pathname).toBe("/sign-in");
    expect(target.searchParams.get("redirectTo")).toBe(page);
    expect(target.searchParams.get("expired")).toBe("1");
    expect(target.searchParams.get("unsent")).toBe("1");
    expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(0);

    const signInPage = await createClient(app).get(target.pathname + target.search, {
      headers: { "accept-language": "ja" },
    });
    expect(await signInPage.text()).toContain("送信しようとした内容は保存されていません");
  });

  it("never sends anyone to another site's page named in the Referer", async () => {
    const staff = await createStaff({ role: "AGENT" });
    const agent = await signIn(app, staff);
    await prisma.staffSession.deleteMany({ where: { staffId: staff.id } });
    const answer = await agent.post(
      "/settings/language",
      { language: "ja" },
      { headers: { referer: "https://evil.example/accounts" } },
    );
    const target = new URL(answer.headers.get("location")!, app.baseUrl);
    expect(target.searchParams.get("redirectTo")).toBeNull();
  });
});

describe("a step-up that lapsed while the form was filled", () => {
  it("sends the agent to step up and back to the form holding the amount they typed", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 80_000, 100_000);
    const agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const page = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
    const answer = await agent.post(page, {
      transactionId: purchaseId,
      amount: "35,000",
      reasonCode: "FRAUDULENT",
      idempotencyKey: hiddenValue(await (await agent.get(page)).text(), "idempotencyKey"),
    });
    expect(answer.status).toBe(302);
    const stepUpPage = new URL(answer.headers.get("location")!, app.baseUrl);
    expect(stepUpPage.pathname).toBe("/step-up");
    expect(stepUpPage.searchParams.get("redirectTo")).toBe(`${page}&amount=35000`);
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
  });
});

describe("an action's address opened directly", () => {
  it("leads to the page the action belongs to, not to an error", async () => {
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const answer = await lead.get("/notifications/messages/00000000-0000-4000-8000-000000000000/retry");
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe("/notifications");
  });
});

describe("a page gone stale while another tab or person acted", () => {
  it("a second reversal from a stale tab is refused in Japanese with what is left, and reverses nothing", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 24_000, 30_000);
    const agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const page = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
    const form = (html: string) => ({
      transactionId: purchaseId,
      amount: "20000",
      reasonCode: "FRAUDULENT",
      idempotencyKey: hiddenValue(html, "idempotencyKey"),
    });
    const tabA = form(await (await agent.get(page)).text());
    const tabB = form(await (await agent.get(page)).text());
    expect((await agent.post(page, tabA)).status).toBe(302);
    const stale = await agent.post(page, tabB);
    expect(stale.status).toBe(422);
    expect(await stale.text()).toContain("取り消せる残りは¥4,000です（¥20,000は取消済み）");
    expect(await reversedTotal(prisma, purchaseId)).toBe(20_000);
  });

  it("a lead engaging a switch another lead has just engaged is told so in Japanese", async () => {
    const leadA = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const leadB = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    await stepUp(leadA, "/kill-switches");
    await stepUp(leadB, "/kill-switches");
    const engage = {
      intent: "engage",
      key: "topup.bank",
      reason: "銀行口座からの不正チャージ",
      formId: "engage:topup.bank",
    };
    expect((await leadA.post("/kill-switches?index", engage)).status).toBe(302);
    const late = await leadB.post("/kill-switches?index", engage);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("このスイッチはすでに停止中です");
    expect(await prisma.killSwitchChange.count({ where: { switchKey: "topup.bank", engaged: true } })).toBe(1);
  });
});
