// Over real HTTP (run `npx remix build` first): when the name as typed matches nobody and the search uses other forms
// of it (given name first; romaji with and without a long vowel), the results page says which names it searched, and
// when an email's domain matched nobody, that its local part was searched with any domain — in the member's language.
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
  for (const [name, nameKana] of [
    ["鷲見 伊吹", "ワシミ イブキ"],
    ["鷲見 伊吹", "ワシミ イブウキ"],
  ] as const) {
    await prisma.customer.create({
      data: {
        displayId: `Q-${randomUUID().slice(0, 8)}`,
        name,
        nameKana,
        email: `${local}${nameKana.length}@ezweb.http.example`,
        phone: `+8190${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
        birthDate: new Date("1981-01-01"),
      },
    });
  }
});

const local = `washimi.ibuki${randomUUID().slice(0, 4)}`;

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

describe("several forms of a name, and an email's local part", () => {
  it("names every form searched", async () => {
    const ja = await (await page(japanese, "washimi ibuki")).text();
    expect(ja).toContain(
      "「ワシミ イブキ」または「ワシミ イブウキ」（同じお名前の別の順序・読み・字体）で検索した結果",
    );
    const en = await (await page(english, "washimi ibuki")).text();
    expect(en).toContain("showing accounts named “ワシミ イブキ” or “ワシミ イブウキ”");
  });

  it("says that the email's domain was set aside", async () => {
    const ja = await (await page(japanese, `${local}7@gmial.com`)).text();
    expect(ja).toContain(`ドメインを問わず「${local}7@」で始まるアドレスのアカウントを表示しています`);
    expect(ja).toContain('data-testid="search-email-retried"');
    const en = await (await page(english, `${local}7@gmial.com`)).text();
    expect(en).toContain(`showing accounts whose address begins “${local}7@”, with any domain`);
  });
});
