// The facts the parser reads from a caller search (search-query.server.ts) and what the search and its audit row use:
// each fact with its readings, and the same readings mirrored into flat fields.
export type SearchKind =
  | "phone"
  | "email"
  | "displayId"
  | "uuid"
  | "fingerprint"
  | "ip"
  | "name"
  | "birthDate"
  | "birthYear"
  | "birthMonth"
  | "lastFour"
  | "emailLocal"
  | "emailDomain";

/** One way of reading a token; a token read several ways is one fact with alternatives. */
export type Reading =
  | { type: "phone" | "email" | "customerId" | "deviceId" | "fingerprint" | "ip"; value: string }
  | { type: "displayId"; values: string[] }
  | { type: "birthDate"; value: string }
  | { type: "birthYear"; value: number }
  /**
   * A birth month, or a birthday without its year ("3月生まれ", "5月12日生まれ", "born in March"), or a month with its
   * year ("1985年3月": `year` set, `day` null).
   */
  | { type: "birthMonth"; month: number; day: number | null; year?: number }
  | { type: "phoneLast4" | "cardLast4" | "emailLocal" | "emailDomain"; value: string }
  | { type: "name"; value: string };

export type ReadingType = Reading["type"];

export interface SearchTerms {
  /**
   * What the caller said, one entry per fact, each with its readings: `1985` is one fact read as a phone's last four,
   * a card's last four or a birth year; a customer matches the fact when any reading matches.
   */
  facts: Reading[][];
  /** E.164, e.g. +819012345678. */
  phone: string | null;
  /** As typed (NFKC); the database lower-cases it exactly as its generated email_key. */
  email: string | null;
  displayIds: string[];
  /** A customer or device UUID. */
  uuid: string | null;
  /** Lower-case device fingerprint. */
  fingerprint: string | null;
  ip: string | null;
  /** The name part of the query (NFKC, single-spaced); the database turns it into a key with firebreak_search_key. */
  name: string | null;
  /** The key the database will compute for `name` (same function, mirrored): used for length, typo and ranking rules. */
  nameKey: string | null;
  /**
   * Keys of other forms of the name (another order, reading or kanji form) that customers hold, matched after the key
   * itself when nobody matches every fact with the name as typed (ADR 081). Set by the search, never by the parser.
   */
  otherNameKeys?: string[];
  /**
   * The name as typed and its other forms' keys, for the narrow plans' reading of candidates (nameNarrowing): kept
   * when the search falls back to another form, so that form's plan asks the statement the typed name's plan ran.
   * Set by the search, never by the parser.
   */
  candidateNameKeys?: string[];
  /** An explicit birth year (`1985年`, `昭和60年`, or the year of a full birth date). */
  birthYear: number | null;
  /** A full birth date, ISO (`1985-04-01`). */
  birthDate: string | null;
  /** A birth month, with its day when the caller said it, without the year. */
  birthMonth: { month: number; day: number | null } | null;
  /**
   * Four-digit tokens: the last four digits of the phone or of a card, or — between 1900 and 2099 — a birth year.
   * Which one the caller meant is left to the search, which accepts any of them.
   */
  lastFour: string[];
  /** The part of an email before the @ (lower case), typed as `local@` or as a bare token that could be one. */
  emailLocal: string | null;
  /** An email domain (lower case), typed as `@domain` or as a bare dotted token that could be one. */
  emailDomain: string | null;
  /** A prefecture the caller named: recognised, but not recorded for customers, so it cannot narrow. */
  prefecture: string | null;
  /** Words that were neither a fact nor part of the name, in the order typed: not searched, and the page says so. */
  notUnderstood: NotUnderstood[];
}

/** Why a query is refused before any SQL; the console shows each in the member's language. */
export type RefusalCode = "empty" | "tooLong" | "nothingSearchable" | "addName";

/**
 * What a word the caller said looked like when it could not be searched: a postcode or an address (addresses are not
 * recorded), an age, an era year past its era, a date no calendar has, digits that are no phone number, last four,
 * date or ID, a phone's model, a carrier or mail provider said without its address, or a carrier's mail, which has
 * more than one domain. The page names each such word and what to ask for instead, so that nothing typed is dropped
 * without the agent knowing (ADR 092, 119, 121).
 */
export type NotUnderstoodKind =
  "postcode" | "address" | "age" | "digits" | "eraDate" | "date" | "device" | "provider" | "carrierMail";

export interface NotUnderstood {
  /** The word as the parser read it (NFKC), shown back to the agent. */
  text: string;
  kind: NotUnderstoodKind;
}

export type ParsedSearch =
  | { ok: true; query: string; terms: SearchTerms; kinds: SearchKind[] }
  | { ok: false; code: RefusalCode; message: string; notUnderstood?: NotUnderstood[] };

export function emptyTerms(): SearchTerms {
  return {
    facts: [],
    phone: null,
    email: null,
    displayIds: [],
    uuid: null,
    fingerprint: null,
    ip: null,
    name: null,
    nameKey: null,
    birthYear: null,
    birthDate: null,
    birthMonth: null,
    lastFour: [],
    emailLocal: null,
    emailDomain: null,
    prefecture: null,
    notUnderstood: [],
  };
}

/** Mirrors the readings into the flat fields the audit summary and the page header use. */
export function recordReadings(terms: SearchTerms, readings: Reading[]): void {
  terms.facts.push(readings);
  for (const reading of readings) {
    switch (reading.type) {
      case "phone":
        terms.phone = reading.value;
        break;
      case "email":
        terms.email = reading.value;
        break;
      case "customerId":
      case "deviceId":
        terms.uuid = reading.value;
        break;
      case "fingerprint":
        terms.fingerprint = reading.value;
        break;
      case "ip":
        terms.ip = reading.value;
        break;
      case "displayId":
        terms.displayIds.push(...reading.values);
        break;
      case "birthDate":
        terms.birthDate = reading.value;
        terms.birthYear = Number(reading.value.slice(0, 4));
        break;
      case "birthYear":
        // A four-digit token only may be a year; it stays a last-four in the flat fields.
        if (readings.length === 1) terms.birthYear = reading.value;
        break;
      case "birthMonth":
        terms.birthMonth = { month: reading.month, day: reading.day };
        if (reading.year !== undefined) terms.birthYear = reading.year;
        break;
      case "phoneLast4":
        terms.lastFour.push(reading.value);
        break;
      case "emailLocal":
        terms.emailLocal = reading.value;
        break;
      case "emailDomain":
        terms.emailDomain = reading.value;
        break;
      case "cardLast4":
      case "name":
        break;
    }
  }
}

export function kindsOf(terms: SearchTerms): SearchKind[] {
  const kinds: SearchKind[] = [];
  if (terms.phone) kinds.push("phone");
  if (terms.email) kinds.push("email");
  if (terms.displayIds.length > 0) kinds.push("displayId");
  if (terms.uuid) kinds.push("uuid");
  if (terms.fingerprint) kinds.push("fingerprint");
  if (terms.ip) kinds.push("ip");
  if (terms.name) kinds.push("name");
  if (terms.birthDate) kinds.push("birthDate");
  else if (terms.birthYear) kinds.push("birthYear");
  if (terms.birthMonth) kinds.push("birthMonth");
  if (terms.lastFour.length > 0) kinds.push("lastFour");
  if (terms.emailLocal) kinds.push("emailLocal");
  if (terms.emailDomain) kinds.push("emailDomain");
  return kinds;
}
