// A security lead on the 7pay day, in Japanese, in a browser set to Tokyo's time zone at 1,024 px — as the console's
// staff use it, where the other specs run in the machine's zone (UTC) and mostly in English. The menu keeps every
// entry in view, the incident dashboard's chart hydrates without being drawn again, the containment policy page runs
// its scripts, and a rule drafted with a mistake leads the keyboard to the field at fault
// (docs/decisions/091-a-security-teams-day-in-tokyo.md).
//
// Like the other console specs, this file starts its own console (production build, scripts/start.ts) on a fresh
// PostgreSQL database that this process shares for its fixtures. Needs `npm run build` and the local PostgreSQL.
import { expect, test } from "./support/console";
import { open, signInInJapanese, tokyoPage } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");

let baseURL = "";
let staffModule: StaffModule;
let ledger: typeof import("../support/ledger-fixtures");
let prisma: typeof import("~/db.server").prisma;

const ONE_HOUR = 60 * 60 * 1000;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  ledger = await import("../support/ledger-fixtures");
  ({ prisma } = await import("~/db.server"));
});

test("a lead in Tokyo at 1,024 px: the whole menu, a dashboard that hydrates, policy and rule pages that work", async ({
  browser,
}) => {
  // This page is in a context of its own (Tokyo's zone), which the fixture does not watch: its errors are kept here.
  const page = await tokyoPage(browser);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));

  // An incident that has lasted three days: the chart's axis spans Tokyo midnights.
  const opened = new Date(Date.now() - 3 * 24 * ONE_HOUR);
  const incident = await ledger.createIncident(prisma, opened);
  const store = await ledger.createStore(prisma);
  const victim = await ledger.createVictim(prisma, incident, store, { topUps: [30_000], purchases: [] });
  await ledger.topUp(prisma, victim, 20_000, new Date(Date.now() - ONE_HOUR));
  const lead = await staffModule.createStaff({ role: "SECURITY_LEAD", displayName: "渡辺 健二", language: "ja" });
  await signInInJapanese(page, baseURL, lead);

  // From the keyboard, the first Tab stop skips the header and its menu to the page itself.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "本文へスキップ" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();

  // Every entry of the menu is inside the window, the last one (the audit trail) too.
  const menu = page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link");
  await expect(menu.last()).toHaveText("監査ログ");
  for (const link of await menu.all()) {
    const box = await link.boundingBox();
    expect(box, await link.innerText()).not.toBeNull();
    expect(box!.x + box!.width, await link.innerText()).toBeLessThanOrEqual(1024);
  }

  // The dashboard's chart: the server's SVG is the browser's, so hydration reports no mismatch.
  await open(page, baseURL, `/incidents/${incident.id}`);
  await expect(page.getByTestId("stolen-yen")).toHaveText("¥50,000");
  const ticks = page.getByTestId("money-chart").locator("text");
  await expect(ticks.filter({ hasText: /^\d\d\/\d\d 00:00$/ }).first()).toBeVisible();
  expect(errors, "the dashboard hydrated without an error").toEqual([]);

  // A victim's account at this width: the freeze form's reason field is wide enough to type a reason into, and the
  // mark of the attacker's phone (seen on another account too) is whole inside its card.
  const { createTestCustomer } = await import("../support/customers");
  const other = await createTestCustomer(prisma);
  for (const customerId of [victim.customer.id, other.customer.id]) {
    await prisma.device.create({
      data: {
        customerId,
        fingerprint: "a1b2c3d4e5f60718",
        platform: "android",
        model: "Galaxy S8",
        firstSeenAt: opened,
      },
    });
  }
  await open(page, baseURL, `/accounts/${victim.customer.id}`);
  const reason = page.getByTestId("status-form").getByLabel("理由（監査ログに記録されます）");
  expect((await reason.boundingBox())!.width).toBeGreaterThan(200);
  const sharedDevice = page.getByText("他の 1 件のアカウントでも使用");
  const card = page.locator("section", { has: page.getByTestId("device-row") });
  const [pill, cardBox] = [(await sharedDevice.boundingBox())!, (await card.boundingBox())!];
  expect(pill.x + pill.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);

  // The containment policy page hydrates (its module loads in the browser) and a proposal is confirmed in Japanese.
  await open(page, baseURL, "/policies");
  await page.getByLabel("検知器").selectOption({ index: 0 });
  await page.getByRole("button", { name: "提案する" }).click();
  // The page's figures are recorded (ADR 102), so nothing is computed for it; the minute is for a machine busy with
  // other test stages.
  await expect(page.getByTestId("toast")).toHaveText(
    /ポリシーを提案しました。別のセキュリティ責任者の承認が必要です。/,
    { timeout: 60_000 },
  );
  expect(await prisma.containmentPolicy.count({ where: { proposedById: lead.id } })).toBe(1);
  expect(errors, "the policy page ran without an error").toEqual([]);

  // A rule drafted with a mistake: focus goes to the field at fault, whose message is read with it; corrected, the
  // draft is sent with Enter from the keyboard.
  await open(page, baseURL, "/rules");
  await page.getByLabel(/^キー/).fill("new-device-card");
  await page.getByLabel("名前").fill("新しい端末からの高額チャージ");
  const condition = page.getByLabel("条件");
  await condition.fill("device_age_hours < 24 and amount >>> 30000");
  await page.getByRole("button", { name: "下書きを保存" }).click();
  await expect(condition).toBeFocused();
  await expect(condition).toHaveAttribute("aria-invalid", "true");
  await expect(condition).toHaveAccessibleDescription(/（\d+ 文字目）/);
  errors.length = 0; // the refused post's 400, which the browser logs
  await condition.fill("device_age_hours < 24 and amount >= 30000");
  await page.getByLabel("名前").press("Enter");
  // The same minute as the proposal above: the draft may be answered by a web process busy with its first visits.
  await expect(page.getByTestId("toast")).toContainText("new-device-card 第1版の下書きを保存しました", {
    timeout: 60_000,
  });
  await expect(page).toHaveURL(/\/rules\/[0-9a-f-]{36}$/);
  expect(errors).toEqual([]);
});
