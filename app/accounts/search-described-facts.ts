// Facts a caller describes in words rather than reads out, written as the parser reads them (ADR 117, 119): a phone
// number said with の between its groups, the last four said as "最後が" or "5678で終わる", the parts of an email named
// ("ドメインは…", "@の前は…"), the @ said without spaces, a mail provider named for its domain ("Gmail", "ドコモメール"),
// a year said with 生まれ年 or うまれ, an age in brackets, after 年齢 or with who the caller is ("男・34"), which phone a
// number is ("固定", "TEL"), the letter O typed for a zero, a label before a phone's model or a maiden name. Each rule
// needs the digits, address or word it describes right beside its words, so that no name loses a letter.

const DIGIT = "[0-9〇零一二三四五六七八九]";
// "090の1234の5678", "〇九〇の一二三四の五六七八": read out group by group, の between them. Joined with hyphens before the
// kanji numerals are converted, so that the whole number is one run of digits.
const PHONE_GROUPS_SAID_WITH_NO = new RegExp(
  `(?<!${DIGIT})([0〇零]${DIGIT}{1,4})の(${DIGIT}{1,4})の(${DIGIT}{4})(?!${DIGIT})`,
  "gu",
);

const FOUR_DIGITS_NEXT = "(?=\\s*\\d{4}(?!\\d))";
const COUNTED_FOUR = "(?:4|四|よん)\\s*(?:桁|ケタ|けた)";
// What a last four belongs to, said before the words that name it.
const OWNER = "(?:電話番号|電話|携帯番号|携帯|カード番号|カード|クレジット|クレカ|番号)?の?";
const LAST_FOUR_DESCRIBED: readonly RegExp[] = [
  // "電話の最後が5678", "最後の4桁は5678".
  new RegExp(`${OWNER}最後(?:の${COUNTED_FOUR})?(?:が|は)${FOUR_DIGITS_NEXT}`, "gu"),
  // "お尻4桁5678", "おしりの4桁 5678": the end of the number, said colloquially.
  new RegExp(`${OWNER}(?:お尻|おしり)の?\\s*(?:${COUNTED_FOUR})?(?:が|は)?${FOUR_DIGITS_NEXT}`, "gu"),
];
// "5678で終わる番号", "5678で終わる携帯です": the four digits, and what ends with them.
const ENDS_WITH = /(?<=\d{4})で終わ(?:る|ります)(?:電話番号|電話|携帯|カード|番号)?(?:です)?/gu;
// "末尾は5678番": 番 after a last four.
const NUMBER_COUNTER = /(?<=(?:^|\D)\d{4})番(?=\s|$)/gu;
// "下4桁 5 6 7 8": the four digits typed one by one as the caller reads them; exactly four (five or more are a longer
// number read out, which 4 of them are is not known).
const SPACED_FOUR_DIGITS = /(?<=^|\s)(?<!\d\s)(\d) (\d) (\d) (\d)(?=\s|$)(?!\s\d(?:\s|$))/gu;

const LOCAL_PART = "[a-z0-9._%+-]+";
// "ドメインはdocomo.ne.jp", "メールのドメインは docomo.ne.jp": the domain alone, written as "@docomo.ne.jp".
const DOMAIN_SAID = /(?:メール(?:アドレス)?の)?ドメイン(?:は|が)?\s*(?=[a-z0-9-]+\.[a-z])/giu;
// "@の前はsato", "アットマークの前は sato": the part before the @, written as "sato@".
const LOCAL_PART_SAID = new RegExp(
  `(?:@|アットマーク|あっとまーく|アット|あっと)の前(?:は|が)?\\s*(${LOCAL_PART})(?![a-z0-9._%+@-])`,
  "giu",
);
// "sato.shota85アットdocomo.ne.jp": the @ said in kana and typed without spaces, between an address's two halves.
const AT_SAID_JOINED = new RegExp(
  `(?<=(?:^|\\s)${LOCAL_PART})(?:アットマーク|あっとまーく|アット|あっと)(?=[a-z0-9-]+\\.[a-z])`,
  "giu",
);

