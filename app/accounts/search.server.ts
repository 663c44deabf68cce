// The caller search. The query's facts (search-query.server.ts) decide the plan:
//   narrow — at least one fact few customers share (a phone number or its last four, a birth date, a card's last
//            four, an email or its local part, an ID, a device, an IP): bounded candidate lookups, ranked in full by
//            how many facts each customer matches and how well the name matches (search-narrow.server.ts);
//   broad  — only a name, perhaps with a birth year or an email domain: ordered index branches read page by page from
//            a keyset position (search-broad.server.ts), with one-typo neighbours of the name when the precise
//            readings find less than a page.
// Either way the agent sees how many match and which fact to ask for next. Every statement runs under a statement
// timeout: an input that would cost more answers "narrow your search", never a slow page. See
// docs/decisions/011-search-normalisation-and-indexes.md.
import type { SearchTerms } from "~/accounts/search-query.server";
import {
  compareRank,
  matchCandidate,
  matchName,
  NAME_LEVELS,
  RANK_VALUE_COUNT,
  rankValues,
  type MatchedBy,
} from "~/accounts/search-match";
import {
  COUNT_LIMIT,
  countBranches,
  cursorFits,
  existingTypoKeys,
  countPreciseBranches,
  otherFormBranches,
  type Branch,
  readBranchPage,
  typoBranches,
  withOpenCaseFirst,
} from "~/accounts/search-broad.server";
import { encodeCursor, type SearchCursor } from "~/accounts/search-cursor";
import { loadDetails } from "~/accounts/search-details.server";
import { findHeldForms, withName } from "~/accounts/search-alternatives.server";
import { emailByLocalPart } from "~/accounts/search-email-retry";
import { toSearchKey } from "~/accounts/search-key";
import { findCandidates, isNarrow, nameYearPage, type Candidate } from "~/accounts/search-narrow.server";
import type { SearchSql } from "~/accounts/search-sql.server";
import { MIN_TYPO_KEY_LENGTH } from "~/accounts/search-typo";

export type { MatchedBy, SearchSql };

export const PAGE_SIZE = 20;

/** A page link whose position does not fit this search (edited by hand, or from another search). */
export class SearchLinkInvalidError extends Error {
  constructor() {
    super("search page link does not fit the search");
  }
}

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

interface PlannedRow {
  customerId: string;
  matchedBy: MatchedBy;
  matched: MatchedBy[];
  /** Listed ahead of equally good matches because the customer's incident case is open. */
  openCaseFirst: boolean;
}

