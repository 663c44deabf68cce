// The broad plan: only a name, perhaps with a birth year or an email domain. Ordered index branches read page by page
// from a keyset position (search-broad.server.ts); when the name as typed matches nobody, its held forms, then its
// one-typo neighbours.
import { findHeldForms, withName } from "~/accounts/search-alternatives.server";
import {
  COUNT_LIMIT,
  countBranches,
  countPreciseBranches,
  cursorFits,
  existingTypoKeys,
  kanjiVariantBranches,
  otherFormBranches,
  readBranchPage,
  typoBranches,
  withOpenCaseFirst,
  withVariantsAfterExact,
  type Branch,
} from "~/accounts/search-broad.server";
import type { SearchCursor } from "~/accounts/search-cursor";
import { toSearchKey } from "~/accounts/search-key";
import { kanjiVariants } from "~/accounts/search-name-alternatives";
import { isFullName, isTypoCandidate, PAGE_SIZE, SearchLinkInvalidError, type Plan } from "~/accounts/search-plan";
import type { SearchSql } from "~/accounts/search-sql.server";
import type { SearchTerms } from "~/accounts/search-terms";

export async function broadPlan(
  sql: SearchSql,
  terms: SearchTerms,
  cursor: SearchCursor | null,
  alternative = false,
): Promise<Plan> {
  const key = terms.nameKey!;
  // 高橋 typed, 髙橋 stored: the kanji variants' exact matches are counted with the name's, and listed after its own.
  const variants = alternative
    ? []
    : kanjiVariantBranches(terms, kanjiVariants(terms.name!).map(toSearchKey), !terms.name!.includes(" "));
  const counted = await countPreciseBranches(sql, terms, key, variants);
  let { branches, counts } = counted;
  const precise = counts.reduce((sum, count) => sum + count, 0);
  // "渡辺 花子 H2" with only a 渡邊 花子 born that year: the kanji variants' exact matches are the answer, not the
  // name's typos (they were counted, and dropped, leaving an empty page: ADR 092).
  const byVariant = counted.variantCounts.some((count) => count > 0);
  // Before its one-typo neighbours: the name in other forms that customers hold is what the caller said. A name
  // nobody holds as typed is searched as those forms, and the page says so.
  if (precise === 0 && !alternative) {
    const { typedHeld, held } = await findHeldForms(sql, terms);
    if (!typedHeld && held.length === 1) {
      const other = withName(terms, held[0]!);
      return { ...(await broadPlan(sql, other, cursor, true)), searchedAs: held, searched: other };
    }
    if (!typedHeld && held.length > 1) return otherFormsBroadPlan(sql, terms, held, cursor);
  }
  // One-typo neighbours only when the name as typed matches nobody: spelling out and probing them costs more than the
  // whole precise search, and a name that exists is what the caller said.
  let listedKeys = [key];
  if (precise === 0 && !byVariant && isTypoCandidate(key)) {
    const typos = await existingTypoKeys(sql, key, isFullName(terms));
    const similar = typoBranches(terms, typos);
    branches = [...branches, ...similar];
    counts = [...counts, ...(await countBranches(sql, similar))];
    listedKeys = typos;
  }
  if (precise > 0 || byVariant)
    ({ branches, counts } = withVariantsAfterExact({ branches, counts }, variants, counted.variantCounts));
  ({ branches, counts } = withOpenCaseFirst(terms, listedKeys, branches, counts));
  // "大野 翔太 1930年" and nobody of that name (in any form, or one typo away) born then: the name's holders are
  // listed as closest matches, as the narrow plan lists them when a number matches nobody, never an empty page.
  // So too for another form searched in place of a name nobody holds ("浜田 京子 1930年" → 濱田 京子).
  if (counts.every((count) => count === 0) && (terms.birthYear || terms.emailDomain)) {
    const nameAlone = withoutFilters(terms);
    const closest = await broadPlan(sql, nameAlone, cursor, alternative);
    return { ...closest, allFactsMatched: closest.total === 0, searched: closest.searched ?? nameAlone };
  }
  return broadPage(sql, branches, counts, cursor);
}

/** The name without the birth year and email domain that narrowed its branches. */
function withoutFilters(terms: SearchTerms): SearchTerms {
  return {
    ...terms,
    birthYear: null,
    emailDomain: null,
    facts: terms.facts.filter((fact) => fact.some((reading) => reading.type === "name")),
  };
}

/**
 * "ono" (オノ and オオノ), "yuki" (ユキ and ユウキ): the name as typed matches nobody and several of its forms are held.
 * Their exact matches, level by level (otherFormBranches), counted in one statement and read a page at a time; the
 * page names the forms that list someone.
 */
async function otherFormsBroadPlan(
  sql: SearchSql,
  terms: SearchTerms,
  held: string[],
  cursor: SearchCursor | null,
): Promise<Plan> {
  const keys = held.map(toSearchKey);
  const formBranches = otherFormBranches(terms, keys, !terms.name!.includes(" "));
  const formCounts = await countBranches(sql, formBranches);
  // None of the forms born in the year said: the forms' holders as closest matches (as in broadPlan).
  if (formCounts.every((count) => count === 0) && (terms.birthYear || terms.emailDomain)) {
    const closest = await otherFormsBroadPlan(sql, withoutFilters(terms), held, cursor);
    return { ...closest, allFactsMatched: closest.total === 0 };
  }
  const listing = held.filter((_, form) =>
    formCounts.some((count, i) => count > 0 && branchKeyIndex(keys.length, i) === form),
  );
  const { branches, counts } = withOpenCaseFirst(terms, keys, formBranches, formCounts);
  const searched: SearchTerms = { ...terms, otherNameKeys: keys };
  return {
    ...(await broadPage(sql, branches, counts, cursor)),
    searchedAs: listing.length > 0 ? listing : held,
    searched,
  };
}

/** otherFormBranches lays out four exact levels per form, then two given-name branches per form. */
function branchKeyIndex(forms: number, i: number): number {
  return i < forms * 4 ? i % forms : Math.floor((i - forms * 4) / 2);
}

async function broadPage(
  sql: SearchSql,
  branches: Branch[],
  counts: number[],
  cursor: SearchCursor | null,
): Promise<Plan> {
  if (cursor && !cursorFits(branches, cursor)) throw new SearchLinkInvalidError();
  const read = await readBranchPage(sql, branches, cursor, PAGE_SIZE + 1);
  // A customer can sit in two branches (a typo neighbour of one reading is another's exact key): list it once.
  const seen = new Set<string>();
  const unique = read.filter((row) => (seen.has(row.customerId) ? false : (seen.add(row.customerId), true)));
  const page = unique.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  return {
    rows: page.map((row) => {
      const branch = branches[row.branch]!;
      return {
        customerId: row.customerId,
        matchedBy: branch.matchedBy,
        matched: [branch.matchedBy],
        openCaseFirst: branch.openCaseFirst === true,
        ...(row.detail ? { detail: row.detail } : {}),
      };
    }),
    total: counts.reduce((sum, count) => sum + count, 0),
    totalIsLowerBound: counts.some((count, i) => count >= (branches[i]!.countLimit ?? COUNT_LIMIT)),
    allFactsMatched: true,
    next: read.length > PAGE_SIZE && last ? { b: last.branch, v: last.sortValues } : null,
  };
}
