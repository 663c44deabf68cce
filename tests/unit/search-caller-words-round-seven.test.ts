// Round seven of caller words (ADR 098): dates with a two-digit year and slashes, one-kanji era abbreviations, dates
// with an English month's name, commas between facts, a display ID read out with a space, the last four said in more
// ways, a kanji name run into its kana, honorifics in romaji and English, and an address read out as "(at)" and "dot".
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "~/accounts/search-query.server";

function terms(raw: string) {
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) throw new Error(`refused: ${raw}`);
  return parsed.terms;
}

const birthDates = (raw: string) =>
  terms(raw)
    .facts.flat()
    .flatMap((reading) => (reading.type === "birthDate" ? [reading.value] : []))
    .sort();

describe("a date with a two-digit year and slashes", () => {
  it.each([
    ["3/12/85", ["1985-03-12", "1985-12-03"]],
    ["03/12/85", ["1985-03-12", "1985-12-03"]],
    ["12/3/85", ["1985-03-12", "1985-12-03"]],
    ["25/12/85", ["1985-12-25"]],
    ["85/3/12", ["1985-03-12"]],
    ["佐藤 翔太 3/12/85 1234", ["1985-03-12", "1985-12-03"]],
  ])("%s is read as every date it can be: %j", (typed, dates) => {
    expect(birthDates(typed)).toEqual(dates);
  });

  it("a last four after it is still a last four, never joined into a phone number", () => {
    const parsed = terms("佐藤 03/12/85 1234");
    expect(parsed.phone).toBeNull();
    expect(parsed.lastFour).toEqual(["1234"]);
  });

  it("no calendar has 2/30/85: named as a date, not searched", () => {
    expect(parseSearchQuery("2/30/85")).toMatchObject({
      ok: false,
      notUnderstood: [{ text: "2/30/85", kind: "date" }],
    });
  });
});

describe("an era abbreviated to its first kanji", () => {
  it.each([
    ["佐藤 昭60", 1985],
    ["佐藤 平2", 1990],
    ["佐藤 令1年", 2019],
    ["佐藤 大15", 1926],
  ])("%s is born in %i, and the era's kanji is no part of the name", (typed, year) => {
    const parsed = terms(typed);
    expect(parsed.birthYear).toBe(year);
    expect(parsed.name).toBe("佐藤");
  });

  it("昭60.3.12 and 平元年1月8日 are dates", () => {
    expect(terms("昭60.3.12").birthDate).toBe("1985-03-12");
    expect(terms("佐藤 平元年1月8日").birthDate).toBe("1989-01-08");
  });

  it.each(["大元", "平元 翔"])("%s (元 without 年) is a family name, not the era's first year", (typed) => {
    expect(terms(typed).birthYear).toBeNull();
    expect(terms(typed).name).toContain("元");
  });

  it("平35 is past the era: named, and not part of the name", () => {
    const parsed = terms("佐藤 平35");
    expect(parsed.name).toBe("佐藤");
    expect(parsed.notUnderstood).toEqual([{ text: "平35", kind: "eraDate" }]);
  });
});

describe("a date with an English month's name and its year", () => {
  it.each(["12 March 1985", "March 12, 1985", "12 Mar 1985", "Mar. 12th 1985", "Sato Shota 12 mar 1985"])(
    "%s is 12 March 1985",
    (typed) => {
      expect(terms(typed).birthDate).toBe("1985-03-12");
      expect(terms(typed).name ?? "").not.toMatch(/mar/i);
    },
  );
});

