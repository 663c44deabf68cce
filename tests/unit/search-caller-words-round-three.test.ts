// Caller input the parser read wrongly before round three (ADR 081): numbers spoken in kanji, a birth year with its
// month, a birthday without a year, more honorifics and words about the caller, an address after the name, a romaji
// name with macrons.
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "~/accounts/search-query.server";

function terms(raw: string) {
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) throw new Error(`expected "${raw}" to parse, got: ${parsed.message}`);
  return parsed.terms;
}

describe("numbers spoken in kanji", () => {
  it.each([
    "〇九〇一二三四五六七八",
    "〇九〇－一二三四－五六七八",
    "〇九〇 一二三四 五六七八",
    "ゼロ九〇一二三四五六七八",
  ])("%s is a phone number", (typed) => {
    expect(terms(typed).phone).toBe("+819012345678");
    expect(terms(typed).name).toBeNull();
  });

  it.each([
    ["佐藤 昭和六十年三月十五日", "1985-03-15"],
    ["佐藤 一九八五年三月十五日", "1985-03-15"],
    ["佐藤 平成元年十二月三十一日", "1989-12-31"],
  ])("%s is a birth date", (typed, iso) => {
    expect(terms(typed).birthDate).toBe(iso);
    expect(terms(typed).name).toBe("佐藤");
  });

  it("the last four in kanji", () => {
    expect(terms("佐藤 下四桁 五六七八").lastFour).toEqual(["5678"]);
  });

  it("kanji numerals inside a name stay the name", () => {
    expect(terms("佐藤 健一").name).toBe("佐藤 健一");
    expect(terms("一二三 太郎").name).toBe("一二三 太郎");
    expect(terms("佐藤 一郎 三十歳").name).toBe("佐藤 一郎");
  });
});

describe("a birth year with its month, a birthday without its year", () => {
  it.each([
    ["1985年3月 佐藤", 1985],
    ["佐藤 1985年3月生まれ", 1985],
    ["佐藤 85年3月", 1985],
    ["佐藤 昭和60年3月", 1985],
    ["佐藤 S60.3", 1985],
    ["佐藤 1985/03", 1985],
  ])("%s: the year, and the month is not a name", (typed, year) => {
    const parsed = terms(typed);
    expect(parsed.birthYear).toBe(year);
    expect(parsed.name).toBe("佐藤");
  });

  it.each(["佐藤 3月15日生まれ", "佐藤 誕生日は3月15日", "佐藤 3月15日"])(
    "%s: the name, and the birthday without its year as a fact of its own (ADR 086)",
    (typed) => {
      const parsed = terms(typed);
      expect(parsed.name).toBe("佐藤");
      expect(parsed.birthMonth).toEqual({ month: 3, day: 15 });
      expect(parsed.facts).toHaveLength(2);
    },
  );
});

describe("words about the caller", () => {
  it.each([
    "佐藤くん",
    "佐藤君",
    "佐藤ちゃん",
    "佐藤殿",
    "佐藤 くん",
    "佐藤 翔太 男性",
    "佐藤 翔太 女性",
    "佐藤 翔太 ご本人",
  ])("%s: the name without them", (typed) => {
    expect(terms(typed).name).toMatch(/^佐藤( 翔太)?$/);
  });
});

describe("an address said after the name", () => {
  it.each(["佐藤 翔太 東京都新宿区西新宿2-8-1", "佐藤 翔太 大阪府大阪市北区"])(
    "%s: the prefecture set aside",
    (typed) => {
      const parsed = terms(typed);
      expect(parsed.name).toBe("佐藤 翔太");
      expect(parsed.prefecture).not.toBeNull();
    },
  );
});

describe("romaji with macrons", () => {
  it("is one word per part", () => {
    expect(terms("Satō Shōta").name).toBe("Satō Shōta");
  });
});

describe("names with numerals that are no number", () => {
  it.each(["佐藤 五月", "三日月 翔太", "九十九 凛", "佐藤 健一 1985年"])("%s keeps its name", (typed) => {
    expect(terms(typed).name).toBe(typed.replace(" 1985年", ""));
  });
});

describe("a date read out as three numbers, and years said in kana", () => {
  it.each([
    ["佐藤 翔太 1985 03 15", "1985-03-15"],
    ["佐藤 翔太 1985 3 15", "1985-03-15"],
    ["佐藤 翔太 生年月日 1985 3 15", "1985-03-15"],
  ])("%s → %s", (typed, iso) => {
    expect(terms(typed).birthDate).toBe(iso);
    expect(terms(typed).name).toBe("佐藤 翔太");
  });

  it("a year and a last four stay two facts", () => {
    expect(terms("佐藤 1985 5678").lastFour).toEqual(["1985", "5678"]);
  });

  it.each([
    ["さとう しょうた 1985ねん", 1985],
    ["佐藤 翔太 しょうわ60ねん", 1985],
    ["佐藤 翔太 ショウワ60年", 1985],
    ["佐藤 翔太 へいせい2年", 1990],
  ])("%s: the year in kana", (typed, year) => {
    expect(terms(typed).birthYear).toBe(year);
    expect(terms(typed).name).toMatch(/^(佐藤 翔太|さとう しょうた)$/);
  });
});

describe("an email read out", () => {
  it.each([
    "sato.shota85 at docomo.ne.jp",
    "sato.shota85 アットマーク docomo.ne.jp",
    "sato.shota85@ docomo.ne.jp",
    "sato.shota85 @ docomo.ne.jp",
    "sato.shota85@@docomo.ne.jp",
  ])("%s is the email", (typed) => {
    expect(terms(typed).email).toBe("sato.shota85@docomo.ne.jp");
    expect(terms(typed).name).toBeNull();
  });

  it("without the domain's suffix, the part before the @", () => {
    expect(terms("sato.shota85@docomo").emailLocal).toBe("sato.shota85");
    expect(terms("sato.shota85@docomo").name).toBeNull();
  });
});

describe("more caller words", () => {
  it.each(["サトウ ショウタ サマ", "ｻﾄｳ ｼｮｳﾀ ｻﾏ", "サトウ ショウタサマ"])(
    "%s: the katakana honorific is dropped",
    (typed) => {
      expect(terms(typed).name).toBe("サトウ ショウタ");
    },
  );

  it("a display ID read in groups with hyphens", () => {
    expect(terms("w-1234-5678").displayIds).toContain("W-12345678");
  });
});
