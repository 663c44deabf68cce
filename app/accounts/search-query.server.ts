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
import { MAX_QUERY_LENGTH, toSearchKey } from "~/accounts/search-key";
import { PREFECTURES } from "~/accounts/prefectures";
import { splitPlaceBeforeName, splitPrefectureRunIntoName } from "~/accounts/search-place";
import { looksLikeEraDate, parseBirthToken, parseMonthDay, slashedShortYearDates } from "~/accounts/search-birth";
import { takePhone } from "~/accounts/search-phone";
import { displayIdCandidates, FOUR_DIGITS, readToken } from "~/accounts/search-read-token.server";
import { emptyTerms, kindsOf, recordReadings, type ParsedSearch } from "~/accounts/search-terms";
import { POSTCODE, prepareQuery, sanitiseQuery, tokenise } from "~/accounts/search-tokens.server";

export { MAX_QUERY_LENGTH };

const LETTER = /\p{L}/u;
// A caller's words around a name: "佐藤です", "佐藤と申します".
const SELF_INTRODUCTION = /(?:です|デス|でございます|と申します|といいます|と言います)(?:が|けど|けれども)?$/u;
// The agent reading the name back ("佐藤翔太様ですね", "佐藤翔太様でよろしいですか").
const READ_BACK = /(?:でよろしいですか|でよろしいでしょうか|でしょうか|ですね|ですか)$/u;
// "佐藤翔太本人です", "佐藤のご本人": the caller saying that the account is theirs, run into the name.
const SELF_SAID = /の?(?:ご)?本人(?:様|さま)?$/u;
// Words agents type around the facts: "昭和60年 生まれ", "佐藤様".
const FILLER: ReadonlySet<string> = new Set([
  ...["生まれ", "生", "年生まれ", "様", "さん", "さま", "氏"],
  // Labels an agent copies with the value they name: never part of a name.
  ...["生年月日", "誕生日", "電話", "電話番号", "携帯", "携帯番号", "メール", "メアド", "メールアドレス", "端末"],
  ...["お客様名", "顧客名", "フリガナ", "ふりがな"],
  ...["会員番号", "名前", "氏名", "カード", "tel", "mail", "mailto", "email", "e-mail", "ip", "device", "id"],
  ...["です", "と申します", "といいます", "と言います", "から"],
  // "ｻﾄｳ ﾃﾞｽ": です typed in katakana, as agents in half-width kana mode do; "VISAの1234", "5678が電話の下4桁": a
  // particle left alone.
  ...["デス", "デゴザイマス", "の", "が", "は"],
  // A device's identifier labelled in Japanese ("端末ID 4175ca…").
  ...["端末id", "デバイスid", "端末番号", "会員id", "顧客id"],
  // The display ID by the names agents give it ("表示ID 00012345", "wallet ID …").
  ...["表示id", "ユーザーid", "アカウントid", "ウォレットid", "wallet"],
  // The holder's spouse, said after the name ("佐藤 ご主人", "佐藤翔太 の 奥様"): the caller is calling for them.
  ...["ご主人", "主人", "奥様", "奥さん", "旦那", "旦那さん", "旦那様", "家内", "妻", "夫"],
  // What a last four belongs to, said after it ("末尾1234のカード").
  ...["のカード", "のクレカ", "の携帯", "の電話"],
  // Polite words around the facts, said on a call.
  ...[
    "すみません",
    "すいません",
    "よろしくお願いします",
    "お願いします",
    "えっと",
    "えーと",
    "あの",
    "もしもし",
    "はい",
    ...["あ", "あっ", "えー", "ええと", "えっとですね", "うーん", "あのー", "でございます"],
  ],
  // Honorifics in English and in romaji, said apart from a romaji name ("Mr. Ohno", "Ohno san").
  ...["mr", "mrs", "ms", "miss", "dr", "san", "sama", "dono"],
  // The agent reading the name back, said apart from it ("佐藤翔太様 ですね").
  ...["ですね", "ですか", "でしょうか", "でよろしいですか", "でよろしいでしょうか"],
  // English words around a date of birth ("born 1985", "DOB 12/03/1985"); not "date", which is a family name (伊達).
  ...["born", "dob", "birthday", "birth"],
  // A card's brand said with its last four ("VISA 末尾1234"): never part of the holder's name.
  ...[
    "visa",
    "ビザ",
    "master",
    "mastercard",
    "マスター",
    "マスターカード",
    "jcb",
    "amex",
    "アメックス",
    "diners",
    "ダイナース",
  ],
  // Words of doubt or approximation around a year ("1985年頃", "たぶん", "1985か1986"), and "unknown".
  ...["頃", "ごろ", "くらい", "ぐらい", "たぶん", "多分", "か", "または", "or", "不明", "わからない", "分からない"],
  // "35さい": an age in kana; "30代": an age by decade. Set aside as ages are.
  ...["さい", "代"],
  // "在住" said apart from the place.
  ...["在住", "在住です"],
  // "34歳": an age does not say the birth year exactly (and changes every year); it is set aside, not read as a name.
  ...["歳", "才"],
  // Honorifics said apart, and who the caller is ("the account holder", "a man"): nothing a name index holds.
  ...["くん", "君", "ちゃん", "殿", "男性", "女性", "男", "女", "本人", "ご本人", "サマ", "サン"],
  ...["本人様", "ご本人様"],
  // A reading's labels ("よみがな サトウ ショウタ"), a family and a given name's ("姓 佐藤 名 翔太"), an IP address's, and
  // Mr or Mrs in katakana: never part of a name (ADR 121).
  ...["よみがな", "ヨミガナ", "読み", "読みがな", "読み仮名", "姓", "名", "姓名", "ipアドレス", "ミスター", "ミセス"],
  // The postal mark without a postcode after it.
  "〒",
]);
// "東京在住", "横浜在住です": where the caller lives, said with a place no list holds (a city, a bare prefecture).
const RESIDENCE = /^\p{L}+(?:在住|住まい)(?:です)?$/u;
// "iPhone", "アンドロイド": the model of the caller's phone. Thousands of customers hold each, and no index reads a
// device's model: named back to the agent, never searched (and never part of the name).
const DEVICE_MODELS: ReadonlySet<string> = new Set([
  ...["iphone", "ipad", "android", "galaxy", "xperia", "pixel", "aquos"],
  ...["アイフォン", "アイフォーン", "アンドロイド", "ギャラクシー", "エクスペリア", "ピクセル"],
]);
// "ドコモ", "au", "ヤフー": a carrier or a provider said without its address. The caller may mean their phone's carrier
// (no customer's carrier is recorded) or a Yahoo account, and a carrier's mail has more than one domain (au:
// ezweb.ne.jp and au.com): named back to the agent, never searched, and never part of the name. A provider whose name
// says its one domain ("ドコモメール", "Gmail") is read as that domain (search-described-facts.ts).
const CARRIERS: ReadonlySet<string> = new Set([
  ...["docomo", "ドコモ", "au", "エーユー", "softbank", "ソフトバンク", "ワイモバイル", "ymobile", "楽天モバイル"],
  ...["uq", "uqモバイル", "ahamo", "アハモ", "povo", "linemo", "yahoo", "ヤフー", "キャリア"],
]);
// "auメール", "ソフトバンクメール" (search-described-facts.ts): a carrier's mail, which has more than one domain (au.com
// and ezweb.ne.jp; softbank.ne.jp and i.softbank.jp). Named back with the domains to ask about, never searched.
const CARRIER_MAILS: ReadonlySet<string> = new Set(["auメール", "ソフトバンクメール"]);
// "カナ サトウ ショウタ", "佐藤翔太 よみ さとう しょうた": the label of a reading before it. カナ and よみ are also given
// names, so the word is a label only before two words in kana, or before one after a name in kanji (ADR 121).
const READING_LABELS: ReadonlySet<string> = new Set(["カナ", "かな", "ヨミ", "よみ"]);
const KANA_WORD = /^[\p{Script=Hiragana}\p{Script=Katakana}ー]+$/u;
const HAN = /\p{Script=Han}/u;

