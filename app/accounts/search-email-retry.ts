// "sato.shota85@gmial.com", "…@docomo.ne.jp" for an address at ezweb: an email whose domain was misheard or mistyped
// matches nobody, while its local part — the part callers spell out with care — still points at the caller. When an
// email matches nobody with the caller's other facts, the search tries its local part instead, as the local-part
// reading does (a bounded prefix range on the email_local index), and the page says so. See
// docs/decisions/081-caller-search-other-forms-and-email-domains.md.
import type { SearchTerms } from "~/accounts/search-terms";

/** A shorter local part ("a@…", "ab@…") would list every address that starts with it: not worth a retry. */
export const MIN_RETRY_LOCAL_LENGTH = 3;

/** The terms with the email read as its local part only, and that part; null when there is no email to retry. */
export function emailByLocalPart(terms: SearchTerms): { terms: SearchTerms; local: string } | null {
  if (!terms.email) return null;
  const at = terms.email.lastIndexOf("@");
  // "taro.sato+promo@…": a plus tag is the caller's own sorting, often not what the account was registered with; the
  // prefix range on the part before it still finds an address registered with any tag or none.
  const local = terms.email.slice(0, at).normalize("NFKC").toLowerCase().split("+")[0]!;
  if (at < 0 || [...local].length < MIN_RETRY_LOCAL_LENGTH) return null;
  return {
    local,
    terms: {
      ...terms,
      email: null,
      emailLocal: local,
      facts: terms.facts.map((fact) =>
        fact.map((reading) => (reading.type === "email" ? { type: "emailLocal" as const, value: local } : reading)),
      ),
    },
  };
}
