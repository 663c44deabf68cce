// Every console page in Japanese, signed in as each role, passes axe-core with no serious or critical violation; the
// same walk in English; the header stays on one line at 1366 px; the sign-in page follows the browser's language.
// With FIREBREAK_UPDATE_SCREENSHOTS=1 it also writes the Japanese screenshots in docs/screenshots/.
//
// Like the audit spec, this file starts its own console (the production build, scripts/start.ts) on a fresh
// PostgreSQL database and creates its staff in this process. Needs `npm run build` and the local PostgreSQL.
import { mkdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import type { Role } from "~/auth/permissions";
import type { Language } from "~/i18n/config";
import { expect, test } from "./support/console";

const SCREENSHOTS = path.resolve("docs/screenshots");
const WIDE = { width: 1366, height: 900 };

let baseURL = "";
type StaffModule = typeof import("../support/staff");
type TestStaff = Awaited<ReturnType<StaffModule["createStaff"]>>;
let staffModule: StaffModule;

// The pages each role reaches from the navigation (the same permissions the shell uses to show the links).
const PAGES: { path: string; name: string; roles: Role[] }[] = [
  { path: "/", name: "incident", roles: ["AGENT", "SECURITY_LEAD", "COMPLIANCE", "ADMIN"] },
  { path: "/accounts", name: "accounts", roles: ["AGENT", "SECURITY_LEAD", "COMPLIANCE"] },
  { path: "/incidents", name: "cases", roles: ["AGENT", "SECURITY_LEAD", "COMPLIANCE"] },
  { path: "/cohorts", name: "cohorts", roles: ["SECURITY_LEAD"] },
  { path: "/kill-switches", name: "kill-switches", roles: ["AGENT", "SECURITY_LEAD", "COMPLIANCE"] },
  { path: "/approvals", name: "approvals", roles: ["SECURITY_LEAD"] },
  { path: "/jobs", name: "jobs", roles: ["SECURITY_LEAD"] },
  { path: "/notifications", name: "notifications", roles: ["AGENT", "SECURITY_LEAD"] },
  { path: "/audit", name: "audit", roles: ["SECURITY_LEAD", "COMPLIANCE"] },
  { path: "/admin/staff", name: "staff", roles: ["ADMIN"] },
  { path: "/admin/service-tokens", name: "service-tokens", roles: ["ADMIN"] },
];
const ROLES: Role[] = ["AGENT", "SECURITY_LEAD", "COMPLIANCE", "ADMIN"];
const captured = new Set<string>();

/** Serious and critical axe violations on the page, as readable lines (rule, impact, the first offending nodes). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(" "))
          .join(" | ")}`,
    );
}

async function signIn(page: Page, staff: TestStaff, language: Language) {
  const labels =
    language === "ja"
      ? {
          email: "業務用メールアドレス",
          password: "パスワード",
          next: "次へ",
          code: "確認コード",
          verify: "確認してサインイン",
        }
      : {
          email: "Work email",
          password: "Password",
          next: "Continue",
          code: "Authenticator code",
          verify: "Verify and sign in",
        };
  await page.goto(`${baseURL}/sign-in`);
  await page.getByLabel(labels.email).fill(staff.email);
  await page.getByLabel(labels.password).fill(staff.password);
  await page.getByRole("button", { name: labels.next }).click();
  await page.getByLabel(labels.code).fill(staffModule.nextTotpCode(staff));
  await page.getByRole("button", { name: labels.verify }).click();
  await expect(page.locator("header nav")).toBeVisible();
}

async function newPage(browser: Browser, language: Language) {
  const context = await browser.newContext({ locale: language === "ja" ? "ja-JP" : "en-US", viewport: WIDE });
  return { context, page: await context.newPage() };
}

// Not serial: one role's failing page must not hide the others' results.

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(180_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
});

test("the sign-in page follows the browser's language and passes axe in both", async ({ browser }) => {
  for (const language of ["ja", "en"] as const) {
    const { context, page } = await newPage(browser, language);
    await page.goto(`${baseURL}/sign-in`);
    await expect(page.locator("html")).toHaveAttribute("lang", language);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      language === "ja" ? "コンソールにサインイン" : "Sign in to the console",
    );
    expect.soft(await seriousViolations(page), `/sign-in in ${language}`).toEqual([]);
    if (language === "ja" && process.env.FIREBREAK_UPDATE_SCREENSHOTS === "1") {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, "ja-sign-in.png") });
    }
    await context.close();
  }
});

for (const language of ["ja", "en"] as const) {
  for (const role of ROLES) {
    test(`every page for ${role} in ${language}: no serious axe violation, header on one line`, async ({ browser }) => {
      test.setTimeout(240_000);
      const staff = await staffModule.createStaff({ role, language, displayName: `${role} ${language}` });
      const { context, page } = await newPage(browser, language);
      await signIn(page, staff, language);
      const found: string[] = [];
      for (const target of PAGES.filter((p) => p.roles.includes(role))) {
        await page.goto(`${baseURL}${target.path}`);
        await expect(page.locator("html")).toHaveAttribute("lang", language);
        await expect(page.locator("main")).toBeVisible();
        // The header is one row at 1366 px: every navigation link sits on the same line.
        const tops = await page
          .locator("header nav a")
          .evaluateAll((links) => links.map((link) => Math.round(link.getBoundingClientRect().top)));
        expect.soft(new Set(tops).size, `${target.path}: navigation wraps (${tops.join(", ")})`).toBe(1);
        for (const violation of await seriousViolations(page)) found.push(`${target.path}: ${violation}`);
        // One screenshot per page, as the first role in ROLES that reaches it sees it.
        if (language === "ja" && process.env.FIREBREAK_UPDATE_SCREENSHOTS === "1" && !captured.has(target.name)) {
          captured.add(target.name);
          mkdirSync(SCREENSHOTS, { recursive: true });
          await page.mouse.move(0, 0);
          await page.screenshot({ path: path.join(SCREENSHOTS, `ja-${target.name}.png`) });
        }
      }
      expect.soft(found).toEqual([]);
      await context.close();
    });
  }
}

test("after an action, focus goes to the first invalid field, or to the heading with the toast announced", async ({
  browser,
}) => {
  const { prisma } = await import("~/db.server");
  const { createTestCustomer } = await import("../support/customers");
  const { buy, createStore, freezeAccount, topUp } = await import("../support/ledger-fixtures");
  const customer = await createTestCustomer(prisma);
  const store = await createStore(prisma);
  await topUp(prisma, customer, 5_000);
  const purchaseId = await buy(prisma, customer, store, 5_000);
  await freezeAccount(prisma, customer.customer.id); // secured, so the form is open to the amounts under test
  const agent = await staffModule.createStaff({ role: "AGENT", language: "ja", displayName: "Focus ja" });
  const { context, page } = await newPage(browser, "ja");
  await signIn(page, agent, "ja");
  await page.goto(`${baseURL}/accounts/${customer.customer.id}/reverse?charge=${purchaseId}`);
  const amount = page.getByLabel("取消金額（円）");

  // The server refuses the amount: focus lands on that field, marked invalid, with its message.
  await amount.fill("0");
  await page.getByRole("button", { name: "取消を確定" }).click();
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  await expect(amount).toBeFocused();

  // A success redirects with a toast: it sits in a live region, and focus is on the new page's main heading.
  await amount.fill("1000");
  await page.getByRole("button", { name: /の取消を確定$/ }).click();
  await expect(page).toHaveURL(/\/reversals\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("toast-region")).toHaveAttribute("aria-live", "polite");
  await expect(page.getByTestId("toast-region").getByRole("status")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  await context.close();
});