/** Whether the word at `at` is the label of the reading after it, rather than a given name. */
function isReadingLabel(words: readonly string[], at: number): boolean {
  if (!READING_LABELS.has(words[at]!)) return false;
  if (!KANA_WORD.test(words[at + 1] ?? "")) return false;
  return KANA_WORD.test(words[at + 2] ?? "") || (at > 0 && HAN.test(words[at - 1]!));
}
// "@ezweb": a domain said without its suffix and without the part before the @; which address is not known.
const DOMAIN_WITHOUT_SUFFIX = /^@[a-z0-9-]+$/i;
const AGE_WORDS: ReadonlySet<string> = new Set(["歳", "才", "さい", "代"]);
// "150-0001": a postcode's shape without its mark. Not one that starts like a mobile or IP phone ("090-1234" is more
// likely a phone number cut short), which is named as digits not understood instead.
const POSTCODE_SHAPE = /^(?!0[5789]0)\d{3}-\d{4}$/;
const DIGIT = /\d/;
const HYPHENATED_ROMAJI = /^\p{Script=Latin}+(?:-\p{Script=Latin}+)+$/u;
const ROMAJI_WORD = /^\p{Script=Latin}+$/u;
// Punctuation outside ASCII that is never part of a stored name ("※佐藤", "佐藤†"); the key removes ASCII punctuation
// and the middle dot itself.
const NAME_PUNCTUATION = /(?![\x21-\x7e\u30fb])\p{Po}/gu;
// "3月3日の佐藤": the particle after a date, split from it; a hiragana name (のぞみ) does not go on in kanji.
const DATE_PARTICLE = /^の(?=\p{Script=Han})/u;
// "佐藤さんの携帯…", "佐藤のメールは…": の after the honorific or the kanji name it closes (あやの, ひの end in it).
const HONORIFIC = /(様|さん|さま|氏|くん|君|ちゃん|殿|サマ)の?$|(?<=\p{Script=Han})の$/u;
// "Ohno-san", "Sato-sama": a romaji honorific joined to the name with a hyphen; not an email's local part.
const ROMAJI_HONORIFIC = /^(\p{Script=Latin}+)-(?:san|sama|dono|kun|chan|sensei)$/iu;
// "後藤みさき", "ゴトウ美咲", "コバヤシ翼": a name in kanji run into one in kana (two runs, each a part). Split, so that
// each is read as the family or the given name. A given name mixes one kanji with two kana (ゆう子, 千とせ), so one kanji
// splits only beside three kana or more; "一ノ瀬" or "霞ヶ関" (kana between kanji) are three runs and stay whole.
const KANA = "[\\p{Script=Hiragana}\\p{Script=Katakana}\\u30fc]";
const KANJI_THEN_KANA = new RegExp(`^(\\p{Script=Han}+)(${KANA}{2,})$`, "u");
const KANA_THEN_KANJI = new RegExp(`^(${KANA}{2,})(\\p{Script=Han}+)$`, "u");

