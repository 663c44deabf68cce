// Staff notes on an account ("caller confirmed they did not change their email"), optionally about one incident case.
// Append-only in the database; written through the spine so the audit log says who wrote what and when.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { claimSubmission } from "~/audit/submitted-once.server";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { DomainError } from "~/lib/domain-error";

export const NoteBodySchema = z
  .string({ required_error: "accounts:validation.writeNote" })
  // Keep line breaks and tabs; drop other control characters.
  .transform((value) => value.replace(/\p{Cc}/gu, (c) => (c === "\n" || c === "\t" ? c : "")).trim())
  .pipe(z.string().min(1, "accounts:validation.writeNote").max(4000, "accounts:validation.noteTooLong"));

export const NOTE_ADD = "account.note.add";

export async function addAccountNote(
  ctx: ActionContext,
  input: { customerId: string; caseId?: string | null; body: string; submissionKey?: string },
): Promise<{ id: string }> {
  const parsed = NoteBodySchema.safeParse(input.body);
  if (!parsed.success) throw new DomainError("INVALID_NOTE", parsed.error.issues[0]!.message, 400);
  if (ctx.actor.kind !== "staff") throw new DomainError("STAFF_ONLY", "Only staff write notes.", 403);
  const authorId = ctx.actor.id;
  const body = parsed.data;

  return performAction(
    ctx,
    { action: NOTE_ADD, permission: "accounts:annotate", targetType: "customer", targetId: input.customerId },
    async (tx) => {
      // Chosen before it is made, so a repeat of this form (a double click, a resent post) is told of this note and
      // writes no second one (ADR 105).
      const noteId = randomUUID();
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: NOTE_ADD,
        staffId: authorId,
        messageKey: "accounts:form.alreadySent",
        outcome: noteId,
      });
      const customer = await tx.customer.findUnique({ where: { id: input.customerId }, select: { id: true } });
      if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
      let incidentId: string | null = null;
      if (input.caseId) {
        // The case must be this customer's: scoped in the lookup itself.
        const found = await tx.incidentCase.findFirst({
          where: { id: input.caseId, customerId: input.customerId },
          select: { incidentId: true },
        });
        if (!found) throw new DomainError("CASE_NOT_FOUND", "There is no such case on this account.", 404);
        incidentId = found.incidentId;
      }
      const note = await tx.accountNote.create({
        data: { id: noteId, customerId: input.customerId, caseId: input.caseId ?? null, authorId, body },
      });
      // The audit row records that a note was written and its length, not its text: notes may quote the caller.
      return {
        result: { id: note.id },
        after: { noteId: note.id, caseId: note.caseId, incidentId, length: body.length },
      };
    },
  );
}

export interface AccountNoteView {
  id: string;
  caseId: string | null;
  body: string;
  createdAt: Date;
  authorName: string | null;
}
