// The caller search with what callers say that the stored keys do not fold: a name given name first, in romaji, with
// an old-form kanji or followed by a bare prefecture (searched in the first form someone holds, and the page says
// so); a display ID read in two groups; a masked number; labels and brackets pasted with the value.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/audit/actor";
import { searchForCaller, type CallerSearchResult } from "~/accounts/caller-search.server";
import { prisma } from "~/db.server";

const agent: Actor = { kind: "staff", id: randomUUID(), role: "AGENT" };
const ctx = { actor: agent, origin: { ip: "198.51.100.22", userAgent: "vitest", requestId: `req-${randomUUID()}` } };
const eightDigits = () => String(Math.floor(Math.random() * 1e8)).padStart(8, "0");

function results(result: CallerSearchResult) {
  if (result.kind !== "results") throw new Error(`refused: ${result.message}`);
  return result;
}

async function makeCustomer(name: string, nameKana: string, birthDate: string, phone = `+8170${eightDigits()}`) {
  return prisma.customer.create({
    data: {
      displayId: `W-${eightDigits()}`,
      name,
      nameKana,
      email: `spoken-${randomUUID().slice(0, 8)}@spoken.example`,
      phone,
      birthDate: new Date(birthDate),
    },
  });
}

// Rare names no other test file uses, with readings whose romaji drops long vowels (ウカイ ショウタ = "Ukai Shota").
let ukai: Awaited<ReturnType<typeof makeCustomer>>;
let ukaiNamesake: Awaited<ReturnType<typeof makeCustomer>>;
let takashima: Awaited<ReturnType<typeof makeCustomer>>;
let oldForm: Awaited<ReturnType<typeof makeCustomer>>;

beforeAll(async () => {
  ukai = await makeCustomer("鵜飼 翔太", "ウカイ ショウタ", "1985-04-01", "+819011112468");
  ukaiNamesake = await makeCustomer("鵜飼 翔太", "ウカイ ショウタ", "1990-07-07");
  takashima = await makeCustomer("高島 健一", "タカシマ ケンイチ", "1972-02-02");
  // Stored in its old form: typed as stored, it is found as typed and never replaced.
  oldForm = await makeCustomer("髙嶋 花子", "タカシマ ハナコ", "1980-05-05");
});

describe("a name in another form than the stored one", () => {
  it.each([
    ["given name first", "翔太 鵜飼", "鵜飼 翔太"],
    ["reading, given name first", "しょうた うかい", "うかい しょうた"],
    ["romaji", "Ukai Shota", "ウカイ ショウタ"],
    ["romaji, capitals, given name first", "SHOTA UKAI", "ウカイ ショウタ"],
    ["a bare prefecture after the name", "鵜飼 翔太 大阪", "鵜飼 翔太"],
    ["the long-vowel mark in the reading", "ウカイ ショータ", "ウカイ ショウタ"],
    ["the family name in kana, the given name in kanji", "うかい 翔太", "ウカイ ショウタ"],
    ["the family name in kanji, the given name in kana", "鵜飼 しょうた", "ウカイ ショウタ"],
    ["the family name in kanji, the given name in romaji", "鵜飼 shota", "ウカイ ショウタ"],
    ["a name with its reading in brackets", "鵜飼　翔太（ウカイ　ショウタ）", "鵜飼 翔太"],
  ])("%s: %s is searched as %s", async (_label, typed, searchedAs) => {
    const found = results(await searchForCaller(ctx, typed));
    expect(found.searchedAs).toEqual([searchedAs]);
    expect(found.hits.map((hit) => hit.id).sort()).toEqual([ukai.id, ukaiNamesake.id].sort());
    // A name and its reading are both held by the same two: counted once each.
    expect(found.total).toBe(2);
  });

  it("with a birth year, the caller first among the namesakes", async () => {
    const found = results(await searchForCaller(ctx, "ukai shota 1985"));
    expect(found.searchedAs).toEqual(["ウカイ ショウタ"]);
    expect(found.hits[0]!.id).toBe(ukai.id);
    expect(found.allFactsMatched).toBe(true);
  });

  it("with a masked last four, the caller alone", async () => {
    const found = results(await searchForCaller(ctx, "翔太 鵜飼 ****2468"));
    expect(found.hits.map((hit) => hit.id)).toEqual([ukai.id]);
    expect(found.allFactsMatched).toBe(true);
  });

  it("an old-form kanji finds the name stored in its modern form", async () => {
    const found = results(await searchForCaller(ctx, "髙嶋 健一"));
    expect(found.searchedAs).toEqual(["高島 健一"]);
    expect(found.hits.map((hit) => hit.id)).toEqual([takashima.id]);
  });

  it("a name held as typed is searched as typed, even in an old form", async () => {
    const found = results(await searchForCaller(ctx, "髙嶋 花子"));
    expect(found.searchedAs).toEqual([]);
    expect(found.hits.map((hit) => hit.id)).toEqual([oldForm.id]);
  });

  it("a name nobody holds in any form finds nobody, and says nothing was replaced", async () => {
    const found = results(await searchForCaller(ctx, "翔太 鵜飼野"));
    expect(found.searchedAs).toEqual([]);
    expect(found.hits).toEqual([]);
  });
});

describe("identifiers as read out or pasted", () => {
  it("a display ID's eight digits in two groups", async () => {
    const digits = takashima.displayId.slice(2);
    const found = results(await searchForCaller(ctx, `${digits.slice(0, 4)} ${digits.slice(4)}`));
    expect(found.hits[0]!.id).toBe(takashima.id);
    expect(found.allFactsMatched).toBe(true);
  });

  it("a phone number and a birth date pasted with their labels", async () => {
    const found = results(await searchForCaller(ctx, "電話:090-1111-2468 生年月日:1985-04-01"));
    expect(found.hits.map((hit) => hit.id)).toEqual([ukai.id]);
    expect(found.allFactsMatched).toBe(true);
  });

  it("a sentence: a date, 生まれの, the name and です", async () => {
    const found = results(await searchForCaller(ctx, "1985年4月1日生まれの鵜飼翔太です"));
    expect(found.hits.map((hit) => hit.id)).toEqual([ukai.id]);
  });

  it("a birth date read out with pauses, after the name", async () => {
    const found = results(await searchForCaller(ctx, "鵜飼 翔太 1985年 4月 1日"));
    expect(found.hits.map((hit) => hit.id)).toEqual([ukai.id]);
  });
});
