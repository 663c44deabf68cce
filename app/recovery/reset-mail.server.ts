// Queues the reset mail in the notification outbox, inside the caller's transaction: the link is mailed if and only if
// the reset commits. The outbox reads the recipient from the customer row itself (never an argument), so the agent
// cannot type a destination. The mail body holds the live link; the outbox blanks it once the message is settled.
import type { Actor } from "~/audit/actor";
import type { DbTx } from "~/db.server";
import { enqueueMessage } from "~/notify/outbox.server";
import { buildResetUrl } from "~/recovery/reset-token.server";

export type ResetMailOutcome =
  { kind: "QUEUED"; to: string; messageId: string } | { kind: "NOT_SENT"; reason: string; messageId: string | null };

export async function queueResetMail(
  tx: DbTx,
  input: { customerId: string; displayId: string; token: string; tokenId: string; expiresAt: Date; actor: Actor },
): Promise<ResetMailOutcome> {
  const result = await enqueueMessage(tx, {
    template: "password-reset",
    customerId: input.customerId,
    // No incident: the recovery flow has already held the link for any unreviewed suspect change
    // (contact-review.server.ts, the rule the outbox applies to incident mail). Each reset token is its own message.
    incidentId: null,
    discriminator: input.tokenId,
    variables: { resetUrl: buildResetUrl(input.token, input.displayId), expiresAt: input.expiresAt },
    actor: input.actor,
  });
  if (result.outcome === "queued" && result.recipient) {
    return { kind: "QUEUED", to: result.recipient, messageId: result.messageId };
  }
  if (result.outcome === "skipped") return { kind: "NOT_SENT", reason: result.reason, messageId: result.messageId };
  // A duplicate cannot happen for a fresh token id; say so rather than pretend a mail is on its way.
  return { kind: "NOT_SENT", reason: "DUPLICATE", messageId: result.messageId };
}
