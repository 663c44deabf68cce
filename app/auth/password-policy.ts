// What a staff password must be (OWASP ASVS 5.0, V6.2): long enough, no composition rules, not a well-known password,
// not the account's own email. Shared by the server (authoritative) and the browser (early feedback).
import { z } from "zod";
import { messageWithValues } from "~/i18n/fixed-t";

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

/** A broken rule of the policy: a message key of the auth namespace and the values its sentence needs. */
export interface PasswordProblem {
  key:
    | "auth:passwordPolicy.tooShort"
    | "auth:passwordPolicy.tooLong"
    | "auth:passwordPolicy.tooCommon"
    | "auth:passwordPolicy.repeatedCharacter"
    | "auth:passwordPolicy.containsEmail";
  values: Record<string, number>;
}

// The rule, not a sentence: the staff console and the wallet's reset page show it each in their reader's language.
export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return { key: "auth:passwordPolicy.tooShort", values: { min: PASSWORD_MIN_LENGTH } };
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return { key: "auth:passwordPolicy.tooLong", values: { max: PASSWORD_MAX_LENGTH } };
  }
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered.replace(/\s+/g, ""))) return { key: "auth:passwordPolicy.tooCommon", values: {} };
  if (/^(.)\1+$/.test(password)) return { key: "auth:passwordPolicy.repeatedCharacter", values: {} };
  const localPart = email?.split("@")[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lowered.includes(localPart)) {
    return { key: "auth:passwordPolicy.containsEmail", values: {} };
  }
  return null;
}

/** The problem as one message string (key and values), for a zod issue or a DomainError's message. */
export function passwordProblemMessage(problem: PasswordProblem): string {
  return messageWithValues(problem.key, problem.values);
}

export const NewPasswordSchema = z
  .object({
    email: z.string().optional(),
    password: z.string({ required_error: "auth:validation.newPasswordRequired" }),
    confirmPassword: z.string({ required_error: "auth:validation.repeatPassword" }),
  })
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value.password, value.email);
    if (problem) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["password"], message: passwordProblemMessage(problem) });
    } else if (value.password !== value.confirmPassword) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["confirmPassword"],
        message: "auth:validation.passwordsDiffer",
      });
    }
  });
