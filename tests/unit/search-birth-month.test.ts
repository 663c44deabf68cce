// A birth month or a birthday without its year, as callers say it: read as a fact of its own (ADR 086), so that it
// narrows a name's namesakes; an impossible day is set aside, and a month alone is not a search.
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "~/accounts/search-query.server";

function parsed(raw: string) {
  const result = parseSearchQuery(raw);
  if (!result.ok) throw new Error(`refused: ${raw}`);
  return result.terms;
}

describe("a birth month or birthday without its year", () => {
  it.each([
    ["鰐淵 3月生まれ", 3, null],
    ["鰐淵 3月", 3, null],
    ["鰐淵翔太3月生まれ", 3, null],
    ["鰐淵 5月12日生まれ", 5, 12],
    ["5月12日生まれの鰐淵です", 5, 12],
    ["誕生日は3月3日の鰐淵", 3, 3],
    ["鰐淵 ５月１２日", 5, 12],
    ["鰐淵 2月29日", 2, 29],
    ["鰐淵 born in March", 3, null],
    ["鰐淵 born on May 12th", 5, 12],
    ["鰐淵 birthday is March 3", 3, 3],
  ])("%s → month %d, day %s, beside the name", (raw, month, day) => {
    const terms = parsed(raw);
    expect(terms.birthMonth).toEqual({ month, day });
    expect(terms.name).toMatch(/^鰐淵/);
    expect(terms.facts.map((fact) => fact[0]!.type)).toEqual(["name", "birthMonth"]);
  });

  it("an impossible day is set aside, never read as a name", () => {
    const terms = parsed("鰐淵 2月30日");
    expect(terms.name).toBe("鰐淵");
    expect(terms.birthMonth).toBeNull();
  });

  it.each(["鰐淵 1985年3月", "鰐淵 昭和60年3月", "鰐淵 S60.3", "鰐淵 85年3月生まれ", "鰐淵 1985/03"])(
    "%s: the year and its month, one fact",
    (raw) => {
      const terms = parsed(raw);
      expect(terms.birthYear).toBe(1985);
      expect(terms.birthMonth).toEqual({ month: 3, day: null });
      expect(terms.facts.map((fact) => fact.map((reading) => reading.type))).toEqual([["name"], ["birthMonth"]]);
    },
  );

  it("五月 and May alone stay names", () => {
    expect(parsed("五月 翔太").name).toBe("五月 翔太");
    expect(parsed("May Sato").birthMonth).toBeNull();
  });

  it("a month alone is refused, asking for the name: it would list a twelfth of every customer", () => {
    expect(parseSearchQuery("3月生まれ")).toMatchObject({ ok: false, code: "addName" });
  });
});
