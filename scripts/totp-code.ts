// `npx tsx scripts/totp-code.ts <base32 secret>`: prints the current TOTP code for a secret, so a person trying the
// demo console can sign in without an authenticator app. Never use it with a real staff member's secret.
import { generateTOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";

const secret = process.argv[2];
if (!secret || !/^[A-Z2-7]+=*$/i.test(secret)) {
  console.error("usage: npx tsx scripts/totp-code.ts <base32 secret>");
  process.exit(2);
}
const THIRTY_SECONDS = 30;
console.log(generateTOTP(decodeBase32IgnorePadding(secret.toUpperCase()), THIRTY_SECONDS, 6));
