// The English left on a page meant for a Japanese reader: the text a browser shows (and reads aloud: labels, titles,
// placeholders, alternative text), with markup, scripts and styles removed, reduced to the ASCII words that are not
// proper nouns, codes or data (addresses, ids, numbers).

// Names and codes a Japanese page writes in Latin letters on purpose.
const ALLOWED = new Set(
  [
    "Firebreak",
    "7pay",
    "JST",
    "UTC",
    "ID",
    "IDs",
    "CSV",
    "JSON",
    "JSONL",
    "PDF",
    "PEM",
    "SHA",
    "TOTP",
    "URL",
    "SMS",
    "API",
    "IP",
    "OK",
    "https",
    "http",
    "UUID",
    "SMTP",
    "Ctrl",
    "HTML",
    // Values of the risk rules' own language, named in their explanations (country and contact-field codes).
    "JP",
    "US",
    "EMAIL",
    "PHONE",
    // Card brands, as printed on the cards a funding source names.
    "JCB",
    "VISA",
    "Mastercard",
    // Device platforms, as their makers write them (ADR 111).
    "iOS",
    "Android",
    // The language switcher names each language in itself.
    "English",
  ].map((word) => word.toLowerCase()),
);

const ENTITIES: Record<string, string> = { amp: "&", quot: '"', lt: "<", gt: ">", nbsp: " ", apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The text of `html` a reader meets: element text, and the attributes read aloud or shown on hover. */
export function visibleText(html: string): string {
  const body = html
    .replace(/<script\b[\s\S]*?<\/script>/gi, " ")
    .replace(/<style\b[\s\S]*?<\/style>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    // Code shown as code (a command, a key, a rule's condition) is not prose.
    .replace(/<(code|pre|kbd|samp)\b[\s\S]*?<\/\1>/gi, " ")
    // A field that suggests stored codes (a datalist: the audit trail's actions and record types) shows a code as
    // its example.
    .replace(/<input\b[^>]*\slist="[^"]*"[^>]*>/gi, " ");
  const attributes = [...body.matchAll(/\s(?:placeholder|aria-label|title|alt|aria-description)="([^"]*)"/gi)].map(
    (match) => match[1]!,
  );
  const text = body.replace(/<[^>]*>/g, " ");
  return decodeEntities([text, ...attributes].join(" "));
}

/** The English words in `html`'s visible text, each once, in order. */
export function englishWordsIn(html: string, data: readonly string[] = []): string[] {
  let text = visibleText(html);
  // Data shown as it is stored: the seeded records' own values, addresses, links, ids and codes.
  for (const value of data) text = text.split(value).join(" ");
  text = text
    .replace(/JSON Lines/g, " ")
    .replace(/\S+@\S*/g, " ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, " ")
    // A code: a token with a digit or an underscore (INC-3F2A, SECURITY_LEAD), or words joined by a dot, a hyphen
    // or a slash (topup.all, Message-ID, payments-gateway, and/or).
    .replace(/\S*[0-9_]\S*/g, " ")
    .replace(/[A-Za-z]+(?:[.\-/][A-Za-z*]+)+/g, " ");
  const words = new Set<string>();
  for (const match of text.matchAll(/[A-Za-z][A-Za-z'’]*/g)) {
    const word = match[0];
    if (word.length < 2 || ALLOWED.has(word.toLowerCase())) continue;
    words.add(word);
  }
  return [...words];
}

// The language switcher names Japanese in Japanese on an English page.
const JAPANESE_ALLOWED = ["日本語"];
const JAPANESE_RUN = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}ー「」、。（）・]+/gu;

/** The runs of Japanese script in `html`'s visible text, each once, in order: what an English page should not show. */
export function japaneseIn(html: string, data: readonly string[] = []): string[] {
  let text = visibleText(html);
  for (const value of [...data, ...JAPANESE_ALLOWED]) text = text.split(value).join(" ");
  return [
    ...new Set(
      [...text.matchAll(JAPANESE_RUN)].map((match) => match[0]).filter((run) => !/^[ー「」、。（）・]+$/.test(run)),
    ),
  ];
}
