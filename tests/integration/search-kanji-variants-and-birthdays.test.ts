// The caller search with a modern kanji name typed alone while others hold it (高梨 typed: the 髙梨 customer is listed
// after the 高梨 ones, and counted), and with a birth month or a birthday without its year beside a name: they narrow
// the namesakes to those born then (ADR 086).
import { beforeAll, describe, expect, it } from "vitest";
import { searchForCaller } from "~/accounts/caller-search.server";
import { agentSearchContext, createNamedCustomer, searchResults } from "../support/search-fixtures";

const ctx = agentSearchContext("198.51.100.24");

const makeCustomer = (name: string, nameKana: string, birthDate: string) =>
  createNamedCustomer("round5", name, nameKana, birthDate);

// Rare names no other test file uses.
let horigaya: Awaited<ReturnType<typeof makeCustomer>>;
let oldTakanashi: Awaited<ReturnType<typeof makeCustomer>>;
let modernTakanashi: Awaited<ReturnType<typeof makeCustomer>>;
let wanibuchiMarch: Awaited<ReturnType<typeof makeCustomer>>;
let wanibuchiMarchToo: Awaited<ReturnType<typeof makeCustomer>>;
let wanibuchiMay12: Awaited<ReturnType<typeof makeCustomer>>;

beforeAll(async () => {
  horigaya = await makeCustomer("堀ヶ谷 楓", "ホリガヤ カエデ", "1994-04-04");
  oldTakanashi = await makeCustomer("髙梨 澪", "タカナシ ミオ", "1983-06-06");
  modernTakanashi = await makeCustomer("高梨 湊", "タカナシ ミナト", "1990-02-02");
  wanibuchiMarch = await makeCustomer("鰐淵 澪", "ワニブチ ミオ", "1980-03-05");
  wanibuchiMarchToo = await makeCustomer("鰐淵 湊", "ワニブチ ミナト", "1975-03-20");
  wanibuchiMay12 = await makeCustomer("鰐淵 凪", "ワニブチ ナギ", "1990-05-12");
  await makeCustomer("鰐淵 凛", "ワニブチ リン", "1972-05-13");
  await makeCustomer("鰐淵 澪", "ワニブチ ミオ", "1999-09-09");
});

describe("a modern kanji name typed alone finds its old form too", () => {
  it("高梨 lists the 高梨 customer, then the 髙梨 one, and counts both", async () => {
    const found = searchResults(await searchForCaller(ctx, "高梨"));
    expect(found.hits.map((hit) => hit.id)).toEqual([modernTakanashi.id, oldTakanashi.id]);
    expect(found.hits[1]!.matchedBy).toBe("nameVariant");
    expect(found.total).toBe(2);
  });
});

describe("a birth month or a birthday without its year narrows the namesakes", () => {
  it("「3月生まれ」 lists only those born in March", async () => {
    const found = searchResults(await searchForCaller(ctx, "鰐淵 3月生まれ"));
    expect(found.hits.map((hit) => hit.id)).toEqual([wanibuchiMarchToo.id, wanibuchiMarch.id]);
    expect(found.allFactsMatched).toBe(true);
  });

  it("「5月12日生まれ」 lists only the one born on that day", async () => {
    const found = searchResults(await searchForCaller(ctx, "5月12日生まれの鰐淵です"));
    expect(found.hits.map((hit) => hit.id)).toEqual([wanibuchiMay12.id]);
  });

  it("'born in March' said in English narrows the same way", async () => {
    const found = searchResults(await searchForCaller(ctx, "鰐淵 born in March"));
    expect(found.hits.map((hit) => hit.id)).toEqual([wanibuchiMarchToo.id, wanibuchiMarch.id]);
  });

  it("nobody of that name born then: the namesakes are listed as closest matches", async () => {
    const found = searchResults(await searchForCaller(ctx, "鰐淵 12月生まれ"));
    expect(found.allFactsMatched).toBe(false);
    expect(found.hits.length).toBe(5);
  });

  it("a full name with its birth month, and a name with the month and a year said apart", async () => {
    expect(searchResults(await searchForCaller(ctx, "鰐淵 澪 3月生まれ")).hits.map((hit) => hit.id)).toEqual([
      wanibuchiMarch.id,
    ]);
    expect(searchResults(await searchForCaller(ctx, "鰐淵 1975年 3月生まれ")).hits.map((hit) => hit.id)).toEqual([
      wanibuchiMarchToo.id,
    ]);
    // Born in 1972 (in May) and in March are different customers.
    expect(searchResults(await searchForCaller(ctx, "鰐淵 1972年3月")).allFactsMatched).toBe(false);
    expect(searchResults(await searchForCaller(ctx, "鰐淵 1980年3月")).hits.map((hit) => hit.id)).toEqual([
      wanibuchiMarch.id,
    ]);
    // Born in 1972 and on 12 May are two customers, neither both.
    expect(searchResults(await searchForCaller(ctx, "鰐淵 1972年 5月12日生まれ")).allFactsMatched).toBe(false);
  });
});

describe("caller words of round five, searched", () => {
  it("ヶ typed as ケ finds the name written with ヶ, and the page says so", async () => {
    const found = searchResults(await searchForCaller(ctx, "堀ケ谷 楓"));
    expect(found.hits.map((hit) => hit.id)).toEqual([horigaya.id]);
    expect(found.searchedAs).toEqual(["堀ヶ谷 楓"]);
  });

  it("a relative calling, in a polite sentence with the holder's birthday", async () => {
    const found = searchResults(await searchForCaller(ctx, "すみません、母の鰐淵凪です。5月12日生まれです"));
    expect(found.hits.map((hit) => hit.id)).toEqual([wanibuchiMay12.id]);
    expect(found.allFactsMatched).toBe(true);
  });
});
