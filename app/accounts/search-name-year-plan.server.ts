// The narrow plan's fast path for a name and a birth year ("佐藤 1985", "佐藤 翔太 昭和60年"): the namesakes of that
// year are ranked in the database a page at a time, not read in full.
import { compareRank, NAME_LEVELS } from "~/accounts/search-match";
import type { SearchCursor } from "~/accounts/search-cursor";
import { findCandidates, nameYearPage } from "~/accounts/search-narrow.server";
import { isTypoOnly, PAGE_SIZE, rankCandidates, type Plan, type PlannedRow } from "~/accounts/search-plan";
import type { SearchSql } from "~/accounts/search-sql.server";
import type { SearchTerms } from "~/accounts/search-terms";

/** "佐藤 1985", "佐藤 翔太 昭和60年": a name and one more fact that may be its birth year — the year, when so. */
export function nameAndYearOnly(terms: SearchTerms): number | null {
  if (!terms.nameKey || terms.facts.length !== 2) return null;
  const years = terms.facts[1]!.filter((reading) => reading.type === "birthYear");
  return years.length === 1 && years[0]!.type === "birthYear" ? years[0]!.value : null;
}

const EXACT_NAME_LEVELS: ReadonlySet<string> = new Set(["name", "reading", "familyName"]);

/**
 * A name and a birth year: the customers with that exact name and year match both facts, and may be thousands, so
 * they are ranked in the database and only a page of them is read (nameYearPage); the fact's other readings (a
 * phone's or a card's last four) are few and ranked here as any narrow candidates, then both lists are merged by
 * rank. Null when nobody matches both facts: the general narrow plan then lists the closest matches.
 */
export async function nameAndYearPlan(
  sql: SearchSql,
  terms: SearchTerms,
  year: number,
  cursor: SearchCursor | null,
): Promise<Plan | null> {
  const key = terms.nameKey!;
  const others = rankCandidates(terms, await findCandidates(sql, terms, [])).filter(
    (entry) => entry.match.matched.length === entry.match.factCount,
  );
  const byYear = await nameYearPage(sql, key, year, cursor?.v ?? null, PAGE_SIZE + 1);
  // Nobody, or only one-typo likenesses ("彩 上田" is one kanji from the family name 上田): the general plan tries the
  // name's other forms before listing those.
  if (byYear.total === 0 && others.every(isTypoOnly)) return null;
  // Customers found by their last four who also have the name exactly and the year are in byYear's count already.
  const outsideByYear = others.filter(
    ({ candidate, match }) =>
      !(EXACT_NAME_LEVELS.has(match.nameLevel ?? "") && candidate.birthDate.startsWith(`${year}-`)),
  );
  const listed = new Map<string, { rank: string[]; row: PlannedRow }>();
  for (const { candidate, match, rank } of others) {
    listed.set(candidate.id, {
      rank,
      row: {
        customerId: candidate.id,
        matchedBy: match.nameLevel ?? match.matched[0] ?? "name",
        matched: match.matched,
        openCaseFirst: candidate.openCase,
      },
    });
  }
  for (const row of byYear.rows) {
    if (listed.has(row.id)) continue;
    const level = NAME_LEVELS[row.level]!;
    listed.set(row.id, {
      rank: row.rank,
      row: { customerId: row.id, matchedBy: level, matched: [level, "birthYear"], openCaseFirst: row.openCase },
    });
  }
  const after = [...listed.values()]
    .filter((entry) => !cursor || compareRank(entry.rank, cursor.v) > 0)
    .sort((a, b) => compareRank(a.rank, b.rank));
  const page = after.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  return {
    rows: page.map((entry) => entry.row),
    total: byYear.total + outsideByYear.length,
    totalIsLowerBound: false,
    allFactsMatched: true,
    next: after.length > PAGE_SIZE && last ? { b: -1, v: last.rank } : null,
  };
}
