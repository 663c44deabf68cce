// What callers say and agents paste that the parser did not read before: dates read out with pauses or with a
// two-digit year, day-first dates, phrases naming the last four, masked numbers, labels copied with their values,
// tokens wrapped in brackets or quotes, an IP with its port, and a caller introducing themselves.
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "~/accounts/search-query.server";
import type { Reading } from "~/accounts/search-terms";

function terms(raw: string) {
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) throw new Error(`expected "${raw}" to parse, got: ${parsed.message}`);
  return parsed.terms;
}

function readingsOf(raw: string, type: Reading["type"]): Reading[] {
  return terms(raw)
    .facts.flat()
    .filter((reading) => reading.type === type);
}

describe("birth dates as callers say them", () => {
  it.each([
    ["佐藤 翔太 1985年 4月 1日", "1985-04-01"],
    ["佐藤 翔太 1985 年 4 月 1 日", "1985-04-01"],
    ["佐藤 翔太 85年4月1日", "1985-04-01"],
    ["佐藤 翔太 05年4月1日", "2005-04-01"],
    ["佐藤 翔太 生年月日:1985-04-01", "1985-04-01"],
  ])("%s → %s, and the name stays the name", (typed, iso) => {
    const parsed = terms(typed);
    expect(parsed.birthDate).toBe(iso);
    expect(parsed.name).toBe("佐藤 翔太");
  });

  it("an era year joined to the name is still a year (佐藤翔太昭和60年生まれ)", () => {
    const parsed = terms("佐藤 翔太昭和60年生まれ");
    expect(parsed.birthYear).toBe(1985);
    expect(parsed.name).toBe("佐藤 翔太");
  });

  it("a two-digit year with 年 alone is a birth year", () => {
    expect(terms("佐藤 85年生まれ").birthYear).toBe(1985);
  });

  it("a year and a last four read out together stay two facts", () => {
    const parsed = terms("佐藤 1985年 5678");
    expect(parsed.birthYear).toBe(1985);
    expect(parsed.lastFour).toEqual(["5678"]);
  });

  it("day first or month first: both dates are read; an impossible one is dropped", () => {
    expect(readingsOf("佐藤 02/01/1990", "birthDate").map((r) => (r as { value: string }).value)).toEqual([
      "1990-01-02",
      "1990-02-01",
    ]);
    expect(readingsOf("佐藤 26/03/1965", "birthDate").map((r) => (r as { value: string }).value)).toEqual([
      "1965-03-26",
    ]);
  });
});

describe("last fours named by a phrase or shown masked", () => {
  it.each(["佐藤 下4桁5678", "佐藤 下４桁 5678", "佐藤 電話番号の下4桁は5678", "佐藤 末尾5678", "佐藤 カード末尾5678"])(
    "%s: the name is 佐藤 and 5678 a last four",
    (typed) => {
      const parsed = terms(typed);
      expect(parsed.name).toBe("佐藤");
      expect(parsed.lastFour).toEqual(["5678"]);
    },
  );

  it.each(["佐藤 ****5678", "佐藤 xxxx-xxxx-xxxx-5678", "佐藤 090-****-5678", "佐藤 XXX-XXXX-5678"])(
    "%s: a masked number gives its last four",
    (typed) => {
      const parsed = terms(typed);
      expect(parsed.name).toBe("佐藤");
      expect(parsed.lastFour).toEqual(["5678"]);
      expect(parsed.emailLocal).toBeNull();
    },
  );
});

describe("pasted identifiers", () => {
  it.each([
    ["mailto:Taro@Example.jp", "Taro@Example.jp"],
    ["<taro@example.jp>", "taro@example.jp"],
    ["taro@example.jp.", "taro@example.jp"],
    ["メール: taro@example.jp", "taro@example.jp"],
    ['"taro@example.jp",', "taro@example.jp"],
  ])("%s is the email %s", (typed, email) => {
    const parsed = terms(typed);
    expect(parsed.email).toBe(email);
    expect(parsed.name).toBeNull();
  });

  it.each([
    ["203.0.113.5:443", "203.0.113.5"],
    ["IP: 203.0.113.5", "203.0.113.5"],
    ["from 203.0.113.5,", "203.0.113.5"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["fe80::", "fe80::"],
  ])("%s is the IP %s", (typed, ip) => {
    expect(terms(typed).ip).toBe(ip);
  });

  it("a fingerprint pasted after a label or in quotes is still a fingerprint typed alone", () => {
    expect(terms("device: 4175ca2cc406dd29").fingerprint).toBe("4175ca2cc406dd29");
    expect(terms('"4175ca2cc406dd29"').fingerprint).toBe("4175ca2cc406dd29");
  });

  it("an IPv6 address is not split at its colons as if it were a label", () => {
    expect(terms("dead:beef::1").ip).toBe("dead:beef::1");
  });

  it("a UUID in braces is a UUID", () => {
    expect(terms("{CC78722A-EC76-40EF-B9FB-E094C4E23BD7}").uuid).toBe("cc78722a-ec76-40ef-b9fb-e094c4e23bd7");
  });
});

describe("shapes read more than one way", () => {
  it("a letter and eight characters may be a display ID or an email's local part read without the @", () => {
    const parsed = terms("ryom12020");
    expect(parsed.displayIds).toContain("R-yom12020");
    expect(parsed.emailLocal).toBe("ryom12020");
  });

  it("a display ID written with its hyphen is only a display ID", () => {
    const parsed = terms("W-00012345");
    expect(parsed.displayIds).toContain("W-00012345");
    expect(parsed.emailLocal).toBeNull();
  });

  it("a mobile number read without its trunk 0", () => {
    expect(terms("9012345678").phone).toBe("+819012345678");
    expect(terms("90 1234 5678").phone).toBe("+819012345678");
  });

  it("an age is set aside, not read as part of the name", () => {
    expect(terms("佐藤 翔太 34歳").name).toBe("佐藤 翔太");
  });
});

describe("sentences as a caller says them", () => {
  it.each([
    ["1985年4月1日生まれの佐藤です", { name: "佐藤", birthDate: "1985-04-01" }],
    ["佐藤 1985年4月1日（月）", { name: "佐藤", birthDate: "1985-04-01" }],
    ["佐藤 1985/04/01生", { name: "佐藤", birthDate: "1985-04-01" }],
    ["電話番号は090-1234-5678です", { name: null, phone: "+819012345678" }],
    ["メールはtaro@example.jpです", { name: null, email: "taro@example.jp" }],
    ["生年月日は1985年4月1日", { name: null, birthDate: "1985-04-01" }],
    ["IPは203.0.113.5から", { name: null, ip: "203.0.113.5" }],
    ["W-00012345です", { name: null, displayIds: ["W-00012345"] }],
    ["佐藤　翔太（サトウ　ショウタ）", { name: "佐藤 翔太 サトウ ショウタ" }],
  ])("%s", (typed, expected) => {
    expect(terms(typed)).toMatchObject(expected);
  });
});

describe("a caller introducing themselves", () => {
  it.each(["福田 由美子です。", "福田由美子と申します", "福田 由美子 といいます"])("%s → 福田 由美子", (typed) => {
    expect(terms(typed).nameKey).toBe("福田由美子");
  });
});
