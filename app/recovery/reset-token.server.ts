// Reset-link tokens: 256 random bits, base64url, shown to the customer exactly once (in the mail) and stored only as
// their SHA-256. A database dump, an audit export or a log line therefore never holds a live link.
import { createHash, randomBytes } from "node:crypto";
import { publicBaseUrl } from "~/env.server";

export const THIRTY_MINUTES = 30 * 60 * 1000;
/** How long a reset link works after it was made. */
export const RESET_TOKEN_LIFETIME_MS = THIRTY_MINUTES;

const TOKEN_BYTES = 32;
/** 32 bytes in base64url without padding is exactly 43 characters of this alphabet. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function generateResetToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/** The stored form of a token (its row id). Safe to keep: the token cannot be recovered from it. */
export function hashResetToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Cheap shape check before any lookup: anything else is forged or mangled and is refused without a query. */
export function looksLikeResetToken(value: unknown): value is string {
  return typeof value === "string" && TOKEN_SHAPE.test(value);
}

/**
 * The link in the mail. It names the account (its display ID, which the customer reads off the app anyway) so that a
 * token pasted into another account's link is refused rather than silently resetting the token's own account.
 */
export function buildResetUrl(token: string, accountDisplayId: string, baseUrl = publicBaseUrl()): string {
  const url = new URL("/reset-password", baseUrl);
  url.searchParams.set("account", accountDisplayId);
  url.searchParams.set("token", token);
  return url.toString();
}
