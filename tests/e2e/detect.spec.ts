// The simulator starts an account-takeover wave (failed sign-ins from one IP against many accounts); the detector worker
// (running in this test's process, on the same PostgreSQL database as the console) raises an alert, which appears on a
// security lead's open page without a reload (Server-Sent Events); the containment policy two leads approved beforehand
// engages the card top-up switch, and the next card top-up is refused.
//
// Like kill-switch.spec.ts, this file starts its own console (the production build) on a fresh PostgreSQL database.
// Needs `npm run build` and the local PostgreSQL.
import { expect, test } from "./support/console";
import { hydrated, signIn } from "./support/sign-in";

let baseURL = "";

type StaffModule = typeof import("../support/staff");
type TestStaff = Awaited<ReturnType<StaffModule["createStaff"]>>;
let staffModule: StaffModule;
let topUp: typeof import("~/wallet/top-up.server").topUp;
let customer: { id: string; card: string };

test.describe.configure({ mode: "serial" });

type Detect = {
  live: typeof import("~/detect/live-evaluation.server");
  policies: typeof import("~/detect/policies.server");
  definitions: typeof import("~/detect/definitions");
};
let detect: Detect;
let prismaClient: typeof import("~/db.server").prisma;
let createCustomer: () => Promise<string>;

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(180_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ({ topUp } = await import("~/wallet/top-up.server"));
  const { prisma } = await import("~/db.server");
  prismaClient = prisma;
  const { createSimulatedCustomer } = await import("~/wallet/simulated-customers.server");
  createCustomer = async () => (await createSimulatedCustomer(prisma, { fundingKinds: ["CREDIT_CARD"] })).id;
  const created = await createSimulatedCustomer(prisma, { fundingKinds: ["CREDIT_CARD", "BANK"] });
  customer = { id: created.id, card: created.fundingSources.find((s) => s.kind === "CREDIT_CARD")!.id };
  detect = {
    live: await import("~/detect/live-evaluation.server"),
    policies: await import("~/detect/policies.server"),
    definitions: await import("~/detect/definitions"),
  };
});

