// English strings for the caller search (/accounts).
export default {
  title: "Find an account",
  intro:
    "Type what the caller tells you, several facts at once: name in kanji or kana, birth date or year (1985-04-01, 昭和60年), last 4 digits of the phone or card, email or the part before the @, phone number, display ID, device ID or IP address.",
  example: "Example: 佐藤 翔太 1985 5678",
  boxLabel: "Search for a caller",
  placeholder: "佐藤 翔太 1985 5678 · 090-1234-5678 · sato@ · W-00012345",
  submit: "Search",
  searching: "Searching…",
  refused: {
    empty: "Type a phone number, email address, name, birth date, display ID, device ID or IP address.",
    tooLong: "Search for at most {{max}} characters.",
    nothingSearchable:
      "Nothing searchable in that: type a phone number (or its last 4 digits), email (or the part before the @), name in kanji or kana, birth date, display ID, device ID or IP address.",
    addName:
      "A birth year, month or email domain alone matches thousands of customers: add the caller's name, or a phone number (or its last 4 digits).",
    tooBroad:
      "This search is too broad to answer quickly. Add a fact the caller knows: birth date, last 4 digits of the phone, or given name.",
    linkInvalid: "That page link is not valid any more. Search again.",
    rateLimited: "Too many customer searches and account views in a short time. Wait a few minutes, then try again.",
  },
  summary: {
    none: "No account matches “{{query}}”. Check the spelling with the caller, or ask for another fact: the phone number, the birth date or the email.",
    count_one: "{{total}} account for “{{query}}” · page {{page}}",
    count_other: "{{total}} accounts for “{{query}}” · page {{page}}",
    countAtLeast: "{{total}} or more accounts for “{{query}}” · page {{page}}",
  },
  searchedAs:
    "No account has the name as typed: showing accounts named {{names}} (another order, reading or form of the same name). Confirm the name with the caller.",
  quotedName: "“{{name}}”",
  emailRetried:
    "No account has that email address: showing accounts whose address begins “{{local}}@”, with any domain (the domain may have been misheard or mistyped). Confirm the full address with the caller.",
  partial: "No account matches everything the caller said: these match some of it. Check each fact with the caller.",
  nextFact: {
    birthDate: "To narrow this down, ask for the birth date.",
    phoneLast4: "To narrow this down, ask for the last 4 digits of the phone number.",
    givenName: "To narrow this down, ask for the given name.",
    birthYear: "To narrow this down, ask for the birth year.",
    emailLocal: "To narrow this down, ask for the email address (the part before the @ is enough).",
  },
  openCaseFirst:
    "Accounts whose incident case is still open are listed first among equally good matches: during an incident, most callers are among them. Confirm the caller's identity as usual.",
  openCaseFirstRow: "open incident case: listed first",
  notUnderstood: {
    date: "“{{text}}” is no date in the calendar (such as 30 February), so it was not searched. Check the birth date with the caller.",
    eraDate:
      "“{{text}}” is no date of that era (明治 ran to 45, 大正 to 15, 昭和 to 64, 平成 to 31), so it was not searched. Check the year with the caller.",
    postcode:
      "“{{text}}” looks like a postcode: customers' addresses are not recorded, so it was not searched. Ask for the phone number, birth date or email instead.",
    address:
      "“{{text}}” looks like an address: customers' addresses are not recorded, so it was not searched. Ask for the phone number, birth date or email instead.",
    age: "“{{text}}” is an age, which does not say the birth year exactly, so it was not searched. Ask for the birth date or year.",
    device:
      "“{{text}}” is a phone's model: thousands of customers use each, so it was not searched. Ask for the phone number, birth date or email instead.",
    provider:
      "“{{text}}” is a mobile carrier or a mail provider without the address: carriers are not recorded, and the name alone does not say which address, so it was not searched. Ask for the email address itself, or the phone number.",
    carrierMail:
      "“{{text}}” is a carrier's mail, which has more than one domain (au: @au.com or @ezweb.ne.jp; SoftBank: @softbank.ne.jp or @i.softbank.jp), so it was not searched. Ask which the address ends in, or for the address itself, and type it (for example @ezweb.ne.jp).",
    digits:
      "Not understood: “{{text}}” is not a whole phone number (a mobile number has 11 digits), its last 4, a birth date or a display ID, so it was not searched. Check the digits with the caller.",
  },
  prefectureIgnored:
    "{{prefecture}}: customers' addresses are not recorded, so the prefecture did not narrow the search.",
  column: {
    account: "Account",
    name: "Name",
    born: "Born",
    contact: "Contact",
    status: "Status",
    lastSignIn: "Last sign-in",
    matchedOn: "Matched on",
  },
  matchedBy: {
    phone: "phone number",
    email: "email",
    displayId: "display ID",
    customerId: "customer ID",
    deviceId: "device ID",
    fingerprint: "device fingerprint",
    ip: "signed in from this IP",
    name: "full name",
    reading: "full name (reading)",
    familyName: "family name",
    namePrefix: "name starts with",
    givenName: "given name",
    similarName: "similar name (one character differs)",
    nameVariant: "name in another kanji form (髙橋 for 高橋)",
    birthDate: "birth date",
    birthYear: "birth year",
    birthMonth: "birth month or birthday",
    phoneLast4: "phone last 4",
    cardLast4: "card last 4",
    emailLocal: "email before the @",
    emailDomain: "email domain",
  },
  pages: "Result pages",
  firstPage: "← First page",
  nextPage: "Next →",
};
