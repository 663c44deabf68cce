// The core of the 7pay day, in Japanese, as the staff on duty would walk it in the browser: a security lead reads the
// detectors' alert and stops every top-up from the switch board, an agent on a victim's call finds the account from
// what the caller says, reverses the fraudulent purchase in part (a double click reverses it once) and then in full,
// and compliance finds both in the audit trail, filtering it from lists in Japanese. Every screen is read in Japanese:
// English left on one of them is what the test looks for first.
//
// Like reversal.spec.ts, this file starts its own console (production build, scripts/start.ts) on a fresh PostgreSQL
// database that this process shares for its fixtures. Needs `npm run build` and the local PostgreSQL.
import type { Page } from "@playwright/test";
import { expect, test } from "./support/console";
import { hydrated, open, signIn, stepUpInJapanese } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");

let baseURL = "";
let staffModule: StaffModule;
let ledger: typeof import("../support/ledger-fixtures");
let prisma: typeof import("~/db.server").prisma;
let createTestCustomer: typeof import("../support/customers").createTestCustomer;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ledger = await import("../support/ledger-fixtures");
  ({ createTestCustomer } = await import("../support/customers"));
  ({ prisma } = await import("~/db.server"));
});

/** English sentences a Japanese screen must not show (the words of the copy most likely to be left untranslated). */
async function expectNoEnglishSentences(page: Page) {
  const text = await page.getByRole("main").innerText();
  expect(text).not.toMatch(/\b(?:the|until|from now on|optional|Dismiss|reversed|Leave empty)\b/);
}

