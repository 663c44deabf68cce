// A security lead notifies an incident's victims in the browser: previews the notice with a real account's
// data (a notice whose data is missing is refused at preview), confirms with a fresh authenticator code, sends it to
// every victim, and watches the progress bar reach 100 % while the outbox worker — running in this test's process
// against the console's database — delivers to a real SMTP sink, one email per victim. An agent then notifies one
// selected customer.
//
// Like kill-switch.spec.ts and recovery.spec.ts, this file starts its own console (production build,
// scripts/start.ts, no workers) on a fresh PostgreSQL database that this process shares. Needs `npm run build` and the
// local PostgreSQL.
import { expect, test } from "./support/console";
import { hydrated, signIn, stepUp } from "./support/sign-in";

const VICTIMS = 8;

type StaffModule = typeof import("../support/staff");
type NotifyFixtures = typeof import("../support/notify-fixtures");

let baseURL = "";
let staffModule: StaffModule;
let fixtures: NotifyFixtures;
let sink: import("../support/smtp-sink").SmtpSink;
let worker: import("~/notify/outbox-worker.server").OutboxWorker | undefined;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(180_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  fixtures = await import("../support/notify-fixtures");
  const { SmtpSink } = await import("../support/smtp-sink");
  sink = await SmtpSink.start();
  // A little time per message, so the progress bar is seen moving rather than jumping to the end.
  sink.onMessage = () => new Promise((resolve) => setTimeout(resolve, 150));
});

test.afterAll(async () => {
  await worker?.stop();
  await sink?.stop();
});

test("a lead previews a notice, sends it to every victim with a step-up, and watches it reach 100 %", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const incident = await fixtures.createIncident("CONTAINED");
  const victims = await fixtures.createVictims(incident.id, VICTIMS, { caseStatus: "OPEN" });
  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Kaito Mori" });

  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseURL, lead);
  await page.goto(`${baseURL}/notifications?incident=${incident.id}`);
  await hydrated(page);

  // "Account secured" is not true yet for open cases: refused at preview, nothing to send.
  await page.getByLabel("Notice").selectOption("account-secured");
  await page.getByTestId("preview-button").click();
  await expect(page.getByTestId("preview-error")).toContainText("contained first");
  await expect(page.getByTestId("plan-will-queue")).toHaveText("0");

  // The incident update, previewed with the first victim's real data.
  await page.getByLabel("Notice").selectOption("incident-update");
  await page.getByTestId("preview-button").click();
  await expect(page.getByTestId("preview-subject")).toHaveText(
    "【ご報告】ウォレットへの不正アクセスについて（対策を実施しました）",
  );
  await expect(page.getByTestId("preview-text")).toContainText(`${victims[0]!.name} 様`);
  await expect(page.getByTestId("plan-will-queue")).toHaveText(String(VICTIMS));

  // A bulk send needs a fresh code; the step-up returns to the same compose page.
  await page.getByTestId("step-up-link").click();
  await stepUp(page, lead, /\/notifications\?/);
  await page.getByTestId("send-button").click();
  await expect(page).toHaveURL(new RegExp(`/notifications/incidents/${incident.id}`));
  await expect(page.getByTestId("toast")).toContainText(`${VICTIMS} queued`);
  const progress = page.getByTestId("campaign-progress");
  await expect(progress.getByTestId("campaign-percent")).toContainText("0 % done");
  await expect(page.getByTestId("live-state")).toContainText("Delivering");

  // The worker starts delivering now; the page polls and follows it to the end.
  const { startTestWorker } = fixtures;
  worker = startTestWorker(sink, { concurrency: 2 });
  await expect(progress.getByTestId("campaign-percent")).toContainText("100 % done", { timeout: 120_000 });
  await expect(progress.getByRole("progressbar")).toHaveAttribute("value", "100");
  await expect(progress.getByTestId("count-SENT")).toContainText(String(VICTIMS));
  await expect(page.getByTestId("live-state")).toContainText("Nothing in flight");
  await expect(page.locator('[data-testid="recipient-row"][data-status="SENT"]')).toHaveCount(VICTIMS);

  // One email per victim, in Japanese, to each victim's address.
  expect(sink.received).toHaveLength(VICTIMS);
  expect(sink.maxPerKey()).toBe(1);
  expect(sink.received.map((m) => m.envelopeTo[0]).sort()).toEqual(victims.map((v) => v.email).sort());

  // Sending it again sends nobody anything.
  await page.goto(`${baseURL}/notifications?incident=${incident.id}&template=incident-update`);
  await hydrated(page);
  await expect(page.getByTestId("plan-will-queue")).toHaveText("0");
  await expect(page.getByTestId("send-button")).toBeDisabled();
});

test("an agent notifies one selected customer", async ({ browser }) => {
  test.setTimeout(300_000);
  const incident = await fixtures.createIncident("OPEN");
  const [, chosen] = await fixtures.createVictims(incident.id, 3, { preferredLanguage: "en" });
  const agent = await staffModule.createStaff({ role: "AGENT", displayName: "Yui Hayashi" });
  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseURL, agent);
  await page.goto(`${baseURL}/notifications?incident=${incident.id}`);
  await hydrated(page);
  await page.getByLabel("Notice").selectOption("incident-update");
  await page.getByLabel(/Only these customers/).check();
  await page.getByLabel("Selected customers").fill(chosen!.displayId);
  await page.getByTestId("preview-button").click();
  await expect(page.getByTestId("preview-subject")).toHaveText(
    "Update: unauthorised access to Wallet accounts (under investigation)",
  );
  await page.getByTestId("send-button").click();
  await expect(page.getByTestId("toast")).toContainText("1 queued");
  const progress = page.getByTestId("campaign-progress");
  await expect(progress.getByTestId("campaign-percent")).toContainText("100 % done", { timeout: 120_000 });
  await expect.poll(() => sink.received.filter((m) => m.envelopeTo.includes(chosen!.email)).length).toBe(1);
});
