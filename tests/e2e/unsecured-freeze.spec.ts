// The worst day's bulk reversal, in Japanese in a browser set to Tokyo's time zone (ADR 105): the lead's dry run says
// that the job would skip the purchases of two accounts nobody has secured, the lead freezes both in one job from
// there (a reason, a fresh code), follows it to its end, and the dry run run again covers their purchases too.
//
// Like the other console specs, this file starts its own console (production build, scripts/start.ts) on a fresh
// PostgreSQL database that this process shares for its fixtures. Needs `npm run build` and the local PostgreSQL.
import { expect, test } from "./support/console";
import { runIncidentDryRunInJapanese } from "./support/bulk-reversal";
import { signInInJapanese, stepUpInJapanese, tokyoPage } from "./support/sign-in";

let baseURL = "";
let staffModule: typeof import("../support/staff");
let ledger: typeof import("../support/ledger-fixtures");
let prisma: typeof import("~/db.server").prisma;

test.beforeAll(async ({ firebreak }) => {
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ledger = await import("../support/ledger-fixtures");
  ({ prisma } = await import("~/db.server"));
});

test("the lead freezes every unsecured account of the dry run in one job, and the next dry run covers them", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const incident = await ledger.createIncident(prisma, new Date("2019-07-01T00:00:00Z"));
  const store = await ledger.createStore(prisma);
  await ledger.createVictim(prisma, incident, store, { topUps: [10_000], purchases: [8_000], secured: true });
  const open1 = await ledger.createVictim(prisma, incident, store, { topUps: [10_000], purchases: [4_000, 3_000] });
  const open2 = await ledger.createVictim(prisma, incident, store, { topUps: [10_000], purchases: [4_000, 3_000] });
  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "高橋 誠", language: "ja" });
  const page = await tokyoPage(browser);
  await signInInJapanese(page, baseURL, lead);

  const warning = await runIncidentDryRunInJapanese(page, baseURL, incident.id);

  // Two accounts' purchases would be skipped: the job would reverse 4 of the 8 charges.
  await expect(warning).toContainText("このうち 2件のアカウントの購入 4件（¥14,000）は");
  await expect(page.getByTestId("dry-run-charges")).toHaveText("4");
  await warning.getByRole("link", { name: "未保護の2件のアカウントを1つのジョブでまとめて凍結する" }).click();

  // The freeze's own dry run: how many and which, before anything is done.
  await expect(page).toHaveURL(/\/reversals\/bulk\/freeze\?/);
  await expect(page.getByRole("heading", { name: "一括取消で対象外になるアカウントを凍結" })).toBeVisible();
  await expect(page.getByTestId("bulk-freeze-count")).toContainText(
    "2件のアカウントは凍結もパスワードの強制リセットも",
  );
  await expect(page.getByTestId("bulk-freeze-account")).toHaveCount(2);
  await expect(page.getByText(open1.customer.displayId)).toBeVisible();
  await expect(page.getByText(open2.customer.displayId)).toBeVisible();
  await expect(page.getByText("新しいコードの入力を求められます", { exact: false })).toBeVisible();
  const reason = "7pay 不正利用: 返金前に未保護アカウントを一括凍結";
  await page.getByLabel("理由（各アカウントの監査記録に残ります）").fill(reason);
  await page.getByRole("button", { name: "確定して2件のアカウントを凍結" }).click();

  // A fresh code first; back on the same dry run, the lead confirms again.
  await stepUpInJapanese(page, lead, /\/reversals\/bulk\/freeze\?/);
  expect(await prisma.bulkJob.count({ where: { incidentId: incident.id } })).toBe(0);
  await page.getByLabel("理由（各アカウントの監査記録に残ります）").fill(reason);
  await page.getByRole("button", { name: "確定して2件のアカウントを凍結" }).click();

  // The job's page: its progress until it has frozen both.
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("toast")).toContainText("2件のアカウントを凍結しています。");
  await expect(page.getByRole("heading", { name: /未保護アカウントの一括凍結/ })).toBeVisible();
  // Queued until a worker takes it: this spec's console runs none, so the test runs the job as a worker would, one
  // account per batch, while the page follows its progress.
  await expect(page.getByTestId("job-status")).toHaveText("待機中");
  const jobId = new URL(page.url()).pathname.split("/").at(-1)!;
  const { bulkFreezeJob } = await import("~/jobs/bulk-freeze.server");
  const { runJob } = await import("~/jobs/job-loop.server");
  expect((await runJob(jobId, { handlers: [bulkFreezeJob], batchSize: 1 }))?.status).toBe("SUCCEEDED");
  await expect(page.getByTestId("job-status")).toHaveText("成功");
  await expect(page.getByTestId("job-progress")).toContainText("2");
  const frozen = await prisma.customer.findMany({
    where: { id: { in: [open1.customer.id, open2.customer.id] } },
    select: { status: true },
  });
  expect(frozen.map((c) => c.status)).toEqual(["FROZEN", "FROZEN"]);
  const rows = await prisma.auditEvent.findMany({
    where: { action: "account.freeze", targetId: { in: [open1.customer.id, open2.customer.id] } },
  });
  expect(rows.map((row) => [row.outcome, row.actorId, row.reason])).toEqual([
    ["SUCCESS", lead.id, reason],
    ["SUCCESS", lead.id, reason],
  ]);

  // The dry run again: nothing skipped now, all 8 charges (¥52,000) to reverse.
  await page.getByTestId("job-dry-run-again").click();
  await expect(page).toHaveURL(/\/reversals\/bulk\?run=1/);
  await expect(page.getByTestId("dry-run-charges")).toHaveText("8");
  await expect(page.getByTestId("bulk-unsecured")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "確認して 8件・¥52,000 を取り消す" })).toBeVisible();
});
