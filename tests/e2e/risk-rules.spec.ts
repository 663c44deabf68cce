// A security lead writes a risk rule in the browser and backtests it on the 7pay replay; a second lead publishes it;
// the wallet back end — running in this test's own process, a different process from the console — then refuses the
// next top-up from a taken-over account (a device first seen minutes ago, signed in from abroad) while an ordinary
// customer's top-up passes.
//
// Like kill-switch.spec.ts, this file starts its own console (the production build) on a fresh PostgreSQL database
// that this process shares. Needs `npx remix build` and the local PostgreSQL.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import type { Page } from "@playwright/test";
import pg from "pg";
import { expect, test } from "./support/test";

const ADMIN_URL = process.env.FIREBREAK_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `firebreak_e2e_risk_${Date.now()}_${randomBytes(3).toString("hex")}`;
const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
const totpKey = randomBytes(32).toString("base64");

let server: ChildProcess | undefined;
let baseURL = "";

type StaffModule = typeof import("../support/staff");
type TestStaff = Awaited<ReturnType<StaffModule["createStaff"]>>;
let staffModule: StaffModule;
let topUp: typeof import("~/wallet/top-up.server").topUp;
let closeDatabase: () => Promise<void>;
let legitimate: { id: string; card: string };
let takenOver: { id: string; card: string };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startConsole(port: number): Promise<ChildProcess> {
  const child = spawn(
    path.resolve("node_modules/.bin/tsx"),
    ["scripts/start.ts", "--port", String(port), "--no-seed", "--no-workers"],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        FIREBREAK_TOTP_KEY: totpKey,
        FIREBREAK_COOKIE_SECRET: "end-to-end-test-cookie-secret-0123456789",
        FIREBREAK_INSECURE_COOKIES: "1", // plain http on localhost
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes("Firebreak console on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`console exited with ${code}:\n${output}`)));
  });
  return child;
}

test.describe.configure({ mode: "serial" });

const REPLAY_CUSTOMERS = 400;
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const FIVE_MINUTES_MS = 5 * 60 * 1000;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  server = await startConsole(port); // migrates the new database

  process.env.DATABASE_URL = databaseUrl;
  process.env.FIREBREAK_TOTP_KEY = totpKey;
  staffModule = await import("../support/staff");
  ({ topUp } = await import("~/wallet/top-up.server"));
  const { database, prisma } = await import("~/db.server");
  closeDatabase = () => database.close();
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

test.afterAll(async () => {
  await closeDatabase?.();
  server?.kill("SIGTERM");
  await new Promise((resolve) => (server?.exitCode !== null ? resolve(null) : server.once("exit", resolve)));
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

async function topUpBy(customer: { id: string; card: string }): Promise<string> {
  try {
    await topUp({ customerId: customer.id, fundingSourceId: customer.card, amount: 10_000 });
    return "ACCEPTED";
  } catch (error) {
    return (error as { code?: string }).code ?? "UNEXPECTED";
  }
}

/**
 * Waits until Remix has hydrated the page, so forms submit through fetch. (Before that a click posts the form
 * natively, and with Referrer-Policy: no-referrer the browser sends Origin: null, which the perimeter refuses.)
 */
async function hydrated(page: Page) {
  await page.waitForFunction(() => "__remixRouter" in window);
}

async function open(page: Page, pathname: string) {
  await page.goto(`${baseURL}${pathname}`);
  await hydrated(page);
}

async function signIn(page: Page, staff: TestStaff) {
  await open(page, "/sign-in");
  await page.getByLabel("Work email").fill(staff.email);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/sign-in\/totp/, { timeout: 30_000 }); // argon2 takes its time
  await hydrated(page);
  await page.getByLabel("Authenticator code").fill(staffModule.nextTotpCode(staff));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

test("a lead writes and backtests a rule, a second lead publishes it, the next takeover top-up is refused", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const author = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Kenji Watanabe" });
  const publisher = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Mika Ito" });
  expect(await topUpBy(takenOver)).toBe("ACCEPTED"); // no rule yet

  const authorPage = await (await browser.newContext()).newPage();
  await signIn(authorPage, author);
  await authorPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Risk rules" }).click();
  await expect(authorPage).toHaveURL(/\/rules$/);
  await hydrated(authorPage);

  // A condition naming an unknown feature is refused with a clear message, and nothing is saved.
  await authorPage.getByLabel(/^Key/).fill("new-device-abroad");
  await authorPage.getByLabel("Name").fill("New device, signed in from abroad");
  await authorPage.getByLabel("Condition").fill('device_age < 24 and ip_country != "JP"');
  await authorPage.getByLabel("Outcome").selectOption("BLOCK");
  await authorPage.getByRole("button", { name: "Save draft" }).click();
  await expect(authorPage.getByTestId("rule-error")).toContainText("There is no feature called “device_age”");
  await expect(authorPage.getByTestId("risk-rules")).toHaveCount(0);

  await authorPage.getByLabel("Condition").fill('device_age_hours < 24 and ip_country != "JP"');
  await authorPage.getByRole("button", { name: "Save draft" }).click();
  await expect(authorPage).toHaveURL(/\/rules\/[0-9a-f-]{36}$/);
  await hydrated(authorPage);
  await expect(authorPage.getByTestId("rule-status")).toHaveText("Draft");
  await authorPage.getByRole("button", { name: "Backtest on the recorded events" }).click();
  await expect(authorPage.getByTestId("toast")).toContainText("Backtest finished");
  await expect(authorPage.getByTestId("backtest-fraud-stopped")).toContainText("¥");
  await expect(authorPage.getByTestId("backtest-chart")).toBeVisible();
  await expect(authorPage.getByText("another security lead must publish it")).toBeVisible();
  await expect(authorPage.getByRole("button", { name: /Publish/ })).toHaveCount(0);
  const ruleUrl = authorPage.url();
  expect(await topUpBy(takenOver)).toBe("ACCEPTED"); // a draft decides nothing

  const publisherPage = await (await browser.newContext()).newPage();
  await signIn(publisherPage, publisher);
  await open(publisherPage, new URL(ruleUrl).pathname);
  await publisherPage.getByRole("button", { name: "Publish (second lead)" }).click();
  await expect(publisherPage.getByTestId("toast")).toContainText("is live");
  await expect(publisherPage.getByTestId("rule-status")).toHaveText("Live");

  // The wallet, in this process, decides with the published rule at once.
  expect(await topUpBy(takenOver)).toBe("TOPUP_DECLINED");
  expect(await topUpBy(legitimate)).toBe("ACCEPTED");

  // One click disables it.
  await publisherPage.getByRole("button", { name: "Disable now" }).click();
  await expect(publisherPage.getByTestId("rule-status")).toHaveText("Disabled");
  expect(await topUpBy(takenOver)).toBe("ACCEPTED");
});
