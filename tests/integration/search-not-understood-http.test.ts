// Over real HTTP (run `npx remix build` first): a word the search could not use is named on the page, with what to ask
// the caller for instead, in the member's language — beside the results, or above the refusal when nothing else was
// searchable (ADR 092).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let japanese: StaffClient;
let english: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  japanese = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
  english = await signIn(app, await createStaff({ role: "AGENT", language: "en" }));
});

afterAll(async () => {
  await app?.close();
});

const page = async (client: StaffClient, q: string) => {
  const response = await client.get(`/accounts?${new URLSearchParams({ q })}`);
  expect(response.status).toBe(200);
  return response.text();
};

describe("a postcode alone", () => {
  it("is named as a postcode above the refusal, in Japanese and in English", async () => {
    const ja = await page(japanese, "〒150-0001");
    expect(ja).toContain('data-testid="search-not-understood"');
    expect(ja).toContain("「〒150-0001」は郵便番号のようです");
    expect(ja).toContain("検索に使える情報がありません");

    const en = await page(english, "〒150-0001");
    expect(en).toContain("“〒150-0001” looks like a postcode");
    expect(en).toContain("Nothing searchable in that");
  });
});

describe("a birth year alone", () => {
  it("is refused, asking for the name, in Japanese and in English", async () => {
    expect(await page(japanese, "昭和60年")).toContain("お名前、または電話番号（下4桁でも可）を加えてください");
    expect(await page(english, "昭和60年")).toContain("add the caller's name");
  });
});

describe("a search that finds nobody", () => {
  it("says what to ask the caller next, in Japanese and in English", async () => {
    const ja = await page(japanese, "鵜飼鵜飼鵜飼 1985年");
    expect(ja).toContain("一致するアカウントはありません。お名前の表記をお客様に確認するか");
    const en = await page(english, "鵜飼鵜飼鵜飼 1985年");
    expect(en).toContain("Check the spelling with the caller, or ask for another fact");
  });
});

describe("a phone's model beside a name", () => {
  it("is named as a model, not searched, in Japanese and in English (ADR 117)", async () => {
    expect(await page(japanese, "佐藤 iPhone")).toContain("「iPhone」は端末の機種のようです");
    expect(await page(english, "佐藤 iPhone")).toContain(
      "“iPhone” is a phone&#x27;s model: thousands of customers use each",
    );
  });
});

describe("beside a name", () => {
  it("the digits that fit nothing are named with the results", async () => {
    const ja = await page(japanese, "佐藤 090-1234");
    expect(ja).toContain('data-testid="search-summary"');
    expect(ja).toContain("「090-1234」を読み取れませんでした");

    const en = await page(english, "佐藤 34歳");
    expect(en).toContain("“34” is an age");
  });

  it("an era year past its era is named", async () => {
    const ja = await page(japanese, "佐藤 平成35年");
    expect(ja).toContain("「平成35年」はその元号にない年または日付です");
    const en = await page(english, "佐藤 平成35年");
    expect(en).toContain("“平成35年” is no date of that era");
  });

  it("an address is named once, without the prefecture line as well", async () => {
    const en = await page(english, "佐藤 東京都新宿区西新宿2-8-1");
    expect(en).toContain("“東京都新宿区西新宿2-8-1” looks like an address");
    expect(en).not.toContain("the prefecture did not narrow");
  });

  it("nothing is named when every word was used", async () => {
    const en = await page(english, "佐藤 1985");
    expect(en).not.toContain("search-not-understood");
  });
});

describe("a carrier beside a name", () => {
  it("is named as a carrier or mail provider, not searched, in Japanese and in English (ADR 119)", async () => {
    expect(await page(japanese, "佐藤 ドコモ")).toContain("「ドコモ」は携帯電話会社またはメールのサービス名のようです");
    expect(await page(english, "佐藤 ドコモ")).toContain("“ドコモ” is a mobile carrier or a mail provider");
  });
});

describe("a carrier's mail beside a name", () => {
  it("is named with the domains to ask about, not searched, in Japanese and in English (ADR 121)", async () => {
    expect(await page(japanese, "佐藤 auメール")).toContain(
      "「auメール」は携帯電話会社のメールで、ドメインが複数あります",
    );
    expect(await page(english, "佐藤 auメール")).toContain(
      "which has more than one domain (au: @au.com or @ezweb.ne.jp; SoftBank",
    );
  });
});
