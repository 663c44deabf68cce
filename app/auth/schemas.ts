// Form schemas of the sign-in and staff pages, shared by the server (authoritative) and the browser (early feedback).
import { z } from "zod";
import { NewPasswordSchema } from "~/auth/password-policy";
import { ROLES } from "~/auth/permissions";
import { SUPPORTED_LANGUAGES } from "~/i18n/config";

// Long enough for any real password, short enough that nobody can make the server hash megabytes.
const SIGN_IN_PASSWORD_MAX = 1024;

// Messages are keys of the auth namespace: the page shows them in its language (app/i18n/use-messages.ts).
export const SignInSchema = z.object({
  email: z
    .string({ required_error: "auth:validation.emailRequired" })
    .trim()
    .max(254, "auth:validation.notEmail")
    .email("auth:validation.notEmail"),
  password: z
    .string({ required_error: "auth:validation.passwordRequired" })
    .max(SIGN_IN_PASSWORD_MAX, "auth:validation.passwordTooLong"),
  redirectTo: z.string().optional(),
});

// Full-width digits and spaces typed through a Japanese IME (１２３ ４５６) are read as the code they are.
const typedCode = (value: string) => value.normalize("NFKC").replace(/\s+/g, "");

export const TotpCodeSchema = z.object({
  code: z
    .string({ required_error: "auth:validation.codeRequired" })
    .transform(typedCode)
    .pipe(z.string().regex(/^\d{6}$/, "auth:validation.codeDigits")),
  redirectTo: z.string().optional(),
});

export const EnrollSchema = TotpCodeSchema;

export const RecoveryCodeSchema = z.object({
  code: z
    .string({ required_error: "auth:validation.recoveryRequired" })
    .trim()
    .max(64, "auth:validation.notRecoveryCode")
    .regex(/^[A-Za-z2-7\s-]{16,}$/, "auth:validation.recoveryShape"),
  redirectTo: z.string().optional(),
});

export const AcceptInviteSchema = NewPasswordSchema;

const Reason = z
  .string({ required_error: "auth:validation.auditReasonRequired" })
  .trim()
  .min(3, "auth:validation.auditReasonMin")
  .max(500, "validation:reasonTooLong");

export const InviteStaffSchema = z.object({
  intent: z.literal("invite"),
  email: z
    .string({ required_error: "auth:validation.inviteEmailRequired" })
    .trim()
    .max(254, "auth:validation.notEmail")
    .email("auth:validation.notEmail"),
  displayName: z
    .string({ required_error: "auth:validation.nameRequired" })
    .trim()
    .min(1, "auth:validation.nameRequired")
    .max(100, "auth:validation.nameTooLong"),
  role: z.enum(ROLES, { errorMap: () => ({ message: "auth:validation.chooseRole" }) }),
  // The new member's console language, and so the language of the mail that carries their link. Japanese unless chosen.
  language: z.enum(SUPPORTED_LANGUAGES).default("ja"),
});

export const StaffActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("change-role"), role: z.enum(ROLES), reason: Reason }),
  z.object({ intent: z.literal("disable"), reason: Reason }),
  z.object({ intent: z.literal("enable"), reason: Reason }),
  z.object({ intent: z.literal("end-sessions") }),
  z.object({ intent: z.literal("reset-totp"), reason: Reason }),
  z.object({ intent: z.literal("unlock") }),
  z.object({ intent: z.literal("reissue-link") }),
]);

// A second admin's decision on a privileged grant (staff-grants.server.ts): approving or declining, each with a reason.
export const GrantDecisionSchema = z.object({
  intent: z.enum(["approve-grant", "decline-grant"]),
  requestId: z.string().uuid(),
  reason: Reason,
});
