// One token's readings: an identifier, a date, a last four, a part of an email — or none, and then it is a name.
import { isIP } from "node:net";
import {
  compactShortYearDate,
  DAY_MONTH_YEAR,
  isoDate,
  parseBirthToken,
  parseMonthDay,
  slashedMonthDay,
  slashedShortYearDates,
} from "~/accounts/search-birth";
import type { Reading } from "~/accounts/search-terms";
import { UUID_PATTERN } from "~/lib/uuid";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_LOCAL = /^([a-z0-9._%+-]+)@$/i;
const EMAIL_WITHOUT_SUFFIX = /^([a-z0-9._%+-]+)@[a-z0-9-]+$/i;
const EMAIL_DOMAIN = /^@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;
const DOMAIN_LIKE = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i;
const LOCAL_LIKE = /^(?=.*[a-z])[a-z0-9._%+-]{3,64}$/i;
const FINGERPRINT = /^[A-Za-z0-9._:-]{6,128}$/;
// Digits and hyphens alone, shorter than any device identifier the wallet records (16 hex digits or a UUID): a phone
// number cut short ("0901234567") or a postcode, never a fingerprint. Read as one, it only ever found nobody.
const SHORT_NUMBER = /^(?=(?:-*\d){1,15}-*$)[\d-]+$/;
export const FOUR_DIGITS = /^\d{4}$/;
const GROUPED_DISPLAY_DIGITS = /^\d{4}-\d{4}$/;
const ASCII = /^[\x21-\x7e]+$/;
// A number read with its middle masked, as on a card or a screen: "****5678", "xxxx-xxxx-xxxx-1234", "090-****-5678".
const MASKED_LAST_FOUR = /^[\dxX*#•-]*[xX*#•]{2,}[-.]?(\d{4})$/;
// An IPv4 address with its port, as log lines print it.
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;

export function displayIdCandidates(token: string): string[] {
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

/** The readings of one token, or null when it is none of the facts (then it is part of the name). */
export function readToken(token: string, alone: boolean): Reading[] | null {
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
  const shortYearDates = slashedShortYearDates(token);
  if (shortYearDates.length > 0) return shortYearDates.map((value) => ({ type: "birthDate", value }));
  // "0001-2345": a display ID's eight digits as the app groups them, read without the letter.
  if (GROUPED_DISPLAY_DIGITS.test(token))
    return [{ type: "displayId", values: displayIdCandidates(token.replace("-", "")) }];
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
      birth.date
        ? { type: "birthDate", value: birth.date }
        : birth.month
          ? { type: "birthMonth", month: birth.month, day: null, year: birth.year }
          : { type: "birthYear", value: birth.year },
    ];
    // Eight digits may also be the digits of a display ID ("00012345" never is a date, "19850401" may be either).
    if (/^\d{8}$/.test(token)) readings.push({ type: "displayId", values: displayIdCandidates(token) });
    return readings;
  }
  const monthDay = parseMonthDay(token) ?? slashedMonthDay(token);
  if (monthDay) return [{ type: "birthMonth", ...monthDay }];
  const compactDate = compactShortYearDate(token);
  if (compactDate) return [{ type: "birthDate", value: compactDate }];
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
    if (alone && FINGERPRINT.test(token) && !SHORT_NUMBER.test(token)) readings.push({ type: "fingerprint", value });
    if (readings.length > 0) return readings;
  }
  return displayIdReadings.length > 0 ? displayIdReadings : null;
}
