// Turning what an agent typed into the one search box into facts the search can use. A caller reads out several
// things at once — "佐藤 翔太, born 昭和60年, phone ending 5678" — and the agent types them as they come, in any script
// and width: `佐藤翔太 1985 5678`, `サトウ S60 ５６７８`, `sato.shota85@`, `@example.jp`. Each token is classified:
//   identifiers (any one finds the customer): a full phone number, an email, a display ID, a customer or device UUID,
//     a device fingerprint, an IP;
//   narrowing facts: the name (kanji, kana or Latin), a birth date or an explicit birth year (`1985年`, `昭和60年`),
//     four digits (the last four of the phone or of a card — or a birth year, when they could be one), the part of an
//     email before the @ or its domain.
// Anything else (too long, nothing searchable) is refused here with a message, before SQL. See
// docs/decisions/011-search-normalisation-and-indexes.md.
import { isIP } from "node:net";
import { MAX_QUERY_LENGTH, toSearchKey } from "~/accounts/search-key";
import { kanjiNumeralsToDigits } from "~/accounts/search-kanji-numerals";
import { PREFECTURES } from "~/accounts/prefectures";
import { UUID_PATTERN } from "~/lib/uuid";

export { MAX_QUERY_LENGTH };

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
  | "lastFour"
  | "emailLocal"
  | "emailDomain";

/** One way of reading a token; a token read several ways is one fact with alternatives. */
export type Reading =
  | { type: "phone" | "email" | "customerId" | "deviceId" | "fingerprint" | "ip"; value: string }
  | { type: "displayId"; values: string[] }
  | { type: "birthDate"; value: string }
  | { type: "birthYear"; value: number }
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
  /** An explicit birth year (`1985年`, `昭和60年`, or the year of a full birth date). */
  birthYear: number | null;
  /** A full birth date, ISO (`1985-04-01`). */
  birthDate: string | null;
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
}

/** Why a query is refused before any SQL; the console shows each in the member's language. */
export type RefusalCode = "empty" | "tooLong" | "nothingSearchable";

export type ParsedSearch =
  | { ok: true; query: string; terms: SearchTerms; kinds: SearchKind[] }
  | { ok: false; code: RefusalCode; message: string };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /\p{Cc}/gu;
const FORMAT = /\p{Cf}/gu;
// Pictographs and symbols can never be part of a name, a number or an address: dropped so they never reach a key.
const SYMBOLS = /[\p{Extended_Pictographic}\p{So}\p{Sk}\p{Co}]/gu;
// Separators people put in phone numbers, after NFKC: spaces, hyphens and dashes of every kind, the katakana
// prolonged sound mark typed by mistake for a dash, dots, brackets.
const PHONE_SEPARATORS = /[\s\-\u2010-\u2015\u2212\u30fc.()]/g;
const PHONE_TOKEN = /^[+\d\-()\u2010-\u2015\u2212\u30fc.]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_LOCAL = /^([a-z0-9._%+-]+)@$/i;
const EMAIL_WITHOUT_SUFFIX = /^([a-z0-9._%+-]+)@[a-z0-9-]+$/i;
const EMAIL_DOMAIN = /^@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;
const DOMAIN_LIKE = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i;
const LOCAL_LIKE = /^(?=.*[a-z])[a-z0-9._%+-]{3,64}$/i;
const FINGERPRINT = /^[A-Za-z0-9._:-]{6,128}$/;
const FOUR_DIGITS = /^\d{4}$/;
const LETTER = /\p{L}/u;
const ASCII = /^[\x21-\x7e]+$/;
// A Japanese era name and its first Gregorian year: 昭和60年 → 1985. Initials (S60, H2, R1) are common in forms.
const ERAS: Record<string, number> = { 明治: 1868, 大正: 1912, 昭和: 1926, 平成: 1989, 令和: 2019 };
const ERA_INITIALS: Record<string, string> = { M: "明治", T: "大正", S: "昭和", H: "平成", R: "令和" };
// The month without the day ("昭和60年3月", "S60.3") gives the year only.
const ERA_DATE =
  /^(明治|大正|昭和|平成|令和|[MTSHR])(元|\d{1,2})(?:年|[-/.])?(?:(\d{1,2})(?:月|[-/.]|$)(?:(\d{1,2})日?)?)?生?$/i;
