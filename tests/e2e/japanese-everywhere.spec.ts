// A Japanese member of each role walks the whole console in Chromium, in Tokyo's time zone, on the 7pay replay: from
// every page of the main menu, every link each page offers is followed (each kind of page once), and no page, once its
// scripts have run, shows or reads aloud an English word that is not a name, a code or the records' own data
// (tests/support/english-words.ts). The same walk in English finds no Japanese outside the records' data. The HTTP scan
// (tests/integration/japanese-everywhere-http.test.ts) reads what the server sends; this reads what the reader meets
// (docs/decisions/106-a-japanese-staff-members-sweep.md).
//
// FIREBREAK_SWEEP_SCREENSHOTS=<folder> writes a full-page screenshot of every page visited, to look at.
//
// Like the other console specs, this file starts its own console (production build, scripts/start.ts) on a fresh
// PostgreSQL database that this process shares for its fixtures. Needs `npx remix build` and the local PostgreSQL.
import { mkdirSync } from "node:fs";
import type { Role } from "~/auth/permissions";
import { expect, test } from "./support/console";
import { sweepPages } from "./support/japanese-sweep";
import { signIn, signInInJapanese, tokyoPage } from "./support/sign-in";

type StaffModule = typeof import("../support/staff");

const ROLES: Role[] = ["AGENT", "SECURITY_LEAD", "COMPLIANCE", "ADMIN"];
const REPLAY_CUSTOMERS = 300;
const SCREENSHOTS = process.env.FIREBREAK_SWEEP_SCREENSHOTS;

let baseURL = "";
let staffModule: StaffModule;
// The records' own values, shown as stored (the replay's store names, a staff member's name): data, not UI.
const DATA: string[] = [];
const JAPANESE_DATA: string[] = [];

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(300_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  const { database, prisma } = await import("~/db.server");
  const { seedDatabase } = await import("~/incidents/replay/seed.server");
  await seedDatabase(database, { customers: REPLAY_CUSTOMERS });
  const stores = await prisma.store.findMany({ select: { name: true, area: true } });
  const customers = await prisma.customer.findMany({ select: { name: true, nameKana: true } });
  const incidents = await prisma.incident.findMany({ select: { title: true, summary: true } });
  const records = [...stores.flatMap((s) => [s.name, s.area]), ...incidents.flatMap((i) => [i.title, i.summary])];
  for (const value of records) {
    if (!value) continue;
    DATA.push(value);
    JAPANESE_DATA.push(value);
  }
  for (const customer of customers) JAPANESE_DATA.push(customer.name, customer.nameKana);
  // What the customers bought, as the wallet recorded it (an account's purchases list each item's description).
  const items = await prisma.purchaseItem.findMany({ select: { description: true }, distinct: ["description"] });
  for (const { description } of items) JAPANESE_DATA.push(description);
  // Japanese on purpose on an English page: the search box's example is what a Japanese caller says, and the breach
  // report names the regulator's two reports by their Japanese names beside the English ones.
  JAPANESE_DATA.push("佐藤 翔太", "昭和", "年", "速報", "確報");
  // Devices' models as the wallet recorded them (their platforms are named: ADR 111).
  const devices = await prisma.device.findMany({
    select: { model: true },
    distinct: ["model"],
  });
  for (const device of devices) if (device.model) DATA.push(device.model);
  // Countries of sign-ins as recorded (CN), and product category codes, which the dashboard's chart labels its bars
  // with (the table under it names them; ADR 106 leaves the chart's labels as codes).
  const countries = await prisma.loginEvent.findMany({ select: { country: true }, distinct: ["country"] });
  for (const { country } of countries) if (country) DATA.push(country);
  const categories = await prisma.productCategory.findMany({ select: { code: true } });
  for (const { code } of categories) DATA.push(code);
  // Longest first: a value inside a longer one must not cut the longer one apart before it is removed.
  DATA.sort((a, b) => b.length - a.length);
  JAPANESE_DATA.sort((a, b) => b.length - a.length);
});

for (const role of ROLES) {
  test(`a Japanese ${role} meets no English on any page a link leads to`, async ({ browser }) => {
    test.setTimeout(600_000);
    const staff = await staffModule.createStaff({ role, language: "ja", displayName: "佐藤 葵" });
    const page = await tokyoPage(browser, { width: 1366, height: 900 });
    await signInInJapanese(page, baseURL, staff);
    // The audit trail shows the member's own browser (its user agent) as recorded: data.
    const data = [await page.evaluate(() => navigator.userAgent), ...DATA];
    const menu = await page
      .getByRole("navigation", { name: "メインメニュー" })
      .getByRole("link")
      .evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
    const { visited, findings } = await sweepPages(page, {
      baseURL,
      language: "ja",
      start: ["/", ...menu, "/settings/language"],
      data,
      screenshots: SCREENSHOTS ? { dir: SCREENSHOTS, prefix: `ja-${role}` } : undefined,
    });
    // The walk went past the pages it started from (a sweep that reads nothing cannot fail).
    expect(visited.length).toBeGreaterThan(menu.length + 2);
    expect(findings.map((f) => `${f.path} (${f.status}): ${f.words.join(" ")}`)).toEqual([]);
    await page.context().close();
  });
}

for (const role of ["SECURITY_LEAD"] as Role[]) {
  test(`an English ${role} meets no Japanese outside the records`, async ({ browser }) => {
    test.setTimeout(600_000);
    const staff = await staffModule.createStaff({ role, language: "en", displayName: "Aoi Sato" });
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await signIn(page, baseURL, staff);
    const menu = await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link")
      .evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
    // Staff members' names as they gave them (the Japanese walks' members are assignees by now): data.
    const { prisma } = await import("~/db.server");
    const members = await prisma.staffUser.findMany({ select: { displayName: true } });
    const { visited, findings } = await sweepPages(page, {
      baseURL,
      language: "en",
      start: ["/", ...menu, "/settings/language"],
      data: [...members.map((m) => m.displayName), ...JAPANESE_DATA].sort((a, b) => b.length - a.length),
      screenshots: SCREENSHOTS ? { dir: SCREENSHOTS, prefix: `en-${role}` } : undefined,
    });
    expect(visited.length).toBeGreaterThan(menu.length + 2);
    expect(findings.map((f) => `${f.path} (${f.status}): ${f.words.join(" ")}`)).toEqual([]);
    await context.close();
  });
}
