// The account view and its actions in the member's language, over real HTTP (run `npx remix build` first): a Japanese
// member reads the page, the form errors and the toast in Japanese, with JST dates in Japanese order; an English
// member reads the same account in English.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let japanese: StaffClient;
let english: StaffClient;
let customerId: string;

beforeAll(async () => {
  app = await startHttpApp();
  japanese = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
  english = await signIn(app, await createStaff({ role: "AGENT", language: "en" }));
  const customer = await prisma.customer.create({
    data: {
      displayId: `L-${randomUUID().slice(0, 8)}`,
      name: "言語 試験",
      nameKana: "ゲンゴ シケン",
      email: `i18n-${randomUUID().slice(0, 8)}@http.example`,
      phone: `+8190${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
      birthDate: new Date("1985-04-01"),
      createdAt: new Date("2026-07-01T03:04:05Z"),
    },
  });
  customerId = customer.id;
  await prisma.loginEvent.create({
    data: {
      customerId,
      ip: "198.18.7.7",
      country: "VN",
      success: true,
      newDevice: true,
      occurredAt: new Date("2026-07-02T01:00:00Z"),
    },
  });
});

afterAll(async () => {
  await app?.close();
});

describe("the account view in the member's language", () => {
  it("shows Japanese headings and a Japanese-ordered JST date to a Japanese member, English to an English one", async () => {
    const ja = await (await japanese.get(`/accounts/${customerId}`)).text();
    expect(ja).toContain("お客様情報");
    expect(ja).toContain("タイムライン（日本時間）");
    expect(ja).toContain("2026/07/01 12:04:05 JST");
    expect(ja).not.toContain("Timeline (JST)");
    // The timeline's own sentences and marks too.
    expect(ja).toContain("不明な端末 からサインイン（198.18.7.7、VN）");
    expect(ja).toContain("海外（VN）");

    const en = await (await english.get(`/accounts/${customerId}`)).text();
    expect(en).toContain("Profile");
    expect(en).toContain("Timeline (JST)");
    expect(en).toContain("01 Jul 2026, 12:04:05 JST");
    expect(en).not.toContain("お客様情報");
    expect(en).toContain("Signed in from unknown device, 198.18.7.7 (VN)");
    expect(en).toContain("abroad (VN)");

    // Each event's kind, labelled in the member's language (the label is looked up once per kind and page).
    const signInRows = (html: string) => html.match(/<li[^>]*data-kind="sign-in"[^>]*>[\s\S]*?<\/li>/g) ?? [];
    expect(signInRows(ja).length).toBeGreaterThan(0);
    for (const row of signInRows(ja)) expect(row).toContain(">サインイン</span>");
    for (const row of signInRows(en)) expect(row).toContain(">Sign-in</span>");
    expect(signInRows(en)).toHaveLength(signInRows(ja).length);
  });

  it("answers a bad form in Japanese and changes nothing; the toast after a freeze is Japanese too", async () => {
    const bad = await japanese.post(`/accounts/${customerId}?index`, {
      intent: "status",
      formKey: "status",
      change: "freeze",
      reason: "ab",
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("理由を3文字以上で入力してください。");
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("ACTIVE");

    const ok = await japanese.post(`/accounts/${customerId}?index`, {
      intent: "status",
      formKey: "status",
      change: "freeze",
      reason: "身に覚えのないチャージ",
    });
    expect(ok.status).toBe(302);
    expect(redirectPath(ok)).toBe(`/accounts/${customerId}`);
    const after = await (await japanese.get(`/accounts/${customerId}`)).text();
    expect(after).toContain("アカウントを凍結しました。");
    expect(after).toContain("凍結中");
  });

  it("answers the same bad form in English for an English member", async () => {
    const bad = await english.post(`/accounts/${customerId}?index`, {
      intent: "note",
      formKey: "note",
      body: "",
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Write the note.");
  });
});
