// An admin invites a new security lead in the browser. A lead is a privileged role, so the invitation waits until a
// second admin approves it in a browser of their own (ADR 066): before that no link exists and no mail goes. The
// one-time link then goes by mail to the member's own address — the outbox, running in this test's process against the
// console's database, delivers it to a real SMTP sink — and the approver's page says where it went, until when, and
// whether it arrived, never the link. The member opens the link from the mail, sets a password and enrols an
// authenticator.
//
// Like recovery.spec.ts, this file starts its own console (production build, scripts/start.ts) on a fresh PostgreSQL
// database that this process shares. Needs `npm run build` and the local PostgreSQL.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { expect, test } from "./support/console";
import { hydrated, open, signIn, stepUp } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");

let baseURL = "";
let staffModule: StaffModule;
let sink: import("../support/smtp-sink").SmtpSink;
let worker: import("~/notify/outbox-worker.server").OutboxWorker;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(180_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  const { SmtpSink } = await import("../support/smtp-sink");
  const { startTestWorker } = await import("../support/notify-fixtures");
  sink = await SmtpSink.start();
  worker = startTestWorker(sink);
});

test.afterAll(async () => {
  await worker?.stop();
  await sink?.stop();
});

test("an admin invites a lead, a second admin approves; the link reaches only the member's mailbox", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const admin = await staffModule.createStaff({ role: "ADMIN", displayName: "Sora Ito" });
  const second = await staffModule.createStaff({ role: "ADMIN", displayName: "Ren Aoki" });
  const inviteeEmail = `new-lead-${Date.now().toString(36)}@staff.test`;

  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseURL, admin);
  await open(page, baseURL, "/admin/staff");
  await page.getByTestId("step-up-notice").getByRole("link").click();
  await stepUp(page, admin, /\/admin\/staff$/);

  await page.getByLabel("Work email").fill(inviteeEmail);
  await page.getByLabel("Name", { exact: true }).fill("Mei Kato");
  await page.getByLabel("Role").selectOption("SECURITY_LEAD");
  await page.getByRole("button", { name: "Send the invitation" }).click();

  // The request waits for a second admin: the requester sees it without an approve button, and nothing was mailed.
  await expect(page.getByTestId("toast")).toContainText("waits for a second admin's approval");
  const requests = page.getByTestId("grant-requests");
  await expect(requests.getByRole("listitem")).toHaveCount(1);
  await expect(requests.getByRole("listitem")).toContainText(`to invite Mei Kato (${inviteeEmail}) as Security lead`);
  await expect(requests.getByRole("button", { name: "Approve" })).toHaveCount(0);
  expect(sink.received.filter((m) => m.envelopeTo.includes(inviteeEmail))).toHaveLength(0);

  // The second admin, in a browser of their own, confirms with a fresh code and approves with a reason.
  const approver = await (await browser.newContext()).newPage();
  await signIn(approver, baseURL, second);
  await open(approver, baseURL, "/admin/staff");
  await approver.getByTestId("step-up-notice").first().getByRole("link").click();
  await stepUp(approver, second, /\/admin\/staff$/);
  const waiting = approver.getByTestId("grant-requests").getByRole("listitem");
  await waiting.getByLabel("Reason (for the audit trail)").fill("Mei leads the night shift");
  await waiting.getByRole("button", { name: "Approve" }).click();

  // The approver lands on the new member's page: where the link went (masked) and whether it arrived.
  await expect(approver.getByRole("heading", { name: /Mei Kato/ })).toBeVisible();
  await expect(approver.getByTestId("toast")).toContainText("Approved. Invitation mailed to ne");
  const linkMail = approver.getByTestId("link-mail");
  await expect(linkMail).toContainText("@staff.test");
  await expect(linkMail).not.toContainText(inviteeEmail);

  // The mail reaches the member's address, in Japanese (a new member's language until they switch).
  await expect.poll(() => sink.received.filter((m) => m.envelopeTo.includes(inviteeEmail)).length).toBe(1);
  const mail = sink.received.find((m) => m.envelopeTo.includes(inviteeEmail))!;
  expect(mail.parsed.subject).toBe("Firebreak コンソールへの招待");
  const link = mail.parsed.text!.match(/https?:\/\/\S+\/invite\/[a-z2-7]{32}/)![0];
  expect(link.startsWith(baseURL)).toBe(true);

  // The approver's page never holds the link, and shows the delivery once the worker recorded it.
  await expect
    .poll(async () => {
      await approver.reload();
      return approver.getByTestId("link-mail-status").getAttribute("data-status");
    })
    .toBe("SENT");
  expect(await approver.content()).not.toContain(link.split("/invite/")[1]!);

  // The member opens the link from the mail, sets a password and enrols an authenticator.
  const member = await (await browser.newContext()).newPage();
  await member.goto(link);
  await hydrated(member);
  await expect(member.getByRole("heading", { name: "Mei Kato" })).toBeVisible();
  const password = "a calm passphrase for the new lead";
  await member.locator('input[name="password"]').fill(password);
  await member.locator('input[name="confirmPassword"]').fill(password);
  await member.locator('button[type="submit"]').click();
  await expect(member).toHaveURL(/\/sign-in\/enroll/);
  await hydrated(member);
  const manualKey = (await member.getByTestId("totp-manual-key").textContent())!.replace(/\s/g, "");
  const secret = decodeBase32IgnorePadding(manualKey);
  await member.locator('input[name="code"]').fill(generateTOTP(secret, 30, 6));
  // The member reads Japanese: "Confirm and finish".
  await member.getByRole("button", { name: "確認して完了" }).click();
  await expect(member.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
});
