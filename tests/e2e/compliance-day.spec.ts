// The day after a 7pay-like takeover, as the compliance officer (コンプライアンス担当) walks it: in Japanese, in a
// browser set to Tokyo's zone, at 1,024 px and at 1,440 px, from the keyboard where a person would use it. They find in
// the audit trail who did what to one victim and when (a JST day's filter splitting 23:59 from 00:01, paging, the
// CSV as Excel would open it, its manifest, the JSON Lines file), verify the trail, see who approved a large reversal,
// draft the regulator's report and check its figures against the ledger and the cases, and read which notices went
// out and which failed (docs/decisions/096-a-compliance-officers-day.md).
//
// Like the other console specs, this file starts its own console (production build, scripts/start.ts) on a fresh
// PostgreSQL database that this process shares for its fixtures. Needs `npm run build` and the local PostgreSQL.
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/console";
import { open, signInInJapanese, tokyoPage } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");

let baseURL = "";
let staffModule: StaffModule;
let ledger: typeof import("../support/ledger-fixtures");
let prisma: typeof import("~/db.server").prisma;

test.describe.configure({ mode: "serial" });

// The incident began at midnight on 1 July 2019, Tokyo time.
const OPENED = new Date("2019-06-30T15:00:00.000Z");
const BEFORE_MIDNIGHT = new Date("2019-07-02T14:59:00.000Z"); // 2019/07/02 23:59 JST
const AFTER_MIDNIGHT = new Date("2019-07-02T15:01:00.000Z"); // 2019/07/03 00:01 JST
const FREEZE_REASON = "お客様からの電話：身に覚えのないチャージ";
const RESET_REASON = "翌日未明に乗っ取りを確認、パスワードを強制リセット";

interface Day {
  incident: { id: string; code: string };
  victims: { customer: { id: string }; topUpIds: string[] }[];
  agentEmail: string;
  leadEmail: string;
}
let day: Day;

