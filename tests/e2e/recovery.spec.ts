// An agent recovers a hijacked account in the browser: from the account view to the recovery page, where
// the contact history flags the attacker's recent email change; the agent records the caller's identity check, has
// the caller read back a code mailed to the pre-takeover address, restores the last known-good (verified) email and forces a reset with 2FA enrolment. The outbox — running in this
// test's process against the console's database — delivers the mail to a real SMTP sink: to the restored address,
// never the attacker's. The customer opens the link, sets a new password, and the link then no longer works.
//
// Like kill-switch.spec.ts, this file starts its own console (production build, scripts/start.ts) on a fresh
// PostgreSQL database that this process shares. Needs `npm run build` and the local PostgreSQL.
import { randomBytes } from "node:crypto";
import { expect, test } from "./support/console";
import { signIn, stepUp } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");
type Fixtures = typeof import("../integration/recovery-fixtures");

let baseURL = "";
let staffModule: StaffModule;
let fixtures: Fixtures;
let sink: import("../support/smtp-sink").SmtpSink;
let worker: import("~/notify/outbox-worker.server").OutboxWorker;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(180_000);
  // The fixture points this process's PUBLIC_BASE_URL at the console too: the reset links it renders lead there.
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  fixtures = await import("../integration/recovery-fixtures");
  const { SmtpSink } = await import("../support/smtp-sink");
  const { startTestWorker } = await import("../support/notify-fixtures");
  sink = await SmtpSink.start();
  worker = startTestWorker(sink);
});

test.afterAll(async () => {
  await worker?.stop();
  await sink?.stop();
});

