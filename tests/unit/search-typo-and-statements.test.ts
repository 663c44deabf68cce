// The narrow ranking's one-edit comparison (it runs for every candidate's six name keys, so it has a fast way out for
// strings far apart in length) and the names the search gives its prepared statements.
import { describe, expect, it } from "vitest";
import { MAX_PREPARED_SHAPES, preparedName } from "~/accounts/search-sql.server";
import { withinOneEdit } from "~/accounts/search-typo";

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
