// How well one customer matches what the caller said: which facts it matches (by any of their readings) and how
// closely the name matches. Shared by the narrow search, which ranks a bounded candidate set with it, and by tests.
import type { Reading, SearchTerms } from "~/accounts/search-terms";
import { typoLikelihoodRank, withinOneEdit } from "~/accounts/search-typo";

/** Why a customer is on the list: the best way its name matched, or the identifier or fact that found it. */
export type MatchedBy =
  | "phone"
  | "email"
  | "displayId"
  | "customerId"
  | "deviceId"
  | "fingerprint"
  | "ip"
  | "name"
  | "reading"
  | "familyName"
  | "namePrefix"
  | "givenName"
  | "similarName"
  | "nameVariant"
  | "birthDate"
  | "birthYear"
  | "birthMonth"
  | "phoneLast4"
  | "cardLast4"
  | "emailLocal"
  | "emailDomain";

/** Name match levels, best first: exact full name > exact reading > family name > prefix > given name > one typo. */
export const NAME_LEVELS = ["name", "reading", "familyName", "namePrefix", "givenName", "similarName"] as const;
export type NameLevel = (typeof NAME_LEVELS)[number];

export interface CandidateKeys {
  displayId: string;
  phone: string;
  birthDate: string; // ISO date
  nameKey: string | null;
  kanaKey: string | null;
  familyNameKey: string | null;
  familyKanaKey: string | null;
  givenNameKey: string | null;
  givenKanaKey: string | null;
  phoneLast4: string | null;
  emailKey: string | null;
  emailLocal: string | null;
  emailDomain: string | null;
  /**
   * Readings that found this customer and are not recomputed from its row: device, fingerprint, IP, and a card's last
   * four (`cardLast4:1234`; every customer holding such a card is found, up to the per-reading candidate limit).
   */
  foundBy: string[];
  /** The customer's incident case is not closed. */
  openCase: boolean;
}

export type NameKeys = Pick<
  CandidateKeys,
  "nameKey" | "kanaKey" | "familyNameKey" | "familyKanaKey" | "givenNameKey" | "givenKanaKey"
>;

export function matchName(key: string, row: NameKeys): NameLevel | null {
  if (row.nameKey === key) return "name";
  if (row.kanaKey === key) return "reading";
  if (row.familyNameKey === key || row.familyKanaKey === key) return "familyName";
  if (row.nameKey?.startsWith(key) || row.kanaKey?.startsWith(key)) return "namePrefix";
  if (row.givenNameKey?.startsWith(key) || row.givenKanaKey?.startsWith(key)) return "givenName";
  const keys = [row.nameKey, row.kanaKey, row.familyNameKey, row.familyKanaKey, row.givenNameKey, row.givenKanaKey];
  if (key.length >= 3 && keys.some((candidate) => candidate !== null && withinOneEdit(key, candidate))) {
    return "similarName";
  }
  return null;
}

/** `nameLevel` is matchName's answer for this row, computed once per candidate. */
function matchReading(reading: Reading, row: CandidateKeys, nameLevel: NameLevel | null): MatchedBy | null {
  switch (reading.type) {
    case "phone":
      return row.phone === reading.value ? "phone" : null;
    case "email":
      return row.emailKey === reading.value.normalize("NFKC").toLowerCase() ? "email" : null;
    case "displayId":
      return reading.values.includes(row.displayId) ? "displayId" : null;
    case "customerId":
    case "deviceId":
    case "fingerprint":
    case "ip":
      return row.foundBy.includes(reading.type) ? reading.type : null;
    case "birthDate":
      return row.birthDate === reading.value ? "birthDate" : null;
    case "birthYear":
      return row.birthDate.startsWith(`${reading.value}-`) ? "birthYear" : null;
    case "birthMonth": {
      const [year, month, day] = row.birthDate.split("-").map(Number);
      const inYear = reading.year === undefined || year === reading.year;
      return inYear && month === reading.month && (reading.day === null || day === reading.day) ? "birthMonth" : null;
    }
    case "phoneLast4":
      return row.phoneLast4 === reading.value ? "phoneLast4" : null;
    case "cardLast4":
      return row.foundBy.includes(`cardLast4:${reading.value}`) ? "cardLast4" : null;
    case "emailLocal":
      return row.emailLocal?.startsWith(reading.value) ? "emailLocal" : null;
    case "emailDomain":
      return row.emailDomain === reading.value || row.emailDomain?.endsWith(`.${reading.value}`) ? "emailDomain" : null;
    case "name":
      return nameLevel;
  }
}

