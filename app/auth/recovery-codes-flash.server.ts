// Carries freshly issued recovery codes from the enrollment action to the page that shows them, exactly once. The
// codes are encrypted (AES-256-GCM, bound to the new session) into a short-lived HttpOnly cookie that the page reads
// and clears: this works with and without JavaScript, and a reload cannot show them again.
import { parse } from "cookie";
import { encryptSecret, decryptSecret } from "~/auth/totp-key.server";
import { secureCookies } from "~/env.server";

const TEN_MINUTES_S = 10 * 60;

function production(): boolean {
  return secureCookies();
}

function cookieName(): string {
  return production() ? "__Host-firebreak_recovery_codes" : "firebreak_recovery_codes";
}

function binding(sessionId: string): string {
  return `recovery-codes:${sessionId}`;
}

function attributes(maxAge: number): string {
  return ["Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${maxAge}`, ...(production() ? ["Secure"] : [])].join("; ");
}

export function recoveryCodesCookie(codes: string[], sessionId: string): string {
  const value = encryptSecret(new TextEncoder().encode(JSON.stringify(codes)), binding(sessionId));
  return `${cookieName()}=${encodeURIComponent(value)}; ${attributes(TEN_MINUTES_S)}`;
}

export function clearRecoveryCodesCookie(): string {
  return `${cookieName()}=; ${attributes(0)}`;
}

export function readRecoveryCodes(request: Request, sessionId: string): string[] | null {
  // `parse` URI-decodes the value; a malformed one stays as sent and then fails decryption like any tampered value.
  const raw = parse(request.headers.get("cookie") ?? "")[cookieName()];
  if (raw === undefined) return null;
  const plain = decryptSecret(raw, binding(sessionId));
  if (!plain) return null;
  try {
    const codes: unknown = JSON.parse(new TextDecoder().decode(plain));
    return Array.isArray(codes) && codes.every((c) => typeof c === "string") ? (codes as string[]) : null;
  } catch {
    return null;
  }
}
