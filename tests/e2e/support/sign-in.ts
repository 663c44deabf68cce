// The browser steps every console spec repeats: wait for hydration, open a page, sign a staff member in, step up.
// One copy, so a change to those pages is followed in one place, and every spec waits the same way (a spec that filled
// a form before hydration could post it natively and be refused at the perimeter).
import type { Browser, Page } from "@playwright/test";
import { expect } from "./test";

type TestStaff = Awaited<ReturnType<typeof import("../../support/staff").createStaff>>;

/**
 * Waits until Remix has hydrated the page, so forms submit through fetch. (Before that a click posts the form
 * natively, and with Referrer-Policy: no-referrer the browser sends Origin: null, which the perimeter refuses.)
 */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => "__remixRouter" in window);
}

/** Opens `pathname` on the console at `baseURL` and waits for hydration. */
export async function open(page: Page, baseURL: string, pathname: string): Promise<void> {
  await page.goto(`${baseURL}${pathname}`);
  await hydrated(page);
}

// The code page and the console speak the member's language once the password is accepted (the password page
// speaks the browser's, English here).
const AFTER_PASSWORD = {
  en: { code: "Authenticator code", verify: "Verify and sign in", navigation: "Main" },
  ja: { code: "確認コード", verify: "確認してサインイン", navigation: "メインメニュー" },
} as const;

/** Signs `staff` in with password and authenticator code, and waits for the console's main navigation. */
export async function signIn(
  page: Page,
  baseURL: string,
  staff: TestStaff,
  language: keyof typeof AFTER_PASSWORD = "en",
): Promise<void> {
  // Imported here, not at the top: `~/db.server` behind it must read the settings the console fixture sets first.
  const { nextTotpCode } = await import("../../support/staff");
  const labels = AFTER_PASSWORD[language];
  await open(page, baseURL, "/sign-in");
  await page.getByLabel("Work email").fill(staff.email);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/sign-in\/totp/, { timeout: 30_000 }); // argon2 takes its time
  await hydrated(page);
  await page.getByLabel(labels.code).fill(nextTotpCode(staff));
  await page.getByRole("button", { name: labels.verify }).click();
  await expect(page.getByRole("navigation", { name: labels.navigation })).toBeVisible();
}

/** A browser page as a member in Tokyo sees the console: Japanese, Tokyo's time zone, a 1,024 px window unless said. */
export async function tokyoPage(
  browser: Browser,
  { width = 1024, height = 768 }: { width?: number; height?: number } = {},
): Promise<Page> {
  const context = await browser.newContext({
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
    viewport: { width, height },
    acceptDownloads: true,
  });
  return context.newPage();
}

/** Signs `staff` in from a Japanese browser (tokyoPage): the password page speaks Japanese too. */
export async function signInInJapanese(page: Page, baseURL: string, staff: TestStaff): Promise<void> {
  const { nextTotpCode } = await import("../../support/staff");
  await open(page, baseURL, "/sign-in");
  await page.getByLabel("業務用メールアドレス").fill(staff.email);
  await page.getByLabel("パスワード").fill(staff.password);
  await page.getByRole("button", { name: "次へ" }).click();
  await expect(page).toHaveURL(/\/sign-in\/totp/, { timeout: 30_000 }); // argon2 takes its time
  await hydrated(page);
  await page.getByLabel("確認コード").fill(nextTotpCode(staff));
  await page.getByRole("button", { name: "確認してサインイン" }).click();
  await expect(page.getByRole("navigation", { name: "メインメニュー" })).toBeVisible();
}

/**
 * Confirms it is `staff` on the step-up page the test has just followed a link or a refused form to: re-enters a code,
 * and waits until the console has sent them back to the page they came from (`returnsTo`) and it has hydrated.
 */
export async function stepUp(page: Page, staff: TestStaff, returnsTo: RegExp): Promise<void> {
  const { nextTotpCode } = await import("../../support/staff");
  await expect(page).toHaveURL(/\/step-up/);
  await hydrated(page);
  await page.getByLabel("Authenticator code").fill(nextTotpCode(staff));
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(returnsTo);
  await hydrated(page);
}

/** stepUp on the step-up page in Japanese, as a member whose console speaks Japanese sees it. */
export async function stepUpInJapanese(page: Page, staff: TestStaff, returnsTo: RegExp): Promise<void> {
  const { nextTotpCode } = await import("../../support/staff");
  await expect(page).toHaveURL(/\/step-up/);
  await hydrated(page);
  await page.getByLabel("確認コード").fill(nextTotpCode(staff));
  await page.getByRole("button", { name: "確認する" }).click();
  await expect(page).toHaveURL(returnsTo);
  await hydrated(page);
}
