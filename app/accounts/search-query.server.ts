// Turning what an agent typed into the one search box into index-friendly terms. A caller reads out a phone number,
// an email, their name (in whatever script the agent types it), the display ID on their app screen, a device ID or
// an IP from a fraud report; the box accepts all of them and tries every reading that fits, each one an equality or
// prefix lookup on an index. Anything else (too long, nothing searchable) is refused here with a message, before SQL.
import { isIP } from "node:net";
import { MAX_QUERY_LENGTH, toSearchKey } from "~/accounts/search-key";
import { isUuid } from "~/lib/uuid";

export { MAX_QUERY_LENGTH };

export type SearchKind = "phone" | "email" | "displayId" | "uuid" | "fingerprint" | "ip" | "name";

export interface SearchTerms {
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
  /** The key the database will compute for `name` (same function, mirrored): used for length and ranking rules. */
  nameKey: string | null;
  /** "田中 1985" or "田中 1985-04-01" narrows namesakes by birth year or date. */
  birthYear: number | null;
  birthDate: string | null;
}

export type ParsedSearch =
  { ok: true; query: string; terms: SearchTerms; kinds: SearchKind[] } | { ok: false; message: string };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /\p{Cc}/gu;
const FORMAT = /\p{Cf}/gu;
// Separators people put in phone numbers, after NFKC: spaces, hyphens and dashes of every kind, the katakana
// prolonged sound mark typed by mistake for a dash, dots, brackets.
const PHONE_SEPARATORS = /[\s\-\u2010-\u2015\u2212\u30fc.()]/g;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const FINGERPRINT = /^[A-Za-z0-9._:-]{6,128}$/;
const YEAR = /^(19|20)\d{2}年?$/;
const DATE = /^((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
const LETTER = /\p{L}/u;

/** Removes what can never be part of a search and would only confuse it: lone surrogates, control and format characters. */
export function sanitiseQuery(raw: string): string {
  return raw
    .replace(LONE_SURROGATE, " ")
    .replace(CONTROL, " ")
    .replace(FORMAT, "")
    .normalize("NFKC")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A Japanese phone number in any usual form → E.164. `090-1234-5678`, `09012345678`, `+81 90 1234 5678`,
 * `+81 (0)90-1234-5678`, `0081 90…`, full-width digits (NFKC already made them ASCII). Other countries' numbers are
 * accepted when written with their `+` prefix.
 */
export function normalisePhone(value: string): string | null {
  const compact = value.replace(PHONE_SEPARATORS, "");
  if (!/^\+?\d+$/.test(compact)) return null;
  let national: string;
  if (compact.startsWith("+81")) national = compact.slice(3);
  else if (compact.startsWith("0081")) national = compact.slice(4);
  else if (compact.startsWith("+")) return compact.length >= 9 && compact.length <= 16 ? compact : null;
  else if (compact.startsWith("0")) national = compact;
  else if (compact.startsWith("81") && (compact.length === 11 || compact.length === 12)) national = compact.slice(2);
  else return null;
  // The trunk prefix 0 is dropped in international form; "+81 (0)90…" and "+81 090…" carry it anyway.
  if (national.startsWith("0")) national = national.slice(1);
  // Without the trunk prefix: non-geographic numbers (0A0: 070/080/090 mobiles, 050 IP phones, 0800) have 10 digits,
  // geographic ones (03-…, 06-…, 011-…) 9.
  const nonGeographic = /^[1-9]0/.test(national);
  if (!(nonGeographic ? /^\d{10}$/ : /^[1-9]\d{8}$/).test(national)) return null;
  return `+81${national}`;
}

function displayIdCandidates(token: string): string[] {
  const candidates = new Set<string>();
  const lettered = /^([A-Za-z])-?([0-9A-Za-z]{8})$/.exec(token);
  if (lettered) {
    candidates.add(`${lettered[1]!.toUpperCase()}-${lettered[2]}`);
    candidates.add(`${lettered[1]!.toUpperCase()}-${lettered[2]!.toUpperCase()}`);
    candidates.add(`${lettered[1]!.toUpperCase()}-${lettered[2]!.toLowerCase()}`);
  }
  // Callers often read only the digits off the app's "W-00012345".
  if (/^\d{8}$/.test(token)) candidates.add(`W-${token}`);
  return [...candidates];
}

function parseBirth(tokens: string[]): { rest: string[]; birthYear: number | null; birthDate: string | null } {
  let birthYear: number | null = null;
  let birthDate: string | null = null;
  const rest: string[] = [];
  for (const token of tokens) {
    const date = DATE.exec(token);
    if (date && birthDate === null) {
      const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
      const probe = new Date(Date.UTC(year, month - 1, day));
      if (probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
        birthDate = probe.toISOString().slice(0, 10);
        birthYear = year;
        continue;
      }
    }
    if (YEAR.test(token) && birthYear === null) {
      birthYear = Number(token.slice(0, 4));
      continue;
    }
    rest.push(token);
  }
  return { rest, birthYear, birthDate };
}

export function parseSearchQuery(raw: string): ParsedSearch {
  if (raw.length > MAX_QUERY_LENGTH * 4) {
    return { ok: false, message: `Search for at most ${MAX_QUERY_LENGTH} characters.` };
  }
  const query = sanitiseQuery(raw);
  if (query.length === 0) {
    return {
      ok: false,
      message: "Type a phone number, email address, name, display ID, device ID or IP address.",
    };
  }
  if (query.length > MAX_QUERY_LENGTH) {
    return { ok: false, message: `Search for at most ${MAX_QUERY_LENGTH} characters.` };
  }

  const terms: SearchTerms = {
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
  };
  const single = !query.includes(" ");

  if (isIP(query)) terms.ip = query.toLowerCase();
  if (EMAIL.test(query)) terms.email = query;
  terms.phone = normalisePhone(query);
  if (single) {
    if (isUuid(query)) terms.uuid = query.toLowerCase();
    terms.displayIds = displayIdCandidates(query);
    if (FINGERPRINT.test(query) && !terms.ip && !terms.phone) terms.fingerprint = query.toLowerCase();
  }

  // A name, possibly with a birth year or date to tell namesakes apart: only when the query is not an identifier.
  const identifier =
    terms.ip || terms.email || terms.uuid || terms.phone || (terms.displayIds.length > 0 && /\d/.test(query));
  if (!identifier && LETTER.test(query)) {
    const { rest, birthYear, birthDate } = parseBirth(query.split(" "));
    const name = rest.join(" ");
    const key = toSearchKey(name);
    if (LETTER.test(key)) {
      terms.name = name;
      terms.nameKey = key;
      terms.birthYear = birthYear;
      terms.birthDate = birthDate;
    }
  }

  const kinds: SearchKind[] = [];
  if (terms.phone) kinds.push("phone");
  if (terms.email) kinds.push("email");
  if (terms.displayIds.length > 0) kinds.push("displayId");
  if (terms.uuid) kinds.push("uuid");
  if (terms.fingerprint) kinds.push("fingerprint");
  if (terms.ip) kinds.push("ip");
  if (terms.name) kinds.push("name");
  if (kinds.length === 0) {
    return {
      ok: false,
      message:
        "Nothing searchable in that: type a phone number, email address, name (kanji or kana), display ID, device ID or IP address.",
    };
  }
  return { ok: true, query, terms, kinds };
}
