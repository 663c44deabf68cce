// Round six of caller words (ADR 092): an era said apart from its year, words that are no fact and no name (a
// postcode, an address, an age, digits that fit nothing) named back to the agent instead of dropped or searched as a
// device, and what is left of an emoji or a reference mark kept out of the name.
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "~/accounts/search-query.server";

function terms(raw: string) {
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) throw new Error(`refused: ${raw}`);
  return parsed.terms;
}

const readingTypes = (raw: string) => terms(raw).facts.map((fact) => fact.map((reading) => reading.type));

describe("an era said apart from its year", () => {
  it.each([
    ["大野 翔太 昭和 52 年", 1977],
    ["佐藤 昭和 60年", 1985],
    ["佐藤 昭和 60", 1985],
    ["佐藤 令和 元年", 2019],
  ])("%s is born in %i, and 昭和 is no part of the name", (typed, year) => {
    const parsed = terms(typed);
    expect(parsed.birthYear).toBe(year);
    expect(parsed.name ?? "").not.toContain("昭和");
  });

  it("平成 2 年 1 月 2 日 is one date", () => {
    expect(terms("平成 2 年 1 月 2 日").birthDate).toBe("1990-01-02");
  });
});

describe("a postcode is named as not searchable, never searched as a device or a last four", () => {
  it.each([
    ["〒150-0001", "〒150-0001"],
    ["〒 150 0001", "〒150-0001"],
    ["〒1500001", "〒150-0001"],
    ["郵便番号は150-0001", "〒150-0001"],
    ["150-0001", "150-0001"],
  ])("%s alone is refused, naming %s as a postcode", (typed, text) => {
    expect(parseSearchQuery(typed)).toEqual({
      ok: false,
      code: "nothingSearchable",
      message: expect.any(String),
      notUnderstood: [{ text, kind: "postcode" }],
    });
  });

  it("beside a name, the name is searched and the postcode named", () => {
    const parsed = terms("大野 翔太 〒150-0001");
    expect(parsed.name).toBe("大野 翔太");
    expect(parsed.facts).toHaveLength(1);
    expect(parsed.notUnderstood).toEqual([{ text: "〒150-0001", kind: "postcode" }]);
  });
});

describe("an address keeps its house number and is named whole", () => {
  it("東京都渋谷区神宮前1-2-3 alone is refused as an address", () => {
    expect(parseSearchQuery("東京都渋谷区神宮前1-2-3")).toMatchObject({
      ok: false,
      notUnderstood: [{ text: "東京都渋谷区神宮前1-2-3", kind: "address" }],
    });
  });

  it("after a name and before a birth year, the year is still read", () => {
    const parsed = terms("佐藤 翔太 東京都新宿区西新宿2-8-1 1985");
    expect(parsed.name).toBe("佐藤 翔太");
    expect(parsed.lastFour).toEqual(["1985"]);
    expect(parsed.notUnderstood).toEqual([{ text: "東京都新宿区西新宿2-8-1", kind: "address" }]);
  });

  it("a bare prefecture is set aside as before, not named as an address", () => {
    expect(terms("佐藤 東京都")).toMatchObject({ name: "佐藤", prefecture: "東京都", notUnderstood: [] });
  });
});

describe("digits that are no fact are named, not dropped or read as a device", () => {
  it.each(["0901234567", "090-1234-56789", "12345"])("%s alone is refused, naming the digits", (typed) => {
    expect(parseSearchQuery(typed)).toMatchObject({
      ok: false,
      code: "nothingSearchable",
      notUnderstood: [{ text: typed, kind: "digits" }],
    });
  });

  it("a phone number cut short beside a name", () => {
    const parsed = terms("佐藤 090-1234");
    expect(parsed.name).toBe("佐藤");
    expect(parsed.notUnderstood).toEqual([{ text: "090-1234", kind: "digits" }]);
  });

  it("an age is named as an age", () => {
    expect(terms("佐藤 翔太 34歳").notUnderstood).toEqual([{ text: "34", kind: "age" }]);
    expect(terms("佐藤 翔太 35才").notUnderstood).toEqual([{ text: "35", kind: "age" }]);
  });

  it("a device identifier typed alone is still one", () => {
    expect(readingTypes("4175ca2cc406dd29")).toEqual([["emailLocal", "fingerprint"]]);
    expect(readingTypes("1234567890123456")).toEqual([["fingerprint"]]);
  });

  it("every fact read leaves nothing to name", () => {
    expect(terms("佐藤 翔太 1985年4月1日 090-1234-5678 taro@example.jp W-00012345").notUnderstood).toEqual([]);
  });
});

