// Time-based one-time codes (RFC 6238): 30-second steps, 6 digits, SHA-1 (what every authenticator app supports),
// accepted one step either side for clock drift. The step is computed from the server clock (app/lib/clock.server.ts)
// rather than Date.now(), so tests can move time, and the matching step is returned so the caller can refuse replays.
import { generateHOTP, verifyHOTP, createTOTPKeyURI } from "@oslojs/otp";
import { encodeBase32NoPadding } from "@oslojs/encoding";
import QRCode from "qrcode";
import { now } from "~/lib/clock.server";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one (±30 s of drift). */
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_ISSUER = "Firebreak";
const SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation

export function generateTotpSecret(): Uint8Array {
  const secret = new Uint8Array(SECRET_BYTES);
  crypto.getRandomValues(secret);
  return secret;
}

export function totpStepAt(at: Date = now()): bigint {
  return BigInt(Math.floor(at.getTime() / (TOTP_PERIOD_SECONDS * 1000)));
}

/** The code for a given step (tests and the demo seed use this to act as an authenticator app). */
export function totpCodeForStep(secret: Uint8Array, step: bigint): string {
  return generateHOTP(secret, step, TOTP_DIGITS);
}

/** The step the code belongs to, within the drift window, or null. Comparisons are constant-time. */
export function matchTotpStep(secret: Uint8Array, code: string, at: Date = now()): bigint | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = totpStepAt(at);
  let matched: bigint | null = null;
  // Check every step in the window (no early exit) so timing does not reveal which step matched.
  for (let offset = -TOTP_WINDOW_STEPS; offset <= TOTP_WINDOW_STEPS; offset++) {
    const step = current + BigInt(offset);
    if (verifyHOTP(secret, step, TOTP_DIGITS, code) && matched === null) matched = step;
  }
  return matched;
}

export function totpKeyUri(accountName: string, secret: Uint8Array): string {
  return createTOTPKeyURI(TOTP_ISSUER, accountName, secret, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The base32 key, in groups of four, for typing into an authenticator by hand. */
export function formatManualKey(secret: Uint8Array): string {
  return encodeBase32NoPadding(secret)
    .replace(/(.{4})/g, "$1 ")
    .trim();
}

/** An SVG QR code as a data: URL (the CSP allows img-src data:; no inline SVG or script needed). */
export async function totpQrCodeDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}
