// The session cookie. In production: `__Host-` prefix, Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain, so it
// can only be set by this exact origin over HTTPS. Plain http on localhost is allowed outside production.
import { env } from "~/env.server";

function isProduction() {
  return env().NODE_ENV === "production" && process.env.FIREBREAK_INSECURE_COOKIES !== "1";
}

export function sessionCookieName(): string {
  return isProduction() ? "__Host-firebreak_session" : "firebreak_session";
}

export function readSessionToken(request: Request): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  const name = sessionCookieName();
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      const value = rest.join("=");
      return /^[a-z2-7]{32}$/.test(value) ? value : null;
    }
  }
  return null;
}

export function serializeSessionCookie(token: string, expiresAt: Date): string {
  const attributes = [
    `${sessionCookieName()}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (isProduction()) attributes.push("Secure");
  return attributes.join("; ");
}

export function clearSessionCookie(): string {
  const attributes = [`${sessionCookieName()}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (isProduction()) attributes.push("Secure");
  return attributes.join("; ");
}
