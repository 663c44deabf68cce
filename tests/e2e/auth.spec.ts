// Staff sign-in as people do it, in Chromium: a new admin opens their one-time link, sets a password, enrols an
// authenticator from the manual key on the page (the "authenticator app" here is @oslojs/otp) and reaches the console;
// a COMPLIANCE member who tries a page their role lacks is told why, and an admin sees that denial in the audit trail.
import { readFileSync } from "node:fs";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import type { AuthFixtures } from "./support/prepare-auth-fixtures";

// Read when a test runs, not when the file is collected: the file is written just before the server starts, which
// Playwright may do after collecting the tests.
function loadFixtures(): AuthFixtures {
  return JSON.parse(readFileSync(process.env.FIREBREAK_E2E_FIXTURES!, "utf8")) as AuthFixtures;
}

// A page COMPLIANCE may not open: staff management (staff:manage). Once a reversal page exists, a money action such as
// /accounts/<id>/reverse (ledger:reverse) is the sharper example; the guard and the denial page are the same.
const FORBIDDEN_FOR_COMPLIANCE = { path: "/admin/staff", permission: "manage staff" };

/** An authenticator app that never shows the same code twice: each code is for a later 30-second step. */
class Authenticator {
  private lastStep = -1;
  constructor(private readonly secret: Uint8Array) {}
  static fromManualKey(key: string) {
    return new Authenticator(decodeBase32IgnorePadding(key.replace(/\s/g, "").toUpperCase()));
  }
  code(): string {
    const current = Math.floor(Date.now() / 30_000);
    // The server accepts one step ahead, so a second code within the same 30 seconds need not wait.
    const step = Math.max(current, this.lastStep + 1);
    this.lastStep = step;
    return generateHOTP(this.secret, BigInt(step), 6);
  }
}

/** Collects the console errors the browser reports, except those a test provokes on purpose. */
function watchConsole(page: Page, allowed: RegExp[] = []): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (allowed.some((pattern) => pattern.test(message.text()))) return;
    errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

async function signIn(page: Page, email: string, password: string, authenticator: Authenticator) {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Enter your authenticator code" })).toBeVisible();
  await page.getByLabel("Authenticator code").fill(authenticator.code());
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

test("a new admin sets a password, enrols TOTP from the page and reaches the console", async ({
  page,
  browserErrors,
}) => {
  // The one 400 expected: the deliberately mistyped enrollment code below.
  browserErrors.allow(/status of 400/);
  const errors = watchConsole(page, [/status of 400/]);
  const { newAdmin } = loadFixtures();
  await page.goto(newAdmin.invitePath);
  await expect(page.getByRole("heading", { name: `Welcome, ${newAdmin.displayName}` })).toBeVisible();
  const password = "a calm passphrase for incident night";
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Set password and continue" }).click();

  // Enrollment is mandatory: nothing else is reachable with only a password.
  await expect(page.getByRole("heading", { name: "Set up your authenticator" })).toBeVisible();
  await page.goto("/admin/staff");
  await expect(page).toHaveURL(/\/sign-in\/enroll/);
  await expect(page.getByTestId("totp-qr-code")).toBeVisible();
  const manualKey = (await page.getByTestId("totp-manual-key").textContent())!;
  expect(manualKey.replace(/\s/g, "")).toMatch(/^[A-Z2-7]{32}$/);
  const authenticator = Authenticator.fromManualKey(manualKey);

  // A mistyped code is explained, and the QR code stays the same.
  await page.getByLabel("Authenticator code").fill("000000");
  await page.getByRole("button", { name: "Confirm and finish" }).click();
  await expect(page.getByTestId("form-error")).toContainText("does not match");
  await expect(page.getByTestId("totp-manual-key")).toHaveText(manualKey);

  await page.getByLabel("Authenticator code").fill(authenticator.code());
  await page.getByRole("button", { name: "Confirm and finish" }).click();
  await expect(page.getByRole("heading", { name: "Save your recovery codes" })).toBeVisible();
  await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  await page.getByRole("link", { name: /continue to the console/ }).click();

  const navigation = page.getByRole("navigation", { name: "Main" });
  await expect(navigation.getByRole("link", { name: "Staff" })).toBeVisible();
  await expect(page.getByRole("banner").getByText(newAdmin.displayName)).toBeVisible();
  await navigation.getByRole("link", { name: "Staff" }).click();
  await expect(page.getByRole("heading", { name: "Staff", exact: true })).toBeVisible();
  await expect(page.getByTestId("staff-table")).toContainText(newAdmin.email);

  // Sign out ends the session; signing in again takes password and a fresh code.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to the console" })).toBeVisible();
  await page.goto("/admin/staff");
  await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Fadmin%2Fstaff/);
  await page.getByLabel("Work email").fill(newAdmin.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Authenticator code").fill(authenticator.code());
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/staff$/);
  expect(errors).toEqual([]);
});

test("a COMPLIANCE member is refused a page their role lacks, is told why, and the attempt is audited", async ({
  page,
  browser,
  browserErrors,
}) => {
  browserErrors.allow(/status of 403/);
  const errors = watchConsole(page, [/status of 403/]);
  const { compliance, admin } = loadFixtures();
  await signIn(page, compliance.email, compliance.password, Authenticator.fromManualKey(compliance.totpSecret));
  // The navigation offers only what the role may do.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Staff" })).toHaveCount(0);

  const response = await page.goto(FORBIDDEN_FOR_COMPLIANCE.path);
  expect(response?.status()).toBe(403);
  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expect(alert).toContainText(
    `Your role (Compliance) does not allow this: it needs the permission to ${FORBIDDEN_FOR_COMPLIANCE.permission}.`,
  );
  await expect(alert.getByTestId("request-id")).not.toHaveText("unavailable");
  expect(errors).toEqual([]);

  // An admin, in a browser of their own, finds the denial among the member's security events.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  const adminErrors = watchConsole(adminPage);
  await signIn(adminPage, admin.email, admin.password, Authenticator.fromManualKey(admin.totpSecret));
  await adminPage.goto("/admin/staff");
  await adminPage.getByRole("link", { name: compliance.displayName }).click();
  const denial = adminPage
    .getByTestId("security-events")
    .locator('tr[data-action="access.denied"][data-outcome="DENIED"]');
  await expect(denial).toHaveCount(1);
  await expect(denial).toContainText(`GET ${FORBIDDEN_FOR_COMPLIANCE.path}`);
  expect(adminErrors).toEqual([]);
  await adminContext.close();
});
