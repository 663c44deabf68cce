// The account view's forms, as zod schemas shared by the page (Conform validates in the browser) and its action (the
// server parses again). Each form posts an `intent`; the domain services re-validate and decide. Messages are keys of
// the accounts namespace, shown in the page's language.
import { z } from "zod";
import { formText } from "~/lib/form-text";

const Uuid = (message: string) => z.string({ required_error: message }).uuid(message);
// A reason is one line (it is shown in the audit trail's single-line columns and exports); a note keeps its lines.
// The account status reason, wherever a status change is asked for (the account view, the reversal page's freeze).
export const AccountReason = formText({
  min: 3,
  max: 500,
  messages: {
    required: "accounts:validation.sayWhy",
    min: "accounts:validation.sayWhyMin",
    max: "accounts:validation.reasonTooLong",
  },
});
const OptionalReason = formText({ max: 500, messages: { max: "accounts:validation.reasonTooLong" } }).optional();
// The one-time key the page rendered into the form (ADR 105): absent from a script's post, a UUID otherwise.
const SubmissionKey = z.string().uuid("accounts:validation.staleForm").optional();
const CaseStatusField = z.enum(["OPEN", "CONTAINED", "REMEDIATED", "NOTIFIED", "CLOSED"], {
  errorMap: () => ({ message: "accounts:validation.unknownCaseStatus" }),
});

export const StatusChangeFields = z.object({
  intent: z.literal("status"),
  change: z.enum(["freeze", "unfreeze", "mark-compromised", "restore"], {
    errorMap: () => ({ message: "accounts:validation.chooseChange" }),
  }),
  reason: AccountReason,
  incidentId: z.string().uuid().optional(),
  submissionKey: SubmissionKey,
});

export const NoteFields = z.object({
  intent: z.literal("note"),
  body: formText({
    min: 1,
    max: 4000,
    multiline: true,
    messages: {
      required: "accounts:validation.writeNote",
      min: "accounts:validation.writeNote",
      max: "accounts:validation.noteTooLong",
    },
  }),
  caseId: z.string().uuid("accounts:validation.unknownCase").optional(),
  submissionKey: SubmissionKey,
});

export const CaseTransitionFields = z.object({
  intent: z.literal("case-transition"),
  caseId: Uuid("accounts:validation.unknownCase"),
  from: CaseStatusField,
  to: CaseStatusField,
  reason: OptionalReason,
  submissionKey: SubmissionKey,
});

export const CaseAssignFields = z.object({
  intent: z.literal("case-assign"),
  caseId: Uuid("accounts:validation.unknownCase"),
  /** Empty: unassign. */
  assigneeId: z.string().uuid("accounts:validation.unknownStaff").optional(),
  submissionKey: SubmissionKey,
});

export const CaseOpenFields = z.object({
  intent: z.literal("case-open"),
  incidentId: Uuid("accounts:validation.chooseIncident"),
  reason: OptionalReason,
  submissionKey: SubmissionKey,
});

export const AccountActionSchema = z.discriminatedUnion("intent", [
  StatusChangeFields,
  NoteFields,
  CaseTransitionFields,
  CaseAssignFields,
  CaseOpenFields,
]);

export type AccountAction = z.infer<typeof AccountActionSchema>;