async function nextTopUp(): Promise<string> {
  try {
    await topUp({ customerId: customer.id, fundingSourceId: customer.card, amount: 30_000 });
    return "ACCEPTED";
  } catch (error) {
    return (error as { code?: string }).code ?? "UNEXPECTED";
  }
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Two weeks of quiet history around this time of day for every detector: past their warm-up. */
async function recordQuietHistory(at: number) {
  const rows = [];
  for (let d = 1; d <= 14; d++) {
    for (let m = -60; m <= 60; m++) {
      for (const detector of detect.definitions.DETECTORS) {
        rows.push({ detector: detector.key, minute: new Date(at - d * DAY + m * MINUTE), value: 0 });
      }
    }
  }
  await prismaClient.detectorMinute.createMany({ data: rows });
}

test("an attack raises an alert on the lead's open page and the approved policy stops card top-ups", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const first = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Kenji Watanabe" });
  const second = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Mika Ito" });
  const ctx = (s: TestStaff) => ({
    actor: { kind: "staff" as const, id: s.id, role: s.role },
    origin: { ip: "127.0.0.1", userAgent: "playwright", requestId: null },
  });
  // Before any attack: one lead proposes "failed sign-ins at any severity → stop card top-ups", another approves.
  const { id } = await detect.policies.proposePolicy(ctx(first), {
    detector: "failed-signin-rate",
    minSeverity: "LOW",
    switchKey: "topup.credit_card",
  });
  await detect.policies.approvePolicy(ctx(second), id);

  const start = Date.now();
  const minute = Math.floor(start / MINUTE) * MINUTE;
  await recordQuietHistory(minute);
  await prismaClient.detectorCursor.create({
    data: { name: detect.live.CURSOR_NAME, minute: new Date(minute - MINUTE), updatedAt: new Date() },
  });
  expect(await nextTopUp()).toBe("ACCEPTED");

  await signIn(page, baseURL, first);
  await page.goto(`${baseURL}/kill-switches`);
  await hydrated(page);
  await expect(page.getByTestId("detect-alert-banner")).toHaveCount(0);

  // The simulator: credential stuffing from one IP against twelve accounts, within this minute.
  const victims = [];
  for (let k = 0; k < 12; k++) victims.push(await createCustomer());
  await prismaClient.loginEvent.createMany({
    data: victims.map((customerId, k) => ({
      customerId,
      ip: "36.110.44.7",
      country: "CN",
      success: false,
      newDevice: true,
      occurredAt: new Date(Math.max(minute, Date.now() - 1000) + k),
    })),
  });

  // The detector worker: evaluates each minute once it has closed, then fires the policies.
  await expect
    .poll(
      async () => {
        while (await detect.live.evaluateNextMinute(new Date())) {
          /* catch up */
        }
        await detect.policies.fireContainmentPolicies();
        return prismaClient.detectAlert.count();
      },
      { timeout: 150_000, intervals: [2_000] },
    )
    .toBeGreaterThan(0);

  // On the page the lead has had open all along: no reload.
  // Both the failed sign-ins and the accounts behind one IP alert on this minute; the banner shows the newest.
  await expect(page.getByTestId("detect-alert-banner")).toContainText(
    /Failed sign-ins|Accounts signed into from one IP/,
    // The server's feed polls once a second and pushes to the open page; 30 s leaves room for a loaded 2-core
    // machine, where 10 s is short.
    { timeout: 30_000 },
  );
  await expect(page.getByTestId("kill-switch-banner")).toHaveCount(0); // the switch banner comes with the next load
  expect(await nextTopUp()).toBe("TOPUP_SUSPENDED");

  await page.getByTestId("detect-alert-banner").getByRole("link").click();
  await expect(page).toHaveURL(/\/alerts\//);
  await expect(page.getByText("36.110.44.7")).toBeVisible();
  await expect(page.getByTestId("kill-switch-banner")).toContainText("Credit-card top-ups");
});

test("a lead's alert mail that failed is shown on the alerts page, with what to do, and is resent from there", async ({
  page,
}) => {
  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Aiko Mori" });
  const at = new Date();
  const alert = await prismaClient.detectAlert.create({
    data: {
      detector: "accounts-per-ip",
      version: 1,
      minute: new Date(at.getTime() - MINUTE),
      raisedAt: at,
      severity: "HIGH",
      peakSeverity: "HIGH",
      value: 30,
      baseline: {},
      evidence: { accounts: [], devices: [], ips: [], stores: [] },
      lastAboveAt: at,
    },
  });
  const { mailLeadsAboutAlert } = await import("~/detect/lead-mail.server");
  const { messages } = await mailLeadsAboutAlert(prismaClient, {
    alertId: alert.id,
    detector: alert.detector,
    severity: alert.peakSeverity,
    value: alert.value,
    minute: alert.minute,
    evidence: { accounts: [], devices: [], ips: [], stores: [] },
  });
  const mailId = messages.find((m) => m.staffId === lead.id)!.messageId;
  // The relay refused it for good (whatever the console's own worker did with it meanwhile).
  await prismaClient.outboundMessage.update({
    where: { id: mailId },
    data: {
      status: "FAILED",
      failure: "REJECTED",
      attempts: 1,
      lastError: "550 5.1.1 no such mailbox",
      claimToken: null,
      leaseUntil: null,
    },
  });

  await signIn(page, baseURL, lead);
  await page.goto(`${baseURL}/alerts`);
  await hydrated(page);
  const problem = page.getByTestId("lead-mail-problem").filter({ hasText: "Aiko Mori" });
  await expect(problem).toContainText("550 5.1.1 no such mailbox");
  await expect(problem).toContainText("Check the lead's address with them, then resend it.");
  await expect(problem.getByRole("link", { name: "Open the alert" })).toHaveAttribute("href", `/alerts/${alert.id}`);
  await problem.getByRole("button", { name: "Resend" }).click();
  await expect(page).toHaveURL(`${baseURL}/alerts`);
  await expect(page.getByTestId("lead-mail-problem").filter({ hasText: "Aiko Mori" })).toHaveCount(0);
  await expect
    .poll(async () => (await prismaClient.outboundMessage.findUniqueOrThrow({ where: { id: mailId } })).status)
    .not.toBe("FAILED");
});