test("an agent restores a hijacked email and forces a reset from the account view", async ({ browser }) => {
  const customer = await fixtures.createRecoveryCustomer();
  const hijack = await fixtures.hijackEmail(customer);
  const agent = await staffModule.createStaff({ role: "AGENT", displayName: "Aiko Sato" });

  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseURL, agent);
  await page.goto(`${baseURL}/accounts/${customer.id}`);
  // The wallet action dropdown shows its whole label ("Freeze the wallet"), not a clipped "Freeze the".
  const statusSelect = page.getByTestId("status-form").getByLabel("Action");
  const room = await statusSelect.evaluate((select: HTMLSelectElement) => {
    const style = getComputedStyle(select);
    const context = document.createElement("canvas").getContext("2d")!;
    context.font = style.font;
    const widest = Math.max(...[...select.options].map((option) => context.measureText(option.text).width));
    // The native arrow sits in the right padding: the text has the content box minus nothing else.
    return select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - widest;
  });
  expect(room).toBeGreaterThanOrEqual(0);
  await page.getByTestId("link-recovery").click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${customer.id}/recovery$`));

  // The history flags the attacker's change; no link would go anywhere yet.
  await expect(page.getByTestId("current-email")).toContainText(hijack.attackerEmail);
  await expect(page.getByTestId("email-under-review")).toBeVisible();
  await expect(page.getByTestId("reset-destination")).toContainText("No link will be sent yet");
  await expect(page.getByTestId("contact-history")).toContainText("last known-good");

  // Restoring without an identity check is refused with a clear message, and changes nothing.
  const restoreForm = page.getByTestId("restore-email");
  await restoreForm
    .getByLabel("Reason (goes in the audit log)")
    .fill("Caller says the email was changed by someone else");
  await restoreForm.getByRole("button", { name: "Restore email" }).click();
  await expect(restoreForm.getByTestId("form-error")).toContainText("Record a passed identity check");
  await expect(page.getByTestId("current-email")).toContainText(hijack.attackerEmail);

  // The caller proves who they are; only which facts matched is recorded.
  await page.getByLabel("Birth date").fill(fixtures.BIRTH_DATE);
  await page.getByLabel("Last top-up (yen)").fill(String(fixtures.LAST_TOP_UP_YEN));
  await page.getByLabel("Card last 4").fill(fixtures.CARD_LAST4);
  await page.getByRole("button", { name: "Record identity check" }).click();
  await expect(page.getByTestId("toast")).toContainText("Identity check passed");
  await expect(page.getByTestId("identity-checks")).toContainText("usable now");

  // Those facts are on the agent's own screen: the caller also reads back a code sent to the address the customer
  // had before the takeover. The button names that address; the attacker's is not offered.
  await expect(page.getByTestId("send-code")).not.toContainText(hijack.attackerEmail);
  await page.getByRole("button", { name: `Send code by email to ${customer.email}` }).click();
  await expect(page.getByTestId("toast")).toContainText(`Code sent to ${customer.email}`);
  const codeMailTo = (address: string) =>
    sink.received.find((m) => m.parsed.subject === "Your verification code" && m.envelopeTo.includes(address));
  await expect.poll(() => Boolean(codeMailTo(customer.email))).toBe(true);
  const codeMail = codeMailTo(customer.email)!;
  const code = codeMail.parsed.text!.match(/\b(\d{6})\b/)![1]!;
  await page.getByLabel("Code the caller reads out").fill(code);
  await page.getByRole("button", { name: "Check the code" }).click();
  await expect(page.getByTestId("toast")).toContainText("Code confirmed");
  await expect(page.getByTestId("recovery-codes")).toContainText("verified");

  await restoreForm.getByLabel("Reason (goes in the audit log)").fill("Identity confirmed; attacker moved the email");
  await restoreForm.getByRole("button", { name: "Restore email" }).click();
  await expect(page.getByTestId("toast")).toContainText(`Restored email to ${customer.email}`);
  await expect(page.getByTestId("current-email")).toContainText(customer.email);
  await expect(page.getByTestId("reset-destination")).toContainText(`verified email on file: ${customer.email}`);

  await page.getByLabel(/Require an authenticator/).check();
  const resetSection = page.locator("form", { has: page.getByRole("button", { name: "Force password reset" }) });
  await resetSection.getByLabel("Reason (goes in the audit log)").fill("Account takeover confirmed on the call");
  await resetSection.getByRole("button", { name: "Force password reset" }).click();
  await expect(page.getByTestId("toast")).toContainText(`Link sent to ${customer.email}`);
  await expect(page.getByTestId("recovery-flags")).toContainText("must set a new password");
  await expect(page.getByTestId("recovery-flags")).toContainText("must enrol 2FA");
  await expect(page.getByTestId("recovery-flags")).toContainText("0 live sessions");

  // The mail reaches the restored address; the attacker's gets nothing.
  const isReset = (m: (typeof sink.received)[number]) => m.parsed.subject === "Set a new password for your account";
  await expect
    .poll(() => sink.received.filter((m) => isReset(m) && m.envelopeTo.includes(customer.email)).length)
    .toBe(1);
  expect(sink.received.filter((m) => m.envelopeTo.includes(hijack.attackerEmail))).toHaveLength(0);
  const mail = sink.received.find((m) => isReset(m) && m.envelopeTo.includes(customer.email))!;
  const link = mail.parsed.text!.match(/https?:\/\/\S+\/reset-password\?\S+/)![0];
  expect(link.startsWith(baseURL)).toBe(true);

  // The customer follows it once.
  const customerPage = await (await browser.newContext()).newPage();
  await customerPage.goto(link);
  await customerPage.getByLabel("New password", { exact: true }).fill(fixtures.NEW_PASSWORD);
  await customerPage.getByLabel("Repeat the new password").fill(fixtures.NEW_PASSWORD);
  await customerPage.getByRole("button", { name: "Set the new password" }).click();
  await expect(customerPage.getByTestId("reset-done")).toContainText(customer.displayId);
  await customerPage.goto(link);
  await expect(customerPage.getByTestId("reset-link-problem")).toContainText("already been used");

  await page.reload();
  await expect(page.getByTestId("reset-links")).toContainText("used");
  await expect(page.getByTestId("recovery-flags")).not.toContainText("must set a new password");
});

test("a security lead forces resets for a saved cohort after stepping up, and watches the job finish", async ({
  browser,
}) => {
  const { prisma } = await import("~/db.server");
  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Mika Hayashi" });
  const members = [await fixtures.createRecoveryCustomer(), await fixtures.createRecoveryCustomer()];
  const cohort = await prisma.cohort.create({
    data: {
      name: `Credential stuffing ${randomBytes(3).toString("hex")}`,
      definition: {},
      memberCount: members.length,
      createdById: lead.id,
      members: { create: members.map((m) => ({ customerId: m.id, riskScore: 90, reasons: [] })) },
    },
  });

  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseURL, lead);
  await page.goto(`${baseURL}/cohorts/${cohort.id}`);
  const panel = page.getByTestId("cohort-reset-panel");
  await expect(panel).toContainText("2 get a single-use link at the verified email on file");
  await expect(panel.getByRole("button", { name: "Force resets for 2 accounts" })).toBeDisabled();

  // A bulk reset needs a fresh authenticator code; the lead comes back to the cohort.
  await panel.getByTestId("cohort-reset-step-up").click();
  await stepUp(page, lead, new RegExp(`/cohorts/${cohort.id}$`));

  // A reason is required; without one nothing starts.
  await panel.getByRole("button", { name: "Force resets for 2 accounts" }).click();
  await expect(panel.getByText("Say why (it goes in the audit log).")).toBeVisible();
  expect(await prisma.bulkJob.count({ where: { createdById: lead.id } })).toBe(0);

  await panel.getByLabel("Reason (goes in the audit log)").fill("Credential-stuffing cohort confirmed by the lead");
  await panel.getByRole("button", { name: "Force resets for 2 accounts" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]+$/);
  await expect(page.getByTestId("toast")).toContainText("Forced resets started for 2 accounts");

  // While the job is queued the page reads its progress again by itself, marked as an automatic refresh so that an
  // unattended page does not keep the session alive.
  await page.waitForRequest(
    (request) =>
      new URL(request.url()).pathname.endsWith(".data") && request.headers()["x-firebreak-refresh"] === "automatic",
  );

  // The console here runs without background workers: this process plays the job runner.
  const jobId = new URL(page.url()).pathname.split("/").pop()!;
  const { runJob } = await import("~/jobs/job-loop.server");
  const { cohortResetHandler } = await import("~/recovery/cohort-reset.server");
  await runJob(jobId, { handlers: [cohortResetHandler], batchSize: 1 });
  await page.reload();
  await expect(page.getByTestId("job-progress")).toContainText("2 of 2 done (100%): 2 succeeded");
  await expect
    .poll(() => sink.received.filter((m) => members.some((c) => m.envelopeTo.includes(c.email))).length)
    .toBe(2);
});
