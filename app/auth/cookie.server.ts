// The session cookie. In production: `__Host-` prefix, Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain, so it
// can only be set by this exact origin over HTTPS. Plain http on localhost is allowed outside production.
// `production` can be passed explicitly so tests can check the production form without booting a production server.
import { parse } from "cookie";
import { secureCookies } from "~/env.server";

function isProduction() {
  return secureCookies();
}

export function sessionCookieName(production = isProduction()): string {
  return production ? "__Host-firebreak_session" : "firebreak_session";
}

export function readSessionToken(request: Request): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  const value = parse(header)[sessionCookieName()];
  return value !== undefined && /^[a-z2-7]{32}$/.test(value) ? value : null;
}

export function serializeSessionCookie(token: string, expiresAt: Date, production = isProduction()): string {
  const attributes = [
    `${sessionCookieName(production)}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (production) attributes.push("Secure");
  return attributes.join("; ");
}

export function clearSessionCookie(production = isProduction()): string {
  const attributes = [`${sessionCookieName(production)}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (production) attributes.push("Secure");
  return attributes.join("; ");
}

/** Response headers that hand the browser a new session token. */
export function sessionCookieHeaders(session: { token: string; expiresAt: Date }): Headers {
  return new Headers({ "Set-Cookie": serializeSessionCookie(session.token, session.expiresAt) });
}
