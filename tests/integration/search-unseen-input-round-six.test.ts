// The caller search on round six of unseen input (ADR 119), against the database: a prefecture run into the name, a
// place before a hiragana name, a mail provider named without an @, digits said in kana, a six-digit birth date,
// "'85.3.12" and サン run into a katakana name — each puts the caller on the first page, where before nobody, every
// namesake or a refusal was; a carrier said alone is named, never searched.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { searchForCaller } from "~/accounts/caller-search.server";
import { prisma } from "~/db.server";
import { agentSearchContext, createNamedCustomer, searchResults } from "../support/search-fixtures";

const ctx = agentSearchContext("198.51.100.119");

const makeCustomer = (birthDate: string) => createNamedCustomer("unseen6", "鴫原 美月", "シギハラ ミヅキ", birthDate);

// A family name no other test file uses: the caller, and a namesake born five years later whose mail is at Gmail.
let caller: Awaited<ReturnType<typeof makeCustomer>>;
let namesake: Awaited<ReturnType<typeof makeCustomer>>;

beforeAll(async () => {
  caller = await makeCustomer("1985-03-12");
  namesake = await makeCustomer("1990-01-05");
  await prisma.customer.update({
    where: { id: namesake.id },
    data: { email: `shigihara-${randomUUID().slice(0, 8)}@gmail.com` },
  });
});

const ids = (found: { hits: { id: string }[] }) => found.hits.map((hit) => hit.id);
const KANA_DIGITS = ["ゼロ", "イチ", "ニー", "サン", "ヨン", "ゴー", "ロク", "ナナ", "ハチ", "キュウ"];
const inKana = (digits: string) => [...digits].map((digit) => KANA_DIGITS[Number(digit)]).join("");
// The caller's phone as read out: 070, then two groups of four, in kana.
const phoneInKana = () => {
  const national = `0${caller.phone.slice(3)}`;
  return [national.slice(0, 3), national.slice(3, 7), national.slice(7)].map(inKana).join(" ");
};

describe("the caller's facts in the forms round eight left, each finding the caller only", () => {
  const phrases: [string, () => string][] = [
    ["a prefecture run into the name", () => "東京都鴫原美月 1985"],
    ["a bare prefecture before the name in hiragana", () => "千葉のしぎはら 1985"],
    ["the phone number said in kana", () => phoneInKana()],
    ["the last four said in kana", () => `鴫原 下4桁 ${inKana(caller.phone.slice(-4))}`],
    ["a six-digit birth date", () => "鴫原美月 850312"],
    ["a two-digit year and dots after an apostrophe", () => "鴫原 '85.3.12"],
    ["サン run into the name in half-width kana", () => "ｼｷﾞﾊﾗｻﾝ 1985"],
  ];
  it.each(phrases)("%s", async (_form, phrase) => {
    const found = searchResults(await searchForCaller(ctx, phrase()));
    expect(ids(found)).toEqual([caller.id]);
    expect(found.notUnderstood).toEqual([]);
  });

  it.each([
    ["千葉のしぎはら 1985", "しぎはら"],
    ["ｼｷﾞﾊﾗｻﾝ 1985", "シギハラ"],
  ])("%s says that the name was searched as %s", async (typed, searchedAs) => {
    expect(searchResults(await searchForCaller(ctx, typed)).searchedAs).toContain(searchedAs);
  });
});

describe("a mail provider named without an @", () => {
  it("Gmail after the name narrows the namesakes to the one whose address is at gmail.com", async () => {
    const found = searchResults(await searchForCaller(ctx, "鴫原 美月 Gmail"));
    expect(found.kinds).toEqual(["name", "emailDomain"]);
    expect(ids(found)).toEqual([namesake.id]);
  });

  it("a carrier said alone lists both namesakes and names the carrier as not searched", async () => {
    const found = searchResults(await searchForCaller(ctx, "鴫原美月 ドコモ"));
    expect(ids(found).sort()).toEqual([caller.id, namesake.id].sort());
    expect(found.notUnderstood).toEqual([{ text: "ドコモ", kind: "provider" }]);
  });
});

describe("six digits that are no birth date stay digits not understood", () => {
  it("a leading 0 is a phone number's start, not a birth date: both namesakes, the digits named", async () => {
    const found = searchResults(await searchForCaller(ctx, "鴫原美月 070312"));
    expect(ids(found).sort()).toEqual([caller.id, namesake.id].sort());
    expect(found.notUnderstood).toEqual([{ text: "070312", kind: "digits" }]);
  });
});