interface Plan {
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
function isFullName(terms: SearchTerms): boolean {
  return terms.name?.trim().includes(" ") === true;
}

function isTypoCandidate(key: string): boolean {
  const length = [...key].length;
  return length >= MIN_TYPO_KEY_LENGTH && length <= MAX_TYPO_KEY_LENGTH;
}

function rankCandidates(terms: SearchTerms, candidates: Candidate[]) {
  return candidates.map((candidate) => {
    const match = matchCandidate(terms, candidate);
    return { candidate, match, rank: rankValues(match, candidate) };
  });
}

/** "佐藤 1985", "佐藤 翔太 昭和60年": a name and one more fact that may be its birth year — the year, when so. */
function nameAndYearOnly(terms: SearchTerms): number | null {
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
async function nameAndYearPlan(
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

type Ranked = ReturnType<typeof rankCandidates>;

const matchesEveryFact = (entry: Ranked[number]) => entry.match.matched.length === entry.match.factCount;

/** Matched through a one-typo likeness of the name only: another form of the name that matches exactly is better. */
function isTypoOnly(entry: { match: { nameLevel: string | null } }): boolean {
  return entry.match.nameLevel === "similarName";
}

function hasBirthYear(terms: SearchTerms): boolean {
  return terms.facts.some((fact) => fact.some((reading) => reading.type === "birthYear"));
}

/** The page after `cursor` of candidates already ranked in full. */
function narrowPage(listed: Ranked, cursor: SearchCursor | null, allFactsMatched: boolean): Plan {
  const sorted = [...listed].sort((a, b) => compareRank(a.rank, b.rank));
  const start = cursor ? sorted.findIndex((entry) => compareRank(entry.rank, cursor.v) > 0) : 0;
  const page = start < 0 ? [] : sorted.slice(start, start + PAGE_SIZE);
  const last = page.at(-1);
  const hasMore = start >= 0 && start + PAGE_SIZE < sorted.length;
  return {
    rows: page.map(({ candidate, match }) => ({
      customerId: candidate.id,
      matchedBy: match.nameLevel ?? match.matched[0] ?? "name",
      matched: match.matched,
      openCaseFirst: candidate.openCase,
    })),
    total: sorted.length,
    totalIsLowerBound: false,
    allFactsMatched,
    next: hasMore && last ? { b: -1, v: last.rank } : null,
  };
}

/**
 * Nobody matches every fact with the name as typed: the forms of the name that customers hold (another order, romaji,
 * an old or a modern kanji form). One held form: searched in place of the typed name, as its own plan. Several: the
 * candidates are matched against each form after the typed one (name and birth year: also found through each form's
 * (key, birth_date, id) indexes); so too when the typed name is someone's, and then another form must match every
 * fact to be shown, or the typed name's own fallbacks (typo neighbours, closest matches) follow. Null when no form
 * helps.
 */
async function narrowOtherForms(
  sql: SearchSql,
  terms: SearchTerms,
  cursor: SearchCursor | null,
  candidates: Candidate[],
): Promise<Plan | null> {
  const { typedHeld, held } = await findHeldForms(sql, terms);
  if (held.length === 0) return null;
  // Matched in place (no plan of its own) when the typed name is someone's, so a form that does not match every fact
  // costs no more statements before the typed name's own fallbacks.
  if (held.length > 1 || typedHeld) {
    const keys = held.map(toSearchKey);
    const forms: SearchTerms = { ...terms, otherNameKeys: keys };
    const found = hasBirthYear(terms) ? await findCandidates(sql, forms, [terms.nameKey!, ...keys]) : candidates;
    const complete = rankCandidates(forms, found).filter(matchesEveryFact);
    if (complete.length > 0) {
      const used = new Set(complete.map((entry) => entry.match.nameForm));
      return {
        ...narrowPage(complete, cursor, true),
        searchedAs: held.filter((_, i) => used.has(i + 1)),
        searched: forms,
      };
    }
  }
  if (typedHeld) return null;
  const other = withName(terms, held[0]!);
  return { ...(await narrowPlan(sql, other, cursor, true)), searchedAs: [held[0]!], searched: other };
}

async function narrowPlan(
  sql: SearchSql,
  terms: SearchTerms,
  cursor: SearchCursor | null,
  alternative = false,
): Promise<Plan> {
  if (cursor && cursor.v.length !== RANK_VALUE_COUNT) throw new SearchLinkInvalidError();
  const year = nameAndYearOnly(terms);
  const byYear = year === null ? null : await nameAndYearPlan(sql, terms, year, cursor);
  if (byYear) return byYear;
  const nameKeys = terms.nameKey ? [terms.nameKey] : [];
  const candidates = await findCandidates(sql, terms, nameKeys);
  let ranked = rankCandidates(terms, candidates);
  let complete = ranked.filter(matchesEveryFact);
  if (complete.length === 0 && !alternative) {
    // A misheard or mistyped email domain: the local part may still find the caller with every other fact.
    const byLocal = emailByLocalPart(terms);
    if (byLocal) {
      const retried = rankCandidates(byLocal.terms, await findCandidates(sql, byLocal.terms, nameKeys)).filter(
        matchesEveryFact,
      );
      if (retried.length > 0) return { ...narrowPage(retried, cursor, true), emailRetriedAs: byLocal.local };
    }
  }
  if (terms.nameKey && !alternative && complete.every(isTypoOnly)) {
    // The name may match nobody as typed (or only as a one-typo likeness) but does in another form (given name
    // first, romaji, an old-form kanji): searched as that, page after page (the same forms are found again for every
    // page link). A form's partial matches do not replace the typed name's complete ones.
    const other = await narrowOtherForms(sql, terms, cursor, candidates);
    if (other && (complete.length === 0 || other.allFactsMatched)) return other;
  }
  if (complete.length === 0 && terms.nameKey) {
    const key = terms.nameKey;
    // Nobody matches every fact with the name as typed. "サトオ 1985": the name's one-typo neighbours may, found with
    // the year through the (key, birth_date, id) indexes — a few dozen customers, not the neighbours' namesakes.
    const typos = isTypoCandidate(key) ? await existingTypoKeys(sql, key, isFullName(terms)) : [];
    if (typos.length > 0 && hasBirthYear(terms)) {
      ranked = rankCandidates(terms, await findCandidates(sql, terms, [...nameKeys, ...typos]));
      complete = ranked.filter(matchesEveryFact);
    }
    // Still nobody: a misheard number should list the caller's namesakes first, so the name alone becomes a source.
    if (complete.length === 0) {
      ranked = rankCandidates(terms, await findCandidates(sql, terms, [...nameKeys, ...typos], { nameAlone: true }));
      complete = ranked.filter(matchesEveryFact);
    }
  }
  const allFactsMatched = complete.length > 0;
  return narrowPage(
    allFactsMatched ? complete : ranked.filter((entry) => entry.match.matched.length > 0),
    cursor,
    allFactsMatched,
  );
}

async function broadPlan(
  sql: SearchSql,
  terms: SearchTerms,
  cursor: SearchCursor | null,
  alternative = false,
): Promise<Plan> {
  const key = terms.nameKey!;
  let { branches, counts } = await countPreciseBranches(sql, terms, key);
  const precise = counts.reduce((sum, count) => sum + count, 0);
  // Before its one-typo neighbours: the name in other forms that customers hold is what the caller said.
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
  if (precise === 0 && isTypoCandidate(key)) {
    const typos = await existingTypoKeys(sql, key, isFullName(terms));
    const similar = typoBranches(terms, typos);
    branches = [...branches, ...similar];
    counts = [...counts, ...(await countBranches(sql, similar))];
    listedKeys = typos;
  }
  ({ branches, counts } = withOpenCaseFirst(terms, listedKeys, branches, counts));
  return broadPage(sql, branches, counts, cursor);
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
      };
    }),
    total: counts.reduce((sum, count) => sum + count, 0),
    totalIsLowerBound: counts.some((count, i) => count >= (branches[i]!.countLimit ?? COUNT_LIMIT)),
    allFactsMatched: true,
    next: read.length > PAGE_SIZE && last ? { b: last.branch, v: last.sortValues } : null,
  };
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
  const plan = isNarrow(terms)
    ? await narrowPlan(sql, terms, cursor && cursor.b === -1 ? cursor : null)
    : terms.nameKey
      ? await broadPlan(sql, terms, cursor && cursor.b >= 0 ? cursor : null)
      : { rows: [], total: 0, totalIsLowerBound: false, allFactsMatched: true, next: null };
  const searched = plan.searched ?? terms;
  const details = await loadDetails(
    sql,
    plan.rows.map((row) => row.customerId),
  );
  const hits: SearchHit[] = [];
  for (const row of plan.rows) {
    const detail = details.get(row.customerId);
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
