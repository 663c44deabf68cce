// A security lead writes a risk rule in the browser and backtests it on the 7pay replay; a second lead publishes it;
// the wallet back end — running in this test's own process, a different process from the console — then refuses the
// next top-up from a taken-over account (a device first seen minutes ago, signed in from abroad) while an ordinary
// customer's top-up passes.
//
// Like kill-switch.spec.ts, this file starts its own console (the production build) on a fresh PostgreSQL database
// that this process shares. Needs `npx remix build` and the local PostgreSQL.
import { randomBytes } from "node:crypto";
import { expect, test } from "./support/console";
import { hydrated, open, signIn, stepUp } from "./support/sign-in";

let baseURL = "";

type StaffModule = typeof import("../support/staff");
let staffModule: StaffModule;
let topUp: typeof import("~/wallet/top-up.server").topUp;
let legitimate: { id: string; card: string };
let takenOver: { id: string; card: string };

test.describe.configure({ mode: "serial" });

const REPLAY_CUSTOMERS = 400;
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const FIVE_MINUTES_MS = 5 * 60 * 1000;

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(300_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ({ topUp } = await import("~/wallet/top-up.server"));
  const { database, prisma } = await import("~/db.server");
  const { seedDatabase } = await import("~/incidents/replay/seed.server");
  await seedDatabase(database, { customers: REPLAY_CUSTOMERS });

  // Two wallet customers of today: one signed in on the phone they have had for a year, at home; one whose account
  // was just signed into from a phone never seen before, from abroad.
  const { createSimulatedCustomer } = await import("~/wallet/simulated-customers.server");
  const customerWith = async (deviceAgeMs: number, country: string, ip: string) => {
    const created = await createSimulatedCustomer(prisma, { fundingKinds: ["CREDIT_CARD"] });
    const at = new Date();
    const device = await prisma.device.create({
      data: {
        customerId: created.id,
        fingerprint: `e2e-${randomBytes(6).toString("hex")}`,
        platform: "android",
        firstSeenAt: new Date(at.getTime() - deviceAgeMs),
      },
    });
    await prisma.loginEvent.create({
      data: { customerId: created.id, deviceId: device.id, ip, country, success: true, occurredAt: at },
    });
    return { id: created.id, card: created.fundingSources[0]!.id };
  };
  legitimate = await customerWith(ONE_YEAR_MS, "JP", "203.0.113.10");
  takenOver = await customerWith(FIVE_MINUTES_MS, "VN", "198.51.100.77");
});

async function topUpBy(customer: { id: string; card: string }): Promise<string> {
  try {
    await topUp({ customerId: customer.id, fundingSourceId: customer.card, amount: 10_000 });
    return "ACCEPTED";
  } catch (error) {
    return (error as { code?: string }).code ?? "UNEXPECTED";
  }
}

test("a lead writes and backtests a rule, a second lead publishes it, the next takeover top-up is refused", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const author = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Kenji Watanabe" });
  const publisher = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Mika Ito" });
  expect(await topUpBy(takenOver)).toBe("ACCEPTED"); // no rule yet

  const authorPage = await (await browser.newContext()).newPage();
  await signIn(authorPage, baseURL, author);
  await authorPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Risk rules" }).click();
  await expect(authorPage).toHaveURL(/\/rules$/);
  await hydrated(authorPage);

  // A condition naming an unknown feature is refused with a clear message, and nothing is saved.
  await authorPage.getByLabel(/^Key/).fill("new-device-abroad");
  await authorPage.getByLabel("Name").fill("New device, signed in from abroad");
  await authorPage.getByLabel("Condition").fill('device_age < 24 and ip_country != "JP"');
  await authorPage.getByLabel("Outcome").selectOption("BLOCK");
  await authorPage.getByRole("button", { name: "Save draft" }).click();
  // The message stands at the condition, which it describes to a screen reader (ADR 091).
  await expect(authorPage.getByLabel("Condition")).toHaveAccessibleDescription(
    /There is no feature called “device_age”/,
  );
  await expect(authorPage.getByTestId("risk-rules")).toHaveCount(0);

  await authorPage.getByLabel("Condition").fill('device_age_hours < 24 and ip_country != "JP"');
  await authorPage.getByRole("button", { name: "Save draft" }).click();
  await expect(authorPage).toHaveURL(/\/rules\/[0-9a-f-]{36}$/);
  await hydrated(authorPage);
  await expect(authorPage.getByTestId("rule-status")).toHaveText("Draft");
  await authorPage.getByRole("button", { name: "Backtest on the recorded events" }).click();
  // The backtest is a job: this console runs no workers, so this process runs it the way the worker process would,
  // and the lead watches the rule page (it reads the job's progress every second) until the figures appear.
  await expect(authorPage.getByTestId("backtest-progress")).toBeVisible();
  const { runNextJob } = await import("~/jobs/job-loop.server");
  const { backtestJob } = await import("~/risk/backtest-job.server");
  expect((await runNextJob({ handlers: [backtestJob] }))?.status).toBe("SUCCEEDED");
  await expect(authorPage.getByTestId("backtest-fraud-stopped")).toContainText("¥", { timeout: 30_000 });
  await expect(authorPage.getByTestId("backtest-progress")).toHaveCount(0);
  await expect(authorPage.getByTestId("backtest-chart")).toBeVisible();
  await expect(authorPage.getByTestId("backtest-chart").locator("rect[data-series]").first()).toBeVisible();
  await expect(authorPage.getByText("another security lead must publish it")).toBeVisible();
  await expect(authorPage.getByRole("button", { name: /Publish/ })).toHaveCount(0);
  const ruleUrl = authorPage.url();
  expect(await topUpBy(takenOver)).toBe("ACCEPTED"); // a draft decides nothing

  const publisherPage = await (await browser.newContext()).newPage();
  await signIn(publisherPage, baseURL, publisher);
  await open(publisherPage, baseURL, new URL(ruleUrl).pathname);
  await publisherPage.getByRole("button", { name: "Publish (second lead)" }).click();
  await expect(publisherPage.getByTestId("toast")).toContainText("is live");
  await expect(publisherPage.getByTestId("rule-status")).toHaveText("Live");

  // The wallet, in this process, decides with the published rule at once.
  expect(await topUpBy(takenOver)).toBe("TOPUP_DECLINED");
  expect(await topUpBy(legitimate)).toBe("ACCEPTED");

  // Disabling lets the blocked top-ups through again: the lead re-enters a code first, then one click disables it.
  await publisherPage.getByRole("button", { name: "Disable now" }).click();
  await stepUp(publisherPage, publisher, /\/rules\//);
  expect(await topUpBy(takenOver)).toBe("TOPUP_DECLINED");
  await publisherPage.getByRole("button", { name: "Disable now" }).click();
  await expect(publisherPage.getByTestId("rule-status")).toHaveText("Disabled");
  expect(await topUpBy(takenOver)).toBe("ACCEPTED");
});
