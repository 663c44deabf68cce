// The Japanese sweep (japanese-everywhere.spec.ts) walks the 7pay replay, which has no reversal, no notice sent, no
// cohort and no refused step-up: the pages and audit rows that name those codes are never read there. Here Japanese
// staff make them through the browser, in Tokyo's time zone: an agent reverses a fraudulent charge with its reason
// code, a lead builds a cohort from a shared attacker device, sends a notice to it (one member has no verified email,
// so that notice is skipped) and is refused the send once for want of a fresh code. Then the audit trail, the account's
// timeline, the notice's page and the cohort's page are read in Japanese: each code is named in Japanese with the
// stored code beside it, and no English sentence of the console's own is shown (tests/support/english-words.ts).
// docs/decisions/113-the-last-codes-in-the-readers-language.md
//
// Like the other console specs, this file starts its own console (production build, scripts/start.ts) on a fresh
// PostgreSQL database that this process shares for its fixtures. Needs `npm run build` and the local PostgreSQL.
import type { Page } from "@playwright/test";
import { englishWordsIn } from "../support/english-words";
import { expect, test } from "./support/console";
import { hydrated, open, signInInJapanese, stepUpInJapanese, tokyoPage } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");

const MEMBERS = 3;
const CHARGE_YEN = 18_000;
// The attackers' phone, seen signing in to every member's account during the incident's first day.
const ATTACK_TIME = new Date("2019-07-02T10:00:00+09:00");

let baseURL = "";
let staffModule: StaffModule;
let prisma: typeof import("~/db.server").prisma;
let incident: { id: string; code: string; title: string; summary: string | null };
let members: { id: string; displayId: string; emailVerified: boolean }[] = [];
let purchaseId = "";
let storeData: string[] = [];

test.beforeAll(async ({ firebreak }) => {
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ({ prisma } = await import("~/db.server"));
  const ledger = await import("../support/ledger-fixtures");
  const { createTestCustomer } = await import("../support/customers");
  const notify = await import("../support/notify-fixtures");
  incident = await notify.createIncident("OPEN");
  const fingerprint = `attacker-${Date.now().toString(36)}`;
  const store = await ledger.createStore(prisma);
  const storeRow = await prisma.store.findUniqueOrThrow({ where: { id: store.id } });
  storeData = [storeRow.name, storeRow.area ?? ""].filter(Boolean);
  members = [];
  for (let i = 0; i < MEMBERS; i++) {
    const made = await createTestCustomer(prisma, { name: ["山田 花子", "鈴木 一郎", "高橋 美咲"][i] });
    // The last member's address was never confirmed: a notice to them is skipped with a reason.
    const emailVerified = i < MEMBERS - 1;
    if (!emailVerified) await prisma.customer.update({ where: { id: made.customer.id }, data: { emailVerified } });
    await prisma.incidentCase.create({ data: { incidentId: incident.id, customerId: made.customer.id } });
    const device = await prisma.device.create({
      data: {
        customerId: made.customer.id,
        fingerprint,
        platform: "ios",
        model: "iPhone 15",
        firstSeenAt: ATTACK_TIME,
        trusted: false,
      },
    });
    await prisma.loginEvent.create({
      data: {
        customerId: made.customer.id,
        deviceId: device.id,
        ip: "203.0.113.77",
        country: "CN",
        success: true,
        newDevice: true,
        occurredAt: ATTACK_TIME,
      },
    });
    if (i === 0) {
      // The attackers' top-up and purchase on the first member, who is frozen already (a reversal needs that).
      await ledger.topUp(prisma, made, CHARGE_YEN);
      purchaseId = await ledger.buy(prisma, made, store, CHARGE_YEN);
      await ledger.freezeAccount(prisma, made.customer.id);
    }
    members.push({ id: made.customer.id, displayId: made.customer.displayId, emailVerified });
  }
});

/**
 * The records' own values on these pages, shown as stored: data, not the console's words. The account's timeline is
 * plain text and shows the reversal's stored code in brackets after its name (ADR 113); elsewhere codes are in <code>.
 */
async function recordData(page: Page): Promise<string[]> {
  const userAgent = await page.evaluate(() => navigator.userAgent);
  const records = [userAgent, incident.title, incident.summary ?? "", "iPhone 15", "CN", ...storeData];
  return [...records, "(FRAUDULENT)"].sort((a, b) => b.length - a.length);
}

async function expectNoEnglish(page: Page): Promise<void> {
  await hydrated(page);
  const words = englishWordsIn(await page.content(), await recordData(page));
  expect(words, `English on ${new URL(page.url()).pathname}`).toEqual([]);
}

