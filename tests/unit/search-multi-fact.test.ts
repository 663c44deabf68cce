// What the caller search makes of several facts typed at once, in every script and width agents type them: each
// token is read as the facts it could be, and the name is what is left.
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "~/accounts/search-query.server";
import type { Reading } from "~/accounts/search-terms";

function facts(raw: string): Reading[][] {
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) throw new Error(`expected "${raw}" to parse, got: ${parsed.message}`);
  return parsed.terms.facts;
}

function terms(raw: string) {
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) throw new Error(`expected "${raw}" to parse, got: ${parsed.message}`);
  return parsed.terms;
}

const toFullWidth = (value: string) =>
  value.replace(/[0-9A-Za-z@.-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, "\u3000");

const lastFour = (value: string): Reading[] => {
  const readings: Reading[] = [
    { type: "phoneLast4", value },
    { type: "cardLast4", value },
  ];
  const year = Number(value);
  if (year >= 1900 && year <= 2099) readings.push({ type: "birthYear", value: year });
  return readings;
};

describe("the last four digits", () => {
  it.each([
    ["佐藤 5678", "佐藤"],
    ["さとう 5678", "さとう"],
    ["ｻﾄｳ 5678", "サトウ"],
    ["佐藤5678", "佐藤"],
    [toFullWidth("佐藤 5678"), "佐藤"],
  ])("%s: a name and a last four", (typed, name) => {
    const parsed = terms(typed);
    expect(parsed.name).toBe(name);
    expect(parsed.facts).toContainEqual(lastFour("5678"));
    expect(parsed.phone).toBeNull();
  });

  it("four digits alone are a last four, not 'nothing searchable'", () => {
    expect(facts("5678")).toEqual([lastFour("5678")]);
    expect(facts("５６７８")).toEqual([lastFour("5678")]);
  });

  it("a last four between 1900 and 2099 may also be a birth year: both readings are kept", () => {
    expect(facts("佐藤 1985")).toContainEqual(lastFour("1985"));
    expect(lastFour("1985")).toContainEqual({ type: "birthYear", value: 1985 });
  });

  it("a name, a birth year and a last four together", () => {
    const parsed = terms("佐藤 翔太 1985年 5678");
    expect(parsed).toMatchObject({ name: "佐藤 翔太", birthYear: 1985, lastFour: ["5678"] });
  });
});

describe("birth dates and years, Western and Japanese era", () => {
  it.each([
    ["1985-04-01", "1985-04-01"],
    ["1985/4/1", "1985-04-01"],
    ["1985.04.01", "1985-04-01"],
    ["1985年4月1日", "1985-04-01"],
    ["１９８５年４月１日", "1985-04-01"],
    ["19850401", "1985-04-01"],
    ["昭和60年4月1日", "1985-04-01"],
    ["S60.4.1", "1985-04-01"],
    ["s60/4/1", "1985-04-01"],
    ["平成元年1月8日", "1989-01-08"],
    ["H2.2.2", "1990-02-02"],
    ["令和1年5月1日", "2019-05-01"],
  ])("田中 %s → %s", (typed, iso) => {
    const parsed = terms(`田中 ${typed}`);
    expect(parsed).toMatchObject({ name: "田中", birthDate: iso, birthYear: Number(iso.slice(0, 4)) });
  });

  it.each([
    ["昭和60年", 1985],
    ["S60", 1985],
    ["平成元年", 1989],
    ["1985年", 1985],
    ["1985年生まれ", 1985],
  ])("田中 %s → born %i", (typed, year) => {
    expect(terms(`田中 ${typed}`)).toMatchObject({ name: "田中", birthYear: year, birthDate: null });
  });

  it("昭和60年 生まれ: the filler word is not part of the name", () => {
    expect(terms("佐藤 昭和60年 生まれ")).toMatchObject({ name: "佐藤", birthYear: 1985 });
  });

  it("a date that does not exist is not a birth date (no 31 February rolling into March)", () => {
    expect(terms("田中 1985-02-31").birthDate).toBeNull();
    expect(terms("田中 昭和60年2月30日").birthDate).toBeNull();
  });

  it("eight digits that form a date are read as a date and as a display ID's digits", () => {
    const readings = facts("19850401")[0]!;
    expect(readings).toContainEqual({ type: "birthDate", value: "1985-04-01" });
    expect(readings).toContainEqual({ type: "displayId", values: ["W-19850401"] });
  });
});

describe("parts of an email", () => {
  it.each([
    ["sato.shota85@", "sato.shota85"],
    ["SATO.SHOTA85@", "sato.shota85"],
    [toFullWidth("sato.shota85@"), "sato.shota85"],
  ])("%s → the part before the @", (typed, local) => {
    expect(facts(typed)).toEqual([[{ type: "emailLocal", value: local }]]);
  });

  it("a bare token that could be a local part is one, or a device fingerprint when typed alone", () => {
    expect(facts("sato.shota85")).toEqual([
      [
        { type: "emailLocal", value: "sato.shota85" },
        { type: "fingerprint", value: "sato.shota85" },
      ],
    ]);
    // With a name, it is not a fingerprint (a device is never searched for by name).
    expect(facts("佐藤 sato.shota85")).toContainEqual([{ type: "emailLocal", value: "sato.shota85" }]);
  });

  it.each([
    ["@example.jp", "example.jp"],
    ["@Example.JP", "example.jp"],
  ])("%s → a domain (beside a name: alone it is refused, ADR 092)", (typed, domain) => {
    expect(facts(`佐藤 ${typed}`)).toEqual([
      [{ type: "name", value: "佐藤" }],
      [{ type: "emailDomain", value: domain }],
    ]);
  });

  it("a full email is one identifier, not a local part and a domain", () => {
    expect(terms("sato.shota85@example.jp")).toMatchObject({
      email: "sato.shota85@example.jp",
      emailLocal: null,
      emailDomain: null,
    });
  });
});

describe("a name with an identifier", () => {
  it("a name and a full phone number: the phone is an identifier, the name a fact", () => {
    const parsed = terms("佐藤 090-1234-5678");
    expect(parsed).toMatchObject({ phone: "+819012345678", name: "佐藤" });
  });

  it("a phone number written in groups is one number", () => {
    expect(terms("090 1234 5678").phone).toBe("+819012345678");
    expect(terms("佐藤 090 1234 5678").phone).toBe("+819012345678");
    expect(terms("+81 90 1234 5678 佐藤").phone).toBe("+819012345678");
  });

  it("a phone number followed by words keeps the number", () => {
    expect(terms("090 1234 5678 ext 9").phone).toBe("+819012345678");
  });
});

describe("honorifics, prefectures and other words", () => {
  it("佐藤様 and 佐藤さん search for 佐藤", () => {
    expect(terms("佐藤様").name).toBe("佐藤");
    expect(terms("佐藤さん 5678").name).toBe("佐藤");
  });

  it("a prefecture is recognised and set aside (customers' addresses are not recorded)", () => {
    const parsed = terms("佐藤 東京都 5678");
    expect(parsed).toMatchObject({ name: "佐藤", prefecture: "東京都" });
    // Without its suffix a prefecture's name is a family name: 石川 is a name.
    expect(terms("石川 5678")).toMatchObject({ name: "石川", prefecture: null });
  });
});
