// The codes other catalogues name, read in the member's language wherever the audit trail is shown (ADR 113): a
// reversal's reason code in the reason column, a step-up refusal's `stepUp` and a skipped notice's `skipReason` in the
// before/after, each named with the stored code beside it; and a member's security events on the staff page say why a
// sign-in failed or a form was refused, as the trail does; a notice's preview says why a customer gets no mail by the
// same name, an account names its customer's language in the reader's, and an incident's dashboard names its kill
// switches. Over real HTTP: run `npx remix build` first.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents } from "~/audit/audit-log.server";
import { prisma } from "~/db.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { enqueueNotices } from "~/notify/notices.server";
import { newKey, securedCustomerWithPurchase } from "../support/ledger-fixtures";
import { createIncident, createVictim } from "../support/notify-fixtures";
import { createStaff, signIn, staffContext, type StaffClient } from "../support/staff";

const RUN = randomUUID();
const origin = { ip: "192.0.2.46", userAgent: "vitest", requestId: "req-audit-codes" };
// A lead's comment on an approval that happens to read like a code: their words, never named.
const TYPED_LIKE_A_CODE = "OTHER";

const STORED_DESTINATION = "¥5,000 is taken back from what we owe the store and credited to the customer's wallet.";

let app: TestHttpApp;
let japanese: StaffClient;
let japaneseAdmin: StaffClient;
let japaneseLead: StaffClient;
let subjectId: string;

beforeAll(async () => {
  app = await startHttpApp();
  const [ja, admin, lead, subject] = await Promise.all([
    createStaff({ role: "COMPLIANCE", language: "ja" }),
    createStaff({ role: "ADMIN", language: "ja" }),
    createStaff({ role: "SECURITY_LEAD", language: "ja" }),
    createStaff({ role: "AGENT" }),
  ]);
  subjectId = subject.id;
  japanese = await signIn(app, ja);
  japaneseAdmin = await signIn(app, admin);
  japaneseLead = await signIn(app, lead);
  const member = { kind: "staff", id: subject.id, role: "AGENT" } as const;
  await prisma.$transaction((tx) =>
    appendAuditEvents(tx, [
      {
        actor: member,
        origin,
        action: "ledger.reverse",
        outcome: "SUCCESS",
        targetType: "ledger_transaction",
        targetId: randomUUID(),
        incidentId: RUN,
        reason: "FRAUDULENT",
        after: { status: "COMPLETED", amount: 5000, destination: STORED_DESTINATION },
      },
      {
        actor: member,
        origin,
        action: "ledger.reverse.approve",
        outcome: "SUCCESS",
        targetType: "reversal_request",
        targetId: randomUUID(),
        incidentId: RUN,
        reason: TYPED_LIKE_A_CODE,
        before: { status: "PENDING_APPROVAL", reasonCode: "DUPLICATE" },
      },
      {
        actor: member,
        origin,
        action: "notify.enqueue",
        outcome: "SUCCESS",
        targetType: "customer",
        targetId: randomUUID(),
        incidentId: RUN,
        after: { template: "account-secured", status: "SKIPPED", skipReason: "NO_VERIFIED_EMAIL" },
      },
      {
        actor: member,
        origin,
        action: "access.denied",
        outcome: "DENIED",
        targetType: "route",
        targetId: "POST /kill-switches",
        incidentId: RUN,
        after: { stepUp: "expired" },
      },
      {
        actor: { kind: "anonymous" },
        origin,
        action: "staff.sign-in.password",
        outcome: "FAILED",
        targetType: "staff",
        targetId: subject.id,
        incidentId: RUN,
        after: { reason: "wrong-password", consecutiveFailures: 1 },
      },
    ]),
  );
});

afterAll(() => app?.close());

/** The page's server-rendered markup, without the loader data in its scripts (which holds the stored values). */
async function markup(client: StaffClient, path: string): Promise<string> {
  const page = await (await client.get(path)).text();
  return page.slice(0, page.indexOf("<script"));
}

/** A code named in Japanese, the stored code beside it in monospace. */
const named = (name: string, code: string) => new RegExp(`${name}</span> <code[^>]*>${code}</code>`);