export interface CandidateMatch {
  /** One entry per fact the customer matches, in the order the caller gave them. */
  matched: MatchedBy[];
  factCount: number;
  nameLevel: NameLevel | null;
  /** Which form of the name matched: 0 as typed, 1… terms.otherNameKeys; null when the name did not match. */
  nameForm: number | null;
  /** For a one-typo likeness: how likely the slip is (typoLikelihoodRank, 0 likeliest); else null. */
  typoRank: number | null;
}

/** The likeliest slip by which one of the row's keys became `typed` (typoLikelihoodRank). */
function typoRankOf(typed: string, row: NameKeys): number {
  const keys = [row.nameKey, row.kanaKey, row.familyNameKey, row.familyKanaKey, row.givenNameKey, row.givenKanaKey];
  let best = 3;
  for (const key of keys) {
    if (key !== null && key !== typed && withinOneEdit(typed, key))
      best = Math.min(best, typoLikelihoodRank(typed, key));
  }
  return best;
}

/**
 * The name as typed first; another form it is also known by (terms.otherNameKeys) only when the typed one does not
 * match this customer or only as a one-typo likeness ("凪 上杉" is one kanji from the family name 上杉), and never by a
 * one-typo likeness of that other form.
 */
function matchNameForms(terms: SearchTerms, row: CandidateKeys): { level: NameLevel | null; form: number | null } {
  if (!terms.nameKey) return { level: null, form: null };
  const typed = matchName(terms.nameKey, row);
  if (typed && typed !== "similarName") return { level: typed, form: 0 };
  const others = terms.otherNameKeys ?? [];
  for (let i = 0; i < others.length; i++) {
    const level = matchName(others[i]!, row);
    if (level && level !== "similarName") return { level, form: i + 1 };
  }
  return typed ? { level: typed, form: 0 } : { level: null, form: null };
}

export function matchCandidate(terms: SearchTerms, row: CandidateKeys): CandidateMatch {
  const { level: nameLevel, form: nameForm } = matchNameForms(terms, row);
  const matched: MatchedBy[] = [];
  for (const fact of terms.facts) {
    for (const reading of fact) {
      const by = matchReading(reading, row, nameLevel);
      if (by) {
        matched.push(by);
        break;
      }
    }
  }
  const typoRank = nameLevel === "similarName" ? typoRankOf(terms.nameKey!, row) : null;
  return { matched, factCount: terms.facts.length, nameLevel, nameForm, typoRank };
}

/**
 * Sort values: more facts matched first, then a better name match, then — among equally good matches — customers with
 * an open incident case (during an incident, they are the ones who call), then birth date and id (stable, unique).
 */
export function rankValues(match: CandidateMatch, row: { birthDate: string; id: string; openCase: boolean }): string[] {
  const missing = match.factCount - match.matched.length;
  // A match through another form of the name (ADR 081) ranks after every match through the forms before it, and a
  // one-typo likeness of the name as typed after every form's better matches, the likeliest slips first; no name
  // match last.
  const level = !match.nameLevel
    ? 99
    : match.nameLevel === "similarName"
      ? 50 + (match.typoRank ?? 3)
      : NAME_LEVELS.indexOf(match.nameLevel) + (match.nameForm ?? 0) * 10;
  return [
    String(missing).padStart(2, "0"),
    String(level).padStart(2, "0"),
    row.openCase ? "0" : "1",
    row.birthDate,
    row.id,
  ];
}

/** How many values rankValues returns: a page link with another count was not made by this search. */
export const RANK_VALUE_COUNT = 5;

export function compareRank(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
