// Over real HTTP (run `npx remix build` first): when the name as typed matches nobody and the search uses another form
// of it (given name first), the results page says which name it searched, in the member's language.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let japanese: StaffClient;
let english: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  japanese = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
  english = await signIn(app, await createStaff({ role: "AGENT", language: "en" }));
  await prisma.customer.create({
    data: {
      displayId: `Q-${randomUUID().slice(0, 8)}`,
      name: "鷲尾 伊織",
      nameKana: "ワシオ イオリ",
      email: `searched-as-${randomUUID().slice(0, 8)}@http.example`,
      phone: `+8190${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
      birthDate: new Date("1979-09-09"),
    },
  });
});

afterAll(async () => {
  await app?.close();
});

const page = (client: StaffClient, q: string) => client.get(`/accounts?${new URLSearchParams({ q })}`);

describe("the name searched instead of the one typed", () => {
  it("is named on the page, in Japanese and in English", async () => {
    const ja = await (await page(japanese, "伊織 鷲尾")).text();
    expect(ja).toContain("「鷲尾 伊織」（同じお名前の別の順序・読み・字体）で検索した結果を表示しています");
    expect(ja).toContain('data-testid="search-searched-as"');

    const en = await (await page(english, "伊織 鷲尾")).text();
    expect(en).toContain("showing accounts named “鷲尾 伊織”");
  });

  it("is not mentioned when the name was searched as typed", async () => {
    const ja = await (await page(japanese, "鷲尾 伊織")).text();
    expect(ja).toContain("鷲尾 伊織");
    expect(ja).not.toContain("search-searched-as");
  });
});
