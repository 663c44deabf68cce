// Round five of caller words (ADR 086): the relation a caller names before the account holder, polite sentences
// around a fact, the last four said with ケタ or in kana, a city after the name, ヶ written as ケ or が, and ヴ said as ブ.
import { describe, expect, it } from "vitest";
import { nameAlternatives } from "~/accounts/search-name-alternatives";
import { parseSearchQuery } from "~/accounts/search-query.server";

function terms(raw: string) {
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) throw new Error(`refused: ${raw}`);
  return parsed.terms;
}

describe("the caller's relation to the account holder is not part of the name", () => {
  it.each([
    ["母の佐藤花子です", "佐藤花子"],
    ["妻の佐藤花子", "佐藤花子"],
    ["父の佐藤 太郎", "佐藤 太郎"],
    ["息子の佐藤翔太", "佐藤翔太"],
    ["母が佐藤花子です", "佐藤花子"],
    ["佐藤花子の夫です", "佐藤花子"],
    ["主人の佐藤太郎の件で", "佐藤太郎"],
  ])("%s → %s", (typed, name) => {
    expect(terms(typed).name).toBe(name);
  });
});

describe("polite sentences around a fact", () => {
  it.each([
    ["すみません、佐藤と申しますが", "佐藤"],
    ["佐藤です、よろしくお願いします", "佐藤"],
    ["えっと、佐藤翔太です", "佐藤翔太"],
    ["もしもし、佐藤ですけど", "佐藤"],
  ])("%s → the name %s alone", (typed, name) => {
    const parsed = terms(typed);
    expect(parsed.name).toBe(name);
    expect(parsed.facts).toHaveLength(1);
  });

  it("お電話番号は…です: the phone number, no name", () => {
    const parsed = terms("お電話番号は090-1234-5678です");
    expect(parsed.phone).toBe("+819012345678");
    expect(parsed.name).toBeNull();
  });

  it("電話番号の下4桁は5678です、佐藤です: the name and the last four", () => {
    const parsed = terms("電話番号の下4桁は5678です、佐藤です");
    expect(parsed.name).toBe("佐藤");
    expect(parsed.lastFour).toEqual(["5678"]);
  });
});

describe("the last four said another way", () => {
  it.each(["佐藤 下4ケタ5678", "佐藤 下4けた 5678", "佐藤 下よんけた 5678", "佐藤 下四ケタは5678"])("%s", (typed) => {
    const parsed = terms(typed);
    expect(parsed.name).toBe("佐藤");
    expect(parsed.lastFour).toEqual(["5678"]);
  });
});

describe("name forms tried when the name as typed matches nobody", () => {
  it("a city after the name is left out, as a bare prefecture is", () => {
    expect(nameAlternatives("佐藤 横浜市")).toContain("佐藤");
    expect(nameAlternatives("佐藤 翔太 新宿区")).toContain("佐藤 翔太");
  });

  it("ヶ written as ケ or が, and the other way", () => {
    expect(nameAlternatives("堀ケ谷")).toContain("堀ヶ谷");
    expect(nameAlternatives("堀が谷")).toContain("堀ヶ谷");
    expect(nameAlternatives("一ヶ瀬")).toContain("一ケ瀬");
  });

  it("ヴ said as ブ, バ, ビ, ベ, ボ", () => {
    expect(nameAlternatives("ヴァイオレット")).toContain("バイオレット");
    expect(nameAlternatives("ゔぃくとりあ")).toContain("ビクトリア");
  });
});
