// Reversals in the browser: an agent partially reverses a fraudulent purchase from the account's reversal
// page — the page says where the money goes before the agent confirms — and a large reversal waits for a security
// lead, who approves it after re-entering an authenticator code.
//
// Like recovery.spec.ts, this file starts its own console (production build, scripts/start.ts) on a fresh PostgreSQL
// database that this process shares for its fixtures. Needs `npm run build` and the local PostgreSQL.
import { expect, test } from "./support/console";
import { signIn, stepUp } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");
type LedgerFixtures = typeof import("../support/ledger-fixtures");

let baseURL = "";
let staffModule: StaffModule;
let ledger: LedgerFixtures;
let prisma: typeof import("~/db.server").prisma;
let createTestCustomer: typeof import("../support/customers").createTestCustomer;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(180_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ledger = await import("../support/ledger-fixtures");
  ({ createTestCustomer } = await import("../support/customers"));
  const db = await import("~/db.server");
  prisma = db.prisma;
});

/** A victim whose wallet was topped up from their card and spent at a store, then frozen by the agent. */
async function victim(topUp: number, purchase: number) {
  const customer = await createTestCustomer(prisma);
  const store = await ledger.createStore(prisma);
  const topUpId = await ledger.topUp(prisma, customer, topUp);
  const purchaseId = await ledger.buy(prisma, customer, store, purchase);
  await ledger.freezeAccount(prisma, customer.customer.id);
  return { customer, store, topUpId, purchaseId };
}

test("an agent partially reverses a fraudulent purchase", async ({ browser }) => {
  const { customer, store, purchaseId } = await victim(30_000, 24_000);
  const agent = await staffModule.createStaff({ role: "AGENT", displayName: "Aiko Sato" });
  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseURL, agent);

  await page.goto(`${baseURL}/accounts/${customer.customer.id}/reverse`);
  await expect(page.getByTestId("wallet-balance")).toHaveText("¥6,000");
  await page.getByTestId(`charge-${purchaseId}`).getByRole("link", { name: "Reverse…" }).click();

  // Before confirming, the page says where the money goes, for the amount being typed.
  const form = page.getByTestId("reverse-form");
  await form.getByLabel("Amount to reverse (yen)").fill("10000");
  await expect(page.getByTestId("destination")).toContainText(
    `¥10,000 is taken back from what we owe テスト店 ${store.code} (${store.code}) and credited to the customer's wallet.`,
  );
  await expect(page.getByTestId("destination")).toContainText("Wallet: ¥6,000 → ¥16,000");
  await form.getByLabel("Reason").selectOption("FRAUDULENT");
  await form.getByRole("button", { name: "Confirm reversal of ¥10,000" }).click();

  await expect(page).toHaveURL(/\/reversals\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("toast")).toContainText("¥10,000 reversed.");
  await expect(page.getByTestId("reversal-status")).toHaveText("completed");
  await expect(page.getByTestId("reversal-transaction")).toBeVisible();

  // The rest of the charge can still be reversed; the wallet holds the money back.
  await page.goto(`${baseURL}/accounts/${customer.customer.id}/reverse`);
  await expect(page.getByTestId("wallet-balance")).toHaveText("¥16,000");
  await expect(page.getByTestId(`charge-${purchaseId}`)).toContainText("¥14,000");
  const reversals = await prisma.ledgerTransaction.findMany({ where: { reversesId: purchaseId } });
  expect(reversals.map((r) => r.amount)).toEqual([10_000]);
});

test("a security lead approves a large reversal after stepping up", async ({ browser }) => {
  const { customer, purchaseId } = await victim(150_000, 150_000);
  const agent = await staffModule.createStaff({ role: "AGENT", displayName: "Kenta Ono" });
  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Mika Hayashi" });

  const agentPage = await (await browser.newContext()).newPage();
  await signIn(agentPage, baseURL, agent);
  await agentPage.goto(`${baseURL}/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`);
  await expect(agentPage.getByRole("status").filter({ hasText: "a security lead must approve it" })).toBeVisible();
  // Asking for this much needs the agent's own fresh code first: the form sends them to step up and back here.
  await expect(agentPage.getByTestId("step-up-notice")).toContainText("Reversing ¥30,000 or more");
  await expect(agentPage.getByRole("button", { name: "Confirm reversal of ¥150,000" })).toBeDisabled();
  await agentPage.getByRole("link", { name: "Confirm it is you" }).click();
  await stepUp(
    agentPage,
    agent,
    new RegExp(`/accounts/${customer.customer.id}/reverse\\?charge=${purchaseId}&amount=150000$`),
  );
  await agentPage.getByRole("button", { name: "Confirm reversal of ¥150,000" }).click();
  await expect(agentPage.getByTestId("toast")).toContainText("waits for a security lead's approval");
  await expect(agentPage.getByTestId("reversal-status")).toHaveText("pending approval");
  const requestPath = new URL(agentPage.url()).pathname;
  const requestId = requestPath.split("/").pop()!;
  expect(await prisma.ledgerTransaction.count({ where: { reversesId: purchaseId } })).toBe(0);

  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseURL, lead);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Approvals" }).click();
  await page
    .getByTestId("approvals")
    .getByRole("row", { name: /Kenta Ono/ })
    .getByRole("link", { name: "Review" })
    .click();
  await expect(page).toHaveURL(new RegExp(`/approvals/${requestId}$`));
  await expect(page.getByTestId("destination")).toContainText("credited to the customer's wallet");

  // Money moves only after a fresh authenticator code; the lead then comes back to the request and approves.
  await page.getByRole("button", { name: "Approve and reverse ¥150,000" }).click();
  await expect(page).toHaveURL(/\/step-up\?redirectTo=/);
  await stepUp(page, lead, new RegExp(`/approvals/${requestId}$`));
  await page.getByLabel("Comment (optional)").fill("Confirmed takeover with the customer");
  await page.getByRole("button", { name: "Approve and reverse ¥150,000" }).click();

  await expect(page).toHaveURL(new RegExp(`/reversals/${requestId}$`));
  await expect(page.getByTestId("toast")).toContainText("Approved: ¥150,000 reversed.");
  await expect(page.getByTestId("reversal-status")).toHaveText("completed");
  const reversals = await prisma.ledgerTransaction.findMany({ where: { reversesId: purchaseId } });
  expect(reversals.map((r) => r.amount)).toEqual([150_000]);

  // The agent's page shows the decision.
  await agentPage.reload();
  await expect(agentPage.getByTestId("reversal-status")).toHaveText("completed");
  await expect(agentPage.getByText("Mika Hayashi")).toBeVisible();
});
