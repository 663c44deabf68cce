// The incident command center in the browser: a security lead watches the dashboard while a bulk reversal runs in
// another session (the job runner, here in the test process, as the worker would) — the money figures, the chart's
// data and the job's progress bar move without a reload; then compliance drafts the preliminary breach report and
// downloads its PDF, whose figures match the ledger.
//
// Like reversal.spec.ts, this file starts its own console (production build, scripts/start.ts) on a fresh PostgreSQL
// database that this process shares for its fixtures. Needs `npm run build` and the local PostgreSQL.
import { expect, test } from "./support/console";
import { signIn } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");
type LedgerFixtures = typeof import("../support/ledger-fixtures");

let baseURL = "";
let staffModule: StaffModule;
let ledger: LedgerFixtures;
let prisma: typeof import("~/db.server").prisma;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(180_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ledger = await import("../support/ledger-fixtures");
  const db = await import("~/db.server");
  prisma = db.prisma;
});

const ONE_HOUR = 60 * 60 * 1000;

test("the dashboard moves live during a bulk reversal; compliance downloads the breach report", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const { startBulkReversal, previewBulkReversal, bulkReversalJob } = await import("~/jobs/bulk-reversal.server");
  const { runJob } = await import("~/jobs/job-loop.server");
  const { extractPdfText } = await import("../support/pdf-text");

  const incident = await ledger.createIncident(prisma, new Date(Date.now() - 3 * ONE_HOUR));
  const store = await ledger.createStore(prisma);
  const victims = [
    await ledger.createVictim(prisma, incident, store, { topUps: [30_000], purchases: [] }),
    await ledger.createVictim(prisma, incident, store, { topUps: [20_000, 5_000], purchases: [] }),
  ];
  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Mika Hayashi" });
  const compliance = await staffModule.createStaff({ role: "COMPLIANCE", displayName: "Yuko Mori" });

  // The lead's dashboard, rendered by the server, then live.
  await signIn(page, baseURL, lead);
  await page.goto(`${baseURL}/incidents/${incident.id}`);
  await expect(page.getByTestId("stolen-yen")).toHaveText("¥55,000");
  await expect(page.getByTestId("reversed-yen")).toHaveText("¥0");
  // The chart came drawn with the page (server-rendered SVG) and hydrated without a console error.
  const chartLines = page.getByTestId("money-chart").locator(".money-chart-line");
  await expect(chartLines).toHaveCount(3);
  const reversedLine = page.getByTestId("money-chart").locator('[data-series="reversedYen"]');
  const reversedPathBefore = await reversedLine.getAttribute("d");
  await expect(page.getByText("Live: updates arrive without reloading")).toBeVisible();
  // A marker that a reload would wipe.
  await page.evaluate(() => Object.assign(window, { firebreakNoReload: true }));

  // Another session starts the bulk reversal of the incident's charges: the job appears with an empty bar.
  const params = {
    scope: { kind: "incident" as const, incidentId: incident.id },
    since: incident.openedAt.toISOString(),
    until: new Date().toISOString(),
    reasonCode: "FRAUDULENT",
    note: null,
  };
  const plan = await previewBulkReversal(params);
  const runner = await ledger.createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
  const started = await startBulkReversal(runner, { params, digest: plan.digest, idempotencyKey: ledger.newKey() });
  const job = page.getByTestId("job-progress");
  await expect(job.getByTestId("job-progress-text")).toContainText("0 / 3");
  await expect(job.locator("progress")).toHaveAttribute("value", "0");

  // The job runs: the figures, the chart's table and the bar follow.
  await runJob(started.jobId, { handlers: [bulkReversalJob], batchSize: 1 });
  await expect(page.getByTestId("reversed-yen")).toHaveText("¥55,000");
  await expect(page.getByTestId("outstanding-yen")).toHaveText("¥0");
  await expect(job.getByTestId("job-progress-text")).toContainText("3 / 3");
  await expect(job.locator("progress")).toHaveAttribute("value", "3");
  await expect(page.getByTestId("money-table").locator("tr").last()).toContainText("¥55,000");
  await expect(reversedLine).not.toHaveAttribute("d", reversedPathBefore ?? "");
  expect(await page.evaluate(() => (window as unknown as { firebreakNoReload?: boolean }).firebreakNoReload)).toBe(
    true,
  );

  // Compliance drafts the preliminary report and downloads its PDF.
  const context = await browser.newContext({ acceptDownloads: true });
  const errors: string[] = [];
  context.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const compliancePage = await context.newPage();
  await signIn(compliancePage, baseURL, compliance);
  await compliancePage.goto(`${baseURL}/incidents/${incident.id}/report`);
  await compliancePage.getByLabel("Learned of it at (JST)").fill("2019-07-03T10:00");
  await compliancePage.getByRole("button", { name: "Draft report" }).click();
  await expect(compliancePage).toHaveURL(/\/reports\/breach\/[0-9a-f-]{36}$/);
  await expect(compliancePage.getByTestId("report-deadline")).toContainText("2019-07-08");
  await expect(compliancePage.getByTestId("figure-stolenYen")).toHaveText("¥55,000");
  const downloading = compliancePage.waitForEvent("download");
  await compliancePage.getByRole("link", { name: "Download PDF" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/-preliminary-v1-ja\.pdf$/);
  const { readFile } = await import("node:fs/promises");
  const pdf = await readFile(await download.path());
  const text = extractPdfText(pdf).normalize("NFKC");

  // The PDF's figures are the ledger's.
  const victimIds = victims.map((v) => v.customer.id);
  const stolen = await prisma.ledgerTransaction.aggregate({
    where: { customerId: { in: victimIds }, kind: "TOP_UP", occurredAt: { gte: incident.openedAt } },
    _sum: { amount: true },
  });
  const returned = await prisma.ledgerTransaction.aggregate({
    where: { customerId: { in: victimIds }, kind: "REVERSAL", reverses: { kind: "TOP_UP" } },
    _sum: { amount: true },
  });
  const yen = (n: number | null) => `¥${new Intl.NumberFormat("en-US").format(n ?? 0)}`;
  expect(text).toContain(`不正チャージ額\n${yen(stolen._sum.amount)}`);
  expect(text).toContain(`返金(取消)済み額\n${yen(returned._sum.amount)}`);
  expect(text).toContain("影響を受けた本人の数\n2");
  expect(await prisma.auditEvent.count({ where: { action: "breach-report.export", actorId: compliance.id } })).toBe(1);
  expect(errors).toEqual([]);
  await context.close();
});