const DATE = /^((?:19|20)\d{2})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))生?$/;
const YEAR = /^((?:19|20)\d{2})年(?:生まれ|生)?$/;
// A year and the month ("1985年3月", "1985/03"): the year; no customer's birth month is indexed on its own.
const YEAR_MONTH = /^((?:19|20)\d{2})(?:年(\d{1,2})月|[-/.](\d{1,2}))(?:生まれ|生)?$/;
// A birthday without its year ("3月15日"): no index reads a day of every year, so it is set aside, never a name.
const MONTH_DAY = /^\d{1,2}月\d{1,2}日?(?:生まれ|生)?$/;
// A two-digit year with 年 ("65年3月26日", "05年生まれ"): callers drop the century. Only with 年, so that "65/3/26" or
// a bare "65" is never read as a year.
const SHORT_YEAR_DATE = /^(\d{2})年(?:(\d{1,2})月(?:(\d{1,2})日?)?)?(?:生まれ|生)?$/;
// Day and month before the year, as on foreign documents: "02/01/1990" is 2 January or 1 February — both are read.
const DAY_MONTH_YEAR = /^(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2})$/;
// A number read with its middle masked, as on a card or a screen: "****5678", "xxxx-xxxx-xxxx-1234", "090-****-5678".
const MASKED_LAST_FOUR = /^[\dxX*#•-]*[xX*#•]{2,}[-.]?(\d{4})$/;
// An IPv4 address with its port, as log lines print it.
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;
const BRACKETED_IPV6_WITH_PORT = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i;
// What wraps a token when it is pasted from a mail, a log or a chat: brackets, quotes, trailing punctuation.
const WRAPPING = /^[:<([{"'「『【〈《]+|[>)\]}"'」』】〉》,.;:、。!?]+$/g;
// "device: abc…", "IP:1.2.3.4", "生年月日:1985-04-01", "mailto:a@b.jp": a label before a colon. Only a label with a
// letter that is no hex digit, so that a MAC-style fingerprint ("aa:bb:…") or an IPv6 address keeps its colons.
const LABELLED = /^([^\d:]*[g-zG-Z\u3000-\u9fff][^\d:]*):(.+)$/;
// Phrases that say which number follows: "下4桁5678", "電話番号の下4桁は", "カード末尾1234". They are not a name.
const LAST_FOUR_PHRASE =
  /(?:電話番号|電話|携帯番号|携帯|カード番号|クレジットカード|カード|クレカ)?の?(?:(?:下|末尾|最後の)\s*(?:4|四)\s*桁|末尾)(?:は|が)?/g;
// Labels and the particle after them, said or pasted before a value ("電話番号は090…", "生年月日:…", "メールはa@b.jp"),
// and "生まれの" between a date and a name: never part of a name, wherever they stand.
const LABEL_PHRASE =
  /(?:電話番号|携帯番号|電話|携帯|メールアドレス|メアド|メール|生年月日|誕生日|会員番号|お名前|名前|氏名)(?:は|が)?|生まれ(?:の|で|は)?|(?:IPアドレス|IP|ID)(?:は|が)/g;
// The weekday after a date, "1985年4月1日(月)".
const WEEKDAY = /\((?:月|火|水|木|金|土|日)(?:曜日?)?\)/g;
// Brackets around a reading or a number ("佐藤 翔太(サトウ ショウタ)", "090(1234)5678") separate words.
const BRACKETS = /[()「」『』【】[\]]/g;
// An email, IP, fingerprint or display ID run into Japanese words ("メールはtaro@example.jpです"): split out.
const ASCII_RUN = /[\x21-\x7e]+/g;
// A romaji name with macrons ("Satō"): one word, not an ASCII run and a letter.
const LATIN_WORD = /^[\p{Script=Latin}'-]+$/u;
const ERA_INITIAL_YEAR = /^[MTSHR]\d{1,2}$/i;
// A caller's words around a name: "佐藤です", "佐藤と申します".
const SELF_INTRODUCTION = /(?:です|と申します|といいます|と言います)$/u;
// Words agents type around the facts: "昭和60年 生まれ", "佐藤様".
const FILLER: ReadonlySet<string> = new Set([
  ...["生まれ", "生", "年生まれ", "様", "さん", "さま", "氏"],
  // Labels an agent copies with the value they name: never part of a name.
  ...["生年月日", "誕生日", "電話", "電話番号", "携帯", "携帯番号", "メール", "メアド", "メールアドレス", "端末"],
  ...["会員番号", "名前", "氏名", "カード", "tel", "mail", "mailto", "email", "e-mail", "ip", "device", "id"],
  ...["です", "と申します", "といいます", "と言います", "から"],
  // "34歳": an age does not say the birth year exactly (and changes every year); it is set aside, not read as a name.
  ...["歳", "才"],
  // Honorifics said apart, and who the caller is ("the account holder", "a man"): nothing a name index holds.
  ...["くん", "君", "ちゃん", "殿", "男性", "女性", "男", "女", "本人", "ご本人", "サマ", "サン"],
]);
const HONORIFIC = /(様|さん|さま|氏|くん|君|ちゃん|殿|サマ)$/u;

/** Removes what can never be part of a search and would only confuse it: lone surrogates, controls, pictographs. */
export function sanitiseQuery(raw: string): string {
  return raw
    .replace(LONE_SURROGATE, " ")
    .replace(CONTROL, " ")
    .replace(FORMAT, "")
    .normalize("NFKC")
    .replace(SYMBOLS, " ")
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
  // A mobile number read without its trunk 0 ("90 1234 5678", as after "+81"): ten digits from 70, 80 or 90.
  else if (/^[789]0\d{8}$/.test(compact)) national = compact;
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
  // "W-1234-5678": read out in two groups of four.
  const grouped = /^[A-Za-z]-?[0-9A-Za-z]{4}-[0-9A-Za-z]{4}$/.test(token) ? token.replace(/-/g, "") : token;
  const lettered = /^([A-Za-z])-?([0-9A-Za-z]{8})$/.exec(grouped);
  if (lettered) {
    candidates.add(`${lettered[1]!.toUpperCase()}-${lettered[2]}`);
    candidates.add(`${lettered[1]!.toUpperCase()}-${lettered[2]!.toUpperCase()}`);
    candidates.add(`${lettered[1]!.toUpperCase()}-${lettered[2]!.toLowerCase()}`);
  }
  // Callers often read only the digits off the app's "W-00012345".
  if (/^\d{8}$/.test(token)) candidates.add(`W-${token}`);
  return [...candidates];
}

/** A real calendar date (no 31 February), ISO, or null. */
function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return probe.toISOString().slice(0, 10);
}

type Birth = { year: number; date: string | null };

/** `1985-04-01`, `1985/4/1`, `1985年4月1日`, `19850401`, `昭和60年4月1日`, `S60.4.1`, `1985年`, `昭和60年`, `H元年`. */
function parseBirthToken(token: string): Birth | null {
  const era = ERA_DATE.exec(token);
  if (era) {
    const eraName = ERA_INITIALS[era[1]!.toUpperCase()] ?? era[1]!;
    const first = ERAS[eraName];
    if (first === undefined) return null;
    const year = first + (era[2] === "元" ? 1 : Number(era[2])) - 1;
    if (era[3] === undefined || era[4] === undefined) return { year, date: null };
    const date = isoDate(year, Number(era[3]), Number(era[4]));
    return date ? { year, date } : null;
  }
  const date = DATE.exec(token);
  if (date) {
    const year = Number(date[1]);
    const iso = isoDate(year, Number(date[2] ?? date[4]), Number(date[3] ?? date[5]));
    return iso ? { year, date: iso } : null;
  }
  const year = YEAR.exec(token) ?? YEAR_MONTH.exec(token);
  if (year && Number(year[2] ?? year[3] ?? 1) <= 12) return { year: Number(year[1]), date: null };
  const short = SHORT_YEAR_DATE.exec(token);
  if (short) {
    const full = fullYear(Number(short[1]));
    if (short[2] === undefined || short[3] === undefined) return { year: full, date: null };
    const iso = isoDate(full, Number(short[2]), Number(short[3]));
    return iso ? { year: full, date: iso } : null;
  }
  return null;
}

/** "65" → 1965, "05" → 2005: a year not later than this one. */
function fullYear(twoDigits: number): number {
  const thisYear = new Date().getUTCFullYear();
  const inThisCentury = thisYear - (thisYear % 100) + twoDigits;
  return inThisCentury <= thisYear ? inThisCentury : inThisCentury - 100;
}

/**
 * Removes what wraps a pasted token ("<a@b.jp>", "{uuid}", "1.2.3.4,", "[2001:db8::1]:443"); an IP address is kept
 * whole ("fe80::" ends with colons).
 */
function unwrap(word: string): string {
  if (isIP(word)) return word;
  const bracketed = BRACKETED_IPV6_WITH_PORT.exec(word);
  if (bracketed && isIP(bracketed[1]!)) return bracketed[1]!;
  return word.replace(WRAPPING, "");
}

/**
 * Words split at a label's colon ("IP:1.2.3.4" → IP, 1.2.3.4), each unwrapped. An IP address or a UUID is never split.
 */
function words(query: string): string[] {
  const out: string[] = [];
  for (const raw of query.split(" ")) {
    const word = unwrap(raw);
    const labelled = isIP(word) ? null : LABELLED.exec(word);
    for (const part of labelled ? [unwrap(labelled[1]!), unwrap(labelled[2]!)] : [word])
      out.push(...splitEmbedded(part));
  }
  return out.filter((word) => word.length > 0);
}

/** "taro@example.jpです" → taro@example.jp, です; a date ("H2年1月2日") or an ASCII word is left whole. */
function splitEmbedded(word: string): string[] {
  if (ASCII.test(word) || LATIN_WORD.test(word) || parseBirthToken(word)) return [word];
  const out: string[] = [];
  let last = 0;
  for (const match of word.matchAll(ASCII_RUN)) {
    const run = match[0];
    // Short runs and era initials ("S60" in "S60年") stay with the Japanese around them, as the tokeniser reads them.
    const identifier = isIP(run) || (run.length >= 3 && /[A-Za-z@]/.test(run) && !ERA_INITIAL_YEAR.test(run));
    if (!identifier) continue;
    out.push(word.slice(last, match.index), run);
    last = match.index + run.length;
  }
  out.push(word.slice(last));
  return out.map(unwrap).filter((part) => part.length > 0);
}

// Era names and 年, 月, 日 said in kana ("しょうわ60ねん"), and an email read out ("taro at example.jp",
// "taro @ example.jp", "taro@@example.jp"): written as the parser reads them.
const SPOKEN: readonly [RegExp, string][] = [
  [/(?:しょうわ|ショウワ)(?=\s*(?:\d|元))/g, "昭和"],
  [/(?:へいせい|ヘイセイ)(?=\s*(?:\d|元))/g, "平成"],
  [/(?:れいわ|レイワ)(?=\s*(?:\d|元))/g, "令和"],
  [/(?:たいしょう|タイショウ)(?=\s*(?:\d|元))/g, "大正"],
  [/(\d|元)\s*ねん/g, "$1年"],
  [/(\d)\s*がつ/g, "$1月"],
  [/(\d)\s*にち/g, "$1日"],
  [
    /(?<=(?:^|\s)[a-z0-9._%+-]*[a-z._%+-][a-z0-9._%+-]*)\s+(?:at|アットマーク|アット|あっとまーく)\s+(?=[a-z0-9-]+\.)/gi,
    "@",
  ],
  [/(?<=(?:^|\s)[a-z0-9._%+-]*[a-z._%+-][a-z0-9._%+-]*)\s*@+\s*(?=[a-z0-9-]+\.[a-z])/gi, "@"],
];

function readSpokenForms(query: string): string {
  return SPOKEN.reduce((text, [pattern, written]) => text.replace(pattern, written), query);
}

/**
 * "1985年 4月 1日", "1985 年 4 月 1 日": a date read out with pauses is one token again. Only digits followed by 年,
 * 月 or 日 are joined, so a last four after a year ("1985年 5678") stays apart.
 */
function joinSpacedDates(query: string): string {
  return query
    .replace(/(?<!\d)((?:19|20)\d{2}) (\d{1,2}) (\d{1,2})(?!\d)/g, (said, year: string, month: string, day: string) =>
      // "1985 3 15": a date read out as three numbers, when it is one (a year and a last four are two numbers).
      isoDate(Number(year), Number(month), Number(day)) ? `${year}-${month}-${day}` : said,
    )
    .replace(/(\d)\s+(?=[年月日])/g, "$1")
    .replace(/年\s+(?=\d{1,2}月)/g, "年")
    .replace(/月\s+(?=\d{1,2}日)/g, "月");
}

/**
 * Splits the query into tokens at spaces and where kanji or kana meet digits ("佐藤1985" → 佐藤, 1985), but keeps
 * ASCII tokens whole (fingerprints, emails, display IDs mix letters and digits) and dates written with 年月日.
 */
function tokenise(query: string): string[] {
  const tokens: string[] = [];
  for (const word of words(query)) {
    if (MONTH_DAY.test(word)) continue;
    if (ASCII.test(word) || parseBirthToken(word)) {
      tokens.push(word);
      continue;
    }
    for (const part of word.match(
      /(?:明治|大正|昭和|平成|令和)(?:元|\d{1,2})年?(?:\d{1,2}月\d{1,2}日?)?|\d+(?:年(?:\d{1,2}月\d{1,2}日?)?)?|(?:(?!(?:明治|大正|昭和|平成|令和)(?:元|\d))\D)+/g,
    ) ?? []) {
      tokens.push(part);
    }
  }
  return tokens.filter((token) => token.length > 0);
}

/** Consecutive tokens that together read as one phone number ("090 1234 5678", "+81 90 1234 5678"). */
function takePhone(query: string, tokens: string[]): { phone: string | null; rest: string[] } {
  const whole = normalisePhone(query);
  if (whole) return { phone: whole, rest: [] };
  for (let start = 0; start < tokens.length; start++) {
    for (let end = tokens.length; end > start; end--) {
      const slice = tokens.slice(start, end);
      if (!slice.every((token) => PHONE_TOKEN.test(token))) continue;
      // One four-digit token alone is a last-four, not a phone number.
      if (slice.length === 1 && FOUR_DIGITS.test(slice[0]!)) continue;
      const phone = normalisePhone(slice.join(""));
      if (phone) return { phone, rest: [...tokens.slice(0, start), ...tokens.slice(end)] };
    }
  }
  return { phone: null, rest: tokens };
}

function emptyTerms(): SearchTerms {
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
    lastFour: [],
    emailLocal: null,
    emailDomain: null,
    prefecture: null,
  };
}

/** The readings of one token, or null when it is none of the facts (then it is part of the name). */
function readToken(token: string, alone: boolean): Reading[] | null {
  if (isIP(token)) return [{ type: "ip", value: token.toLowerCase() }];
  const withPort = IPV4_WITH_PORT.exec(token);
  if (withPort && isIP(withPort[1]!)) return [{ type: "ip", value: withPort[1]!.toLowerCase() }];
  if (UUID_PATTERN.test(token)) {
    const value = token.toLowerCase();
    // iOS devices report a UUID (identifierForVendor) as their fingerprint: a UUID may be any of the three.
    return [
      { type: "customerId", value },
      { type: "deviceId", value },
      { type: "fingerprint", value },
    ];
  }
  if (EMAIL.test(token)) return [{ type: "email", value: token }];
  // "taro@docomo": the domain said without its suffix; the part before the @ still narrows.
  const withoutSuffix = EMAIL_WITHOUT_SUFFIX.exec(token);
  if (withoutSuffix) return [{ type: "emailLocal", value: withoutSuffix[1]!.toLowerCase() }];
  const local = EMAIL_LOCAL.exec(token);
  if (local) return [{ type: "emailLocal", value: local[1]!.toLowerCase() }];
  const domain = EMAIL_DOMAIN.exec(token);
  if (domain) return [{ type: "emailDomain", value: domain[1]!.toLowerCase() }];
  const dayMonth = DAY_MONTH_YEAR.exec(token);
  if (dayMonth) {
    const [first, second, year] = [Number(dayMonth[1]), Number(dayMonth[2]), Number(dayMonth[3])];
    const dates = new Set([isoDate(year, second, first), isoDate(year, first, second)]);
    dates.delete(null);
    if (dates.size > 0) return [...dates].map((value) => ({ type: "birthDate", value: value! }));
  }
  const masked = MASKED_LAST_FOUR.exec(token);
  if (masked) {
    return [
      { type: "phoneLast4", value: masked[1]! },
      { type: "cardLast4", value: masked[1]! },
    ];
  }
  const birth = parseBirthToken(token);
  if (birth && (birth.date || !FOUR_DIGITS.test(token))) {
    const readings: Reading[] = [
      birth.date ? { type: "birthDate", value: birth.date } : { type: "birthYear", value: birth.year },
    ];
    // Eight digits may also be the digits of a display ID ("00012345" never is a date, "19850401" may be either).
    if (/^\d{8}$/.test(token)) readings.push({ type: "displayId", values: displayIdCandidates(token) });
    return readings;
  }
  if (FOUR_DIGITS.test(token)) {
    const readings: Reading[] = [
      { type: "phoneLast4", value: token },
      { type: "cardLast4", value: token },
    ];
    const year = Number(token);
    if (year >= 1900 && year <= 2099) readings.push({ type: "birthYear", value: year });
    return readings;
  }
  const displayIds = displayIdCandidates(token);
  const displayIdReadings: Reading[] =
    displayIds.length > 0 && /\d/.test(token) ? [{ type: "displayId", values: displayIds }] : [];
  // "W-00012345" is a display ID as written; "ryom12020" has a display ID's shape (a letter and eight characters) but
  // is as likely the part of an email before the @, read out without it.
  if (displayIdReadings.length > 0 && /^[A-Za-z]-/.test(token)) return displayIdReadings;
  if (ASCII.test(token) && /[._\d+-]/.test(token)) {
    // Not a name (names have no dots or digits): an email's local part, a domain, or a device fingerprint. The search
    // tries every reading that fits; a fingerprint is an identifier only when typed alone.
    const readings: Reading[] = [...displayIdReadings];
    const value = token.toLowerCase();
    if (LOCAL_LIKE.test(token)) readings.push({ type: "emailLocal", value });
    if (DOMAIN_LIKE.test(token)) readings.push({ type: "emailDomain", value });
    if (alone && FINGERPRINT.test(token)) readings.push({ type: "fingerprint", value });
    if (readings.length > 0) return readings;
  }
  return displayIdReadings.length > 0 ? displayIdReadings : null;
}

/** Mirrors the readings into the flat fields the audit summary and the page header use. */
function recordReadings(terms: SearchTerms, readings: Reading[]): void {
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

function kindsOf(terms: SearchTerms): SearchKind[] {
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
  if (terms.lastFour.length > 0) kinds.push("lastFour");
  if (terms.emailLocal) kinds.push("emailLocal");
  if (terms.emailDomain) kinds.push("emailDomain");
  return kinds;
}

export const QUERY_TOO_LONG = `Search for at most ${MAX_QUERY_LENGTH} characters.`;
export const NOTHING_SEARCHABLE =
  "Nothing searchable in that: type a phone number (or its last 4 digits), email (or the part before the @), name in kanji or kana, birth date, display ID, device ID or IP address.";

export function parseSearchQuery(raw: string): ParsedSearch {
  if (raw.length > MAX_QUERY_LENGTH * 4) return { ok: false, code: "tooLong", message: QUERY_TOO_LONG };
  const query = sanitiseQuery(raw);
  if (query.length === 0) {
    return {
      ok: false,
      code: "empty",
      message: "Type a phone number, email address, name, birth date, display ID, device ID or IP address.",
    };
  }
  if (query.length > MAX_QUERY_LENGTH) return { ok: false, code: "tooLong", message: QUERY_TOO_LONG };

  const terms = emptyTerms();
  // Phone numbers first: "090 1234 5678" and "+81 90-1234-5678" are one number, not four tokens.
  const prepared = joinSpacedDates(
    readSpokenForms(kanjiNumeralsToDigits(query))
      .replace(LAST_FOUR_PHRASE, " ")
      .replace(LABEL_PHRASE, " ")
      .replace(WEEKDAY, " ")
      .replace(BRACKETS, " ")
      .replace(/\s+/g, " "),
  ).trim();
  const { phone, rest: tokens } = takePhone(prepared, tokenise(prepared));
  if (phone) recordReadings(terms, [{ type: "phone", value: phone }]);
  const nameParts: string[] = [];
  // Labels and filler words first, so that a fingerprint pasted after "device:" is still typed alone.
  const rest = tokens.filter((token) => !FILLER.has(token.toLowerCase()));
  const alone = rest.length === 1 && phone === null;
  // "0123 4567": a display ID's eight digits read out in two groups. Both groups also carry the display ID as a
  // reading, so its holder matches both facts while someone whose phone merely ends in 4567 matches one.
  const pairedDisplayIds = new Map<number, string[]>();
  for (let i = 0; i + 1 < rest.length; i++) {
    if (FOUR_DIGITS.test(rest[i]!) && FOUR_DIGITS.test(rest[i + 1]!)) {
      const values = displayIdCandidates(rest[i]! + rest[i + 1]!);
      pairedDisplayIds.set(i, values);
      pairedDisplayIds.set(i + 1, values);
    }
  }
  for (const [index, token] of rest.entries()) {
    if (PREFECTURES.has(token)) {
      terms.prefecture = token;
      continue;
    }
    // "東京都新宿区西新宿": an address after the name. Addresses are not recorded; its prefecture is named as set aside.
    const addressOf = [...PREFECTURES].find((prefecture) => token.startsWith(prefecture));
    if (addressOf) {
      terms.prefecture = addressOf;
      continue;
    }
    const readings = readToken(token, alone);
    const paired = pairedDisplayIds.get(index);
    if (readings && paired) readings.push({ type: "displayId", values: paired });
    if (readings) recordReadings(terms, readings);
    else if (LETTER.test(token)) {
      nameParts.push(token.replace(SELF_INTRODUCTION, "").replace(HONORIFIC, "") || token);
    }
  }
  if (nameParts.length > 0) {
    const name = nameParts.join(" ");
    const key = toSearchKey(name);
    // A key must hold a letter: "・・・" or "---" keys to nothing and would match every name by prefix.
    if (LETTER.test(key)) {
      terms.name = name;
      terms.nameKey = key;
      // The name first: the facts keep the order in which an agent reads them back ("佐藤, ending 5678").
      terms.facts.unshift([{ type: "name", value: name }]);
    }
  }
  const kinds = kindsOf(terms);
  if (kinds.length === 0) return { ok: false, code: "nothingSearchable", message: NOTHING_SEARCHABLE };
  return { ok: true, query, terms, kinds };
}
