// From the text typed to tokens: what can never be searched is removed, labels and the words that name a number are
// dropped, spoken forms are written as the parser reads them, and words are split where an identifier is run into
// Japanese or digits meet kana and kanji.
import { isIP } from "node:net";
import {
  joinSpacedDates,
  looksLikeEraDate,
  parseBirthToken,
  parseMonthDay,
  writeCompactEraDates,
} from "~/accounts/search-birth";
import { joinPhoneGroupsSaidWithNo, writeDescribedFacts } from "~/accounts/search-described-facts";
import { kanaDigitsToNumbers } from "~/accounts/search-kana-digits";
import { kanjiNumeralsToDigits } from "~/accounts/search-kanji-numerals";
import { PREFECTURES } from "~/accounts/prefectures";
import { withinOneEdit } from "~/accounts/search-typo";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /\p{Cc}/gu;
const FORMAT = /\p{Cf}/gu;
// Pictographs and symbols can never be part of a name, a number or an address: dropped so they never reach a key.
// Except the postal mark 〒, which says that the digits after it are a postcode (read, and named as not searchable).
const SYMBOLS = /(?!\u3012)[\p{Extended_Pictographic}\p{So}\p{Sk}\p{Co}]/gu;
// What is left of an emoji once its pictograph is gone: variation selectors ("🙇‍♂️" ends in U+FE0F) and enclosing
// marks (a keycap). Never part of a name as stored; left in, they made the name's key match nobody.
const EMOJI_REMAINS = /[\p{Variation_Selector}\p{Me}]/gu;
const ASCII = /^[\x21-\x7e]+$/;
const BRACKETED_IPV6_WITH_PORT = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i;
// What wraps a token when it is pasted from a mail, a log or a chat: brackets, quotes, trailing punctuation.
const WRAPPING = /^[:<([{"'「『【〈《]+|[>)\]}"'」』】〉》,.;:、。!?]+$/g;
// "device: abc…", "IP:1.2.3.4", "生年月日:1985-04-01", "mailto:a@b.jp": a label before a colon. Only a label with a
// letter that is no hex digit, so that a MAC-style fingerprint ("aa:bb:…") or an IPv6 address keeps its colons.
const LABELLED = /^([^\d:]*[g-zG-Z\u3000-\u9fff][^\d:]*):(.+)$/;
const LABEL_ALONE = /^[^\d:]*[g-zG-Z\u3000-\u9fff][^\d:]*:$/;
// After the first word, a word ending in a colon is a label only when it says what a label says ("生年月日:", "TEL:"):
// in "佐藤 翔太: 1985/3/12" the colon ends the name, and 翔太 is kept.
const LABEL_WORD =
  /(?:名|名前|氏名|番号|日|月日|フリガナ|ふりがな|カナ|メール|アドレス|電話|携帯|住所|ID|TEL|mail|name|DOB):$/i;
// Phrases that say which number follows: "下4桁5678", "電話番号の下4桁は", "カード末尾1234". They are not a name.
// Also "ラスト4桁", "番号の末尾", and "4桁" or "下" alone at a word's start right before the four digits ("下1234", as
// "下一二三四" is written once its numerals are digits): 木下 and 山下 keep their 下, which never starts a word.
const LAST_FOUR_PHRASE =
  /(?:電話番号|電話|携帯番号|携帯|カード番号|クレジットカード|クレジット|カード|クレカ|番号)?の?(?:(?:下|末尾|最後の|ラスト)\s*(?:4|四|よん)\s*(?:桁|ケタ|けた)|末尾)(?:は|が)?|(?<=^|\s)(?:4|四)(?:桁|ケタ|けた)(?:は|が)?(?=\s*\d{4}(?!\d))|(?<=^|\s)下(?=\s*\d{4}(?!\d))/g;
// Labels and the particle after them, said or pasted before a value ("電話番号は090…", "生年月日:…", "メールはa@b.jp"),
// and "生まれの" between a date and a name: never part of a name, wherever they stand.
// Not the メール of a carrier's mail ("auメール", search-described-facts.ts), which is named whole, nor the start of a
// label typed with a slip before its colon ("電話盤号:"), which words() drops whole.
const LABEL_PHRASE =
  /(?<!au|ソフトバンク)(?:お|ご)?(?:電話番号|携帯番号|電話|携帯|メールアドレス|メアド|メール|生年月日|誕生日|会員番号|お名前|名前|氏名|契約者名|契約者|名義人|口座名義|名義)(?![^\s:]{1,2}:)(?:は|が)?|生まれ(?:です|の|で|は)?|(?:IPアドレス|IP|ID)(?:は|が)/g;
// Who the caller is to the account holder, said before the holder's name ("母の佐藤花子です", "妻が…") or after it
// ("佐藤花子の夫です"), and what the call is about ("佐藤太郎の件で", "佐藤様のアカウント"): never part of the name.
const RELATIONS = "母|父|妻|夫|主人|家内|嫁|息子|娘|祖母|祖父|兄|弟|姉|妹|子供|子ども|家族|親";
const RELATION_BEFORE = new RegExp(`(?<=^|\\s)(?:${RELATIONS})(?:の|が|は)(?=\\S)`, "gu");
const RELATION_AFTER = new RegExp(
  `の(?:${RELATIONS}|奥さん|奥様|ご主人|旦那さん|旦那様|旦那|者|代理|件|アカウント|口座)(?:の者)?(?:です|で|について)?(?=\\s|$)`,
  "gu",
);
// The last four said in English ("phone ending 1234", "last 4 digits 1234", "card ending in 1234").
const ENGLISH_LAST_FOUR =
  /\b(?:(?:phone|card|number|tel)\s+)?(?:ending(?:\s+(?:in|with))?|last\s+(?:4|four)(?:\s+digits)?)\b/gi;
// Sentence punctuation between a caller's words ("すみません、佐藤と申しますが").
// Commas, semicolons and bars between facts, as pasted from a list or a spreadsheet ("佐藤 翔太,1985/3/12,1234"): no
// name, number or address holds one.
const SENTENCE_PUNCTUATION = /[、。,;|]/g;
// The weekday after a date, "1985年4月1日(月)".
const WEEKDAY = /\((?:月|火|水|木|金|土|日)(?:曜日?)?\)/g;
// Brackets around a reading or a number ("佐藤 翔太(サトウ ショウタ)", "090(1234)5678") separate words.
const BRACKETS = /[()「」『』【】[\]]/g;
// "サトウ ショウタ(カナ)", "佐藤 翔太(漢字)": which script the words before are in, in brackets after them; never a name
// (a bare カナ after a name is a given name as often, and stays).
const SCRIPT_IN_BRACKETS = /\(\s*(?:カナ|かな|フリガナ|ふりがな|よみ|読み|漢字|ローマ字|romaji)\s*\)/gi;
// An email, IP, fingerprint or display ID run into Japanese words ("メールはtaro@example.jpです"): split out.
const ASCII_RUN = /[\x21-\x7e]+/g;
// A romaji name with macrons ("Satō"): one word, not an ASCII run and a letter.
const LATIN_WORD = /^[\p{Script=Latin}'-]+$/u;
const ERA_INITIAL_YEAR = /^[MTSHR]\d{1,2}$/i;

/** Removes what can never be part of a search and would only confuse it: lone surrogates, controls, pictographs. */
export function sanitiseQuery(raw: string): string {
  return raw
    .replace(LONE_SURROGATE, " ")
    .replace(CONTROL, " ")
    .replace(FORMAT, "")
    .normalize("NFKC")
    .replace(SYMBOLS, " ")
    .replace(EMOJI_REMAINS, "")
    .replace(/\s+/g, " ")
    .trim();
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

// Labels before a colon that the lists above do not hold: a reading's and a family or given name's ("カナ:", "セイ:",
// "メイ:"; without the colon カナ and メイ are also given names), and slips of the usual labels ("指名:" for 氏名,
// "生年月曰:", "電話盤号:"). A slip is one letter from a label of three letters or more; a two-letter label's slips are
// listed, since one letter from 氏名 is also a family name (椎名).
const COLON_LABELS: ReadonlySet<string> = new Set([
  ...["カナ", "かな", "ヨミ", "よみ", "セイ", "メイ", "せい", "めい", "姓", "名"],
  ...["指名", "氏命", "名まえ", "なまえ"],
]);
const LABELS_TYPED_WITH_A_SLIP = [
  ...["お名前", "生年月日", "誕生日", "電話番号", "携帯番号", "メールアドレス", "フリガナ", "会員番号"],
  ...["IPアドレス", "よみがな", "ヨミガナ"],
];

/** Whether a word before a colon is a label that no list of words holds (COLON_LABELS). */
function isColonLabel(word: string): boolean {
  if (COLON_LABELS.has(word)) return true;
  return [...word].length >= 3 && LABELS_TYPED_WITH_A_SLIP.some((label) => withinOneEdit(word, label));
}

/**
 * Words split at a label's colon ("IP:1.2.3.4" → IP, 1.2.3.4), each unwrapped. An IP address or a UUID is never split.
 */
function words(query: string): string[] {
  const out: string[] = [];
  for (const raw of query.split(" ")) {
    // "お客様名:" before the value, pasted from a form: a label (no digit), never part of a name.
    if (LABEL_ALONE.test(raw) && (out.length === 0 || LABEL_WORD.test(raw) || isColonLabel(raw.slice(0, -1)))) continue;
    const word = unwrap(raw);
    const labelled = isIP(word) ? null : LABELLED.exec(word);
    const label = labelled && !isColonLabel(unwrap(labelled[1]!)) ? [unwrap(labelled[1]!)] : [];
    for (const part of labelled ? [...label, unwrap(labelled[2]!)] : [word]) out.push(...splitEmbedded(part));
  }
  return out.filter((word) => word.length > 0);
}

/** 年 (with 生 or 生まれ after it) or 生 right after `at` in the word: what makes a year of the digits before it. */
function yearSign(word: string, at: number): string {
  return /^(?:年(?:生まれ|生)?|生)/.exec(word.slice(at))?.[0] ?? "";
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
    // "佐藤翔太S60", "佐藤H2年生", "1985/3/12佐藤": a date or an era year run into the name is split from it; the
    // 年 or 生 after it stays with it ("H2年生"), and a bare year or last four is split by the tokeniser as before.
    const date =
      !identifier && /[-/.A-Za-z]/.test(run) && parseBirthToken(run + yearSign(word, match.index + run.length));
    if (!identifier && !date) continue;
    out.push(word.slice(last, match.index));
    last = match.index;
    if (date && yearSign(word, match.index + run.length)) continue;
    out.push(run);
    last = match.index + run.length;
  }
  out.push(word.slice(last));
  return out.map(unwrap).filter((part) => part.length > 0);
}

// Era names and 年, 月, 日 said in kana ("しょうわ60ねん"), and an email read out ("taro at example.jp",
// "taro @ example.jp", "taro@@example.jp"): written as the parser reads them.
const SPOKEN: readonly [RegExp, string][] = [
  // "sato アンダーバー shota", "sato ハイフン shota": an underscore or a hyphen said between the letters or digits of an
  // address (or a number), written as the mark.
  [/(?<=[a-z0-9])\s*(?:アンダーバー|アンダースコア|アンダーライン|underscore)\s*(?=[a-z0-9])/gi, "_"],
  [/(?<=[a-z0-9])\s*(?:ハイフン|hyphen)\s*(?=[a-z0-9])/gi, "-"],
  // "taro(at)example.jp", "taro[at]example[dot]jp": an address written so that robots do not read it.
  [/\s*[([]\s*at\s*[)\]]\s*/gi, "@"],
  [/\s*[([]\s*dot\s*[)\]]\s*/gi, "."],
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
  // "sato アット docomo": the @ said in kana before a domain without its suffix, read as "sato@docomo" is (the part
  // before the @). Not "at", which English puts between any two words.
  [
    /(?<=(?:^|\s)[a-z0-9._%+-]*[a-z._%+-][a-z0-9._%+-]*)\s+(?:アットマーク|アット|あっとまーく|あっと)\s+(?=[a-z0-9-]+(?:\s|$))/gi,
    "@",
  ],
];
// "taro@example . jp": a space before a dot of the domain, as the address is read out (before the @ is joined).
const SPACED_DOMAIN_DOT = /(?<=@\s*[a-z0-9-]+(?:\s*\.\s*[a-z0-9-]+)*)\s+\.\s*(?=[a-z])/gi;
// "sato . shota85 @ docomo.ne.jp": a space beside a dot of the part before the @, as it is read out; only where the
// @ follows that part.
const SPACED_LOCAL_DOT = /(?<=[a-z0-9])(?:\s+\.\s*|\s*\.\s+)(?=[a-z0-9][a-z0-9._%+-]*\s*@)/gi;

const MONTH_DAY_SHAPE = /^\d{1,2}月\d{1,2}日?(?:生まれ|生)?$/;
const MONTHS = [
  ...["january", "february", "march", "april", "may", "june"],
  ...["july", "august", "september", "october", "november", "december"],
];
// "born in March", "born on May 12th", "March 12": a birth month in English, written as 3月 or 5月12日. A month's
// name alone ("May") is not enough: it is said with "born" or with its day.
const ENGLISH_BIRTHDAY = new RegExp(
  `\\b(?:(?:born|birthday)\\s+(?:is\\s+)?(?:in|on)?\\s*(${MONTHS.join("|")})(?:\\s+(\\d{1,2})(?:st|nd|rd|th)?)?|(${MONTHS.join("|")})\\s+(\\d{1,2})(?:st|nd|rd|th)?)\\b`,
  "gi",
);

// A month's name with its day and year, as Western documents and foreign callers give a birth date: "12 March 1985",
// "March 12, 1985", "Mar. 12th 1985". Abbreviations only with a year ("Jun" alone is a given name). Written 1985年3月12日.
const MONTH_NUMBERS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(MONTHS.map((name, index) => [name, index + 1])),
  ...{ jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12 },
};
const MONTH_NAME = `(${Object.keys(MONTH_NUMBERS)
  .sort((a, b) => b.length - a.length)
  .join("|")})\\.?`;
const DAY = "(\\d{1,2})(?:st|nd|rd|th)?";
const ENGLISH_DATE = new RegExp(
  `\\b(?:${DAY}\\s+${MONTH_NAME},?|${MONTH_NAME}\\s+${DAY},?)\\s+((?:19|20)\\d{2})\\b`,
  "gi",
);

// "12MAR1985", "12-MAR-1985": the date as a passport or a residence card prints it, day, month's abbreviation, year.
// Not inside an address or an identifier ("12mar1985@…").
const PASSPORT_DATE = new RegExp(
  `(?<![\\w.%+@-])(\\d{1,2})-?(${Object.keys(MONTH_NUMBERS).join("|")})-?((?:19|20)\\d{2})(?![\\w.%+@-])`,
  "gi",
);

function writeEnglishDates(query: string): string {
  return query
    .replace(
      PASSPORT_DATE,
      (_said, day: string, month: string, year: string) => `${year}年${MONTH_NUMBERS[month.toLowerCase()]}月${day}日`,
    )
    .replace(
      ENGLISH_DATE,
      (_said, dayFirst?: string, monthSecond?: string, monthFirst?: string, daySecond?: string, year?: string) =>
        `${year}年${MONTH_NUMBERS[(monthSecond ?? monthFirst)!.toLowerCase()]}月${dayFirst ?? daySecond}日`,
    );
}

// "taro at example dot jp": "dot" read out between the parts of an address, only where an @ is said too.
const AT_SAID = /@|\bat\b|アット|あっと/i;
const DOT_SAID = /(?<=[a-z0-9])\s*(?:\bdot\b|ドット|どっと)\s*(?=[a-z0-9])/gi;

function readSpokenForms(query: string): string {
  const dotted = AT_SAID.test(query) ? query.replace(DOT_SAID, ".") : query;
  return SPOKEN.reduce(
    (text, [pattern, written]) => text.replace(pattern, written),
    writeEnglishDates(dotted.replace(SPACED_DOMAIN_DOT, ".").replace(SPACED_LOCAL_DOT, ".")),
  ).replace(ENGLISH_BIRTHDAY, (_said, bornMonth?: string, bornDay?: string, month?: string, day?: string) => {
    const number = MONTHS.indexOf((bornMonth ?? month)!.toLowerCase()) + 1;
    const dayOf = bornDay ?? day;
    return dayOf ? `${number}月${dayOf}日` : `${number}月`;
  });
}

// A postcode after the postal mark or its label ("〒150-0001", "〒 1500001", "郵便番号は150-0001"): one token, 〒 and
// seven digits with the hyphen, so that its halves are never read as a number and a last four.
const MARKED_POSTCODE = /(?:〒|郵便番号(?:は|が)?)\s*(\d{3})\s*[-\u2010-\u2015\u2212\u30fc]?\s*(\d{4})(?!\d)/g;
/** A postcode as prepareQuery writes it. */
export const POSTCODE = /^〒\d{3}-\d{4}$/;

// A display ID read out with a space or typed with a dash the NFKC form keeps ("W 00012345", "W-0001 2345",
// "w‐00012345"): written as the app shows it. Not after a letter or digit, so no word's last letter is taken for it.
const SPACED_DISPLAY_ID =
  /(?<![A-Za-z0-9])[Ww]\s*[-\u2010-\u2015\u2212\u30fc]?\s*(\d{4})\s*[-\u2010-\u2015\u2212\u30fc]?\s*(\d{4})(?!\d)/g;

// "taro@example,jp", "taro@docomo,ne,jp": a comma typed for a dot before a domain's usual labels, kept apart from the
// commas between facts.
const DOMAIN_COMMA = /(?<=@[a-z0-9.,-]+),(?=(?:jp|com|net|org|ne|co|or|ac|ad|go|info|biz)\b)/gi;

// "'85.3.12", "'85/3/12": the date after such a year, with dots, slashes or hyphens (the apostrophe says that the
// first number is the year); read as 85年3月12日.
const APOSTROPHE_DATE = /(?<=^|\s)['\u2018\u2019](\d{2})[./-](\d{1,2})[./-](\d{1,2})(?=\s|$)/g;
// "'85": a year with its century dropped, as the apostrophe says; read as 85年.
const APOSTROPHE_YEAR = /(?<=^|\s)['\u2018\u2019](\d{2})(?=(?:生まれ|生)?(?:\s|$))/g;
// "85/03/12生", "85/3/12生まれ": 生 after a slashed date with a two-digit year, which is read without it (ADR 121).
const SLASHED_SHORT_DATE_BORN = /(?<=(?:^|\s)\d{1,2}\/\d{1,2}\/\d{1,2})(?:生まれ|生)(?=\s|$)/g;
// "85生": a two-digit year with 生, as agents note it (as "85年生").
const SHORT_YEAR_BORN = /(?<=^|\s)(\d{2})(?=(?:生まれ|生)(?:\s|$))/g;
// "S60・3・12", "1985・3・12": a middle dot between the numbers of a date, as some forms print it; no name holds digits.
const MIDDLE_DOT_BETWEEN_DIGITS = /(?<=\d)\s*[・･]\s*(?=\d)/g;
// "昭和60年度生まれ": the school year a caller was born in, said as its calendar year (its January to March births
// are in the next one: the name's fallback lists them when the year matches nobody).
const SCHOOL_YEAR = /(\d|元)年度/g;

/** The query as the tokeniser reads it: numbers in digits, spoken forms written, labels and brackets dropped. */
export function prepareQuery(query: string): string {
  return joinSpacedDates(
    readSpokenForms(
      writeDescribedFacts(
        writeCompactEraDates(kanjiNumeralsToDigits(joinPhoneGroupsSaidWithNo(kanaDigitsToNumbers(query)))),
      ),
    )
      .replace(SPACED_DISPLAY_ID, (said, first: string, second: string) =>
        // Typed as one ASCII word ("W00012345", "W-0001-2345"), it is read as before, with its other readings.
        ASCII.test(said) ? said : ` W-${first}${second} `,
      )
      .replace(DOMAIN_COMMA, ".")
      .replace(MIDDLE_DOT_BETWEEN_DIGITS, ".")
      .replace(APOSTROPHE_DATE, "$1年$2月$3日")
      .replace(APOSTROPHE_YEAR, "$1年")
      .replace(SLASHED_SHORT_DATE_BORN, "")
      .replace(SHORT_YEAR_BORN, "$1年")
      .replace(SCHOOL_YEAR, "$1年")
      .replace(MARKED_POSTCODE, " 〒$1-$2 ")
      .replace(SENTENCE_PUNCTUATION, " ")
      .replace(RELATION_BEFORE, " ")
      .replace(RELATION_AFTER, " ")
      .replace(LAST_FOUR_PHRASE, " ")
      .replace(ENGLISH_LAST_FOUR, " ")
      .replace(LABEL_PHRASE, " ")
      .replace(WEEKDAY, " ")
      .replace(SCRIPT_IN_BRACKETS, " ")
      .replace(BRACKETS, " ")
      .replace(/\s+/g, " "),
  ).trim();
}

/**
 * Splits the query into tokens at spaces and where kanji or kana meet digits ("佐藤1985" → 佐藤, 1985), but keeps
 * ASCII tokens whole (fingerprints, emails, display IDs mix letters and digits) and dates written with 年月日.
 */
export function tokenise(query: string): string[] {
  const tokens: string[] = [];
  for (const word of words(query)) {
    // An address keeps its house number ("東京都新宿区西新宿2-8-1"): it is named whole as not searchable.
    const address = [...PREFECTURES].some((prefecture) => word.startsWith(prefecture) && word !== prefecture);
    // "2月30日": no such birthday, and never a name either: kept whole, and named back as no date.
    const monthDay = MONTH_DAY_SHAPE.test(word);
    if (
      ASCII.test(word) ||
      POSTCODE.test(word) ||
      address ||
      monthDay ||
      parseBirthToken(word) ||
      parseMonthDay(word) ||
      looksLikeEraDate(word)
    ) {
      tokens.push(word);
      continue;
    }
    for (const part of word.match(
      /(?:明治|大正|昭和|平成|令和)(?:元|\d{1,2})年?(?:\d{1,2}月\d{1,2}日?)?|\d{1,2}月(?:\d{1,2}日)?|\d+(?:年(?:\d{1,2}月\d{1,2}日?)?)?|(?:(?!(?:明治|大正|昭和|平成|令和)(?:元|\d))\D)+/g,
    ) ?? []) {
      tokens.push(part);
    }
  }
  return tokens.filter((token) => token.length > 0);
}
