// Which one-typo neighbour of a name is listed first: the slip most likely to have turned the caller's name into the
// one typed (a voicing mark, a vowel misheard) before an unrelated kana.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byTypoLikelihood, typoLikelihoodRank, typoNeighbours } from "~/accounts/search-typo";

describe("typoLikelihoodRank", () => {
  it.each([
    ["ショウダ", "ショウタ", 0], // voicing mark
    ["ハヤシ", "バヤシ", 0],
    ["ハヤシ", "パヤシ", 0],
    ["サツキ", "サッキ", 0], // small and large kana
    ["サトー", "サトウ", 0], // long-vowel mark for a vowel
    ["サト", "サトウ", 0], // a vowel dropped
    ["ユウキ", "ユキ", 0], // …or added
    ["コウノ", "コーノ", 0],
    ["マシト", "マサト", 1], // vowel slip: same consonant row
    ["スズキ", "スズク", 1],
    ["ガモウ", "ギモウ", 1],
    ["マシト", "マチト", 2], // consonant slip: same vowel
    ["マシト", "マコト", 3], // neither
    ["マサト", "マトサ", 3], // two kana swapped
    ["マサト", "マサキト", 3], // another kana inserted
    ["佐藤翔太", "佐藤翔", 3], // not a katakana key
  ])("%s as typed, %s meant → %i", (typed, meant, rank) => {
    expect(typoLikelihoodRank(typed, meant)).toBe(rank);
  });

  it("ranks every neighbour of any katakana name 0–3", () => {
    const kana = fc.constantFrom(..."アイウエオカガキギクサシスタダチツッテトナニハバパヒマミムヤャユラリワンー");
    fc.assert(
      fc.property(fc.array(kana, { minLength: 3, maxLength: 7 }), (chars) => {
        const typed = chars.join("");
        for (const key of typoNeighbours(typed).slice(0, 200)) {
          expect([0, 1, 2, 3]).toContain(typoLikelihoodRank(typed, key));
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe("byTypoLikelihood", () => {
  it("lists the likeliest slips first, then by code point within a rank", () => {
    // Code-point order alone would put マコト (コ) and マキト (キ) before マサト (サ).
    expect(byTypoLikelihood("マシト", ["マキト", "マコト", "マサト", "マジト", "マスト", "マチト"])).toEqual([
      "マジト",
      "マサト",
      "マスト",
      "マキト",
      "マチト",
      "マコト",
    ]);
  });
});
