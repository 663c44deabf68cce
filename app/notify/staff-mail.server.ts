// Mail to staff (security leads told of an alert or a containment, a member's own one-time link) through the same
// outbox as customer notices: the row is written in the caller's transaction, delivered by the same worker with the
// same claims, retries, breaker and "doubt is never resolved by resending" rule
// (docs/decisions/008-notification-outbox.md). What differs is who the recipient is: a staff member, whose address and
// console language are read from their row here, never passed in.
//
// The dedupe key is per staff member, template and subject (the alert, the policy firing), so however many workers
// evaluate, retry or restart, one lead gets one mail about one alert.
import { randomUUID } from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import { now } from "~/lib/clock.server";
import type { Language } from "~/notify/language";
import { languageOf } from "~/notify/language";
import { messageIdFor } from "~/notify/mail-config.server";
import type { RenderedNotice } from "~/notify/templates/layout";

// Below the reset link (10), above bulk customer notices (0): a lead must hear of an attack before 10,000 victims do.
export const STAFF_MAIL_PRIORITY = 5;

/** A transaction or the client itself: one INSERT … ON CONFLICT is atomic on its own. */
type Writer = Pick<Prisma.TransactionClient, "$queryRaw">;

export interface StaffRecipient {
  id: string;
  email: string;
  language: Language;
}

export function staffDedupeKey(staffId: string, template: string, subject: string): string {
  return `staff:${staffId}:${template}:${subject}`;
}

export interface StaffMailOutcome {
  staffId: string;
  messageId: string;
  language: Language;
  /** false: a message with this key existed already (another worker, an earlier attempt); nothing new was queued. */
  queued: boolean;
}

/**
 * Queues one message per recipient, rendered in each one's console language, at most one per (recipient, template,
 * subject) ever. Returns who holds each key now.
 */
export async function enqueueStaffMail(
  db: Writer,
  input: {
    template: string;
    /** What the mail is about (an alert's id, a policy firing's ids): part of the dedupe key. */
    subject: string;
    recipients: readonly StaffRecipient[];
    render: (language: Language) => RenderedNotice;
    requestedBy: string;
    /** Higher is delivered first; STAFF_MAIL_PRIORITY unless the mail cannot wait (a one-time link). */
    priority?: number;
  },
): Promise<StaffMailOutcome[]> {
  const priority = input.priority ?? STAFF_MAIL_PRIORITY;
  const at = now();
  const outcomes: StaffMailOutcome[] = [];
  for (const recipient of input.recipients) {
    const id = randomUUID();
    const dedupeKey = staffDedupeKey(recipient.id, input.template, input.subject);
    const rendered = input.render(recipient.language);
    // ON CONFLICT DO NOTHING: a concurrent writer of the same key wins once; then the holder of the key is the message.
    const inserted = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO outbound_message (id, dedupe_key, staff_id, template, discriminator, language, recipient, subject,
        text_body, html_body, message_id_header, status, priority, attempts, next_attempt_at, requested_by,
        created_at, updated_at)
      VALUES (${id}::uuid, ${dedupeKey}, ${recipient.id}::uuid, ${input.template}, ${input.subject},
        ${recipient.language}, ${recipient.email}, ${rendered.subject}, ${rendered.text}, ${rendered.html},
        ${messageIdFor(id)}, 'QUEUED', ${priority}, 0, ${at}, ${input.requestedBy}, ${at}, ${at})
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id`;
    if (inserted.length === 1) {
      outcomes.push({ staffId: recipient.id, messageId: id, language: recipient.language, queued: true });
      continue;
    }
    const holder = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM outbound_message WHERE dedupe_key = ${dedupeKey}`;
    outcomes.push({ staffId: recipient.id, messageId: holder[0]!.id, language: recipient.language, queued: false });
  }
  return outcomes;
}

export function staffRecipientOf(row: { id: string; email: string; language: string }): StaffRecipient {
  return { id: row.id, email: row.email, language: languageOf(row.language) };
}
