// The incident command center and the risk rules page over real HTTP (run `npx remix build` first) in each member's
// language: a Japanese member reads the dashboard, timeline, breach-report pages and condition refusals in Japanese;
// an English member reads the same pages in English.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createIncident, createStore, createVictim } from "../support/ledger-fixtures";
import { createStaff, signIn, type StaffClient } from "../support/staff";

const ONE_HOUR = 60 * 60 * 1000;

let app: TestHttpApp;
let japanese: StaffClient;
let english: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  japanese = await signIn(app, await createStaff({ role: "COMPLIANCE", language: "ja" }));
  english = await signIn(app, await createStaff({ role: "COMPLIANCE", language: "en" }));
});

afterAll(async () => {
  await app?.close();
});

async function buildIncident() {
  const incident = await createIncident(prisma, new Date(Date.now() - 2 * ONE_HOUR));
  const store = await createStore(prisma);
  await createVictim(prisma, incident, store, { topUps: [30_000, 12_000], purchases: [] });
  return incident;
}

async function html(client: StaffClient, path: string): Promise<string> {
  const response = await client.get(path);
  expect(response.status).toBe(200);
  return response.text();
}

describe("incident command center in the member's language", () => {
  it("shows the dashboard, timeline and report tab in Japanese to a Japanese member", async () => {
    const incident = await buildIncident();
    const dashboard = await html(japanese, `/incidents/${incident.id}`);
    for (const words of ["ダッシュボード", "漏えい等報告", "集計時刻", "不正利用額", "状態別の案件数", "緊急停止"]) {
      expect(dashboard).toContain(words);
    }
    expect(dashboard).toContain('data-testid="stolen-yen">¥42,000<');
    expect(dashboard).not.toContain("Figures computed at");
    expect(dashboard).not.toContain("Cases by state");

    const timeline = await html(japanese, `/incidents/${incident.id}/timeline?category=wallet`);
    expect(timeline).toContain("表示する種類");
    expect(timeline).toContain("絞り込む");
    expect(timeline).not.toContain(">Filter<");

    const reports = await html(japanese, `/incidents/${incident.id}/report`);
    expect(reports).toContain("漏えい等報告（個人情報保護法）");
    expect(reports).toContain("事態を知った日時（日本時間）");
    expect(reports).not.toContain("Draft report");
  });

  it("keeps the English pages as they were for an English member", async () => {
    const incident = await buildIncident();
    const dashboard = await html(english, `/incidents/${incident.id}`);
    for (const words of ["Dashboard", "Breach report", "Figures computed at", "Cases by state", "Kill switches"]) {
      expect(dashboard).toContain(words);
    }
    const reports = await html(english, `/incidents/${incident.id}/report`);
    expect(reports).toContain("Breach reports (APPI)");
    expect(reports).toContain("Draft report");
  });

  it("refuses a bad draft in the member's language and changes nothing", async () => {
    const incident = await buildIncident();
    const page = `/incidents/${incident.id}/report`;
    const badKind = await japanese.post(page, { kind: "OTHER", learnedAt: "2019-07-03T10:00" });
    expect(badKind.status).toBe(400);
    expect(await badKind.text()).toContain("速報か確報かを選んでください。");
    const future = await japanese.post(page, { kind: "PRELIMINARY", learnedAt: "2099-07-03T10:00" });
    expect(future.status).toBe(400);
    expect(await future.text()).toContain("事態を知った日時に未来の日時は指定できません。");
    const english400 = await english.post(page, { kind: "PRELIMINARY", learnedAt: "2099-07-03T10:00" });
    expect(english400.status).toBe(400);
    expect(await english400.text()).toContain("The date the company learned of the breach cannot be in the future.");
    const notOnCalendar = { kind: "PRELIMINARY", learnedAt: "2019-02-30T10:00" };
    const japaneseCalendar = await japanese.post(page, notOnCalendar);
    expect(japaneseCalendar.status).toBe(400);
    expect(await japaneseCalendar.text()).toContain("は暦にない日付です。");
    const englishCalendar = await english.post(page, notOnCalendar);
    expect(englishCalendar.status).toBe(400);
    expect(await englishCalendar.text()).toContain("is not a date on the calendar.");
    expect(await prisma.breachReport.count({ where: { incidentId: incident.id } })).toBe(0);
  });
});

describe("risk rules page in the member's language", () => {
  it("explains features and refuses a bad condition in Japanese, in English for an English lead", async () => {
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const englishLead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "en" }));
    expect(await html(lead, "/rules")).toContain("このチャージの金額（円）。");
    expect(await html(englishLead, "/rules")).toContain("Yen of this top-up.");

    const draft = { ruleKey: "typo-rule", name: "Typo rule", condition: "amout > 3", outcome: "BLOCK" };
    const refused = await lead.post("/rules", draft);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("「amout」という特徴量はありません。「amount」のことですか？");
    const refusedInEnglish = await englishLead.post("/rules", draft);
    expect(refusedInEnglish.status).toBe(400);
    expect(await refusedInEnglish.text()).toContain("There is no feature called “amout”. Did you mean “amount”?");

    const badKey = await lead.post("/rules", { ...draft, ruleKey: "Bad Key!" });
    expect(badKey.status).toBe(400);
    expect(await badKey.text()).toContain("キーは半角英小文字・数字・ハイフンで 2〜60 文字にしてください");
  });
});
