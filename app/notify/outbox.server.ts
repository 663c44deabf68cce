// The transactional outbox. A message row is written in the same database transaction as the action that causes it
// (a forced reset, a bulk notice), so a rolled-back action never mails anyone and a committed one always will. The
// worker (outbox-worker.server.ts) delivers it later. See docs/decisions/008-notification-outbox.md.
//
// The recipient is never an argument: it is read from the customer row inside the caller's transaction, and only a
// verified address is used. One exception, by design: the recovery code goes to the last known-good address that the
// recovery service derives from the contact history (docs/decisions/016-recovery-proof-of-possession.md). A customer without one gets a SKIPPED row that says why, so staff can see it.
import { randomUUID } from "node:crypto";
import { actorId, type Actor } from "~/audit/actor";
import type { DbTx } from "~/db.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { dedupeKeyOf } from "~/notify/dedupe";
import { languageOf, type Language } from "~/notify/language";
import { messageIdFor } from "~/notify/mail-config.server";
import type { NoticeStatus } from "~/notify/notice-status";
import { renderNotice, TEMPLATES, type TemplateKey, type TemplateVariables } from "~/notify/templates";
import type { RenderedNotice } from "~/notify/templates/layout";
import { firstUnreviewedChanges } from "~/recovery/contact-review.server";

// Rows per statement in bulk paths: large enough that 10,000 recipients take a few statements, small enough that one
// statement's JSON parameter (rendered bodies included) stays a few megabytes.
const LOOKUP_CHUNK = 2_000;
const INSERT_CHUNK = 500;

export type SkipReason = "NO_VERIFIED_EMAIL" | "INVALID_EMAIL" | "EMAIL_CHANGED_DURING_INCIDENT" | "MISSING_DATA";

/** What the outbox knows about a customer; read inside the caller's transaction. */
export interface NoticeRecipient {
  id: string;
  name: string;
  displayId: string;
  email: string;
  emailVerified: boolean;
  preferredLanguage: string;
}

export const RECIPIENT_SELECT = {
  id: true,
  name: true,
  displayId: true,
  email: true,
  emailVerified: true,
  preferredLanguage: true,
} as const;

// Deliberately plain: one @, no spaces or line breaks, a dot in the domain. The mail server is the real judge; this
// only keeps obviously broken values (and header-injection attempts) out of the queue.
const PLAUSIBLE_EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

// An attacker who takes over an account often changes its email first (and can "verify" the new one: they control
// that mailbox). Mail to such an address tells the attacker, not the victim. Which addresses may be the attacker's is
// account recovery's rule, kept in one place (firstUnreviewedChanges in app/recovery/contact-review.server.ts, ADR 013
// and 045): an email change since the last agent restore or confirmation, made within 30 days before the customer's
// earliest incident (or before now), or from a device new to the account. Incident notices and their resends skip such
// an address until an agent restores the customer's own or confirms this one with them.
/** Why no notice may go to this customer, or null: `suspectSince` is when that rule found a suspect change. */
export function recipientProblem(
  customer: NoticeRecipient,
  suspectSince: Date | null = null,
): { reason: SkipReason; detail: string } | null {
  if (!customer.email || !customer.emailVerified) {
    return { reason: "NO_VERIFIED_EMAIL", detail: "the customer has no verified email address on file" };
  }
  if (!PLAUSIBLE_EMAIL.test(customer.email)) {
    return { reason: "INVALID_EMAIL", detail: "the email address on file is not a valid address" };
  }
  if (suspectSince) {
    return {
      reason: "EMAIL_CHANGED_DURING_INCIDENT",
      detail: `the email address was changed on ${suspectSince.toISOString()} (around an incident or from a device new to the account) and no agent has restored or confirmed it since: it may be the attacker's`,
    };
  }
  return null;
}

/** One message about to be written: rendered (queued) or not (skipped, with the reason). */
export interface MessageDraft {
  id: string;
  dedupeKey: string;
  incidentId: string | null;
  customerId: string;
  template: TemplateKey;
  discriminator: string | null;
  language: Language;
  recipient: string | null;
  rendered: RenderedNotice | null;
  skip: { reason: SkipReason; detail: string } | null;
  priority: number;
  requestedBy: string | null;
}

export type DraftOutcome =
  | { outcome: "queued"; messageId: string }
  | { outcome: "duplicate"; messageId: string; status: NoticeStatus }
  | { outcome: "skipped"; messageId: string; reason: SkipReason; detail: string };