describe("codes named in the audit trail", () => {
  it("names a reversal's reason, a refusal's step-up state and a notice's skip reason, codes kept beside them", async () => {
    const html = await markup(japanese, `/audit?incident=${RUN}`);
    expect(html).toMatch(named("不正利用（アカウント乗っ取り）", "FRAUDULENT"));
    expect(html).toMatch(named("二重請求", "DUPLICATE"));
    expect(html).toMatch(named("確認済みのメールアドレスが登録されていません", "NO_VERIFIED_EMAIL"));
    expect(html).toMatch(named("再認証の有効期限が切れていました", "expired"));
    // The request's destination sentence, in Japanese, the stored English beneath it.
    expect(html).toMatch(
      /加盟店への支払予定額から¥5,000を取り消し、お客様のウォレットに戻します。<\/span><samp[^>]*>¥5,000 is taken back/,
    );
  });

  it("shows a member's comment as typed, even when it reads like a reason code", async () => {
    const html = await markup(japanese, `/audit?incident=${RUN}&action=ledger.reverse.approve`);
    const cell = /data-testid="audit-reason">([\s\S]*?)<\/td>/.exec(html)?.[1] ?? "";
    expect(cell).toContain(TYPED_LIKE_A_CODE);
    expect(cell).not.toContain("その他");
  });
});

describe("a member's security events", () => {
  it("say why a sign-in failed and why a form was refused, in the reader's language with the codes", async () => {
    const html = await markup(japaneseAdmin, `/admin/staff/${subjectId}`);
    const details = [...html.matchAll(/data-testid="security-event-detail">([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
    expect(details.some((cell) => named("パスワードの誤り", "wrong-password").test(cell))).toBe(true);
    expect(details.some((cell) => named("再認証の有効期限が切れていました", "expired").test(cell))).toBe(true);
    expect(details.some((cell) => named("不正利用（アカウント乗っ取り）", "FRAUDULENT").test(cell))).toBe(true);
  });

  it("leave the stored rows as they were written", async () => {
    const rows = await prisma.auditEvent.findMany({ where: { incidentId: RUN }, orderBy: { seq: "asc" } });
    expect(rows.map((row) => row.reason)).toEqual(["FRAUDULENT", TYPED_LIKE_A_CODE, null, null, null]);
    expect(rows[3]!.after).toEqual({ stepUp: "expired" });
  });
});

describe("a customer's notice and language on a Japanese page", () => {
  it("says why a customer gets no mail by the skip reason's name, without the worker's English", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id, { emailVerified: false });
    const html = await markup(
      japaneseLead,
      `/notifications?incident=${incident.id}&template=incident-update&target=selected&customers=${victim.displayId}`,
    );
    const problem = /data-testid="preview-recipient-problem">([\s\S]*?)<\/p>/.exec(html)?.[1];
    expect(problem).toBe("このお客様にはメールを送信しません：確認済みのメールアドレスが登録されていません。");
  });

  it("names the incident status an update announced in a notice's progress, as the notices list does", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id);
    await enqueueNotices(staffContext("SECURITY_LEAD", { steppedUp: true }), {
      incidentId: incident.id,
      template: "incident-update",
      customerIds: [victim.id],
    });
    const html = await markup(japaneseLead, `/notifications/incidents/${incident.id}`);
    const progress = /data-testid="campaign-progress"[\s\S]*?<h3[^>]*>([\s\S]*?)<\/h3>/.exec(html)?.[1] ?? "";
    expect(progress).toContain("インシデントの続報 (封じ込め済み)");
    expect(progress).not.toContain("contained");
  });

  it("names an English-speaking customer's language in Japanese", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id, { preferredLanguage: "en" });
    const html = await markup(japaneseLead, `/accounts/${victim.id}`);
    expect(html).toMatch(/<dd[^>]*>英語<\/dd>/);
  });

  it("names a reversal's reason and a nameless actor's role in the account's timeline", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 4_000);
    await reverseCharge(staffContext("AGENT", { steppedUp: true }), {
      customerId: customer.customer.id,
      transactionId: purchaseId,
      amount: 4_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    const html = await markup(japaneseLead, `/accounts/${customer.customer.id}`);
    const timeline = /data-testid="timeline">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? "";
    const reversal = `¥4,000 を取消（取引 ${purchaseId.slice(0, 8)}…） — 不正利用（アカウント乗っ取り） (FRAUDULENT)`;
    expect(timeline.replaceAll("<!-- -->", "")).toContain(reversal);
    // The reversing member is not on file here, so the entry names the actor by role: in Japanese, not `AGENT`.
    expect(timeline).toContain(
      "サポート担当 による 取引を取消 (ledger.reverse) — 不正利用（アカウント乗っ取り） (FRAUDULENT)",
    );
  });

  it("names the kill switches on an incident's dashboard, each key beside its name", async () => {
    const incident = await createIncident("CONTAINED");
    const html = await markup(japaneseLead, `/incidents/${incident.id}`);
    const strip = /data-testid="switch-strip">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? "";
    expect(strip).toMatch(/すべてのチャージ(<!-- -->)? <code[^>]*>topup\.all<\/code>/);
  });
});
