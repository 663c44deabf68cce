// Security headers on every response. The CSP is enforced (not report-only): scripts need the per-request nonce,
// nothing may frame the console, and there is no base-uri or plugin content to hijack.
import { randomBytes } from "node:crypto";
import { env } from "~/env.server";

export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(nonce: string | null, isDev = env().NODE_ENV === "development"): string {
  const scriptSrc = nonce ? `'self' 'nonce-${nonce}'` : "'self'";
  return [
    "default-src 'self'",
    `script-src ${scriptSrc}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // remix dev's live reload talks over a websocket on localhost.
    `connect-src 'self'${isDev ? " ws://localhost:* ws://127.0.0.1:*" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function applySecurityHeaders(headers: Headers, options: { nonce: string | null; production?: boolean }): void {
  const production = options.production ?? env().NODE_ENV === "production";
  headers.set(
    "Content-Security-Policy",
    contentSecurityPolicy(options.nonce, !production && env().NODE_ENV === "development"),
  );
  headers.set("X-Content-Type-Options", "nosniff");
  // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on a plain form post (before
  // hydration, or without JavaScript), which the CSRF perimeter must refuse. Pages with tokens in the URL still set
  // no-referrer themselves.
  headers.set("Referrer-Policy", "same-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()");
  if (production) headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  headers.set("Cache-Control", headers.get("Cache-Control") ?? "no-store");
}
