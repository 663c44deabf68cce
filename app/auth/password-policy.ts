// What a staff password must be (OWASP ASVS 5.0, V6.2): long enough, no composition rules, not a well-known password,
// not the account's own email. Shared by the server (authoritative) and the browser (early feedback).
import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 12;
// argon2 hashes any length, but an unbounded input is a cheap way to burn server CPU.
export const PASSWORD_MAX_LENGTH = 128;

// The passwords every credential-stuffing list starts with, and the obvious ones for this product.
const COMMON_PASSWORDS = new Set([
  "123456789012",
  "1234567890123",
  "qwertyuiopas",
  "qwerty123456",
  "password1234",
  "password12345",
  "passwordpassword",
  "iloveyou1234",
  "letmein12345",
  "welcome12345",
  "administrator",
  "adminadmin123",
  "changeme1234",
  "firebreak123",
  "firebreak1234",
  "firebreak2019",
  "7paypassword",
  "7pay7pay7pay",
  "sevenpay1234",
  "1qaz2wsx3edc",
  "zaq12wsxcde3",
  "trustno1trustno1",
  "correcthorsebatterystaple",
]);

export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered.replace(/\s+/g, ""))) return "This password is too common. Choose another one.";
  if (/^(.)\1+$/.test(password)) return "A single repeated character is not a password.";
  const localPart = email?.split("@")[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lowered.includes(localPart)) {
    return "The password must not contain your email address.";
  }
  return null;
}

export const NewPasswordSchema = z
  .object({
    email: z.string().optional(),
    password: z.string({ required_error: "auth:validation.newPasswordRequired" }),
    confirmPassword: z.string({ required_error: "auth:validation.repeatPassword" }),
  })
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value.password, value.email);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["password"], message: problem });
    else if (value.password !== value.confirmPassword) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["confirmPassword"],
        message: "auth:validation.passwordsDiffer",
      });
    }
  });
