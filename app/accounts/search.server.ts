// The caller search. The query's facts (search-query.server.ts) decide the plan:
//   narrow — at least one fact few customers share (a phone number or its last four, a birth date, a card's last
//            four, an email or its local part, an ID, a device, an IP): bounded candidate lookups, ranked in full by
//            how many facts each customer matches and how well the name matches (search-narrow-plan.server.ts);
//   broad  — only a name, perhaps with a birth year or an email domain: ordered index branches read page by page from
//            a keyset position (search-broad-plan.server.ts), with one-typo neighbours of the name when the precise
//            readings find less than a page.
// Either way the agent sees how many match and which fact to ask for next. Every statement runs under a statement
// timeout: an input that would cost more answers "narrow your search", never a slow page. See
// docs/decisions/011-search-normalisation-and-indexes.md.
import { broadPlan } from "~/accounts/search-broad-plan.server";
import { encodeCursor, type SearchCursor } from "~/accounts/search-cursor";
import { loadDetails } from "~/accounts/search-details.server";
import { matchName, type MatchedBy } from "~/accounts/search-match";
import { isNarrow } from "~/accounts/search-narrow.server";
import { narrowPlan } from "~/accounts/search-narrow-plan.server";
import { OneSearchSql, type SearchSql } from "~/accounts/search-sql.server";
import type { SearchTerms } from "~/accounts/search-terms";

import { PAGE_SIZE, SearchLinkInvalidError } from "~/accounts/search-plan";
export { PAGE_SIZE, SearchLinkInvalidError };
export type { MatchedBy, SearchSql };

export interface SearchHit {
  id: string;
  displayId: string;
  name: string;
  nameKana: string;
  email: string;
  phone: string;
  birthYear: number;
  status: string;
  lastSignInAt: Date | null;
  caseStatus: string | null;
  caseIncidentCode: string | null;
  /** The best reason this customer is listed. */
  matchedBy: MatchedBy;
  /** Every fact of the query this customer matches. */
  matched: MatchedBy[];
  /** Listed ahead of equally good matches because the customer's incident case is open (the page says so). */
  openCaseFirst: boolean;
}

/** The fact that would narrow this result best, when it is longer than a page. */
export type NextFact = "birthDate" | "phoneLast4" | "givenName" | "birthYear" | "emailLocal";

export interface SearchPage {
  hits: SearchHit[];
  /** How many customers match (all facts, or — when nobody matches all — at least one). */
  total: number;
  /** True when counting stopped at COUNT_LIMIT: "10,000 or more". */
  totalIsLowerBound: boolean;
  /** False when nobody matches every fact and the closest matches are listed instead. */
  allFactsMatched: boolean;
  /** The position after this page's last row, for the "next page" link; null on the last page. */
  nextCursor: string | null;
  nextFact: NextFact | null;
  /**
   * The forms of the name searched instead of the one typed, which matches nobody ("髙橋" → 高橋, "Sato Shota" →
   * サトウ ショウタ, "翔太 佐藤" → 佐藤 翔太, "ono" → オノ and オオノ); the page says so. Empty when searched as typed.
   */
  searchedAs: string[];
  /** The email's local part, searched with any domain because the email as typed matched nobody; else null. */
  emailRetriedAs: string | null;
}

function suggestNextFact(terms: SearchTerms, total: number): NextFact | null {
  if (total <= PAGE_SIZE) return null;
  const has = (type: string) => terms.facts.some((fact) => fact.some((reading) => reading.type === type));
  if (!has("birthDate")) return "birthDate";
  if (!has("phoneLast4")) return "phoneLast4";
  if (terms.nameKey && !terms.name?.includes(" ")) return "givenName";
  if (!has("emailLocal")) return "emailLocal";
  return null;
}

/** The name's key and the keys of the other forms searched with it. */
function nameFormsOf(terms: SearchTerms): string[] {
  return [...(terms.nameKey ? [terms.nameKey] : []), ...(terms.otherNameKeys ?? [])];
}

/** One page of the search; `cursor` is the previous page's nextCursor, decoded (null for the first page). */
export async function searchCustomers(
  sql: SearchSql,
  terms: SearchTerms,
  cursor: SearchCursor | null = null,
): Promise<SearchPage> {
  // The plans' fallbacks may ask again what they asked before: answered once (OneSearchSql).
  sql = new OneSearchSql(sql);
  const plan = isNarrow(terms)
    ? await narrowPlan(sql, terms, cursor && cursor.b === -1 ? cursor : null)
    : terms.nameKey
      ? await broadPlan(sql, terms, cursor && cursor.b >= 0 ? cursor : null)
      : { rows: [], total: 0, totalIsLowerBound: false, allFactsMatched: true, next: null };
  const searched = plan.searched ?? terms;
  // Read with the page by the plans that read their page in the database; the others' rows in one statement here.
  const details = await loadDetails(
    sql,
    plan.rows.filter((row) => !row.detail).map((row) => row.customerId),
  );
  const hits: SearchHit[] = [];
  for (const row of plan.rows) {
    const detail = row.detail ?? details.get(row.customerId);
    if (!detail) continue;
    // The open-case branch mixes exact, reading, family-name and typo matches: say which this one is.
    const matchedBy =
      row.openCaseFirst && !isNarrow(searched) && searched.nameKey
        ? (nameFormsOf(searched)
            .map((key) =>
              matchName(key, {
                nameKey: detail.name_key,
                kanaKey: detail.kana_key,
                familyNameKey: detail.family_name_key,
                familyKanaKey: detail.family_kana_key,
                givenNameKey: detail.given_name_key,
                givenKanaKey: detail.given_kana_key,
              }),
            )
            .find((level) => level !== null) ?? row.matchedBy)
        : row.matchedBy;
    hits.push({
      id: detail.id,
      displayId: detail.display_id,
      name: detail.name,
      nameKana: detail.name_kana,
      email: detail.email,
      phone: detail.phone,
      birthYear: Number(detail.birth_year),
      status: detail.status,
      lastSignInAt: detail.last_sign_in_at,
      caseStatus: detail.case_status,
      caseIncidentCode: detail.case_incident_code,
      matchedBy,
      matched: row.matchedBy === matchedBy ? row.matched : [matchedBy],
      openCaseFirst: row.openCaseFirst,
    });
  }
  return {
    hits,
    total: plan.total,
    totalIsLowerBound: plan.totalIsLowerBound,
    allFactsMatched: plan.allFactsMatched,
    nextCursor: plan.next ? encodeCursor(plan.next) : null,
    nextFact: suggestNextFact(searched, plan.total),
    searchedAs: plan.searchedAs ?? [],
    emailRetriedAs: plan.emailRetriedAs ?? null,
  };
}