/** The two parts of a kanji-and-kana name typed as one word, or null. */
function scriptParts(word: string): [string, string] | null {
  const kanjiFirst = KANJI_THEN_KANA.exec(word);
  const kanaFirst = kanjiFirst ? null : KANA_THEN_KANJI.exec(word);
  const split = kanjiFirst ?? kanaFirst;
  if (!split) return null;
  const [kanji, kana] = kanjiFirst ? [split[1]!, split[2]!] : [split[2]!, split[1]!];
  return [...kanji].length >= 2 || [...kana].length >= 3 ? [split[1]!, split[2]!] : null;
}

export const QUERY_TOO_LONG = `Search for at most ${MAX_QUERY_LENGTH} characters.`;
export const NOTHING_SEARCHABLE =
  "Nothing searchable in that: type a phone number (or its last 4 digits), email (or the part before the @), name in kanji or kana, birth date, display ID, device ID or IP address.";

export const ADD_NAME =
  "A birth year, month or email domain alone matches thousands of customers: add the caller's name, or a phone number (or its last 4 digits).";
const NARROWS_A_NAME_ONLY: ReadonlySet<string> = new Set(["birthYear", "birthMonth", "emailDomain"]);
// A date with 年, 月 and 日, or in figures, that no calendar has ("1985年2月30日", "1985-02-30", "2/30/85").
const DATE_SHAPE =
  /^(?:\d{2,4}年)?\d{1,2}月\d{1,2}日?(?:生まれ|生)?$|^(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}\/\d{1,2}\/\d{2}$/;

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
  const prepared = prepareQuery(query);
  const { phone, rest: tokens } = takePhone(prepared, tokenise(prepared));
  if (phone) recordReadings(terms, [{ type: "phone", value: phone }]);
  const nameParts: string[] = [];
  // "34歳": the number before the word for years of age.
  const ages = new Set(tokens.filter((token, i) => /^\d{1,3}$/.test(token) && AGE_WORDS.has(tokens[i + 1] ?? "")));
  // Labels and filler words first, so that a fingerprint pasted after "device:" is still typed alone.
  const unlabelled = tokens.filter((token) => !FILLER.has(token.toLowerCase()));
  const rest = unlabelled.filter((_, i) => !isReadingLabel(unlabelled, i));
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
  for (const [index, said] of rest.entries()) {
    // "東京都の佐藤さん", "大阪府在住の佐藤翔太", "横浜市の佐藤": the place is set aside, the name read on.
    const placed = splitPlaceBeforeName(said) ?? splitPrefectureRunIntoName(said);
    if (placed) {
      if (placed.prefecture) terms.prefecture = placed.prefecture;
      if (placed.address) terms.notUnderstood.push({ text: placed.address, kind: "address" });
    }
    const token = placed?.name ?? said;
    if (DEVICE_MODELS.has(token.toLowerCase())) {
      terms.notUnderstood.push({ text: token, kind: "device" });
      continue;
    }
    if (CARRIER_MAILS.has(token)) {
      terms.notUnderstood.push({ text: token, kind: "carrierMail" });
      continue;
    }
    if (CARRIERS.has(token.toLowerCase()) || DOMAIN_WITHOUT_SUFFIX.test(token)) {
      terms.notUnderstood.push({ text: token, kind: "provider" });
      continue;
    }
    if (PREFECTURES.has(token)) {
      terms.prefecture = token;
      continue;
    }
    if (POSTCODE.test(token)) {
      terms.notUnderstood.push({ text: token, kind: "postcode" });
      continue;
    }
    // "東京都新宿区西新宿": an address after the name. Addresses are not recorded; its prefecture is named as set aside.
    const addressOf = [...PREFECTURES].find((prefecture) => token.startsWith(prefecture));
    if (addressOf) {
      terms.prefecture = addressOf;
      terms.notUnderstood.push({ text: token, kind: "address" });
      continue;
    }
    if (RESIDENCE.test(token)) {
      terms.notUnderstood.push({ text: token, kind: "address" });
      continue;
    }
    if (
      DATE_SHAPE.test(token) &&
      !parseBirthToken(token) &&
      !parseMonthDay(token) &&
      slashedShortYearDates(token).length === 0
    ) {
      terms.notUnderstood.push({ text: token, kind: "date" });
      continue;
    }
    // "平成35年", "S65": written as an era's year, but past its end (or an impossible date): not a year to search by.
    if (looksLikeEraDate(token) && !parseBirthToken(token)) {
      terms.notUnderstood.push({ text: token, kind: "eraDate" });
      continue;
    }
    // "Jun-ichi" beside a romaji family name: the hyphen parts the syllables, as an apostrophe would ("Jun'ichi").
    const romajiHonorific = ROMAJI_HONORIFIC.exec(token);
    if (romajiHonorific) {
      nameParts.push(romajiHonorific[1]!);
      continue;
    }
    if (HYPHENATED_ROMAJI.test(token) && rest.some((other) => other !== token && ROMAJI_WORD.test(other))) {
      nameParts.push(token.replace(/-/g, "'"));
      continue;
    }
    const readings = readToken(token, alone);
    const paired = pairedDisplayIds.get(index);
    if (readings && paired) readings.push({ type: "displayId", values: paired });
    if (readings) recordReadings(terms, readings);
    else if (LETTER.test(token)) {
      const part = token.replace(NAME_PUNCTUATION, "");
      const bare =
        part
          .replace(DATE_PARTICLE, "")
          .replace(READ_BACK, "")
          .replace(SELF_INTRODUCTION, "")
          .replace(SELF_SAID, "")
          .replace(HONORIFIC, "") || part;
      nameParts.push(scriptParts(bare)?.join(" ") ?? bare);
    } else if (DIGIT.test(token)) {
      // Digits that are no fact ("090-1234", "12345", "150-0001"): not searched, and the page says so.
      const kind = ages.has(token) ? "age" : POSTCODE_SHAPE.test(token) ? "postcode" : "digits";
      terms.notUnderstood.push({ text: token, kind });
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
  if (kinds.length === 0)
    return { ok: false, code: "nothingSearchable", message: NOTHING_SEARCHABLE, notUnderstood: terms.notUnderstood };
  // A birth year, month or email domain narrows a name's namesakes; alone they would list thousands of customers, and
  // no plan reads them without a name (they found nobody: an empty page). The agent is told to add the name.
  if (kinds.every((kind) => NARROWS_A_NAME_ONLY.has(kind)))
    return { ok: false, code: "addName", message: ADD_NAME, notUnderstood: terms.notUnderstood };
  return { ok: true, query, terms, kinds };
}