export function draftMessage(input: {
  template: TemplateKey;
  customer: NoticeRecipient;
  incidentId: string | null;
  discriminator: string | null;
  language: Language;
  requestedBy: string | null;
  /** Rendered notice, or why the template could not be written for this customer. */
  content: RenderedNotice | { missing: string };
  /** When the first unreviewed suspect change of the address was made (firstUnreviewedChanges of EMAIL). */
  suspectEmailSince?: Date | null;
}): MessageDraft {
  const problem = recipientProblem(input.customer, input.suspectEmailSince ?? null);
  const skip =
    problem ?? ("missing" in input.content ? { reason: "MISSING_DATA" as const, detail: input.content.missing } : null);
  return {
    id: randomUUID(),
    dedupeKey: dedupeKeyOf({
      incidentId: input.incidentId,
      customerId: input.customer.id,
      template: input.template,
      discriminator: input.discriminator,
    }),
    incidentId: input.incidentId,
    customerId: input.customer.id,
    template: input.template,
    discriminator: input.discriminator,
    language: input.language,
    recipient: problem ? null : input.customer.email,
    rendered: skip || "missing" in input.content ? null : input.content,
    skip,
    priority: TEMPLATES[input.template].priority,
    requestedBy: input.requestedBy,
  };
}

function rowOf(draft: MessageDraft, at: Date) {
  return {
    id: draft.id,
    dedupeKey: draft.dedupeKey,
    incidentId: draft.incidentId,
    customerId: draft.customerId,
    template: draft.template,
    discriminator: draft.discriminator,
    language: draft.language,
    recipient: draft.recipient,
    subject: draft.rendered?.subject ?? null,
    textBody: draft.rendered?.text ?? null,
    htmlBody: draft.rendered?.html ?? null,
    messageIdHeader: messageIdFor(draft.id),
    status: draft.skip ? ("SKIPPED" as const) : ("QUEUED" as const),
    skipReason: draft.skip ? `${draft.skip.reason}: ${draft.skip.detail}` : null,
    priority: draft.priority,
    nextAttemptAt: at,
    requestedBy: draft.requestedBy,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Writes drafts inside the caller's transaction, honouring the dedupe key: an existing message for a key wins
 * (duplicate), except a SKIPPED one, which a now-sendable draft replaces (the customer's email was verified since).
 * Concurrent writers of one key are serialised by the unique index: exactly one row per key survives.
 */
export async function writeDrafts(tx: DbTx, drafts: MessageDraft[]): Promise<DraftOutcome[]> {
  const at = now();
  const existing = await findByDedupeKeys(
    tx,
    drafts.map((d) => d.dedupeKey),
  );

  const outcomes = new Map<string, DraftOutcome>();
  const fresh: MessageDraft[] = [];
  for (const draft of drafts) {
    const found = existing.get(draft.dedupeKey);
    if (!found) {
      fresh.push(draft);
      continue;
    }
    if (found.status === "SKIPPED" && !draft.skip) {
      const revived = await tx.outboundMessage.updateMany({
        where: { id: found.id, status: "SKIPPED" },
        data: { ...rowOf(draft, at), id: undefined, messageIdHeader: undefined, createdAt: undefined, attempts: 0 },
      });
      if (revived.count === 1) {
        outcomes.set(draft.dedupeKey, { outcome: "queued", messageId: found.id });
        continue;
      }
    }
    outcomes.set(draft.dedupeKey, { outcome: "duplicate", messageId: found.id, status: found.status });
  }

  for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
    const chunk = fresh.slice(i, i + INSERT_CHUNK);
    await insertRows(
      tx,
      chunk.map((d) => rowOf(d, at)),
    );
    // A concurrent transaction may have written some keys first: whichever row holds the key now is the message.
    const holders = await findByDedupeKeys(
      tx,
      chunk.map((d) => d.dedupeKey),
    );
    for (const draft of chunk) {
      const holder = holders.get(draft.dedupeKey)!;
      if (holder.id !== draft.id) {
        outcomes.set(draft.dedupeKey, { outcome: "duplicate", messageId: holder.id, status: holder.status });
      } else if (draft.skip) {
        outcomes.set(draft.dedupeKey, { outcome: "skipped", messageId: draft.id, ...draft.skip });
      } else {
        outcomes.set(draft.dedupeKey, { outcome: "queued", messageId: draft.id });
      }
    }
  }
  return drafts.map((d) => outcomes.get(d.dedupeKey)!);
}

async function findByDedupeKeys(tx: DbTx, keys: string[]): Promise<Map<string, { id: string; status: NoticeStatus }>> {
  const found = new Map<string, { id: string; status: NoticeStatus }>();
  for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
    const list = JSON.stringify(keys.slice(i, i + LOOKUP_CHUNK));
    const rows = await tx.$queryRaw<{ id: string; dedupe_key: string; status: NoticeStatus }[]>`
      SELECT id, dedupe_key, status::text AS status FROM outbound_message
      WHERE dedupe_key IN (SELECT jsonb_array_elements_text(${list}::text::jsonb))`;
    for (const row of rows) found.set(row.dedupe_key, { id: row.id, status: row.status });
  }
  return found;
}

// One statement per chunk (Prisma's createMany costs far more per row: 17 bind parameters per row).
// ON CONFLICT DO NOTHING: the unique dedupe key decides between concurrent writers.
async function insertRows(tx: DbTx, rows: ReturnType<typeof rowOf>[]): Promise<void> {
  const json = JSON.stringify(rows);
  await tx.$executeRaw`
    INSERT INTO outbound_message (id, dedupe_key, incident_id, customer_id, template, discriminator, language, recipient,
      subject, text_body, html_body, message_id_header, status, skip_reason, priority, attempts, next_attempt_at,
      requested_by, created_at, updated_at)
    SELECT r.id, r."dedupeKey", r."incidentId", r."customerId", r.template, r.discriminator, r.language, r.recipient,
      r.subject, r."textBody", r."htmlBody", r."messageIdHeader", r.status::"OutboundMessageStatus", r."skipReason",
      r.priority, 0, r."nextAttemptAt", r."requestedBy", r."createdAt", r."updatedAt"
    FROM jsonb_to_recordset(${json}::text::jsonb) AS r(id uuid, "dedupeKey" text, "incidentId" uuid, "customerId" uuid,
      template text, discriminator text, language text, recipient text, subject text, "textBody" text, "htmlBody" text,
      "messageIdHeader" text, status text, "skipReason" text, priority int, "nextAttemptAt" timestamptz,
      "requestedBy" text, "createdAt" timestamptz, "updatedAt" timestamptz)
    ON CONFLICT (dedupe_key) DO NOTHING`;
}

export interface EnqueueMessageInput<K extends TemplateKey> {
  template: K;
  customerId: string;
  /** The incident the message belongs to, if any; part of the dedupe key. */
  incidentId?: string | null;
  /** Separates several legitimate messages of one template, e.g. the reset token's ID for a reset mail. */
  discriminator?: string | null;
  /** Defaults to the customer's preferred language. */
  language?: Language;
  /** The template's variables except `customer`, which the outbox fills from the customer row. */
  variables: Omit<TemplateVariables<K>, "customer">;
  /** Who caused the message (recorded on the row). */
  actor?: Actor;
  /**
   * Only for the recovery code: the last known-good address, derived from the contact history by the recovery service
   * (never typed by anyone), which is by design not the possibly hijacked address on the customer row.
   */
  knownGoodEmail?: string;
}

export type EnqueueMessageResult = DraftOutcome & { dedupeKey: string; recipient: string | null };

/**
 * Queues one message inside the caller's transaction (use it inside performAction's change). Throws
 * TemplateVariablesError (422) when the caller's variables do not satisfy the template, CUSTOMER_NOT_FOUND (404)
 * when there is no such customer. A customer without a verified email is not an error: the result is "skipped" with
 * the reason, and a SKIPPED row shows it to staff. With an incidentId, an address set during the incident (and not
 * restored by staff) is skipped too: it may be the attacker's. Restore the contact earlier in the same transaction
 * and the message goes to the restored address. Never put the result's content in an audit row.
 */
export async function enqueueMessage<K extends TemplateKey>(
  tx: DbTx,
  input: EnqueueMessageInput<K>,
): Promise<EnqueueMessageResult> {
  const onFile = await tx.customer.findUnique({ where: { id: input.customerId }, select: RECIPIENT_SELECT });
  if (!onFile) throw new DomainError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
  if (input.knownGoodEmail !== undefined && input.template !== "recovery-code") {
    throw new DomainError("RECIPIENT_NOT_ALLOWED", "Only a recovery code goes to the known-good address.", 400);
  }
  const customer =
    input.knownGoodEmail === undefined ? onFile : { ...onFile, email: input.knownGoodEmail, emailVerified: true };
  const language = input.language ?? languageOf(customer.preferredLanguage);
  // Invalid variables are the caller's defect, not the customer's: refuse rather than queue a skipped row.
  const content = renderNotice(input.template, language, {
    ...input.variables,
    customer: { name: customer.name, displayId: customer.displayId },
  });
  let suspectEmailSince: Date | null = null;
  // A recovery code's known-good address is recovery's own answer to the same rule (findKnownGoodContact).
  if (input.incidentId && input.knownGoodEmail === undefined) {
    const incident = await tx.incident.findUnique({ where: { id: input.incidentId }, select: { id: true } });
    if (!incident) throw new DomainError("INCIDENT_NOT_FOUND", "There is no such incident.", 404);
    suspectEmailSince = (await firstUnreviewedChanges(tx, [customer.id], "EMAIL")).get(customer.id) ?? null;
  }
  const draft = draftMessage({
    suspectEmailSince,
    template: input.template,
    customer,
    incidentId: input.incidentId ?? null,
    discriminator: input.discriminator ?? null,
    language,
    requestedBy: input.actor ? actorId(input.actor) : null,
    content,
  });
  const [outcome] = await writeDrafts(tx, [draft]);
  return { ...outcome!, dedupeKey: draft.dedupeKey, recipient: draft.recipient };
}

// Wakes an in-process worker right after a commit instead of at its next poll. Cross-process workers poll.
const signal = globalThis as unknown as { firebreakOutboxWake?: EventTarget };
export function outboxWakeTarget(): EventTarget {
  signal.firebreakOutboxWake ??= new EventTarget();
  return signal.firebreakOutboxWake;
}

/** Call after the transaction that queued messages has committed, to deliver them without waiting for the poll. */
export function wakeOutboxWorker(): void {
  outboxWakeTarget().dispatchEvent(new Event("wake"));
}
