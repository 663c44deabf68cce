// An agent on the 7pay day, in Japanese, using the browser the way a stressed person does: the same account open in
// two tabs (the second tab acts on a charge the first has just reversed), a session that ends while a form is half
// filled, and the reset sent with the keyboard and a double press. Each time the page must say what happened in
// Japanese, show the state it refers to, and act once (docs/decisions/087-a-stressed-person-at-the-browser.md).
//
// Like incident-day.spec.ts, this file starts its own console (production build, scripts/start.ts) on a fresh
// PostgreSQL database that this process shares for its fixtures. Needs `npm run build` and the local PostgreSQL.
import type { Page } from "@playwright/test";
import { expect, test } from "./support/console";
import { hydrated, open } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");
type TestStaff = Awaited<ReturnType<StaffModule["createStaff"]>>;

let baseURL = "";
let staffModule: StaffModule;
let ledger: typeof import("../support/ledger-fixtures");
let prisma: typeof import("~/db.server").prisma;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ledger = await import("../support/ledger-fixtures");
  ({ prisma } = await import("~/db.server"));
});

/** Signs in from the sign-in page the browser is on, in Japanese (the browser's language here). */
async function signInInJapanese(page: Page, staff: TestStaff) {
  await hydrated(page);
  await page.getByLabel("業務用メールアドレス").fill(staff.email);
  await page.getByLabel("パスワード").fill(staff.password);
  await page.getByRole("button", { name: "次へ" }).click();
  await expect(page).toHaveURL(/\/sign-in\/totp/, { timeout: 30_000 });
  await hydrated(page);
  await page.getByLabel("確認コード").fill(staffModule.nextTotpCode(staff));
  await page.getByRole("button", { name: "確認してサインイン" }).click();
}

test("two tabs, an ended session and an impatient reset: one effect each, every answer in Japanese", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { customer, purchaseId } = await ledger.securedCustomerWithPurchase(prisma, 24_000, 30_000);
  const agent = await staffModule.createStaff({ role: "AGENT", displayName: "佐藤 愛子", language: "ja" });
  const context = await browser.newContext({ locale: "ja-JP", viewport: { width: 1024, height: 768 } });
  const tabA = await context.newPage();
  await open(tabA, baseURL, "/sign-in");
  await signInInJapanese(tabA, agent);
  await expect(tabA.getByRole("navigation", { name: "メインメニュー" })).toBeVisible();
  const reversePage = `/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`;
  const tabB = await context.newPage();
  await open(tabB, baseURL, reversePage);
  await open(tabA, baseURL, reversePage);

  // Tab A reverses ¥20,000; tab B, still showing ¥24,000 left, asks for the same ¥20,000.
  for (const tab of [tabA, tabB]) {
    const form = tab.getByTestId("reverse-form");
    await form.getByLabel("取消金額（円）").fill("20000");
    await form.getByRole("button", { name: "¥20,000 の取消を確定" }).click();
    if (tab === tabA) await expect(tab.getByTestId("toast")).toHaveText(/¥20,000を取り消しました。/);
  }
  const amount = tabB.getByTestId("reverse-form").getByLabel("取消金額（円）");
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  await expect(amount).toBeFocused();
  // The message is tied to the field (aria-describedby), so a screen reader reads it with the field.
  await expect(amount).toHaveAccessibleDescription(/取り消せる残りは¥4,000です（¥20,000は取消済み）/);
  // The table is read again beside the refusal: it agrees with the message.
  await expect(tabB.getByTestId(`charge-${purchaseId}`)).toContainText("¥4,000");
  expect(await ledger.reversedTotal(prisma, purchaseId)).toBe(20_000);

  // The session ends while the agent fills the reset form; sending it leads to sign-in and back to this page.
  const recoveryPage = `/accounts/${customer.customer.id}/recovery`;
  await open(tabB, baseURL, recoveryPage);
  const reason = tabB.locator("#force-reset").getByLabel("理由（監査ログに記録されます）");
  await reason.fill("乗っ取りの申告を電話で受けた");
  await prisma.staffSession.deleteMany({ where: { staffId: agent.id } });
  await tabB.getByRole("button", { name: "パスワードを強制リセット" }).click();
  await expect(tabB).toHaveURL(/\/sign-in\?/);
  await expect(tabB.getByRole("status")).toContainText("送信しようとした内容は保存されていません");
  await signInInJapanese(tabB, agent);
  await expect(tabB).toHaveURL(new RegExp(`${recoveryPage}$`));
  await hydrated(tabB);
  expect(await prisma.passwordResetToken.count({ where: { customerId: customer.customer.id } })).toBe(0);

  // Typed again and sent from the keyboard, pressed twice: one reset, one link, focus on the page's heading.
  await reason.fill("乗っ取りの申告を電話で受けた");
  await reason.press("Tab");
  await expect(tabB.getByRole("button", { name: "パスワードを強制リセット" })).toBeFocused();
  await tabB.keyboard.press("Enter");
  await tabB.keyboard.press("Enter");
  await expect(tabB.getByTestId("toast")).toContainText("パスワードを強制リセットしました");
  await expect(tabB.getByRole("heading", { level: 1 })).toBeFocused();
  expect(await prisma.passwordResetToken.count({ where: { customerId: customer.customer.id } })).toBe(1);
  expect(
    await prisma.outboundMessage.count({ where: { customerId: customer.customer.id, template: "password-reset" } }),
  ).toBe(1);

  // A part of a large purchase needs a fresh code: back from the step-up, the form holds the sum typed, not the whole.
  // (A second agent: the first has used the authenticator's codes of this half-minute.)
  const large = await ledger.securedCustomerWithPurchase(prisma, 80_000, 100_000);
  const colleague = await staffModule.createStaff({ role: "AGENT", displayName: "鈴木 花子", language: "ja" });
  const tabC = await (await browser.newContext({ locale: "ja-JP", viewport: { width: 1024, height: 768 } })).newPage();
  await open(tabC, baseURL, `/accounts/${large.customer.customer.id}/reverse?charge=${large.purchaseId}`);
  await signInInJapanese(tabC, colleague);
  await expect(tabC).toHaveURL(/\/reverse\?charge=/);
  await hydrated(tabC);
  const largeAmount = tabC.getByTestId("reverse-form").getByLabel("取消金額（円）");
  await largeAmount.fill("35000");
  await tabC.getByTestId("step-up-notice").getByRole("link").click();
  await expect(tabC).toHaveURL(/\/step-up/);
  await hydrated(tabC);
  await tabC.getByLabel("確認コード").fill(staffModule.nextTotpCode(colleague));
  await tabC.getByRole("button", { name: "確認する" }).click();
  await expect(tabC).toHaveURL(/amount=35000$/);
  await expect(largeAmount).toHaveValue("35000");
  await expect(tabC.getByRole("button", { name: "¥35,000 の取消を確定" })).toBeEnabled();
});
