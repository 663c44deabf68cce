// What the caller search makes of what an agent types: phone numbers in every Japanese form, emails, names in any
// script and width, identifiers, and the hostile inputs that must get a clear message instead of a query.
import { describe, expect, it } from "vitest";
import { toSearchKey } from "~/accounts/search-key";
import { normalisePhone } from "~/accounts/search-phone";
import { MAX_QUERY_LENGTH, parseSearchQuery } from "~/accounts/search-query.server";
import { sanitiseQuery } from "~/accounts/search-tokens.server";

function terms(raw: string) {
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) throw new Error(`expected "${raw}" to parse, got: ${parsed.message}`);
  return parsed.terms;
}

function refused(raw: string): string {
  const parsed = parseSearchQuery(raw);
  if (parsed.ok) throw new Error(`expected "${raw}" to be refused, got kinds ${parsed.kinds.join(",")}`);
  return parsed.message;
}

describe("phone numbers → E.164", () => {
  it.each([
    ["090-1234-5678", "+819012345678"],
    ["09012345678", "+819012345678"],
    ["+81 90 1234 5678", "+819012345678"],
    ["+81-90-1234-5678", "+819012345678"],
    ["+81 (0)90 1234 5678", "+819012345678"],
    ["+8109012345678", "+819012345678"],
    ["0081 90 1234 5678", "+819012345678"],
    ["819012345678", "+819012345678"],
    ["０９０－１２３４－５６７８", "+819012345678"], // full-width digits and hyphens
    ["０９０ー１２３４ー５６７８", "+819012345678"], // the prolonged sound mark typed for a dash
    ["090‐1234‐5678", "+819012345678"], // U+2010 hyphen
    ["090−1234−5678", "+819012345678"], // U+2212 minus
    ["(090) 1234.5678", "+819012345678"],
    ["03-1234-5678", "+81312345678"], // Tokyo landline, 9 digits after the trunk prefix
    ["＋８１　９０　１２３４　５６７８", "+819012345678"], // full-width plus and ideographic spaces
  ])("%s → %s", (typed, e164) => {
    expect(terms(typed).phone).toBe(e164);
    expect(normalisePhone(sanitiseQuery(typed))).toBe(e164);
  });

  it("keeps other countries' numbers written with their + prefix", () => {
    expect(terms("+1 415 555 0100").phone).toBe("+14155550100");
  });

  it.each(["090-1234-567", "12345", "090-1234-56789-0", "0", "+81"])("%s is not a phone number", (typed) => {
    const parsed = parseSearchQuery(typed);
    expect(parsed.ok ? parsed.terms.phone : null).toBeNull();
  });
});

describe("emails", () => {
  it("are recognised whatever their case and width; the database lower-cases them like its email_key", () => {
    expect(terms("Taro.Tanaka@Example.JP").email).toBe("Taro.Tanaka@Example.JP");
    expect(terms("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ").email).toBe("taro@example.jp");
    expect(terms("  taro@example.jp  ").email).toBe("taro@example.jp");
  });

  it("an email is not also searched as a name", () => {
    expect(terms("taro@example.jp").name).toBeNull();
  });
});

describe("names: NFKC plus kana folding", () => {
  it.each([
    ["田中 太郎", "田中太郎"],
    ["田中　太郎", "田中太郎"], // ideographic space
    ["たなか たろう", "タナカタロウ"], // hiragana → katakana
    ["タナカ タロウ", "タナカタロウ"],
    ["ﾀﾅｶ ﾀﾛｳ", "タナカタロウ"], // half-width katakana → full-width
    ["ｻﾞｲﾂ", "ザイツ"], // half-width voiced marks compose
    ["ガッコウ", "ガッコウ"],
    ["ゔぁ", "ヴァ"],
    ["さゝき", "サヽキ"], // iteration mark folds too
    ["Ｓｍｉｔｈ　Ｊｏｈｎ", "smithjohn"], // full-width Latin → ASCII, lower-cased
    ["ヤマダ・ハナコ", "ヤマダハナコ"], // middle dot removed
    ["o'brien", "obrien"],
  ])("%s → key %s", (typed, key) => {
    expect(toSearchKey(typed)).toBe(key);
    expect(terms(typed).nameKey).toBe(key);
  });

  it("splits a birth year or date off the name to tell namesakes apart", () => {
    // Bare four digits may be a birth year or a last four: both readings are kept (see the multi-fact tests).
    expect(terms("田中 1985年")).toMatchObject({ name: "田中", birthYear: 1985, birthDate: null });
    expect(terms("田中 太郎 1985-04-01")).toMatchObject({
      name: "田中 太郎",
      birthYear: 1985,
      birthDate: "1985-04-01",
    });
    expect(terms("たなか １９８５年４月１日")).toMatchObject({ name: "たなか", birthDate: "1985-04-01" });
    // Not a real date: stays part of the name (and finds nothing), rather than silently searching another day.
    expect(terms("田中 1985-02-30")).toMatchObject({ birthDate: null });
  });
});

