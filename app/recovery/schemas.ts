// Input of the recovery actions. Shared by the console's forms (Conform parses FormData with these) and the domain
// services (which parse again: a service is never called with unchecked input, whatever its caller).
import { z } from "zod";
import { DomainError } from "~/lib/domain-error";
import { formText } from "~/lib/form-text";

const CustomerId = z
  .string({ required_error: "recovery:validation.chooseCustomer" })
  .uuid("recovery:validation.noSuchCustomer");

// One line, as every other action's reason (the shared reader, ADR 034): trimmed, no line break or control character
// (a line break would forge a new line in the log and the audit export). Messages are keys, shown in the member's
// language.
const Reason = formText({
  min: 5,
  max: 500,
  messages: {
    required: "recovery:validation.sayWhy",
    min: "recovery:validation.sayWhyMin",
    max: "recovery:validation.reasonTooLong",
  },
});

// The one-time key a page rendered into a form (ADR 087, 112): absent from a script's call, a UUID otherwise. A second
// post of the same rendered form does nothing again and is answered as sent once.
const SubmissionKey = z.string().uuid("recovery:validation.reloadForm").optional();

export const ForceResetFields = z.object({
  requireTwoFactor: z.boolean().default(false),
  reason: Reason,
  // The key the page rendered the form with: a second post of the same form resets nobody again (ADR 087).
  submissionKey: SubmissionKey,
  // The charge whose refund sent the agent here (ADR 097): once the link is sent, the agent goes back to it.
  returnToCharge: z.string().uuid().optional(),
});
export const ForceResetSchema = ForceResetFields.omit({ returnToCharge: true }).extend({ customerId: CustomerId });
export type ForceResetInput = z.input<typeof ForceResetSchema>;

const MAX_TOP_UP_ANSWER = 10_000_000;

// What the caller says. Compared with the file and thrown away: only which facts matched is recorded.
export const IdentityCheckFields = z
  .object({
    birthDate: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "recovery:validation.birthDateFormat")
      .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "That is not a date.")
      .optional(),
    lastTopUpYen: z.coerce
      .number({ invalid_type_error: "recovery:validation.wholeYen" })
      .int("recovery:validation.wholeYen")
      .min(1, "recovery:validation.wholeYen")
      .max(MAX_TOP_UP_ANSWER, "recovery:validation.amountTooLarge")
      .optional(),
    cardLast4: z
      .string()
      .trim()
      .regex(/^\d{4}$/, "recovery:validation.cardLast4")
      .optional(),
    submissionKey: SubmissionKey,
  })
  .refine(
    (value) => [value.birthDate, value.lastTopUpYen, value.cardLast4].filter((v) => v !== undefined).length >= 2,
    {
      message: "recovery:validation.twoFacts",
      path: ["birthDate"],
    },
  );
export const IdentityCheckSchema = IdentityCheckFields.and(z.object({ customerId: CustomerId }));
export type IdentityCheckInput = z.input<typeof IdentityCheckSchema>;

const ContactValue = z.string({ required_error: "recovery:validation.valueMissing" }).max(320);

export const RestoreContactFields = z.object({
  contactChangeId: z
    .string({ required_error: "recovery:validation.chooseChange" })
    .uuid("recovery:validation.noSuchChange"),
  expectedCurrent: ContactValue,
  reason: Reason,
  submissionKey: SubmissionKey,
});
export const RestoreContactSchema = RestoreContactFields.extend({ customerId: CustomerId });
export type RestoreContactInput = z.input<typeof RestoreContactSchema>;

export const ConfirmContactFields = z.object({
  field: z.enum(["EMAIL", "PHONE"], { required_error: "recovery:validation.chooseField" }),
  expectedCurrent: ContactValue,
  reason: Reason,
  submissionKey: SubmissionKey,
});
export const ConfirmContactSchema = ConfirmContactFields.extend({ customerId: CustomerId });
export type ConfirmContactInput = z.input<typeof ConfirmContactSchema>;

const Channel = z.enum(["EMAIL", "PHONE"], { errorMap: () => ({ message: "recovery:validation.chooseChannel" }) });

export const SendRecoveryCodeFields = z.object({ channel: Channel, submissionKey: SubmissionKey });
export const SendRecoveryCodeSchema = SendRecoveryCodeFields.extend({ customerId: CustomerId });

export const VerifyRecoveryCodeFields = z.object({
  code: z
    .string({ required_error: "recovery:validation.enterCode" })
    .trim()
    .regex(/^\d{6}$/, "recovery:validation.codeDigits"),
  submissionKey: SubmissionKey,
});
export const VerifyRecoveryCodeSchema = VerifyRecoveryCodeFields.extend({ customerId: CustomerId });

export const DecideKeepFields = z.object({
  decision: z.enum(["approve", "reject"], { errorMap: () => ({ message: "recovery:validation.approveOrReject" }) }),
  reason: Reason,
});
export const DecideKeepSchema = DecideKeepFields.extend({
  requestId: z
    .string({ required_error: "recovery:validation.chooseRequest" })
    .uuid("recovery:validation.noSuchRequest"),
});
export type DecideKeepInput = z.input<typeof DecideKeepSchema>;

/** The cohort page's form intent for forced resets (shared by the page, the panel and the action handler). */
export const COHORT_RESET_INTENT = "cohort-reset";

export const CohortResetFields = z.object({
  cohortId: z.string({ required_error: "recovery:validation.chooseCohort" }).min(1).max(100),
  requireTwoFactor: z.boolean().default(false),
  reason: Reason,
});
export type CohortResetInput = z.input<typeof CohortResetFields>;

/** Parses service input; the first problem becomes a 400 with its message (never a 500 for anything typed). */
export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new DomainError("INVALID_INPUT", parsed.error.issues[0]?.message ?? "The input is not valid.", 400);
  }
  return parsed.data;
}

// The customer's reset page: a new password, typed twice. The policy itself is checked again by the wallet back end.
export const NewCustomerPasswordSchema = z
  .object({
    password: z
      .string({ required_error: "recovery:validation.enterNewPassword" })
      .max(128, "recovery:validation.passwordTooLong"),
    confirmPassword: z.string({ required_error: "recovery:validation.repeatNewPassword" }),
  })
  .refine((value) => value.password === value.confirmPassword, {
    message: "recovery:validation.passwordsDiffer",
    path: ["confirmPassword"],
  });
