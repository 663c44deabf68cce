// What every plan of the caller search returns, and the ranking helpers the narrow plans share: the page size, the
// rows a plan lists, and whether a candidate matched every fact or only through a one-typo likeness of the name.
import type { SearchCursor } from "~/accounts/search-cursor";
import type { DetailRow } from "~/accounts/search-details.server";
import { matchCandidate, rankValues, type MatchedBy } from "~/accounts/search-match";
import type { Candidate } from "~/accounts/search-narrow.server";
import type { SearchTerms } from "~/accounts/search-terms";
import { MIN_TYPO_KEY_LENGTH } from "~/accounts/search-typo";

export const PAGE_SIZE = 20;

/** A page link whose position does not fit this search (edited by hand, or from another search). */
export class SearchLinkInvalidError extends Error {
  constructor() {
    super("search page link does not fit the search");
  }
}

export interface PlannedRow {
  customerId: string;
  matchedBy: MatchedBy;
  matched: MatchedBy[];
  /** Listed ahead of equally good matches because the customer's incident case is open. */
  openCaseFirst: boolean;
  /** What the page shows of the customer, when the plan read it with the page (else loadDetails reads it). */
  detail?: DetailRow;
}

export interface Plan {
  rows: PlannedRow[];
  total: number;
  totalIsLowerBound: boolean;
  allFactsMatched: boolean;
  next: SearchCursor | null;
  /**
   * Set when the name as typed matched nobody and other forms of it were searched instead (search-alternatives):
   * those forms, as the page lists them, and the terms searched (the page's next-fact hint and row labels use them).
   */
  searchedAs?: string[];
  searched?: SearchTerms;
  /** Set when the email matched nobody and its local part was searched instead (search-email-retry.ts). */
  emailRetriedAs?: string;
}

/** Names are short: a longer key is not a name with a typo, and its neighbours would only cost probes. */
const MAX_TYPO_KEY_LENGTH = 20;

/** Typed as family and given name: its one-typo neighbours need only be looked for among full names. */
export function isFullName(terms: SearchTerms): boolean {
  return terms.name?.trim().includes(" ") === true;
}

export function isTypoCandidate(key: string): boolean {
  const length = [...key].length;
  return length >= MIN_TYPO_KEY_LENGTH && length <= MAX_TYPO_KEY_LENGTH;
}

export function rankCandidates(terms: SearchTerms, candidates: Candidate[]) {
  return candidates.map((candidate) => {
    const match = matchCandidate(terms, candidate);
    return { candidate, match, rank: rankValues(match, candidate) };
  });
}

export type Ranked = ReturnType<typeof rankCandidates>;

export const matchesEveryFact = (entry: Ranked[number]) => entry.match.matched.length === entry.match.factCount;

/** Matched through a one-typo likeness of the name only: another form of the name that matches exactly is better. */
export function isTypoOnly(entry: { match: { nameLevel: string | null } }): boolean {
  return entry.match.nameLevel === "similarName";
}

/** A birth year, or a birth month or birthday without it: the name's (key, birth_date, id) indexes can read it. */
export function hasBirthPeriod(terms: SearchTerms): boolean {
  return terms.facts.some((fact) =>
    fact.some((reading) => reading.type === "birthYear" || reading.type === "birthMonth"),
  );
}
