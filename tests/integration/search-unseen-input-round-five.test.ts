// The caller search on round five of unseen input (ADR 117), against the database: the caller's place said before the
// name with の, a phone number read out with の, the last four and an email's parts described in words, a date or an
// era initial run into the name, a passport's date, an age in brackets, a phone's model, and 籐 typed for 藤 — each
// puts the caller on the first page, where before nobody, every namesake or a refusal was.
import { beforeAll, describe, expect, it } from "vitest";
import { searchForCaller } from "~/accounts/caller-search.server";
import { agentSearchContext, createNamedCustomer, searchResults } from "../support/search-fixtures";

const ctx = agentSearchContext("198.51.100.117");

const makeCustomer = (name: string, nameKana: string, birthDate: string) =>
  createNamedCustomer("unseen5", name, nameKana, birthDate);

// A family name no other test file uses, two namesakes apart in birth date.
let caller: Awaited<ReturnType<typeof makeCustomer>>;
let namesake: Awaited<ReturnType<typeof makeCustomer>>;
let withFuji: Awaited<ReturnType<typeof makeCustomer>>;

beforeAll(async () => {
  caller = await makeCustomer("鮫島 千尋", "サメジマ チヒロ", "1985-03-12");
  namesake = await makeCustomer("鮫島 千尋", "サメジマ チヒロ", "1990-01-05");
  withFuji = await makeCustomer("衛藤 陽菜", "エトウ ヒナ", "1992-08-08");
});

const ids = (found: { hits: { id: string }[] }) => found.hits.map((hit) => hit.id);
const lastFour = () => caller.phone.slice(-4);

describe("the caller's facts said in words, each finding the caller only", () => {
  const phrases: [string, () => string][] = [
    ["the place before the name, and the birth year", () => "東京都の鮫島さん 1985"],
    ["在住 and the place before the name, and the date", () => "大阪府在住の鮫島千尋 S60.3.12"],
    [
      "the phone number read out with の",
      () => `${"0" + caller.phone.slice(3, 5)}の${caller.phone.slice(5, 9)}の${lastFour()}`,
    ],
    ["the last four as 最後が", () => `鮫島 電話の最後が${lastFour()}`],
    ["the last four as で終わる", () => `${lastFour()}で終わる番号 鮫島千尋`],
    ["the last four digit by digit", () => `鮫島 下4桁 ${[...lastFour()].join(" ")}`],
    ["the part before the @ described", () => `鮫島 @の前は${caller.email.split("@")[0]}`],
    ["the @ said in kana, without spaces", () => caller.email.replace("@", "アット")],
    ["an era initial run into the name", () => "鮫島千尋S60"],
    ["a date run into the name", () => "1985/3/12鮫島千尋"],
    ["a passport's date", () => "SAMEJIMA CHIHIRO 12MAR1985"],
    ["the year after 生まれ年", () => "鮫島千尋 生まれ年は1985"],
    ["half-width katakana with デス", () => "ｻﾒｼﾞﾏ ﾁﾋﾛ ﾃﾞｽ 1985"],
  ];
  it.each(phrases)("%s", async (_form, phrase) => {
    const found = searchResults(await searchForCaller(ctx, phrase()));
    expect(ids(found)).toEqual([caller.id]);
    expect(found.allFactsMatched).toBe(true);
    expect(found.notUnderstood).toEqual([]);
  });

  it("平成 in its initial run into the name, with 年生, finds the namesake born then", async () => {
    const found = searchResults(await searchForCaller(ctx, "鮫島千尋H2年生"));
    expect(ids(found)).toEqual([namesake.id]);
  });
});

describe("words that are set aside are named, and the name still searched", () => {
  it.each([
    ["横浜市の鮫島千尋", [{ text: "横浜市", kind: "address" }]],
    ["鮫島千尋（34）", [{ text: "34", kind: "age" }]],
    ["鮫島千尋 iPhone", [{ text: "iPhone", kind: "device" }]],
  ])("%s lists both namesakes and names %j", async (typed, notUnderstood) => {
    const found = searchResults(await searchForCaller(ctx, typed));
    expect(ids(found).sort()).toEqual([caller.id, namesake.id].sort());
    expect(found.notUnderstood).toEqual(notUnderstood);
  });

  it("the domain described after the name narrows the name's holders to that domain", async () => {
    const found = searchResults(await searchForCaller(ctx, `鮫島 ドメインは${caller.email.split("@")[1]}`));
    expect(found.kinds).toEqual(["name", "emailDomain"]);
    expect(ids(found).sort()).toEqual([caller.id, namesake.id].sort());
  });
});

describe("籐 typed for 藤, the input method's commonest slip in a name", () => {
  it("衛籐 陽菜 finds 衛藤 陽菜, and the page says the name was searched as 衛藤", async () => {
    const found = searchResults(await searchForCaller(ctx, "衛籐 陽菜"));
    expect(ids(found)).toEqual([withFuji.id]);
    expect(found.searchedAs).toContain("衛藤 陽菜");
  });
});
