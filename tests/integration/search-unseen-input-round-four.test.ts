// The caller search on round four of unseen input (ADR 098), against the database: a kanji name run into its kana,
// a romaji honorific, dates with a two-digit year or a one-kanji era or an English month, facts between commas and a
// display ID read out in pieces each put the caller on the page, where before a stranger, nobody or every namesake was.
import { beforeAll, describe, expect, it } from "vitest";
import { searchForCaller } from "~/accounts/caller-search.server";
import { agentSearchContext, createNamedCustomer, searchResults } from "../support/search-fixtures";

const ctx = agentSearchContext("198.51.100.98");

const makeCustomer = (name: string, nameKana: string, birthDate: string) =>
  createNamedCustomer("unseen4", name, nameKana, birthDate);

// A family name no other test file uses, two namesakes apart in birth date.
let caller: Awaited<ReturnType<typeof makeCustomer>>;
let namesake: Awaited<ReturnType<typeof makeCustomer>>;

beforeAll(async () => {
  caller = await makeCustomer("鬼頭 美咲", "キトウ ミサキ", "1971-04-05");
  namesake = await makeCustomer("鬼頭 美咲", "キトウ ミサキ", "1980-11-20");
});

describe("a name in kanji run into its kana, with the birth year", () => {
  it.each(["鬼頭みさき 1971", "キトウ美咲 1971", "鬼頭みさきさん 1971年"])(
    "%s lists the caller only",
    async (typed) => {
      const found = searchResults(await searchForCaller(ctx, typed));
      expect(found.hits.map((hit) => hit.id)).toEqual([caller.id]);
      expect(found.allFactsMatched).toBe(true);
    },
  );
});

describe("a romaji name with its honorific", () => {
  it("Kitou-san 1971 lists the caller among the family name's holders born then", async () => {
    const found = searchResults(await searchForCaller(ctx, "Kitou-san 1971"));
    expect(found.hits.map((hit) => hit.id)).toContain(caller.id);
    expect(found.hits.map((hit) => hit.id)).not.toContain(namesake.id);
  });
});

describe("a birth date in the shorter forms", () => {
  it.each([
    "鬼頭 美咲 4/5/71",
    "鬼頭 美咲 71/4/5",
    "鬼頭 美咲 昭46.4.5",
    "鬼頭 美咲 S.46",
    "鬼頭 美咲 '71",
    "鬼頭 美咲 5 April 1971",
    "Misaki Kitou 5 Apr 1971",
    "鬼頭美咲本人です 誕生日は4/5",
  ])("%s lists the caller, not the namesake", async (typed) => {
    const found = searchResults(await searchForCaller(ctx, typed));
    expect(found.hits.map((hit) => hit.id)).toEqual([caller.id]);
    expect(found.notUnderstood).toEqual([]);
  });
});

describe("where the caller lives, beside the name", () => {
  it("鬼頭美咲 横浜在住 lists the name's holders and names the place as not searched", async () => {
    const found = searchResults(await searchForCaller(ctx, "鬼頭美咲 横浜在住"));
    expect(found.hits.map((hit) => hit.id).sort()).toEqual([caller.id, namesake.id].sort());
    expect(found.notUnderstood).toEqual([{ text: "横浜在住", kind: "address" }]);
  });
});

describe("facts between commas, and a display ID read out in pieces", () => {
  it("鬼頭 美咲,1980/11/20,<the last four> lists the namesake born then, every fact read", async () => {
    const found = searchResults(await searchForCaller(ctx, `鬼頭 美咲,1980/11/20,${namesake.phone.slice(-4)}`));
    expect(found.hits.map((hit) => hit.id)).toEqual([namesake.id]);
    expect(found.kinds).toEqual(["name", "birthDate", "lastFour"]);
    expect(found.notUnderstood).toEqual([]);
  });

  it("the display ID with a space after its letter and between its halves", async () => {
    const digits = caller.displayId.slice(2);
    const typed = `w ${digits.slice(0, 4)} ${digits.slice(4)}`;
    const found = searchResults(await searchForCaller(ctx, typed));
    expect(found.hits.map((hit) => hit.id)).toEqual([caller.id]);
    expect(found.kinds).toEqual(["displayId"]);
  });
});
