// A rule page with a backtest over real HTTP (run `npx remix build` first): the matches-per-day chart is in the HTML
// the server sends, as SVG bars a page without JavaScript shows, with no inline style the CSP would refuse, and with
// the table of the same counts beside it. The rule matches only an amount no other test uses, so test files sharing
// a PostgreSQL database neither see its top-ups matched nor add matches to it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { backtestRule, draftRule } from "~/risk/rules.server";
import { createTestCustomer } from "../support/customers";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaffContext, topUp } from "../support/ledger-fixtures";
import { createStaff, signIn } from "../support/staff";

const ONE_DAY = 24 * 60 * 60 * 1000;
const JST_OFFSET = 9 * 60 * 60 * 1000;
const AMOUNT = 61_357;

let app: TestHttpApp;

beforeAll(async () => {
  app = await startHttpApp();
});

afterAll(async () => {
  await app?.close();
});

/** The served HTML of the rule page's chart: from its <svg> to the closing tag. */
function chartSvg(html: string): string {
  const start = html.indexOf("<svg", html.indexOf("<figure"));
  expect(start).toBeGreaterThanOrEqual(0);
  const svg = html.slice(start, html.indexOf("</svg>", start) + "</svg>".length);
  expect(svg).toContain('data-testid="backtest-chart"');
  return svg;
}

describe("rule page with a backtest over HTTP", () => {
  it("serves the matches-per-day chart as SVG bars, without inline styles, over its table", async () => {
    const customer = await createTestCustomer(prisma);
    // Two matching top-ups at noon JST three days ago and one at noon yesterday: two days, two bars, whatever the hour
    // the test runs at.
    const todayJst = Math.floor((Date.now() + JST_OFFSET) / ONE_DAY) * ONE_DAY - JST_OFFSET;
    const noon = (daysAgo: number) => todayJst - daysAgo * ONE_DAY + ONE_DAY / 2;
    for (const at of [noon(3), noon(3) + 60_000, noon(1)]) {
      await topUp(prisma, customer, AMOUNT, new Date(at));
    }
    const author = await createStaffContext(prisma, "SECURITY_LEAD");
    const rule = await draftRule(author, {
      ruleKey: `chart-${randomUUID().slice(0, 8)}`,
      name: "chart rule",
      condition: `amount == ${AMOUNT}`,
      outcome: "HOLD",
      channel: "ALL",
    });
    const { results } = await backtestRule(author, rule.id);
    expect(results.matchesByDay).toHaveLength(2);
    expect(results.matchesByDay.map((d) => d.legitimate)).toEqual([2, 1]);

    const english = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "en" }));
    const response = await english.get(`/rules/${rule.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const svg = chartSvg(html);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="0 fraudulent and 3 legitimate top-ups matched over 2 days"');
    // One bar per day for the legitimate matches; no fraud bar, as no replay ground truth marks them fraudulent.
    expect(svg.match(/<rect[^>]*data-series="legitimate"/g)).toHaveLength(2);
    expect(svg).not.toContain('data-series="fraud"');
    // The day labels are plain text the CSP allows, not visx's nested, inline-styled <svg>.
    const [first, last] = results.matchesByDay.map((d) => d.day.slice(5));
    expect(svg).toContain(`>${first}</text>`);
    expect(svg).toContain(`>${last}</text>`);
    expect(svg).not.toContain("style=");
    expect(html).toContain('data-testid="backtest-table"');
    expect(html).toContain("Matches per day as a table");

    const japanese = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const inJapanese = await (await japanese.get(`/rules/${rule.id}`)).text();
    expect(chartSvg(inJapanese)).toContain('aria-label="2日間で不正 0 件、正当 3 件のチャージに一致"');
    expect(inJapanese).toContain("日別の一致件数（JST）");
  });

  it("labels the figures by the event kind the rule decides, in both languages", async () => {
    const author = await createStaffContext(prisma, "SECURITY_LEAD");
    const rule = await draftRule(author, {
      ruleKey: `labels-${randomUUID().slice(0, 8)}`,
      name: "contact change rule",
      condition: 'contact_field == "PHONE" and contact_changes_24h >= 4',
      outcome: "HOLD",
      channel: "ALL",
      eventKind: "CONTACT_CHANGE",
    });
    const { results } = await backtestRule(author, rule.id);
    expect(results.eventKinds).toEqual(["CONTACT_CHANGE"]);
    const english = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "en" }));
    const html = await (await english.get(`/rules/${rule.id}`)).text();
    expect(html).toContain("Replayed (contact changes)");
    expect(html).toContain("Matched (contact changes)");
    expect(html).toContain("Legitimate contact changes touched");
    const japanese = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const inJapanese = await (await japanese.get(`/rules/${rule.id}`)).text();
    expect(inJapanese).toContain("再生した連絡先の変更");
    expect(inJapanese).toContain("一致した連絡先の変更");
    expect(inJapanese).toContain("影響した正当な連絡先の変更");
  });
});
