// A staff member's one-time link goes to them, by mail, and to nobody else: the admin who invites a member, sends a
// new link or resets an authenticator learns where it went and whether it arrived, never the link. An admin who could
// read the link could reset another admin's authenticator and enrol their own (docs/decisions/004-staff-authentication.md).
//
// The mail is written to the outbox in the caller's transaction, to the address on the member's row (which no form can
// change) and in their console language. Issuing a link voids the earlier one, and a link mail still waiting in the
// queue is withdrawn with it: the member should not receive a link that no longer works. A mail whose delivery is in
// doubt (UNCERTAIN) is never resent; the admin sends a new link instead.
import { maskEmail } from "~/accounts/masking";
import { hashToken } from "~/auth/session.server";
import { issueInvite, inviteUrl } from "~/auth/invite.server";
import type { DbTx } from "~/db.server";
import { publicBaseUrl } from "~/env.server";
import { now } from "~/lib/clock.server";
import type { Language } from "~/notify/language";
import { enqueueStaffMail, staffRecipientOf } from "~/notify/staff-mail.server";
import { renderStaffLinkMail, STAFF_LINK_TEMPLATE, type StaffLinkKind } from "~/notify/templates/staff-link";

// A link that expires must not queue behind other mail: the same priority as a customer's reset link.
const STAFF_LINK_PRIORITY = 10;

/** What the admin may know about a link that was sent: where (masked) and until when, never the link itself. */
export interface SentStaffLink {
  sentTo: string;
  expiresAt: Date;
  messageId: string;
  language: Language;
}

export async function issueAndMailStaffLink(
  tx: DbTx,
  staff: { id: string; email: string; displayName: string; language: string },
  kind: StaffLinkKind,
  requestedBy: string,
): Promise<SentStaffLink> {
  const invite = await issueInvite(tx, staff.id);
  // The earlier link no longer works (issueInvite voided it): its mail, if not yet on its way, is withdrawn.
  await tx.outboundMessage.updateMany({
    where: { staffId: staff.id, template: STAFF_LINK_TEMPLATE, status: "QUEUED" },
    data: {
      status: "SKIPPED",
      skipReason: "REPLACED: a newer link was sent",
      textBody: null,
      htmlBody: null,
      redactedAt: now(),
      updatedAt: now(),
    },
  });
  const url = inviteUrl(publicBaseUrl(), invite.token);
  const [mail] = await enqueueStaffMail(tx, {
    template: STAFF_LINK_TEMPLATE,
    // Each link is its own message: the stored hash of its token, never the token.
    subject: hashToken(invite.token),
    recipients: [staffRecipientOf(staff)],
    render: (language) =>
      renderStaffLinkMail(language, { kind, displayName: staff.displayName, url, expiresAt: invite.expiresAt }),
    requestedBy,
    priority: STAFF_LINK_PRIORITY,
  });
  return {
    sentTo: maskEmail(staff.email),
    expiresAt: invite.expiresAt,
    messageId: mail!.messageId,
    language: mail!.language,
  };
}

/** What an audit row says about the link: when it expires and which message carries it (never the link). */
export function auditOfLink(link: SentStaffLink) {
  return { linkExpiresAt: link.expiresAt, linkMail: { messageId: link.messageId, language: link.language } };
}