describe("what is left of an emoji or a mark is not part of the name", () => {
  it.each([
    ["佐藤🙇‍♂️翔太", "佐藤 翔太"],
    ["※佐藤", "佐藤"],
    ["佐藤 翔太†", "佐藤 翔太"],
  ])("%s → %s", (typed, name) => {
    expect(terms(typed).name).toBe(name);
  });

  it("digits in keycaps are still digits", () => {
    expect(terms("佐藤 1️⃣2️⃣3️⃣4️⃣").lastFour).toEqual(["1234"]);
  });
});

describe("labels and spacing pasted or read out", () => {
  it.each([
    ["お客様名：佐藤 翔太", "佐藤 翔太"],
    ["フリガナ：サトウ ショウタ", "サトウ ショウタ"],
    ["お客様名 : 佐藤 翔太", "佐藤 翔太"],
  ])("%s → the name %s", (typed, name) => {
    expect(terms(typed).name).toBe(name);
  });

  it("カナ alone is still a given name, not a label", () => {
    expect(terms("カナ").name).toBe("カナ");
  });

  it("末尾1234のカード: the last four, and no name", () => {
    expect(terms("末尾1234のカード")).toMatchObject({ name: null, lastFour: ["1234"] });
  });

  it.each([
    ["taro.sato@ example . jp", "taro.sato@example.jp"],
    ["taro.sato @ example . co . jp", "taro.sato@example.co.jp"],
  ])("%s is the email %s", (typed, email) => {
    expect(terms(typed)).toMatchObject({ email, name: null });
  });
});

describe("a romaji given name with a hyphen beside a romaji family name", () => {
  it.each([
    ["Jun-ichi Henmi", "Jun'ichi Henmi"],
    ["HENMI JUN-ICHI", "HENMI JUN'ICHI"],
  ])("%s is the name %s", (typed, name) => {
    expect(terms(typed)).toMatchObject({ name, emailLocal: null });
  });

  it("alone it is still an email's local part", () => {
    expect(readingTypes("sato-shota")).toEqual([["emailLocal", "fingerprint"]]);
  });
});

describe("an era year past its era is named, not read as a year of the next one", () => {
  it.each(["平成35年", "H35", "S65", "令和99年", "S60.2.30"])("%s alone is refused, naming it", (typed) => {
    expect(parseSearchQuery(typed)).toMatchObject({
      ok: false,
      code: "nothingSearchable",
      notUnderstood: [{ text: typed, kind: "eraDate" }],
    });
  });

  it.each([
    ["明治45年", 1912],
    ["大正15年", 1926],
    ["昭和64年", 1989],
    ["S64", 1989],
    ["平成31年", 2019],
    ["H元年", 1989],
  ])("%s, the era's last or first year, is %i", (typed, year) => {
    expect(terms(`佐藤 ${typed}`).birthYear).toBe(year);
  });

  it("beside a name and a last four, the others are still searched", () => {
    const parsed = terms("佐藤 S65 5678");
    expect(parsed).toMatchObject({ name: "佐藤", lastFour: ["5678"], birthYear: null });
    expect(parsed.notUnderstood).toEqual([{ text: "S65", kind: "eraDate" }]);
  });
});

describe("what narrows a name only is refused alone, asking for the name", () => {
  it.each(["1985年", "S60", "昭和60年", "@gmail.com", "1985年 @gmail.com", "3月3日"])("%s alone", (typed) => {
    expect(parseSearchQuery(typed)).toMatchObject({ ok: false, code: "addName" });
  });

  it("four digits alone are still a last four", () => {
    expect(parseSearchQuery("1985")).toMatchObject({ ok: true });
  });
});

describe("a date no calendar has is named, not taken for a name or dropped", () => {
  it.each(["1985年2月30日", "1985-02-30", "2月30日"])("%s alone", (typed) => {
    expect(parseSearchQuery(typed)).toMatchObject({
      ok: false,
      code: "nothingSearchable",
      notUnderstood: [{ text: typed, kind: "date" }],
    });
  });

  it("beside a name", () => {
    expect(terms("佐藤 1985年2月30日")).toMatchObject({
      name: "佐藤",
      notUnderstood: [{ text: "1985年2月30日", kind: "date" }],
    });
  });

  it("29 February is a birthday", () => {
    expect(terms("佐藤 2月29日").birthMonth).toEqual({ month: 2, day: 29 });
  });
});