test.beforeAll(async ({ firebreak }) => {
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ledger = await import("../support/ledger-fixtures");
  ({ prisma } = await import("~/db.server"));
  const { recordAuditEvent } = await import("~/audit/perform-action.server");
  const { reverseCharge } = await import("~/ledger/reverse-charge.server");
  const { approveReversal } = await import("~/ledger/reversal-approval.server");

  const incident = await ledger.createIncident(prisma, OPENED);
  const store = await ledger.createStore(prisma);
  // Three victims: one robbed of ¥150,000 (a reversal above the approval threshold), two of smaller sums; the second
  // robbed again at 23:59 JST and the third at 00:01 JST the next day.
  const victims = [
    await ledger.createVictim(prisma, incident, store, { topUps: [150_000], purchases: [], secured: true }),
    await ledger.createVictim(prisma, incident, store, { topUps: [30_000], purchases: [12_000] }),
    await ledger.createVictim(prisma, incident, store, { topUps: [20_000], purchases: [] }),
  ];
  await ledger.topUp(prisma, victims[1]!, 9_000, BEFORE_MIDNIGHT);
  await ledger.topUp(prisma, victims[2]!, 7_000, AFTER_MIDNIGHT);

  // An agent asks to reverse the large top-up; a security lead approves it (four eyes).
  const agent = await ledger.createStaffContext(prisma, "AGENT", { steppedUp: true });
  const lead = await ledger.createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
  const pending = await reverseCharge(agent, {
    customerId: victims[0]!.customer.id,
    transactionId: victims[0]!.topUpIds[0]!,
    amount: 150_000,
    reasonCode: "FRAUDULENT",
    idempotencyKey: ledger.newKey(),
  });
  await approveReversal(lead, { requestId: pending.requestId, comment: "本人確認済み" });

  // What the agent did to the second victim, either side of Tokyo's midnight, and enough rows to need a second page.
  const agentActor = agent.actor as { kind: "staff"; id: string; role: "AGENT" };
  const onVictim = (action: string, reason: string, occurredAt: Date) =>
    recordAuditEvent({
      actor: agentActor,
      origin: { ip: "203.0.113.7", userAgent: "Chromium", requestId: null },
      action,
      outcome: "SUCCESS",
      targetType: "customer",
      targetId: victims[1]!.customer.id,
      incidentId: incident.id,
      reason,
      occurredAt,
    });
  await onVictim("accounts.freeze", FREEZE_REASON, BEFORE_MIDNIGHT);
  await onVictim("recovery.force-reset", RESET_REASON, AFTER_MIDNIGHT);
  for (let minute = 1; minute <= 55; minute += 1) {
    await onVictim("accounts.view", `通話中の確認 ${minute}`, new Date(AFTER_MIDNIGHT.getTime() + minute * 60_000));
  }

  // The system's own act in the incident: the containment policy stopping every top-up.
  await recordAuditEvent({
    actor: { kind: "system", id: "system:containment" },
    origin: { ip: null, userAgent: null, requestId: null },
    action: "killswitch.engage",
    outcome: "SUCCESS",
    targetType: "kill_switch",
    targetId: "topup.all",
    incidentId: incident.id,
  });

  // The notices: the first victim's in Japanese and the second's in English went out once each; the third's failed.
  const { randomUUID } = await import("node:crypto");
  for (const [victim, language, status] of [
    [victims[0]!, "ja", "SENT"],
    [victims[1]!, "en", "SENT"],
    [victims[2]!, "ja", "FAILED"],
  ] as const) {
    await prisma.outboundMessage.create({
      data: {
        dedupeKey: `compliance-day:${randomUUID()}`,
        incidentId: incident.id,
        customerId: victim.customer.id,
        template: "incident-update",
        language,
        messageIdHeader: `<${randomUUID()}@compliance-day.test>`,
        status,
        failure: status === "FAILED" ? "REJECTED" : null,
        lastError: status === "FAILED" ? "550 5.1.1 mailbox unavailable" : null,
        recipient: `victim-${language}@wallet-test.example`,
        subject: language === "ja" ? "不正利用に関するお知らせ" : "About the unauthorised use",
        textBody: "本文",
        htmlBody: "<p>本文</p>",
        nextAttemptAt: new Date(),
        attempts: 1,
        sentAt: status === "SENT" ? new Date() : null,
      },
    });
  }
  const emailOf = async (id: string) => (await prisma.staffUser.findUniqueOrThrow({ where: { id } })).email;
  day = {
    incident,
    victims,
    agentEmail: await emailOf(agentActor.id),
    leadEmail: await emailOf((lead.actor as { id: string }).id),
  };
});

