// An agent on a victim's call finds the account in the browser: the caller reads out their number as
// "+81 90 …" with spaces; the one box finds them, shows enough to tell them from a namesake, opens the account view
// (audited), and the agent freezes the wallet from there.
//
// Like recovery.spec.ts, this file starts its own console (production build, scripts/start.ts) on a fresh PostgreSQL
// database that this process shares to create its customers and staff. Needs `npm run build` and the local PostgreSQL.
import { randomUUID } from "node:crypto";
import { expect, test } from "./support/console";
import { signIn } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");
type Db = typeof import("~/db.server");

let baseURL = "";
let staffModule: StaffModule;
let db: Db;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(180_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  db = await import("~/db.server");
});

async function createCustomer(input: { phone: string; birthDate: string }) {
  const customer = await db.prisma.customer.create({
    data: {
      displayId: `W-${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
      name: "田中 美咲",
      nameKana: "タナカ ミサキ",
      email: `misaki-${randomUUID().slice(0, 8)}@e2e.example`,
      phone: input.phone,
      birthDate: new Date(input.birthDate),
    },
  });
  await db.prisma.ledgerAccount.create({
    data: { code: `wallet:${customer.id}`, kind: "CUSTOMER_WALLET", customerId: customer.id },
  });
  return customer;
}

test("an agent finds a caller by a number typed with spaces and +81, opens the account and freezes it", async ({
  browser,
}) => {
  const digits = String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
  const caller = await createCustomer({ phone: `+8190${digits}`, birthDate: "1988-02-14" });
  const namesake = await createCustomer({
    phone: `+8180${digits.split("").reverse().join("")}`,
    birthDate: "1961-07-30",
  });
  const agent = await staffModule.createStaff({ role: "AGENT", displayName: "Haruto Abe" });

  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseURL, agent);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Accounts" }).click();

  // The caller reads the number the international way, with spaces.
  const box = page.getByTestId("caller-search-input");
  await box.fill(`+81 90 ${digits.slice(0, 4)} ${digits.slice(4)}`);
  await box.press("Enter");
  const rows = page.getByTestId("search-result");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(caller.displayId);
  await expect(rows.first()).toContainText("田中 美咲");
  await expect(rows.first()).toContainText("1988");
  await expect(rows.first()).toContainText(`090-••••-${digits.slice(4)}`);
  await expect(rows.first()).toContainText("phone number");

  // The caller's incident case is open: among namesakes, listed first (before the older namesake), and the page says why.
  const incident = await db.prisma.incident.create({
    data: { code: `INC-E2E-${digits}`, title: "Takeover", summary: "e2e", openedAt: new Date() },
  });
  await db.prisma.incidentCase.create({ data: { incidentId: incident.id, customerId: caller.id } });

  // By name both namesakes come up, told apart by birth year and masked number.
  await box.fill("たなか みさき");
  await box.press("Enter");
  await expect(rows).toHaveCount(2);
  await expect(page.locator(`[data-customer-id="${namesake.id}"]`)).toContainText("1961");
  await expect(rows.first()).toHaveAttribute("data-customer-id", caller.id);
  await expect(rows.first().getByTestId("search-open-case-first-row")).toHaveText("open incident case: listed first");
  await expect(page.getByTestId("search-open-case-first")).toContainText("listed first among equally good matches");

  // Bad input is answered with a message.
  await box.fill("%%%");
  await box.press("Enter");
  await expect(page.getByTestId("search-message")).toContainText("Nothing searchable");

  // Back to the caller: open the account view and freeze the wallet.
  await box.fill(`+81 90 ${digits.slice(0, 4)} ${digits.slice(4)}`);
  await box.press("Enter");
  await rows.first().getByRole("link", { name: caller.displayId }).click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${caller.id}$`));
  await expect(page.getByTestId("account-name")).toHaveText("田中 美咲");
  await expect(page.getByTestId("link-recovery")).toBeVisible();

  const statusForm = page.getByTestId("status-form");
  await statusForm.getByLabel("Action").selectOption("freeze");
  await statusForm.getByLabel("Reason (recorded in the audit trail)").fill("Caller did not make the top-ups on 2 July");
  await statusForm.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("toast")).toContainText("now frozen");
  await expect(page.getByTestId("account-status").first()).toHaveText("frozen");
  await expect(page.getByTestId("timeline")).toContainText("Freeze account (account.freeze) by Haruto Abe");

  const views = await db.prisma.auditEvent.count({
    where: { action: "account.view", targetId: caller.id, actorId: agent.id },
  });
  expect(views).toBeGreaterThan(0);
});
