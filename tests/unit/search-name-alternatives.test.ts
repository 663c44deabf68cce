// The other forms of a name the search tries when the name as typed matches nobody: given name first, romaji with
// its dropped long vowels, old-form kanji, a prefecture said without its suffix. Bounded, never the name itself.
import { describe, expect, it } from "vitest";
import {
  kanjiPartsOfMixedName,
  kanjiVariants,
  MAX_NAME_ALTERNATIVES,
  mixedNameInKana,
  nameAlternatives,
  romajiSpellings,
} from "~/accounts/search-name-alternatives";

describe("romaji → katakana spellings", () => {
  it.each([
    ["sato", "サトウ"],
    ["SATO", "サトウ"],
    ["Satoh", "サトウ"],
    ["satou", "サトウ"],
    ["shota", "ショウタ"],
    ["syouta", "ショウタ"],
    ["yuko", "ユウコ"],
    ["Yūko", "ユウコ"],
    ["ohno", "オオノ"],
    ["kenichi", "ケンイチ"],
    ["shinya", "シンヤ"],
    ["hattori", "ハットリ"],
    ["honma", "ホンマ"],
    ["tsuchiya", "ツチヤ"],
    ["fukuda", "フクダ"],
  ])("%s may be %s", (romaji, kana) => {
    expect(romajiSpellings(romaji)).toContain(kana);
  });

  it("the spelling as written comes first", () => {
    expect(romajiSpellings("sato")[0]).toBe("サト");
    expect(romajiSpellings("satou")[0]).toBe("サトウ");
  });

  it.each(["x", "qwerty", "佐藤", "sato1"])("%s is not romaji", (word) => {
    expect(romajiSpellings(word)).toEqual([]);
  });
});

describe("alternatives of a name that matches nobody", () => {
  it("given name first: the two parts swapped", () => {
    expect(nameAlternatives("翔太 佐藤")).toEqual(["佐藤 翔太"]);
  });

  it("romaji: every spelling, each in both orders", () => {
    const alternatives = nameAlternatives("SHOTA SATO");
    expect(alternatives).toContain("サトウ ショウタ");
    expect(alternatives).toContain("ショウタ サトウ");
    expect(nameAlternatives("Sato Shota")).toContain("サトウ ショウタ");
  });

  it("romaji with many long-vowel places in each part still reaches the likely spelling of both", () => {
    expect(nameAlternatives("Sato Junichiro")).toContain("サトウ ジュンイチロウ");
    expect(nameAlternatives("satoyoko")).toContain("サトウヨウコ");
  });

  it("a modern kanji: the old forms a customer may have registered, and an old form is never made older", () => {
    expect(nameAlternatives("高橋 翔太")).toContain("髙橋 翔太");
    expect(nameAlternatives("渡辺")).toEqual(expect.arrayContaining(["渡邊", "渡邉"]));
    expect(nameAlternatives("山崎")).toEqual(expect.arrayContaining(["山﨑", "山嵜"]));
    expect(nameAlternatives("斎藤")).toEqual(["斉藤", "齋藤", "齊藤"]);
    expect(nameAlternatives("髙橋")).toEqual(["高橋"]);
  });

  it("old-form kanji: the forms the customer table may hold, 齋 as either サイトウ", () => {
    expect(nameAlternatives("髙橋 翔太")[0]).toBe("高橋 翔太");
    expect(nameAlternatives("渡邊")).toEqual(["渡辺"]);
    expect(nameAlternatives("齋藤")).toEqual(["斎藤", "斉藤"]);
    expect(nameAlternatives("山﨑 花子")).toContain("山崎 花子");
  });

  it("a prefecture said without its suffix is dropped from a name of several parts, never from a name alone", () => {
    expect(nameAlternatives("佐藤 翔太 大阪")[0]).toBe("佐藤 翔太");
    expect(nameAlternatives("千葉")).toEqual([]);
  });

  it("the long-vowel mark: the vowel the stored reading writes", () => {
    expect(nameAlternatives("サトー ユーコ")).toContain("サトウ ユウコ");
    expect(nameAlternatives("さとー")).toEqual(["サトウ", "サトオ"]);
    expect(nameAlternatives("ケーコ")[0]).toBe("ケイコ");
  });

  it("a kanji written twice where the name has the repetition mark", () => {
    expect(nameAlternatives("佐佐木 奈奈")).toContain("佐々木 奈々");
  });

  it("a name of three parts or more: each two parts in a row (a name and its reading, a stray word)", () => {
    expect(nameAlternatives("佐藤 翔太 サトウ ショウタ")).toContain("佐藤 翔太");
    expect(nameAlternatives("佐藤 翔太 サトウ ショウタ")).toContain("サトウ ショウタ");
    expect(nameAlternatives("佐藤 翔太 月")).toContain("佐藤 翔太");
  });

  it("a name with no other form has no alternative", () => {
    expect(nameAlternatives("佐藤")).toEqual([]);
    expect(nameAlternatives("サトウ ショウタ")).toEqual(["ショウタ サトウ"]);
  });

  it("is bounded however many places could change", () => {
    expect(nameAlternatives("ohnoko ohnoko ohnoko ohnoko").length).toBeLessThanOrEqual(MAX_NAME_ALTERNATIVES);
    expect(nameAlternatives("髙髙髙髙髙髙髙髙 齋齋齋齋齋齋").length).toBeLessThanOrEqual(MAX_NAME_ALTERNATIVES);
  });
});

describe("the kanji variants of a name that is held (listed after it)", () => {
  it("a modern family name alone: its old forms, never itself", () => {
    expect(kanjiVariants("高橋")).toEqual(expect.arrayContaining(["髙橋"]));
    expect(kanjiVariants("高橋")).not.toContain("高橋");
    expect(kanjiVariants("渡辺")).toEqual(expect.arrayContaining(["渡邊", "渡邉"]));
    expect(kanjiVariants("斉藤")).toEqual(expect.arrayContaining(["斎藤", "齋藤", "齊藤"]));
  });

  it("an old form typed: the modern one; kana and romaji parts stay as typed; none without a variant kanji", () => {
    expect(kanjiVariants("髙橋 翔太")).toEqual(["高橋 翔太"]);
    expect(kanjiVariants("島田 ショウタ")).toEqual(expect.arrayContaining(["嶋田 ショウタ", "嶌田 ショウタ"]));
    expect(kanjiVariants("佐藤")).toEqual([]);
    expect(kanjiVariants("sato")).toEqual([]);
  });
});

describe("a name typed part in kana and part in kanji", () => {
  it("names its kanji parts only when it mixes the two scripts", () => {
    expect(kanjiPartsOfMixedName("ふくだ 由美子")).toEqual(["由美子"]);
    expect(kanjiPartsOfMixedName("福田 ユミコ")).toEqual(["福田"]);
    expect(kanjiPartsOfMixedName("福田 由美子")).toEqual([]);
    expect(kanjiPartsOfMixedName("ふくだ ゆみこ")).toEqual([]);
    expect(kanjiPartsOfMixedName("ふくだ Yumiko")).toEqual([]);
  });

  it("is written in kana with each reading of its kanji parts, in both orders", () => {
    const readings = new Map([["由美子", ["ユミコ", "ユミ"]]]);
    expect(mixedNameInKana("ふくだ 由美子", readings)).toEqual([
      "フクダ ユミコ",
      "フクダ ユミ",
      "ユミコ フクダ",
      "ユミ フクダ",
    ]);
    expect(mixedNameInKana("ふくだ 由美子", new Map())).toEqual([]);
  });
});