describe("commas, semicolons and bars between facts", () => {
  it("佐藤 翔太,1985/3/12,1234 is a name, a birth date and a last four", () => {
    const parsed = terms("佐藤 翔太,1985/3/12,1234");
    expect(parsed.name).toBe("佐藤 翔太");
    expect(parsed.birthDate).toBe("1985-03-12");
    expect(parsed.lastFour).toEqual(["1234"]);
    expect(parsed.notUnderstood).toEqual([]);
  });

  it.each([
    ["佐藤翔太；S60.3.12", "1985-03-12"],
    ["佐藤 | 1985-03-12 | 1234", "1985-03-12"],
  ])("%s keeps its date apart from the name", (typed, date) => {
    expect(terms(typed).birthDate).toBe(date);
    expect(terms(typed).nameKey).toBe(typed.startsWith("佐藤翔太") ? "佐藤翔太" : "佐藤");
  });

  it("a comma typed for the dot before an email's last label is that dot", () => {
    expect(terms("taro@example,jp").email).toBe("taro@example.jp");
  });
});

describe("a display ID read out or typed in pieces", () => {
  it.each(["W 00012345", "W-0001 2345", "w 0001 2345", "w\u201000012345", "0001-2345"])("%s is W-00012345", (typed) => {
    const parsed = terms(typed);
    expect(parsed.displayIds).toContain("W-00012345");
    expect(parsed.name).toBeNull();
    expect(parsed.lastFour).toEqual([]);
  });

  it("W00012345 typed whole keeps its other readings (an email's local part)", () => {
    expect(terms("W00012345").emailLocal).toBe("w00012345");
  });
});

describe("the last four said in more ways", () => {
  it.each(["ラスト4桁1234", "4桁1234", "番号の末尾1234", "下一二三四", "佐藤 下1234"])(
    "%s is the last four 1234, and no word of it is a name",
    (typed) => {
      const parsed = terms(typed);
      expect(parsed.lastFour).toEqual(["1234"]);
      expect(parsed.name ?? "佐藤").toBe("佐藤");
      expect(parsed.notUnderstood).toEqual([]);
    },
  );

  it("木下 before four digits keeps its 下", () => {
    expect(terms("木下1234").name).toBe("木下");
  });
});

describe("a name in kanji run into one in kana", () => {
  it.each([
    ["後藤みさき", "後藤 みさき"],
    ["ゴトウ美咲", "ゴトウ 美咲"],
    ["コバヤシ翼 1971", "コバヤシ 翼"],
    ["林さくら", "林 さくら"],
  ])("%s is read as two parts: %s", (typed, name) => {
    expect(terms(typed).name).toBe(name);
  });

  it.each(["ゆう子", "千とせ", "一ノ瀬", "霞ヶ関 太郎"])("%s, one part in two scripts, stays whole", (typed) => {
    expect(terms(typed).name).toBe(typed);
  });
});

describe("who the caller is, said around the name", () => {
  it.each([
    ["佐藤翔太本人です", "佐藤翔太"],
    ["契約者は佐藤翔太です", "佐藤翔太"],
    ["名義は佐藤翔太", "佐藤翔太"],
    ["名義人 佐藤 翔太", "佐藤 翔太"],
    ["あ、佐藤です", "佐藤"],
    ["佐藤でございます", "佐藤"],
    ["Mr. Ohno", "Ohno"],
    ["Ms Sato Hanako", "Sato Hanako"],
    ["Ohno san", "Ohno"],
    ["Ohno-san 1976", "Ohno"],
    ["Sato-sama", "Sato"],
  ])("%s is the name %s", (typed, name) => {
    const parsed = terms(typed);
    expect(parsed.name).toBe(name);
    expect(parsed.emailLocal).toBeNull();
  });
});

describe("an email address written so that robots do not read it, or read out", () => {
  it.each([
    "taro(at)example.jp",
    "taro[at]example[dot]jp",
    "taro at example dot jp",
    "taro.sato at example dot co dot jp",
  ])("%s is one email", (typed) => {
    const parsed = terms(typed);
    expect(parsed.email).toMatch(/^taro(\.sato)?@example\.(co\.)?jp$/);
    expect(parsed.name).toBeNull();
  });

  it("dot is a word like any other where no @ is said", () => {
    expect(terms("Dot Sato").name).toBe("Dot Sato");
  });
});