// "1985年の3月12日", "1985年 の 3月": の between the year and the month.
const YEAR_NO_MONTH = /(?<=\d年)\s*の\s*(?=\d{1,2}\s*月)/gu;
// "1985年うまれ", "1985年生れ": 生まれ in kana or with its okurigana dropped.
const BORN_SPELLED = /(?<=\d年)(?:うまれ|生れ)/gu;
// "生まれ年は1985", "生年1985": the year after its label, written "1985年".
const BIRTH_YEAR_LABELLED = /(?:生まれ年|生年)(?:は|が)?\s*((?:19|20)\d{2})(?!\d)/gu;
// "1985生", "1985生まれ": a year with 生 but without 年.
const YEAR_BORN = /(?<=^|\s)((?:19|20)\d{2})(?=生)/gu;

// "佐藤翔太（34）", "佐藤 (34)": an age in brackets after a name, as news and forms write it. Only one or two digits
// after a letter or a space, and no digit or hyphen after the bracket: "045(123)4567" and "(03)1234-5678" are phones.
// Not after a country code ("+81 (90) 1234-5678").
const AGE_IN_BRACKETS = /(?<=[\p{L}\s])(?<!(?:\+\d{1,3}|(?:^|\s)81)\s*)\(\s*([1-9]\d?)\s*\)(?![\d-])/gu;
// "年齢34", "年齢は34": the age after its label; "34歳男性": an age run into who the caller is.
const AGE_LABELLED = /(?:年齢(?:は|が)?|\bage:?)\s*(\d{1,3})(?![\d歳才])/giu;
// "佐藤翔太（男・34）", "男34", "女性/28": who the caller is and their age, as news and case notes write them. Only
// after a space or a bracket, so that a name ending in 男 (一男) keeps it, and one or two digits (a year is four).
const SEX_AND_AGE = /(?<=^|[\s(])(男性|女性|男|女)\s*[・/]?\s*([1-9]\d?)(?![\d歳才代])/gu;
// "40代男性": an age by decade run into who the caller is, likewise.
const AGE_RUN_ON = /(?<=\d(?:歳|才|代))(?=\p{L})/gu;

// "固定 03-…", "自宅電話03-…", "TEL.090-…": which phone it is, said before it.
// "TEL090-1234-5678" typed without a space: the label, not the first letters of an address's local part.
const PHONE_LABEL =
  /(?:(?:固定|自宅)(?:電話)?(?:番号)?|携帯電話(?:番号)?)(?:は|が)?(?=\s*[+(\d])|\b(?:tel|fax)\.(?=\s*[+(\d])|\b(?:tel|fax)(?=[+(]?\d[\d()-]{8,}(?![\w@.]))/giu;
// "O9O-1234-5678": the letter O typed for a zero in a hyphenated phone number.
const PHONE_WITH_LETTER_O = /(?<![\w@.-])(?=[0-9Oo-]*[Oo])[0Oo][0-9Oo]{1,3}-[0-9Oo]{3,4}-[0-9Oo]{4}(?![\w@.-])/gu;
// "端末はiPhone", "スマホはAndroid": what the caller uses, said before its model.
const DEVICE_LABEL = /(?:端末|スマホ|スマートフォン|機種)(?:は|が)(?=\s*\S)/gu;

// "Gmail", "ドコモメール", "ヤフーのメール", "iCloud": a mail provider named without an @, where its name says one
// address domain. Written "@gmail.com", which is read as the domain (beside a name). A carrier said alone ("ドコモ",
// "au") may be the phone's rather than the mail's, and ヤフー alone an account: those are named, never searched
// (search-query.server.ts). Not after an @ said in words ("sato アット gmail": the part before the @) and never inside
// an address or an identifier ("sato.gmail@…").
const NOT_AFTER_AT = "(?<!(?:@|アットマーク|あっとまーく|アット|あっと|\\bat)\\s*)(?<![\\w.%+@-])";
const PROVIDER_END = "(?![\\w.%+@-])";
const MAIL_PROVIDERS: readonly (readonly [RegExp, string])[] = [
  [new RegExp(`${NOT_AFTER_AT}(?:gmail|gメール|ジーメール)(?:の?メール)?${PROVIDER_END}`, "giu"), "gmail.com"],
  [new RegExp(`${NOT_AFTER_AT}(?:icloud|アイクラウド)(?:の?メール)?${PROVIDER_END}`, "giu"), "icloud.com"],
  [new RegExp(`${NOT_AFTER_AT}(?:docomo|ドコモ)の?メール${PROVIDER_END}`, "giu"), "docomo.ne.jp"],
  [new RegExp(`${NOT_AFTER_AT}(?:yahoo|ヤフー)の?メール${PROVIDER_END}`, "giu"), "yahoo.co.jp"],
];
// "auメール", "ソフトバンクのメール": a carrier's mail, which has more than one domain (au.com and ezweb.ne.jp;
// softbank.ne.jp and i.softbank.jp), so no one domain can be read from it. Written as one word, "auメール" or
// "ソフトバンクメール", which the parser names back with the domains to ask about (ADR 121).
const CARRIER_MAILS: readonly (readonly [RegExp, string])[] = [
  [new RegExp(`${NOT_AFTER_AT}(?:au|エーユー)の?メール${PROVIDER_END}`, "giu"), "auメール"],
  [new RegExp(`${NOT_AFTER_AT}(?:softbank|ソフトバンク)の?メール${PROVIDER_END}`, "giu"), "ソフトバンクメール"],
];
// "@gmail", "@docomo": the domain said after the @ without its suffix and without the part before it, where the name
// says the one domain ("sato@docomo" is the part before the @, as before).
const PROVIDER_AFTER_AT: Readonly<Record<string, string>> = {
  gmail: "gmail.com",
  icloud: "icloud.com",
  docomo: "docomo.ne.jp",
  ezweb: "ezweb.ne.jp",
};
const DOMAIN_WITHOUT_SUFFIX = new RegExp(
  `(?<![\\w.%+@-])@(${Object.keys(PROVIDER_AFTER_AT).join("|")})(?![\\w.%+@-])`,
  "giu",
);
// "旧姓 鈴木", "旧姓は鈴木": the family name before marriage, which the account may still hold; the label is no name.
const MAIDEN_NAME_LABEL = /旧姓(?:は|が)?/gu;

/** "090の1234の5678" → 090-1234-5678, in digits or kanji numerals: before the numerals are converted. */
export function joinPhoneGroupsSaidWithNo(query: string): string {
  return query.replace(PHONE_GROUPS_SAID_WITH_NO, "$1-$2-$3");
}

/** The query (numerals already in digits) with the facts described above written as the parser reads them. */
export function writeDescribedFacts(query: string): string {
  let text = query;
  for (const pattern of LAST_FOUR_DESCRIBED) text = text.replace(pattern, " ");
  for (const [pattern, domain] of MAIL_PROVIDERS) text = text.replace(pattern, ` @${domain} `);
  for (const [pattern, word] of CARRIER_MAILS) text = text.replace(pattern, ` ${word} `);
  text = text.replace(DOMAIN_WITHOUT_SUFFIX, (_said, name: string) => `@${PROVIDER_AFTER_AT[name.toLowerCase()]}`);
  return text
    .replace(ENDS_WITH, " ")
    .replace(NUMBER_COUNTER, "")
    .replace(SPACED_FOUR_DIGITS, "$1$2$3$4")
    .replace(DOMAIN_SAID, " @")
    .replace(LOCAL_PART_SAID, " $1@ ")
    .replace(AT_SAID_JOINED, "@")
    .replace(YEAR_NO_MONTH, " ")
    .replace(BORN_SPELLED, "生まれ")
    .replace(BIRTH_YEAR_LABELLED, " $1年 ")
    .replace(YEAR_BORN, "$1年")
    .replace(AGE_IN_BRACKETS, " $1歳 ")
    .replace(AGE_LABELLED, " $1歳 ")
    .replace(SEX_AND_AGE, " $1 $2歳 ")
    .replace(AGE_RUN_ON, " ")
    .replace(PHONE_LABEL, " ")
    .replace(PHONE_WITH_LETTER_O, (said) => said.replace(/[Oo]/g, "0"))
    .replace(DEVICE_LABEL, " ")
    .replace(MAIDEN_NAME_LABEL, " ");
}
