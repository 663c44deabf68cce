// Phone numbers as callers say and agents type them, read into E.164.
// Separators people put in phone numbers, after NFKC: spaces, hyphens and dashes of every kind, the katakana
// prolonged sound mark typed by mistake for a dash, dots, brackets.
const PHONE_SEPARATORS = /[\s\-\u2010-\u2015\u2212\u30fc.()]/g;
const PHONE_TOKEN = /^[+\d\-()\u2010-\u2015\u2212\u30fc.]+$/;
const FOUR_DIGITS = /^\d{4}$/;
// "090/1234/5678": slashes between the groups, read only in one word that is the whole number, so that a date and a
// last four ("03/12/85 1234") are never joined into a landline.
const SLASHED_PHONE = /^\+?\d+(?:\/\d+){1,3}$/;

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

/** Consecutive tokens that together read as one phone number ("090 1234 5678", "+81 90 1234 5678"). */
export function takePhone(query: string, tokens: string[]): { phone: string | null; rest: string[] } {
  const whole = normalisePhone(query);
  if (whole) return { phone: whole, rest: [] };
  for (let start = 0; start < tokens.length; start++) {
    for (let end = tokens.length; end > start; end--) {
      const slice = tokens.slice(start, end);
      if (slice.length === 1 && SLASHED_PHONE.test(slice[0]!)) {
        const phone = normalisePhone(slice[0]!.replace(/\//g, ""));
        if (phone) return { phone, rest: [...tokens.slice(0, start), ...tokens.slice(end)] };
      }
      if (!slice.every((token) => PHONE_TOKEN.test(token))) continue;
      // One four-digit token alone is a last-four, not a phone number.
      if (slice.length === 1 && FOUR_DIGITS.test(slice[0]!)) continue;
      const phone = normalisePhone(slice.join(""));
      if (phone) return { phone, rest: [...tokens.slice(0, start), ...tokens.slice(end)] };
    }
  }
  return { phone: null, rest: tokens };
}