/** The page is no wider than the window: nothing to scroll sideways to. */
async function fitsTheWindow(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

/** The truth, computed here from the ledger and the cases, not through the console's queries. */
async function truth() {
  const cases = await prisma.incidentCase.findMany({ where: { incidentId: day.incident.id } });
  const customerIds = cases.map((c) => c.customerId);
  const stolen = await prisma.ledgerTransaction.findMany({
    where: { customerId: { in: customerIds }, kind: "TOP_UP", occurredAt: { gte: OPENED } },
  });
  const reversals = await prisma.ledgerTransaction.findMany({
    where: { kind: "REVERSAL", reversesId: { in: stolen.map((t) => t.id) } },
  });
  const sent = await prisma.outboundMessage.findMany({
    where: { incidentId: day.incident.id, status: "SENT" },
    distinct: ["customerId"],
  });
  const sum = (rows: { amount: bigint | number }[]) => rows.reduce((total, row) => total + Number(row.amount), 0);
  return { persons: cases.length, stolenYen: sum(stolen), reversedYen: sum(reversals), noticesSent: sent.length };
}

const yen = (value: number) => `¥${value.toLocaleString("en-US")}`;

test("a compliance officer's day in Japanese at 1,024 px: the trail, its files, its integrity, the report, the notices", async ({
  browser,
}) => {
  const page = await tokyoPage(browser, { width: 1024, height: 900 });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  const officer = await staffModule.createStaff({ role: "COMPLIANCE", displayName: "田中 結衣", language: "ja" });
  await signInInJapanese(page, baseURL, officer);

  // (1) Who did what to the second victim on 2 July (JST): typed into the filter and sent with Enter.
  const victim = day.victims[1]!.customer.id;
  await open(page, baseURL, "/audit");
  await page.getByLabel("対象ID").fill(victim);
  await page.getByLabel("開始").fill("2019/07/02 00:00");
  await page.getByLabel("終了").fill("2019/07/03 00:00");
  await page.getByLabel("終了").press("Enter");
  await expect(page).toHaveURL(/targetId=/);
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("2019/07/02 23:59:00 JST");
  await expect(rows.first()).toContainText(day.agentEmail);
  await expect(rows.first()).toContainText("サポート担当");
  await expect(rows.first()).toContainText(FREEZE_REASON);
  await expect(page.getByText("2019/07/03 00:01:00 JST")).toHaveCount(0);
  await fitsTheWindow(page, 1024);

  // The CSV of that day, as Excel would open it: UTF-8 with a byte-order mark, the Japanese reason intact.
  const csvDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "CSVをダウンロード" }).click();
  const csvBytes = readFileSync((await (await csvDownload).path())!);
  expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csvText = new TextDecoder("utf-8", { fatal: true }).decode(csvBytes.subarray(3));
  const csvLines = csvText.trimEnd().split("\r\n");
  expect(csvLines).toHaveLength(2); // the header and the 23:59 row
  expect(csvLines[1]).toContain(FREEZE_REASON);
  expect(csvLines[1]).toContain('"2019-07-02 23:59:00.000"');
  // Its manifest counts the same row, for the same filter as entered in JST.
  const manifestDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "CSVのマニフェスト" }).click();
  const manifest = JSON.parse(readFileSync((await (await manifestDownload).path())!, "utf8")) as {
    rowCount: number;
    filter: Record<string, string>;
    contentFormat: string;
  };
  expect(manifest).toMatchObject({ rowCount: 1, contentFormat: "csv" });
  expect(manifest.filter).toMatchObject({
    fromJst: "2019/07/02 00:00",
    fromUtc: "2019-07-01T15:00:00.000Z",
    toJst: "2019/07/03 00:00",
  });

  // The next day, whole: 56 rows, so two pages; the older page is reached from the keyboard.
  await open(
    page,
    baseURL,
    `/audit?targetId=${victim}&from=${encodeURIComponent("2019/07/03")}&to=${encodeURIComponent("2019/07/04")}`,
  );
  await expect(rows).toHaveCount(50);
  const older = page.getByRole("link", { name: "古い記録 →" });
  await older.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/before=/);
  await expect(rows).toHaveCount(6);
  await expect(rows.last()).toContainText("2019/07/03 00:01:00 JST");
  await expect(rows.last()).toContainText(RESET_REASON);
  // The JSON Lines file of the whole day carries its manifest as its last line.
  const jsonlDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "JSON Lines をダウンロード（マニフェスト同梱）" }).click();
  const jsonl = readFileSync((await (await jsonlDownload).path())!, "utf8")
    .trimEnd()
    .split("\n");
  const events = jsonl.slice(0, -1).map((line) => JSON.parse(line) as { record: string; reason: string });
  expect(events).toHaveLength(56);
  expect(events[0]!.reason).toBe(RESET_REASON);
  expect(JSON.parse(jsonl.at(-1)!)).toMatchObject({ record: "manifest", contentFormat: "jsonl", rowCount: 56 });

  // (4) Who approved the large reversal: the lead, named with their role, the request by the agent before it.
  await open(page, baseURL, `/audit?incident=${day.incident.code}&action=ledger.reverse.approve`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(day.leadEmail);
  await expect(rows.first()).toContainText("セキュリティ責任者");
  await open(page, baseURL, `/audit?incident=${day.incident.code}&action=ledger.reverse&role=AGENT`);
  await expect(rows.first()).toContainText(day.agentEmail);

  // (2) The trail's integrity, verified from the keyboard, said in Japanese.
  await open(page, baseURL, "/audit/integrity");
  await page.getByRole("button", { name: "チェーンを検証する" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByText("監査ログは改ざんされていません")).toBeVisible({ timeout: 60_000 });

  // The dashboard: its chart's time axis says JST, and its figures are the ledger's.
  const expected = await truth();
  await open(page, baseURL, `/incidents/${day.incident.id}`);
  await expect(page.getByTestId("money-chart-time-axis")).toHaveText("時刻（日本時間・JST）");
  await expect(page.getByTestId("stolen-yen")).toHaveText(yen(expected.stolenYen));

  // (3) The preliminary report, drafted from the keyboard: learned at 23:59 JST on 2 July, so due on 7 July.
  await open(page, baseURL, `/incidents/${day.incident.id}/report`);
  const learnedAt = page.getByLabel("事態を知った日時（日本時間）");
  await learnedAt.fill("2019/07/02 23:59");
  await learnedAt.press("Enter");
  await expect(page).toHaveURL(/\/reports\/breach\//);
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  await expect(page.getByTestId("report-deadline")).toHaveText("2019-07-07（2019/07/08 00:00:00 JST まで）");
  const figure = (key: string) => page.getByTestId(`figure-${key}`);
  await expect(figure("persons")).toHaveText(String(expected.persons));
  await expect(figure("stolenYen")).toHaveText(yen(expected.stolenYen));
  await expect(figure("reversedYen")).toHaveText(yen(expected.reversedYen));
  await expect(figure("noticesSent")).toHaveText(String(expected.noticesSent));
  await expect(figure("firstFraudulentTopUp")).toHaveText("2019/07/01 00:01:00 JST");
  const outstanding = yen(expected.stolenYen - expected.reversedYen);
  await expect(page.locator("[data-item=secondaryDamage]")).toContainText(
    `不正チャージ ${yen(expected.stolenYen)}、うち返金済み ${yen(expected.reversedYen)}、未返金 ${outstanding}`,
  );
  await fitsTheWindow(page, 1024);

  // (5) The notices: one to each victim, in Japanese or English, two sent and one failed; the way back is the incident.
  await open(page, baseURL, `/notifications/incidents/${day.incident.id}`);
  const recipients = page.getByTestId("recipient-row");
  await expect(recipients).toHaveCount(3);
  await expect(recipients.filter({ hasText: "日本語" })).toHaveCount(2);
  await expect(recipients.filter({ hasText: "英語" })).toHaveCount(1);
  await expect(page.locator('[data-testid=recipient-row][data-status="SENT"]')).toHaveCount(expected.noticesSent);
  const failed = page.locator('[data-testid=recipient-row][data-status="FAILED"]');
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText("失敗");
  await page.getByRole("link", { name: day.incident.code }).click();
  await expect(page).toHaveURL(new RegExp(`/incidents/${day.incident.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(day.incident.code);

  expect(errors).toEqual([]);
});

test("at 1,440 px the audit trail and the report read without scrolling sideways", async ({ browser }) => {
  const page = await tokyoPage(browser, { width: 1440, height: 900 });
  const officer = await staffModule.createStaff({ role: "COMPLIANCE", displayName: "佐藤 直子", language: "ja" });
  await signInInJapanese(page, baseURL, officer);
  await open(page, baseURL, `/audit?incident=${day.incident.code}`);
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  // The system's row says システム, as the role filter does.
  const systemRow = page.getByTestId("audit-row").filter({ hasText: "system:containment" });
  await expect(systemRow).toContainText("システム");
  await expect(systemRow).not.toContainText("SYSTEM");
  await fitsTheWindow(page, 1440);
  await open(page, baseURL, `/incidents/${day.incident.id}/report`);
  await page.getByRole("link", { name: /速報/ }).first().click();
  await expect(page.getByTestId("breach-report")).toBeVisible();
  await fitsTheWindow(page, 1440);
});