describe("a phone number with slashes between its groups", () => {
  it.each(["080/1234/5678", "佐藤 080/1234/5678"])("%s is +818012345678", (typed) => {
    expect(terms(typed).phone).toBe("+818012345678");
  });
});

describe("a birth year or birthday in the shorter forms of forms and speech", () => {
  it.each([
    ["佐藤 '85", 1985],
    ["佐藤 S.60", 1985],
    ["佐藤 S-60", 1985],
    ["佐藤 R.1", 2019],
    ["佐藤 昭和60年度", 1985],
    ["佐藤 1985年度生まれ", 1985],
  ])("%s is born in %i, and nothing of it is in the name", (typed, year) => {
    const parsed = terms(typed);
    expect(parsed.birthYear).toBe(year);
    expect(parsed.name).toBe("佐藤");
    expect(parsed.emailLocal).toBeNull();
  });

  it("H.2.3.4 is 4 March 1990", () => {
    expect(terms("佐藤 H.2.3.4").birthDate).toBe("1990-03-04");
  });

  it.each([
    ["佐藤 翔太 誕生日 3/12", { month: 3, day: 12 }],
    ["佐藤 25/3", { month: 3, day: 25 }],
  ])("%s is a birthday without its year, month first unless it cannot be", (typed, birthday) => {
    expect(terms(typed).birthMonth).toEqual(birthday);
  });

  it("3/12 alone asks for the name, as a birthday alone does", () => {
    expect(parseSearchQuery("3/12")).toMatchObject({ ok: false, code: "addName" });
  });
});

describe("words around the name and the facts that are neither", () => {
  it.each([
    ["お名前は佐藤翔太様でよろしいですか", "佐藤翔太"],
    ["佐藤翔太様ですね", "佐藤翔太"],
    ["佐藤翔太さまご本人様", "佐藤翔太"],
    ["佐藤です 平成2年生まれです", "佐藤"],
    ["佐藤 翔太: 1985/3/12", "佐藤 翔太"],
    ["佐藤 翔太 生年月日不明", "佐藤 翔太"],
    ["佐藤 翔太 たぶん1985年", "佐藤 翔太"],
    ["佐藤 翔太 1985年頃", "佐藤 翔太"],
    ["佐藤 翔太 1985か1986", "佐藤 翔太"],
    ["ビザ末尾1234 佐藤", "佐藤"],
    ["JCB 1234 佐藤", "佐藤"],
    ["Sato Shota born 1985", "Sato Shota"],
    ["Sato Shota, DOB 12/03/1985", "Sato Shota"],
    ["Sato Shota phone ending 1234", "Sato Shota"],
    ["Sato Shota last 4 digits 1234", "Sato Shota"],
    ["Sato Shota card ending in 1234", "Sato Shota"],
  ])("%s is the name %s", (typed, name) => {
    expect(terms(typed).name).toBe(name);
  });

  it.each(["佐藤 翔太 ３５さい", "佐藤 翔太 30代"])("%s names the age as not searched", (typed) => {
    const parsed = terms(typed);
    expect(parsed.name).toBe("佐藤 翔太");
    expect(parsed.notUnderstood.map((word) => word.kind)).toEqual(["age"]);
  });

  it("a form's label first is still dropped (お客様名：)", () => {
    expect(terms("お客様名： 佐藤 翔太").name).toBe("佐藤 翔太");
  });
});

describe("where the caller lives, said with 在住", () => {
  it.each(["東京在住", "横浜在住です"])("佐藤翔太 %s is the name, and the place is named as an address", (place) => {
    const parsed = terms(`佐藤翔太 ${place}`);
    expect(parsed.name).toBe("佐藤翔太");
    expect(parsed.notUnderstood).toEqual([{ text: place, kind: "address" }]);
  });
});
