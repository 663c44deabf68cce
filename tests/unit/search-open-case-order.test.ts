// Where an open incident case sits in the caller search's ordering: after how many facts match and how well the name
// matches, before birth date; and the broad search reorders a full name's namesakes only (bounded work).
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "~/accounts/search-query.server";
import { compareRank, RANK_VALUE_COUNT, rankValues, type CandidateMatch } from "~/accounts/search-match";
import {
  COUNT_LIMIT,
  OPEN_CASE_REORDER_LIMIT,
  preciseBranches,
  TYPO_COUNT_LIMIT,
  typoBranches,
  withOpenCaseFirst,
} from "~/accounts/search-broad.server";

const match = (matched: number, nameLevel: CandidateMatch["nameLevel"]): CandidateMatch => ({
  matched: Array.from({ length: matched }, () => "name" as const),
  factCount: 2,
  nameLevel,
  nameForm: nameLevel === null ? null : 0,
  typoRank: nameLevel === "similarName" ? 3 : null,
});
const row = (openCase: boolean, birthDate = "1985-04-01", id = "00000000-0000-4000-8000-000000000001") => ({
  openCase,
  birthDate,
  id,
});

describe("open incident case in the ranking", () => {
  it("comes after the facts matched and the name's match, before birth date", () => {
    const openCase = rankValues(match(2, "name"), row(true, "1999-01-01"));
    expect(openCase).toHaveLength(RANK_VALUE_COUNT);
    expect(compareRank(openCase, rankValues(match(2, "name"), row(false, "1950-01-01")))).toBeLessThan(0);
    expect(compareRank(openCase, rankValues(match(2, "reading"), row(false)))).toBeLessThan(0);
    // A better name match or one more fact still wins over an open case.
    expect(
      compareRank(rankValues(match(2, "name"), row(false)), rankValues(match(2, "similarName"), row(true))),
    ).toBeLessThan(0);
    expect(
      compareRank(rankValues(match(2, "familyName"), row(false)), rankValues(match(1, "name"), row(true))),
    ).toBeLessThan(0);
  });
});

describe("which broad searches are reordered", () => {
  const parsed = parseSearchQuery("佐藤 翔太");
  if (!parsed.ok) throw new Error("refused");
  const branches = preciseBranches(parsed.terms, "佐藤翔太", false);
  const counts = (exact: number) => branches.map((branch) => (branch.exact ? exact : 40_000));

  it("a full name's namesakes: an open-case branch first, the exact branches skip what it lists", () => {
    const out = withOpenCaseFirst(parsed.terms, ["佐藤翔太"], branches, counts(300));
    expect(out.branches).toHaveLength(branches.length + 1);
    expect(out.branches[0]!.openCaseFirst).toBe(true);
    expect(out.counts[0]).toBe(0); // it lists no one the others do not count
    expect(out.branches.slice(1).every((branch) => Boolean(branch.readFilter) === Boolean(branch.exact))).toBe(true);
  });

  it("not when the exact branches hold more than the limit (a family name), nor none", () => {
    for (const exact of [OPEN_CASE_REORDER_LIMIT + 1, 0]) {
      const out = withOpenCaseFirst(parsed.terms, ["佐藤翔太"], branches, counts(exact));
      expect(out.branches).toBe(branches);
      expect(out.branches.some((branch) => branch.readFilter)).toBe(false);
    }
  });

  it("a full name shared by a thousand (佐藤翔太: 1,067) is still counted exactly, so still reordered", () => {
    expect(COUNT_LIMIT).toBeGreaterThanOrEqual(OPEN_CASE_REORDER_LIMIT);
    const sizes = branches.map((branch, i) => (i === 0 ? 1067 : branch.exact ? 0 : COUNT_LIMIT));
    const out = withOpenCaseFirst(parsed.terms, ["佐藤翔太"], branches, sizes);
    expect(out.branches[0]!.openCaseFirst).toBe(true);
  });

  it("not when a count stopped at its limit: サトオ is one kana from 50,000 サトウ, counted only to a thousand", () => {
    const typos = typoBranches(parsed.terms, ["サトウ", "サトミ"]);
    expect(typos.every((branch) => branch.countLimit === TYPO_COUNT_LIMIT && branch.exact)).toBe(true);
    const counts = typos.map((_, i) => (i === 3 ? TYPO_COUNT_LIMIT : 0)); // サトウ as a family reading: capped
    const out = withOpenCaseFirst(parsed.terms, ["サトウ", "サトミ"], typos, counts);
    expect(out.branches).toBe(typos);
  });
});
