// Auditing caller searches (PCI DSS 10.2.1.1: every access to customer data is logged) without turning the audit log
// into a second copy of every phone number and email that agents typed. Each search row records:
//   - what kinds of term were searched (phone, email, name…), the page, and which customers were shown;
//   - a masked form of the query a reviewer can read ("090-••••-5678", "田…", "ta•••@example.jp");
//   - a keyed hash (HMAC-SHA-256) of the normalised query, so a reviewer who is asked "who searched for
//     +819012345678?" can compute the hash of that term (hashSearchTerm) and find every such search, while someone
//     holding only a copy of the database cannot brute-force the phone-number space back out of it.
// See docs/decisions/011-search-normalisation-and-indexes.md.
import { createHmac, hkdfSync } from "node:crypto";
import { maskEmail, maskPhone } from "~/accounts/masking";
import type { ParsedSearch, SearchKind } from "~/accounts/search-terms";
import { totpEncryptionKey } from "~/auth/totp-key.server";

type Parsed = Extract<ParsedSearch, { ok: true }>;

const HASH_INFO = "firebreak:search-audit:v1";

let cachedKey: Buffer | null = null;
function searchAuditKey(): Buffer {
  // Derived (HKDF) from the server's at-rest key rather than a new secret to manage; the info label separates the uses.
  cachedKey ??= Buffer.from(hkdfSync("sha256", totpEncryptionKey(), Buffer.alloc(0), HASH_INFO, 32));
  return cachedKey;
}

/** The keyed hash of a search as the audit log stores it: over the query after sanitising (search-query.server). */
export function hashSearchTerm(normalisedQuery: string): string {
  return createHmac("sha256", searchAuditKey()).update(normalisedQuery, "utf8").digest("hex");
}

function maskName(name: string): string {
  const chars = [...name.replace(/\s+/g, "")];
  return `${chars[0] ?? ""}${"…"}(${chars.length})`;
}

function maskIp(ip: string): string {
  if (ip.includes(".")) return ip.replace(/\.\d+$/, ".x");
  const groups = ip.split(":");
  return `${groups.slice(0, 3).join(":")}:…`;
}

/** A reviewer-readable form of the query that does not disclose it. */
export function maskSearch(parsed: Parsed): string {
  const { terms } = parsed;
  const parts: string[] = [];
  if (terms.phone) parts.push(maskPhone(terms.phone));
  else if (terms.email) parts.push(maskEmail(terms.email.toLowerCase()));
  else if (terms.ip) parts.push(maskIp(terms.ip));
  else if (terms.uuid)
    parts.push(terms.uuid); // internal identifiers, not personal data
  else if (terms.displayIds.length > 0 && !terms.name) parts.push(terms.displayIds[0]!);
  else if (terms.fingerprint && !terms.name) parts.push(`${terms.fingerprint.slice(0, 4)}…`);
  else if (terms.name) parts.push(maskName(terms.name));
  if (terms.birthDate) parts.push("birth date");
  else if (terms.birthYear) parts.push("birth year");
  if (terms.birthMonth) parts.push("birth month");
  return parts.join(" + ");
}

export interface SearchAuditDetails {
  kinds: SearchKind[];
  masked: string;
  queryHmac: string;
  page: number;
  resultCount: number;
  /** The customers whose (masked) details were displayed. */
  shownCustomerIds: string[];
}

export function describeSearchForAudit(parsed: Parsed, page: number, shownCustomerIds: string[]): SearchAuditDetails {
  return {
    kinds: parsed.kinds,
    masked: maskSearch(parsed),
    queryHmac: hashSearchTerm(parsed.query),
    page,
    resultCount: shownCustomerIds.length,
    shownCustomerIds,
  };
}
