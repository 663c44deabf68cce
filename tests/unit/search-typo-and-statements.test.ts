// The narrow ranking's one-edit comparison (it runs for every candidate's six name keys, so it has a fast way out for
// strings far apart in length), the names the search gives its prepared statements, and one search's statements
// answered once.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_PREPARED_SHAPES, OneSearchSql, preparedName, type SearchSql } from "~/accounts/search-sql.server";
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

  /** Optimal string alignment distance over code points: the definition withinOneEdit answers "≤ 1" of. */
  function editDistance(a: string, b: string): number {
    const x = [...a];
    const y = [...b];
    const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => i + j));
    for (let i = 1; i <= x.length; i++) {
      for (let j = 1; j <= y.length; j++) {
        const cost = x[i - 1] === y[j - 1] ? 0 : 1;
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
          d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      }
    }
    return d[x.length]![y.length]!;
  }

  it("agrees with the edit distance on names of kana, kanji and characters outside the BMP", () => {
    // A small alphabet, so that near neighbours are common; 𠮷 and 𩸽 are two UTF-16 units each.
    const name = fc
      .array(fc.constantFrom("サ", "ト", "ウ", "オ", "佐", "藤", "𠮷", "𩸽", "田"), { maxLength: 7 })
      .map((chars) => chars.join(""));
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(withinOneEdit(a, b)).toBe(editDistance(a, b) <= 1);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("one search's statements", () => {
  it("the same statement with the same values runs once; other values, and a failed statement, run again", async () => {
    const ran: string[] = [];
    let failNext = false;
    const connection: SearchSql = {
      query: (async (text: string, params: unknown[] = []) => {
        ran.push(`${text} ${JSON.stringify(params)}`);
        if (failNext) {
          failNext = false;
          throw new Error("connection lost");
        }
        return { rows: [{ text, params }] };
      }) as SearchSql["query"],
    };
    const search = new OneSearchSql(connection);
    const first = await search.query("SELECT $1", [1]);
    expect(await search.query("SELECT $1", [1])).toBe(first);
    await search.query("SELECT $1", [2]);
    await search.query("SELECT $1 -- another", [1]);
    expect(ran).toHaveLength(3);
    failNext = true;
    await expect(search.query("SELECT $1", [3])).rejects.toThrow("connection lost");
    await search.query("SELECT $1", [3]);
    expect(ran).toHaveLength(5);
    // Each search starts empty.
    await new OneSearchSql(connection).query("SELECT $1", [1]);
    expect(ran).toHaveLength(6);
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

  it("one search tells statements apart by their text, named or past the cap", async () => {
    const ran: string[] = [];
    const connection: SearchSql = {
      query: (async (text: string) => {
        ran.push(text);
        return { rows: [{ text }] };
      }) as SearchSql["query"],
    };
    // Past the cap new shapes have no name: two of them with the same values are still two statements.
    for (let i = 0; i < MAX_PREPARED_SHAPES; i++) preparedName(`SELECT ${i} -- unit test filler`);
    const search = new OneSearchSql(connection);
    const texts = ["SELECT $1 -- unnamed one", "SELECT $1 -- unnamed two", "SELECT 1 -- unit test a"];
    for (const text of texts) expect(await search.query(text, [1])).toEqual({ rows: [{ text }] });
    for (const text of texts) expect(await search.query(text, [1])).toEqual({ rows: [{ text }] });
    expect(ran).toEqual(texts);
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