test("the day in Japanese: top-ups stopped, a victim's purchase reversed once, the trail read", async ({ browser }) => {
  test.setTimeout(240_000);
  // The victim: topped up from their card by the attacker, spent at a convenience store.
  const victim = await createTestCustomer(prisma, { name: "遠藤 麻衣" });
  const phoneLast4 = victim.customer.phone!.slice(-4);
  const store = await ledger.createStore(prisma);
  await ledger.topUp(prisma, victim, 30_000);
  const purchaseId = await ledger.buy(prisma, victim, store, 24_000);

  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "林 美香", language: "ja" });
  const agent = await staffModule.createStaff({ role: "AGENT", displayName: "佐藤 愛子", language: "ja" });
  const compliance = await staffModule.createStaff({ role: "COMPLIANCE", displayName: "小野 健太", language: "ja" });

  // The detectors have seen the wave: e-cigarette cartridges bought at one store, a sum in yen read with its commas.
  const at = new Date();
  await prisma.detectAlert.create({
    data: {
      detector: "resellable-per-store",
      version: 1,
      minute: new Date(at.getTime() - 60_000),
      raisedAt: at,
      severity: "HIGH",
      peakSeverity: "HIGH",
      value: 278_400,
      baseline: { centre: 1_200 },
      evidence: { accounts: [], devices: [], ips: [], stores: [] },
      lastAboveAt: at,
    },
  });

  // The lead reads the alert, then stops every top-up. The form, its button and the answer all speak Japanese.
  const leadPage = await (await browser.newContext()).newPage();
  await signIn(leadPage, baseURL, lead, "ja");
  await open(leadPage, baseURL, "/alerts");
  const alertRow = leadPage.getByRole("row", { name: /換金性の高い商品/ });
  await expect(alertRow).toContainText("278,400");
  await expect(alertRow).toContainText("1,200");
  await open(leadPage, baseURL, "/kill-switches");
  const all = leadPage.getByTestId("switch-topup.all");
  await all.getByRole("link", { name: "再認証する" }).click();
  await stepUpInJapanese(leadPage, lead, /\/kill-switches/);
  await expect(all.getByText("自動で解除する日時（JST）")).toBeVisible();
  await expectNoEnglishSentences(leadPage);
  await all.getByLabel("停止する理由").fill("乗っ取られたアカウントからのカードチャージ（7pay）");
  await all.getByRole("button", { name: "今すぐすべてのチャージを停止する" }).click();
  await expect(leadPage.getByTestId("toast")).toContainText("「すべてのチャージ」を停止しました");
  await expect(leadPage.getByTestId("toast").getByRole("button", { name: "閉じる" })).toBeVisible();
  await expect(leadPage.getByTestId("state-topup.all")).toHaveText(/停止中/);
  await expect(leadPage.getByTestId("board-summary")).toContainText("1件停止中：すべてのチャージ");
  await expect(leadPage.getByTestId("switch-history")).toContainText("すべてのチャージ v2");
  await expect(leadPage.getByTestId("admission-CREDIT_CARD")).toContainText("チャージを一時停止している");
  await expectNoEnglishSentences(leadPage);

  // The notices page names the incident with its state in Japanese.
  const incident = await prisma.incident.create({
    data: { code: `INC-DAY-${purchaseId.slice(0, 8)}`, title: "7pay 不正アクセス", summary: "", openedAt: at },
  });
  await open(leadPage, baseURL, `/notifications?incident=${incident.id}`);
  await expect(leadPage.locator("select[name=incident]")).toContainText(
    `${incident.code} — 7pay 不正アクセス (対応中)`,
  );

  // The agent on the call: the caller gives their name and the last four digits of their phone.
  const agentPage = await (await browser.newContext()).newPage();
  await signIn(agentPage, baseURL, agent, "ja");
  await open(agentPage, baseURL, "/accounts");
  await agentPage.getByRole("searchbox").fill(`遠藤 麻衣 ${phoneLast4}`);
  await agentPage.getByRole("searchbox").press("Enter");
  await agentPage.getByRole("link", { name: victim.customer.displayId }).click();
  await expect(agentPage).toHaveURL(new RegExp(`/accounts/${victim.customer.id}$`));
  await hydrated(agentPage);
  // The attacker may still hold the account: the agent freezes it before refunding the purchase to its wallet.
  const statusForm = agentPage.getByTestId("status-form");
  await statusForm.getByLabel("操作").selectOption("freeze");
  await statusForm.getByLabel("理由（監査ログに記録されます）").fill("7月2日のチャージはお客様ご本人ではない");
  await statusForm.getByRole("button", { name: "実行" }).click();
  await expect(agentPage.getByTestId("toast")).toContainText("アカウントを凍結しました。");
  await hydrated(agentPage);
  await agentPage.getByRole("link", { name: "決済を取消" }).click();
  await expect(agentPage.getByTestId("wallet-balance")).toHaveText("¥6,000");

  // A partial reversal, confirmed with an impatient double click: one reversal, one toast in Japanese.
  await agentPage.getByTestId(`charge-${purchaseId}`).getByRole("link", { name: "取消…" }).click();
  await hydrated(agentPage);
  const form = agentPage.getByTestId("reverse-form");
  await form.getByLabel("取消金額（円）").fill("10000");
  await form.getByLabel("理由").selectOption("FRAUDULENT");
  await form.getByRole("button", { name: "¥10,000 の取消を確定" }).dblclick();
  await expect(agentPage).toHaveURL(/\/reversals\/[0-9a-f-]{36}$/);
  await expect(agentPage.getByTestId("toast")).toHaveText(/¥10,000を取り消しました。/);
  await expectNoEnglishSentences(agentPage);
  await expect.poll(() => ledger.reversedTotal(prisma, purchaseId)).toBe(10_000);

  // The rest of it, in full.
  await open(agentPage, baseURL, `/accounts/${victim.customer.id}/reverse?charge=${purchaseId}`);
  await expect(form.getByLabel("取消金額（円）")).toHaveValue("14000");
  await form.getByLabel("理由").selectOption("FRAUDULENT");
  await form.getByRole("button", { name: "¥14,000 の取消を確定" }).click();
  await expect(agentPage.getByTestId("toast")).toHaveText(/¥14,000を取り消しました。/);
  await expect.poll(() => ledger.reversedTotal(prisma, purchaseId)).toBe(24_000);
  expect(await prisma.ledgerTransaction.count({ where: { reversesId: purchaseId } })).toBe(2);

  // Compliance reads who did what, filtering by role and outcome from lists that speak Japanese.
  const compliancePage = await (await browser.newContext()).newPage();
  await signIn(compliancePage, baseURL, compliance, "ja");
  await open(compliancePage, baseURL, "/audit");
  await compliancePage.getByRole("combobox", { name: /^ロール/ }).selectOption({ label: "サポート担当" });
  await compliancePage.getByRole("combobox", { name: /^結果/ }).selectOption({ label: "成功" });
  await compliancePage.getByRole("button", { name: "絞り込む" }).click();
  await expect(compliancePage).toHaveURL(/role=AGENT/);
  const trail = compliancePage.getByRole("main");
  await expect(trail).toContainText("ledger.reverse");
  await expect(trail).toContainText(agent.email);
  await expect(trail).not.toContainText("killswitch.engage");
  await open(compliancePage, baseURL, "/audit?role=SECURITY_LEAD");
  await expect(trail).toContainText("killswitch.engage");
  await expect(trail).toContainText("乗っ取られたアカウントからのカードチャージ（7pay）");
});
