// The narrow ranking's one-edit comparison (it runs for every candidate's six name keys, so it has a fast way out for
// strings far apart in length) and the names the search gives its prepared statements.
import { describe, expect, it } from "vitest";
import { MAX_PREPARED_SHAPES, preparedName } from "~/accounts/search-sql.server";
import { isTypoNeighbour, typoNeighbours, typoVariants, withinOneEdit } from "~/accounts/search-typo";

describe("withinOneEdit", () => {
  it.each([
    ["サトウ", "サトウ", true],
    ["サトオ", "サトウ", true], // substitution
    ["サトウ", "サウ", true], // deletion
    ["サウ", "サトウ", true], // insertion
    ["ワニブチ", "ワブニチ", true], // swap of neighbours
    ["ショウタ", "ショウダ", true],
    ["サトウ", "サイトウ", true],
    ["サトウ", "カトオ", false], // two substitutions
    ["サトウ", "サトウタロウ", false], // far apart in length
    ["ワニブチ", "ブチワニ", false],
    ["𠮷田", "吉田", true], // a code point outside the BMP counts as one
    ["𠮷田", "田", true],
    ["𠮷𠮷田", "田", false],
  ])("%s / %s → %s", (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
    expect(withinOneEdit(b, a)).toBe(expected);
  });
});

describe("prepared statement names", () => {
  it("one name per text, the same each time, and none past the cap", () => {
    const first = preparedName("SELECT 1 -- unit test a");
    expect(first).toMatch(/^search_[0-9a-f]{32}$/);
    expect(preparedName("SELECT 1 -- unit test a")).toBe(first);
    expect(preparedName("SELECT 1 -- unit test b")).not.toBe(first);
    for (let i = 0; i < MAX_PREPARED_SHAPES; i++) preparedName(`SELECT ${i} -- unit test filler`);
    expect(preparedName("SELECT 1 -- unit test past the cap")).toBeUndefined();
    // Shapes named before the cap keep their name.
    expect(preparedName("SELECT 1 -- unit test a")).toBe(first);
  });
});

// The search finds a typed key's neighbours by the variants they share (search_name_variant) and keeps those that
// typoNeighbours would have spelled out: the two must agree on every key, or a neighbour is lost or a stranger added.
describe("one-edit neighbours through shared variants", () => {
  const typed = ["サトウショウタ", "ワニブチ", "サトオ", "佐藤翔太", "鰐淵健一", "ヴァイオレット", "佐トウ"];
  const deletions = (key: string) => [key, ...[...key].map((_, i) => [...key].filter((__, j) => j !== i).join(""))];

  it.each(typed)("%s: every neighbour shares a variant, and isTypoNeighbour accepts exactly the neighbours", (key) => {
    const variants = new Set(typoVariants(key));
    const neighbours = typoNeighbours(key);
    for (const neighbour of neighbours) {
      expect(deletions(neighbour).some((variant) => variants.has(variant))).toBe(true);
      expect(isTypoNeighbour(key, neighbour)).toBe(true);
    }
    // Keys that share a variant but are not neighbours: two edits away, another script, the key itself.
    const near = new Set(neighbours);
    const others = [key, ...neighbours.flatMap((n) => typoNeighbours(n).slice(0, 40)), "サトウ", "佐藤", "翔太佐藤"];
    for (const other of others) expect(isTypoNeighbour(key, other)).toBe(near.has(other));
  });

  it("short keys have no variants and no neighbours", () => {
    expect(typoVariants("サト")).toEqual([]);
    expect(isTypoNeighbour("サト", "サトウ")).toBe(false);
  });

  it("kanji keys: deletions and swaps only", () => {
    expect(isTypoNeighbour("佐藤翔太", "佐藤翔")).toBe(true);
    expect(isTypoNeighbour("佐藤翔太", "佐藤太翔")).toBe(true);
    expect(isTypoNeighbour("佐藤翔太", "佐藤翔大")).toBe(false);
    expect(isTypoNeighbour("佐藤翔太", "佐藤翔太郎")).toBe(false);
  });
});