describe("identifiers", () => {
  it("display IDs, with or without the hyphen, or just their digits", () => {
    expect(terms("W-00012345").displayIds).toContain("W-00012345");
    expect(terms("w00012345").displayIds).toContain("W-00012345");
    expect(terms("００１１２３４５").displayIds).toContain("W-00112345"); // full-width digits
    expect(terms("T-1a2b3c4d").displayIds).toContain("T-1a2b3c4d");
  });

  it("a display ID is not searched as a name", () => {
    expect(terms("W-00012345").name).toBeNull();
  });

  it("UUIDs (customer or device), fingerprints, IP addresses", () => {
    const id = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";
    // A UUID is a customer ID, a device ID, or an iOS device's fingerprint (identifierForVendor).
    expect(terms(id)).toMatchObject({ uuid: id.toLowerCase(), fingerprint: id.toLowerCase() });
    expect(terms(id).facts).toEqual([
      [
        { type: "customerId", value: id.toLowerCase() },
        { type: "deviceId", value: id.toLowerCase() },
        { type: "fingerprint", value: id.toLowerCase() },
      ],
    ]);
    expect(terms("a1b2c3d4").fingerprint).toBe("a1b2c3d4");
    expect(terms("203.0.113.7")).toMatchObject({ ip: "203.0.113.7", fingerprint: null, name: null });
    expect(terms("2001:DB8::1").ip).toBe("2001:db8::1");
  });
});

describe("bad input gets a clear message, never a query", () => {
  it("empty or blank", () => {
    expect(refused("")).toMatch(/Type a phone number/);
    expect(refused("   \t\n ")).toMatch(/Type a phone number/);
  });

  it("10,000 characters", () => {
    expect(refused("田".repeat(10_000))).toMatch(`at most ${MAX_QUERY_LENGTH} characters`);
    expect(refused("a".repeat(MAX_QUERY_LENGTH + 1))).toMatch(/at most/);
  });

  it("LIKE wildcards and SQL metacharacters alone are nothing to search for", () => {
    expect(refused("%")).toMatch(/Nothing searchable/);
    expect(refused("_")).toMatch(/Nothing searchable/);
    expect(refused("%%%_")).toMatch(/Nothing searchable/);
    expect(refused("';--")).toMatch(/Nothing searchable/);
  });

  it("SQL metacharacters around words are just punctuation in a name key", () => {
    const parsed = terms("'; DROP TABLE customer; --");
    expect(parsed.nameKey).toBe("droptablecustomer");
  });

  it("wildcards never reach a pattern: they are stripped from the name key", () => {
    expect(terms("田%中_").nameKey).toBe("田中");
  });

  it("emoji alone", () => {
    expect(refused("😀🔥")).toMatch(/^Type a phone number/);
    // An emoji next to a name is dropped, not kept in the key.
    expect(terms("佐藤😀").nameKey).toBe("佐藤");
  });

  it("control characters are separators, not content", () => {
    expect(terms("田中\u0000太郎").nameKey).toBe("田中太郎");
    expect(terms("090\t1234\n5678").phone).toBe("+819012345678");
    expect(refused("\u0000\u0001\u001f\u007f")).toMatch(/Type a phone number/);
  });

  it("lone surrogates are dropped instead of breaking encoding", () => {
    expect(terms("田中\uD800").nameKey).toBe("田中");
    expect(terms("\uDC00田中").nameKey).toBe("田中");
    expect(refused("\uD83D")).toMatch(/Type a phone number/);
  });

  it("zero-width characters pasted from chat apps are removed", () => {
    expect(terms("田\u200B中").nameKey).toBe("田中");
  });
});
