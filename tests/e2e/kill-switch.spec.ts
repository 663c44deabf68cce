// A security lead engages the top-up switch in the browser; the next top-up is refused — by the wallet back end
// running in this test's own process, a different process from the console — and the board's wallet check shows the
// refusal too; a second lead approves the release in another browser; top-ups work again.
//
// Its console (the production build, scripts/start.ts, from the fixture in support/console.ts) runs on a PostgreSQL
// database of its own, so that the test process can share that database with it: the embedded database belongs to
// one process, and a real cross-process top-up is the point of the test. Needs `npm run build` and the local
// PostgreSQL (as CI has).
import type { Page } from "@playwright/test";
import { expect, test } from "./support/console";
import { open, signIn, stepUp } from "./support/sign-in";

let baseURL = "";

type StaffModule = typeof import("../support/staff");
type TestStaff = Awaited<ReturnType<StaffModule["createStaff"]>>;
let staffModule: StaffModule;
let topUp: typeof import("~/wallet/top-up.server").topUp;
let customer: { id: string; card: string };

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(180_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ({ topUp } = await import("~/wallet/top-up.server"));
  const { prisma } = await import("~/db.server");
  const { createSimulatedCustomer } = await import("~/wallet/simulated-customers.server");
  const created = await createSimulatedCustomer(prisma, { fundingKinds: ["CREDIT_CARD", "BANK"] });
  customer = { id: created.id, card: created.fundingSources.find((s) => s.kind === "CREDIT_CARD")!.id };
});

/** The next simulated card top-up, made by the wallet back end in this process: its code, or ACCEPTED. */
async function nextTopUp(): Promise<string> {
  try {
    await topUp({ customerId: customer.id, fundingSourceId: customer.card, amount: 3000 });
    return "ACCEPTED";
  } catch (error) {
    return (error as { code?: string }).code ?? "UNEXPECTED";
  }
}

/** From the board's step-up notice: re-enter a code, and land back on the board. */
async function stepUpFromBoard(page: Page, staff: TestStaff, switchKey: string) {
  await page.getByTestId(`switch-${switchKey}`).getByRole("link", { name: "Confirm it is you" }).click();
  await stepUp(page, staff, /\/kill-switches/);
}

test("engage in the browser, refused at once elsewhere, released by a second lead", async ({ browser }) => {
  // Two sign-ins (argon2) and two step-ups on a shared 2-core machine: allow more than the suite's default.
  test.setTimeout(300_000);
  const first = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Kenji Watanabe" });
  const second = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Mika Ito" });
  expect(await nextTopUp()).toBe("ACCEPTED");

  const leadPage = await (await browser.newContext()).newPage();
  await signIn(leadPage, baseURL, first);
  await open(leadPage, baseURL, "/kill-switches");
  const allTopUps = leadPage.getByTestId("switch-topup.all");
  await expect(leadPage.getByTestId("state-topup.all")).toHaveText(/Released/);
  await stepUpFromBoard(leadPage, first, "topup.all");

  // A blank reason is refused with a clear message and changes nothing.
  await allTopUps.getByLabel("Reason for engaging").fill("   ");
  await allTopUps.getByRole("button", { name: /Engage/ }).click();
  await expect(allTopUps.getByText("Give a reason for engaging the switch")).toBeVisible();
  await expect(leadPage.getByTestId("state-topup.all")).toHaveText(/Released/);
  expect(await nextTopUp()).toBe("ACCEPTED");

  await allTopUps.getByLabel("Reason for engaging").fill("Card top-ups from hijacked accounts (7pay day 3)");
  await allTopUps.getByRole("button", { name: /Engage/ }).click();
  await expect(leadPage.getByTestId("toast")).toContainText("engaged");
  await expect(leadPage.getByTestId("state-topup.all")).toHaveText(/Engaged/);
  await expect(leadPage.getByTestId("kill-switch-banner")).toContainText("All top-ups");

  // The very next top-up, in another process, is refused — no cache to wait for.
  expect(await nextTopUp()).toBe("TOPUP_SUSPENDED");
  await expect(leadPage.getByTestId("admission-CREDIT_CARD")).toContainText("refused (TOPUP_SUSPENDED)");

  // The same lead asks for the release; they cannot approve it themselves (no approve button for them).
  await allTopUps.getByLabel("Reason for releasing").fill("Compromised cards blocked with the acquirer");
  await allTopUps.getByRole("button", { name: /Request release/ }).click();
  await expect(leadPage.getByTestId("pending-topup.all")).toContainText("Waiting for another security lead");
  await expect(leadPage.getByTestId("pending-topup.all").getByRole("button", { name: /Approve/ })).toHaveCount(0);
  expect(await nextTopUp()).toBe("TOPUP_SUSPENDED");

  // A second security lead approves it.
  const secondPage = await (await browser.newContext()).newPage();
  await signIn(secondPage, baseURL, second);
  await open(secondPage, baseURL, "/kill-switches");
  await expect(secondPage.getByTestId("pending-approvals")).toContainText("Release of All top-ups");
  await stepUpFromBoard(secondPage, second, "topup.all");
  const pending = secondPage.getByTestId("pending-topup.all");
  await pending.getByLabel(/Approval note/).fill("Checked with the acquirer");
  await pending.getByRole("button", { name: "Approve and release" }).click();
  await expect(secondPage.getByTestId("toast")).toContainText("released");
  await expect(secondPage.getByTestId("state-topup.all")).toHaveText(/Released/);
  await expect(secondPage.getByTestId("kill-switch-banner")).toHaveCount(0);
  await expect(secondPage.getByTestId("admission-CREDIT_CARD")).toContainText("accepted");

  // Top-ups work again.
  expect(await nextTopUp()).toBe("ACCEPTED");
  const history = secondPage.getByTestId("switch-history");
  await expect(history).toContainText("Released (four-eyes)");
  await expect(history).toContainText("requested by Kenji Watanabe");
  await expect(history).toContainText("approved by Mika Ito");
});

test("a change refused because another lead got there first shows the board as it is now", async ({ browser }) => {
  test.setTimeout(300_000);
  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Haruka Sato" });
  const other = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "Daichi Mori" });
  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseURL, lead);
  await open(page, baseURL, "/kill-switches");
  await stepUpFromBoard(page, lead, "topup.bank");
  await expect(page.getByTestId("state-topup.bank")).toHaveText(/Released/);

  // Another lead engages it meanwhile, from elsewhere: this page still shows it released, with the engage form.
  const { engageSwitch } = await import("~/killswitch/engage.server");
  await engageSwitch(
    {
      actor: { kind: "staff", id: other.id, role: "SECURITY_LEAD" },
      origin: { ip: null, userAgent: "e2e", requestId: null },
      steppedUpAt: new Date(),
    },
    { key: "topup.bank", reason: "Bank top-ups from hijacked accounts" },
  );
  await expect(page.getByTestId("state-topup.bank")).toHaveText(/Released/);

  const bank = page.getByTestId("switch-topup.bank");
  await bank.getByLabel("Reason for engaging").fill("The same attack, seen from the bank side");
  await bank.getByRole("button", { name: /Engage/ }).click();
  // The refusal, and the board as it is now: engaged by the other lead, for their reason.
  await expect(page.getByTestId("form-error")).toContainText("already engaged");
  await expect(page.getByTestId("state-topup.bank")).toHaveText(/Engaged/);
  await expect(page.getByTestId("reason-topup.bank")).toHaveText("Bank top-ups from hijacked accounts");
});