test("Japanese staff reverse, build a cohort, notify it and are refused a step-up, and read every code in Japanese", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const agent = await staffModule.createStaff({ role: "AGENT", displayName: "山田 花子", language: "ja" });
  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "森 海斗", language: "ja" });
  const [victim, , unverified] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];

  // The agent reverses the attackers' purchase as fraud.
  const agentPage = await tokyoPage(browser);
  await signInInJapanese(agentPage, baseURL, agent);
  await open(agentPage, baseURL, `/accounts/${victim.id}/reverse?charge=${purchaseId}`);
  await agentPage.getByLabel("理由").selectOption("FRAUDULENT");
  await agentPage.getByRole("button", { name: "¥18,000 の取消を確定" }).click();
  await expect(agentPage.getByTestId("toast")).toContainText("¥18,000を取り消しました。");

  // The account's timeline names the reason, its code beside it.
  await open(agentPage, baseURL, `/accounts/${victim.id}`);
  await expect(agentPage.getByTestId("timeline")).toContainText("不正利用（アカウント乗っ取り） (FRAUDULENT)");
  await expectNoEnglish(agentPage);
  await agentPage.context().close();

  // The lead builds a cohort from the shared attacker device and saves it to the incident.
  const page = await tokyoPage(browser, { width: 1366, height: 900 });
  await signInInJapanese(page, baseURL, lead);
  await open(page, baseURL, "/cohorts/new");
  await page.getByTestId("signal-sharedDevice").check();
  await page.getByRole("button", { name: "プレビュー" }).click();
  await expect(page.getByTestId("cohort-match")).toHaveCount(MEMBERS);
  const save = page.getByTestId("save-cohort");
  await save.getByLabel("保存名").fill("攻撃者の端末を共有するアカウント");
  await save.getByLabel("インシデント").selectOption({ label: incident.code });
  await save.getByRole("button", { name: "対象者抽出として保存" }).click();
  await expect(page).toHaveURL(/\/cohorts\/[0-9a-f-]{36}$/);
  await hydrated(page);
  const cohortMembers = page.getByTestId("cohort-member");
  await expect(cohortMembers).toHaveCount(MEMBERS);
  // The new-device evidence names the platform in Japanese; the model is the wallet's record.
  await expect(cohortMembers.first()).toContainText("iOS iPhone 15 から初めてサインイン");
  await expectNoEnglish(page);
  const displayIds = (await cohortMembers.allTextContents()).map(
    (row) => members.find((m) => row.includes(m.displayId))!.displayId,
  );

  // A notice to the cohort's members, previewed with the one whose address was never confirmed.
  await open(page, baseURL, `/notifications?incident=${incident.id}`);
  await page.getByTestId("template-select").selectOption("incident-update");
  await page.getByLabel(/指定したお客様のみ/).check();
  await page.getByLabel("指定したお客様", { exact: true }).fill(displayIds.join("\n"));
  await page.locator('input[name="preview"]').fill(unverified.displayId);
  await page.getByTestId("preview-button").click();
  await expect(page.getByTestId("preview-recipient-problem")).toContainText(
    "確認済みのメールアドレスが登録されていません",
  );
  await expect(page.getByTestId("send-plan")).toContainText("確認済みのメールアドレスが登録されていません");
  await expectNoEnglish(page);

  // Sent without a fresh code: refused, and sent back to confirm it is the lead.
  await page.getByRole("button", { name: `指定したお客様（${MEMBERS}名）に送信` }).click();
  await stepUpInJapanese(page, lead, /\/notifications\?/);
  await page.getByRole("button", { name: `指定したお客様（${MEMBERS}名）に送信` }).click();
  await expect(page).toHaveURL(new RegExp(`/notifications/incidents/${incident.id}`));
  await hydrated(page);
  await expect(page.getByTestId("toast")).toBeVisible();
  await expect(page.locator("body")).toContainText("確認済みのメールアドレスが登録されていません");
  await expectNoEnglish(page);

  // The audit trail: the reversal's reason, the skipped notice's reason and the refused step-up, each named.
  await open(page, baseURL, `/audit?action=ledger.reverse&targetId=${purchaseId}`);
  const reversal = page.getByTestId("audit-row").first();
  await expect(reversal.getByTestId("audit-reason").getByTestId("system-reason")).toHaveAttribute(
    "data-stored",
    "FRAUDULENT",
  );
  await expect(reversal.getByTestId("audit-reason")).toContainText("不正利用（アカウント乗っ取り）");
  await expectNoEnglish(page);

  await open(page, baseURL, `/audit?action=notify.enqueue&targetId=${unverified.id}`);
  await expectNamedInDetails(page, "NO_VERIFIED_EMAIL", "確認済みのメールアドレスが登録されていません");
  await expectNoEnglish(page);

  await open(page, baseURL, `/audit?action=access.denied&actor=${lead.id}`);
  await expectNamedInDetails(page, "missing", "このセッションでは再認証していません");
  await expect(page.getByTestId("audit-row").first()).toContainText(`POST /notifications`);
  await expectNoEnglish(page);
  await page.context().close();
});

/** Opens the newest row's details and finds `code` named there in Japanese, the code beside it. */
async function expectNamedInDetails(page: Page, code: string, name: string): Promise<void> {
  const row = page.getByTestId("audit-row").first();
  await row.locator("summary").click();
  const named = row.locator(`[data-testid="system-reason"][data-stored="${code}"]`);
  await expect(named).toBeVisible();
  await expect(named).toContainText(name);
  await expect(named.locator("code")).toHaveText(code);
}
