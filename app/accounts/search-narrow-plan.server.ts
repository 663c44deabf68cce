// The narrow plan: at least one fact few customers share. Bounded candidate lookups (search-narrow.server.ts), ranked
// in full by how many facts each customer matches and how well the name matches; when nobody matches every fact, the
// email's local part, the name's other held forms and its one-typo neighbours are tried in that order.
import { findHeldForms, withName } from "~/accounts/search-alternatives.server";
import { existingTypoKeys } from "~/accounts/search-broad.server";
import type { SearchCursor } from "~/accounts/search-cursor";
import { emailByLocalPart } from "~/accounts/search-email-retry";
import { toSearchKey } from "~/accounts/search-key";
import { compareRank, RANK_VALUE_COUNT } from "~/accounts/search-match";
import {
  nameAndBirthOnly,
  nameAndBirthPlan,
  nameNarrowing,
  withCandidateNameKeys,
} from "~/accounts/search-name-birth-plan.server";
import { findCandidates, type Candidate } from "~/accounts/search-narrow.server";
import {
  hasBirthPeriod,
  isFullName,
  isTypoCandidate,
  isTypoOnly,
  matchesEveryFact,
  PAGE_SIZE,
  rankCandidates,
  SearchLinkInvalidError,
  type Plan,
  type Ranked,
} from "~/accounts/search-plan";
import type { SearchSql } from "~/accounts/search-sql.server";
import type { SearchTerms } from "~/accounts/search-terms";

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
      ...(candidate.detail ? { detail: candidate.detail } : {}),
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
    const found = hasBirthPeriod(terms)
      ? await findCandidates(sql, forms, [terms.nameKey!, ...keys], nameNarrowing(forms))
      : candidates;
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

export async function narrowPlan(
  sql: SearchSql,
  terms: SearchTerms,
  cursor: SearchCursor | null,
  alternative = false,
): Promise<Plan> {
  if (cursor && cursor.v.length !== RANK_VALUE_COUNT) throw new SearchLinkInvalidError();
  const period = nameAndBirthOnly(terms);
  if (period !== null) terms = withCandidateNameKeys(terms);
  const byYear = period === null ? null : await nameAndBirthPlan(sql, terms, period, cursor, alternative);
  if (byYear) return byYear;
  const nameKeys = terms.nameKey ? [terms.nameKey] : [];
  // Past nameAndBirthPlan, nobody with the name was born then (it read exactly that): the candidates are those the
  // other fact points at whose name could match, the statement it ran already (OneSearchSql answers it again). Only
  // the complete matches among them are used below (a name is one of the facts): the closest matches, when nobody
  // matches every fact, are read again with the name (nameAlone).
  const candidates = await findCandidates(
    sql,
    terms,
    period === null ? nameKeys : [],
    period === null ? {} : nameNarrowing(terms),
  );
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
    if (typos.length > 0 && hasBirthPeriod(terms)) {
      ranked = rankCandidates(terms, await findCandidates(sql, terms, [...nameKeys, ...typos], nameNarrowing(terms)));
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
