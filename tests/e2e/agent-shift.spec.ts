// A support agent's shift on victims' calls, and the lead's bulk reversal after it, in Japanese in a browser set to
// Tokyo's time zone (docs/decisions/097-a-support-agents-shift.md). The agent opens the caller's account, goes to
// refund the purchase the caller did not make, is told the refund waits until the account is secured, freezes it
// right there and is brought back to the same charge to refund it. The lead's dry run for the incident says, before
// anything is queued, how many purchases the job will skip as unsecured and for how much, lists those accounts, and
// the back button returns to the whole dry run; the confirmation counts what will actually be reversed.
//
// Like the other console specs, this file starts its own console (production build, scripts/start.ts) on a fresh
// PostgreSQL database that this process shares for its fixtures. Needs `npm run build` and the local PostgreSQL.
import { expect, test } from "./support/console";
import { runIncidentDryRunInJapanese } from "./support/bulk-reversal";
import { open, signInInJapanese, tokyoPage } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");

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

test("the agent freezes the caller's account from the refund itself and refunds the same purchase", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { customer, purchaseId } = await ledger.customerWithPurchase(prisma, 24_000, 30_000);
  const agent = await staffModule.createStaff({ role: "AGENT", displayName: "山田 花子", language: "ja" });
  const page = await tokyoPage(browser);
  await signInInJapanese(page, baseURL, agent);
  await open(page, baseURL, `/accounts/${customer.customer.id}`);
  await page.getByTestId("link-reverse").click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${customer.customer.id}/reverse$`));
  await page.getByTestId(`charge-${purchaseId}`).getByRole("link", { name: "取消…" }).click();
  await expect(page).toHaveURL(new RegExp(`charge=${purchaseId}`));

  // Told before typing anything why the refund waits, with the freeze right there.
  const notice = page.getByTestId("not-secured");
  await expect(notice).toContainText("先にアカウントを凍結するか、パスワードの強制リセットを行ってから");
  await expect(page.getByRole("button", { name: "¥24,000 の取消を確定" })).toBeDisabled();
  await expect(notice.getByLabel("凍結の理由（監査ログに記録されます）")).toHaveValue(/不正な購入を返金する前/);
  await notice.getByRole("button", { name: "アカウントを凍結して、この返金に戻る" }).click();

  // Back on the same charge, the account frozen: the refund goes through.
  await expect(page.getByTestId("toast")).toContainText("アカウントを凍結しました。続けてこの購入を返金できます。");
  await expect(page).toHaveURL(new RegExp(`/reverse\\?charge=${purchaseId}$`));
  await expect(page.getByTestId("not-secured")).toHaveCount(0);
  await page.getByRole("button", { name: "¥24,000 の取消を確定" }).click();
  await expect(page.getByTestId("toast")).toContainText("¥24,000を取り消しました。");
  expect(await ledger.reversedTotal(prisma, purchaseId)).toBe(24_000);
  const frozen = await prisma.auditEvent.findFirstOrThrow({
    where: { action: "account.freeze", targetId: customer.customer.id },
  });
  expect(frozen).toMatchObject({ outcome: "SUCCESS", actorId: agent.id });
});

test("the lead's dry run says which purchases will be skipped as unsecured before anything is queued", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const incident = await ledger.createIncident(prisma, new Date("2019-07-01T00:00:00Z"));
  const store = await ledger.createStore(prisma);
  const secured = await ledger.createVictim(prisma, incident, store, {
    topUps: [10_000],
    purchases: [8_000],
    secured: true,
  });
  const open_ = await ledger.createVictim(prisma, incident, store, { topUps: [10_000], purchases: [4_000, 3_000] });
  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "高橋 誠", language: "ja" });
  const page = await tokyoPage(browser);
  await signInInJapanese(page, baseURL, lead);
  const warning = await runIncidentDryRunInJapanese(page, baseURL, incident.id);
  await expect(warning).toContainText("このうち 1件のアカウントの購入 2件（¥7,000）は");
  await expect(page.getByTestId("dry-run-charges")).toHaveText("3");
  await expect(page.getByRole("button", { name: "確認して 3件・¥28,000 を取り消す" })).toBeVisible();
  const dryRunUrl = page.url();

  await warning.getByRole("link", { name: "保護されていないアカウントだけを表示" }).click();
  await expect(page).toHaveURL(/unsecured=1/);
  await expect(page.getByTestId("bulk-unsecured-account")).toHaveCount(1);
  await expect(page.getByText(open_.customer.displayId)).toBeVisible();
  await expect(page.getByText(secured.customer.displayId)).toHaveCount(0);

  // The back button returns to the whole dry run, as the lead left it.
  await page.goBack();
  await expect(page).toHaveURL(dryRunUrl);
  await expect(page.getByText(secured.customer.displayId)).toBeVisible();
  expect(await prisma.bulkJob.count({ where: { incidentId: incident.id } })).toBe(0);
});
