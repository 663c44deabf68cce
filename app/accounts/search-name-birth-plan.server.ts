// The narrow plan's fast path for a name and when the caller was born ("佐藤 1985", "佐藤 翔太 昭和60年", "佐藤 3月生まれ"):
// the namesakes born then are ranked in the database a page at a time, not read in full.
import { compareRank, NAME_LEVELS } from "~/accounts/search-match";
import type { SearchCursor } from "~/accounts/search-cursor";
import {
  CANDIDATE_LIMIT,
  findCandidates,
  inBirthPeriod,
  monthPeriod,
  nameBirthPage,
  VARIANT_LEVEL,
  type BirthPeriod,
} from "~/accounts/search-narrow.server";
import { toSearchKey } from "~/accounts/search-key";
import { kanjiVariants, nameAlternatives } from "~/accounts/search-name-alternatives";
import { isTypoOnly, PAGE_SIZE, rankCandidates, type Plan, type PlannedRow } from "~/accounts/search-plan";
import type { SearchSql } from "~/accounts/search-sql.server";
import type { SearchTerms } from "~/accounts/search-terms";

/**
 * "佐藤 1985", "佐藤 翔太 昭和60年", "佐藤 5月12日生まれ": a name and one more fact that may be its birth year, or is its
 * birth month or birthday — that period, when so.
 */
export function nameAndBirthOnly(terms: SearchTerms): BirthPeriod | null {
  if (!terms.nameKey || terms.facts.length !== 2) return null;
  const periods = terms.facts[1]!.flatMap((reading): BirthPeriod[] =>
    reading.type === "birthYear"
      ? [{ year: reading.value }]
      : reading.type === "birthMonth"
        ? [monthPeriod(reading)]
        : [],
  );
  return periods.length === 1 ? periods[0]! : null;
}

const EXACT_NAME_LEVELS: ReadonlySet<string> = new Set(["name", "reading", "familyName"]);

/**
 * findCandidates' option for a plan that lists only customers matching every fact, the name among them: the keys of
 * the name and of its forms (withCandidateNameKeys), sorted, so that a fallback to another form asks the same statement.
 */
export function nameNarrowing(terms: SearchTerms): { matchingName: string[] } {
  const keys = new Set([...(terms.candidateNameKeys ?? []), terms.nameKey!, ...(terms.otherNameKeys ?? [])]);
  return { matchingName: [...keys].sort() };
}

/**
 * Other spellings whose keys the candidates are read for up front: a kanji or kana name has one (given name first), a
 * romaji name a dozen or more, each of which the database would test against every candidate; a fallback to a form
 * not among these asks a statement of its own.
 */
const FORMS_READ_UP_FRONT = 2;

/** The terms with the keys of the name as typed and of its likeliest other spellings, which its fallbacks search. */
export function withCandidateNameKeys(terms: SearchTerms): SearchTerms {
  if (!terms.name || !terms.nameKey || terms.candidateNameKeys) return terms;
  const forms = nameAlternatives(terms.name).slice(0, FORMS_READ_UP_FRONT);
  return { ...terms, candidateNameKeys: [terms.nameKey, ...forms.map(toSearchKey)] };
}

/**
 * A name and a birth year (or month): the customers with that exact name born then match both facts, and may be
 * thousands, so they are ranked in the database and only a page of them is read (nameBirthPage); the fact's other
 * readings (a phone's or a card's last four) are few and ranked here as any narrow candidates, then both lists are
 * merged by rank. Null when nobody matches both facts: the general narrow plan then lists the closest matches.
 */
export async function nameAndBirthPlan(
  sql: SearchSql,
  terms: SearchTerms,
  period: BirthPeriod,
  cursor: SearchCursor | null,
  alternative = false,
): Promise<Plan | null> {
  const key = terms.nameKey!;
  // Only those matching every fact are kept, so only those whose name could match are read (narrowPlan asks the
  // same statement when this finds nobody: nameNarrowing).
  const others = rankCandidates(terms, await findCandidates(sql, terms, [], nameNarrowing(terms))).filter(
    (entry) => entry.match.matched.length === entry.match.factCount,
  );
  const variants = alternative ? [] : kanjiVariants(terms.name!).map(toSearchKey);
  const byYear = await nameBirthPage(sql, key, period, cursor?.v ?? null, PAGE_SIZE + 1, variants);
  // Nobody, or only one-typo likenesses ("彩 上田" is one kanji from the family name 上田): the general plan tries the
  // name's other forms before listing those.
  if (byYear.total === 0 && others.every(isTypoOnly)) return null;
  // Customers found by their last four who also have the name exactly and the year are in byYear's count already.
  const outsideByYear = others.filter(
    ({ candidate, match }) =>
      !(EXACT_NAME_LEVELS.has(match.nameLevel ?? "") && inBirthPeriod(candidate.birthDate, period)),
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
        ...(candidate.detail ? { detail: candidate.detail } : {}),
      },
    });
  }
  for (const row of byYear.rows) {
    if (listed.has(row.id)) continue;
    const level = row.level >= VARIANT_LEVEL ? "nameVariant" : NAME_LEVELS[row.level]!;
    listed.set(row.id, {
      rank: row.rank,
      row: {
        customerId: row.id,
        matchedBy: level,
        matched: [level, "year" in period ? "birthYear" : "birthMonth"],
        openCaseFirst: row.openCase,
        ...(row.detail ? { detail: row.detail } : {}),
      },
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
    // A name's namesakes born in a month may pass the per-index limit ("佐藤 3月生まれ"): then "at least".
    totalIsLowerBound: byYear.total >= CANDIDATE_LIMIT,
    allFactsMatched: true,
    next: after.length > PAGE_SIZE && last ? { b: -1, v: last.rank } : null,
  };
}
