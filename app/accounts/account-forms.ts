// The account view's forms, as zod schemas shared by the page (Conform validates in the browser) and its action (the
// server parses again). Each form posts an `intent`; the domain services re-validate and decide.
import { z } from "zod";

const Uuid = (message: string) => z.string({ required_error: message }).uuid(message);
const Reason = z
  .string({ required_error: "Say why." })
  .trim()
  .min(3, "Say why (at least 3 characters).")
  .max(500, "Keep the reason under 500 characters.");
const OptionalReason = z.string().trim().max(500, "Keep the reason under 500 characters.").optional();
const CaseStatusField = z.enum(["OPEN", "CONTAINED", "REMEDIATED", "NOTIFIED", "CLOSED"], {
  errorMap: () => ({ message: "Unknown case status." }),
});

export const StatusChangeFields = z.object({
  intent: z.literal("status"),
  change: z.enum(["freeze", "unfreeze", "mark-compromised", "restore"], {
    errorMap: () => ({ message: "Choose what to do with the wallet." }),
  }),
  reason: Reason,
  incidentId: z.string().uuid().optional(),
});

export const NoteFields = z.object({
  intent: z.literal("note"),
  body: z
    .string({ required_error: "Write the note." })
    .trim()
    .min(1, "Write the note.")
    .max(4000, "A note has at most 4,000 characters."),
  caseId: z.string().uuid("Unknown case.").optional(),
});

export const CaseTransitionFields = z.object({
  intent: z.literal("case-transition"),
  caseId: Uuid("Unknown case."),
  from: CaseStatusField,
  to: CaseStatusField,
  reason: OptionalReason,
});

export const CaseAssignFields = z.object({
  intent: z.literal("case-assign"),
  caseId: Uuid("Unknown case."),
  /** Empty: unassign. */
  assigneeId: z.string().uuid("Unknown staff member.").optional(),
});

export const CaseOpenFields = z.object({
  intent: z.literal("case-open"),
  incidentId: Uuid("Choose the incident."),
  reason: OptionalReason,
});

export const AccountActionSchema = z.discriminatedUnion("intent", [
  StatusChangeFields,
  NoteFields,
  CaseTransitionFields,
  CaseAssignFields,
  CaseOpenFields,
]);

export type AccountAction = z.infer<typeof AccountActionSchema>;
