// Reading delivery status: per account, per incident (progress per notice, per recipient), and staff retries.
import type { ActionContext, ChangeOutcome } from "~/audit/perform-action.server";
import { performAction } from "~/audit/perform-action.server";
import { prisma, type DbTx } from "~/db.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { NOTICE_STATUSES, type NoticeStatus, type NoticeView } from "~/notify/notice-status";
import { RECIPIENT_SELECT, recipientProblem, wakeOutboxWorker } from "~/notify/outbox.server";
import { RECIPIENTS_PAGE_SIZE } from "~/notify/notice-status";
import { isUuid } from "~/lib/uuid";
import { jsonRows } from "~/accounts/json-rows.server";
import { Prisma } from "~/generated/prisma/client";
import { carriesSecret } from "~/notify/templates";
import { firstUnreviewedChanges } from "~/recovery/contact-review.server";
import { STAFF_LINK_TEMPLATE } from "~/notify/templates/staff-link";

export { RECIPIENTS_PAGE_SIZE };

const VIEW_SELECT = {
  id: true,
  template: true,
  discriminator: true,
  language: true,
  recipient: true,
  status: true,
  attempts: true,
  lastError: true,
  skipReason: true,
  messageIdHeader: true,
  smtpResponse: true,
  sentAt: true,
  nextAttemptAt: true,
  createdAt: true,
  incident: { select: { code: true } },
} as const;

type ViewRow = {
  id: string;
  template: string;
  discriminator: string | null;
  language: string;
  recipient: string | null;
  status: NoticeStatus;
  attempts: number;
  lastError: string | null;
  skipReason: string | null;
  messageIdHeader: string;
  smtpResponse: string | null;
  sentAt: Date | null;
  nextAttemptAt: Date;
  createdAt: Date;
  incident: { code: string } | null;
};

function toView(row: ViewRow): NoticeView {
  return {
    id: row.id,
    template: row.template,
    discriminator: row.discriminator,
    incidentCode: row.incident?.code ?? null,
    language: row.language,
    recipient: row.recipient,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    skipReason: row.skipReason,
    messageIdHeader: row.messageIdHeader,
    smtpResponse: row.smtpResponse,
    sentAt: row.sentAt?.toISOString() ?? null,
    nextAttemptAt: row.status === "QUEUED" ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    carriesSecret: carriesSecret(row.template),
  };
}

/**
 * A customer's newest messages, newest first, for the account view's NoticeStatusList: a column of the account view's
 * one statement (docs/decisions/052-one-statement-per-account-view.md), so a view costs no round trip of its own for
 * them. `customerId` is the SQL that names the customer there.
 */
export function customerNoticesColumn(customerId: Prisma.Sql, limit: number): Prisma.Sql {
  return jsonRows(Prisma.sql`
    SELECT m.id::text AS id, m.template, m.discriminator, m.language, m.recipient, m.status::text AS status,
           m.attempts, m.last_error AS "lastError", m.skip_reason AS "skipReason",
           m.message_id_header AS "messageIdHeader", m.smtp_response AS "smtpResponse", m.sent_at AS "sentAt",
           m.next_attempt_at AS "nextAttemptAt", m.created_at AS "createdAt", i.code AS incident_code
      FROM outbound_message m LEFT JOIN incident i ON i.id = m.incident_id
     WHERE m.customer_id = ${customerId}
     ORDER BY m.created_at DESC LIMIT ${limit}`);
}

/** A row of customerNoticesColumn: its timestamps are ISO strings (JSON). */
export type CustomerNoticeRow = Omit<ViewRow, "incident" | "sentAt" | "nextAttemptAt" | "createdAt"> & {
  sentAt: string | null;
  nextAttemptAt: string;
  createdAt: string;
  incident_code: string | null;
};

export function customerNoticesOf(rows: CustomerNoticeRow[]): NoticeView[] {
  return rows.map(({ incident_code, ...row }) =>
    toView({
      ...row,
      sentAt: row.sentAt === null ? null : new Date(row.sentAt),
      nextAttemptAt: new Date(row.nextAttemptAt),
      createdAt: new Date(row.createdAt),
      incident: incident_code === null ? null : { code: incident_code },
    }),
  );
}

export type StatusCounts = Record<NoticeStatus, number>;

function emptyCounts(): StatusCounts {
  return Object.fromEntries(NOTICE_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

export interface CampaignProgress {
  template: string;
  discriminator: string | null;
  total: number;
  counts: StatusCounts;
  /** Settled share (sent, failed, skipped, needs review), 0–100. */
  percentDone: number;
  inFlight: number;
}

/** One progress line per notice (template and discriminator) sent for the incident. */
export async function loadIncidentNoticeProgress(incidentId: string): Promise<CampaignProgress[]> {
  const groups = await prisma.outboundMessage.groupBy({
    by: ["template", "discriminator", "status"],
    where: { incidentId },
    _count: { _all: true },
  });
  const campaigns = new Map<string, CampaignProgress>();
  for (const g of groups) {
    const key = `${g.template}:${g.discriminator ?? ""}`;
    const campaign = campaigns.get(key) ?? {
      template: g.template,
      discriminator: g.discriminator,
      total: 0,
      counts: emptyCounts(),
      percentDone: 0,
      inFlight: 0,
    };
    campaign.counts[g.status] += g._count._all;
    campaign.total += g._count._all;
    campaigns.set(key, campaign);
  }
  for (const c of campaigns.values()) {
    c.inFlight = c.counts.QUEUED + c.counts.SENDING;
    // Floor, so 100 % means every message is settled, never "almost".
    c.percentDone = c.total === 0 ? 100 : Math.floor(((c.total - c.inFlight) * 100) / c.total);
  }
  return [...campaigns.values()].sort((a, b) => a.template.localeCompare(b.template));
}

export interface RecipientRow extends NoticeView {
  customerId: string;
  customerDisplayId: string;
  customerName: string;
}

/** Per-recipient status for the incident, filterable, paginated. */
export async function listIncidentRecipients(
  incidentId: string,
  filter: { template?: string; status?: NoticeStatus; page?: number },
): Promise<{ rows: RecipientRow[]; total: number }> {
  const where = {
    incidentId,
    customerId: { not: null },
    ...(filter.template ? { template: filter.template } : {}),
    ...(filter.status ? { status: filter.status } : {}),
  };
  const page = Math.max(1, filter.page ?? 1);
  const [total, rows] = await Promise.all([
    prisma.outboundMessage.count({ where }),
    prisma.outboundMessage.findMany({
      where,
      // Problems first: a failed or doubtful message is what staff need to act on.
      orderBy: [{ status: "desc" }, { customer: { displayId: "asc" } }],
      skip: (page - 1) * RECIPIENTS_PAGE_SIZE,
      take: RECIPIENTS_PAGE_SIZE,
      select: { ...VIEW_SELECT, customer: { select: { id: true, displayId: true, name: true } } },
    }),
  ]);
  return {
    total,
    rows: rows.map((row) => ({
      ...toView(row),
      customerId: row.customer!.id,
      customerDisplayId: row.customer!.displayId,
      customerName: row.customer!.name,
    })),
  };
}

const RETRYABLE: NoticeStatus[] = ["FAILED", "UNCERTAIN"];

/**
 * Puts a failed or doubtful message back in the queue, to the customer's current verified address (which may have
 * been restored since). For UNCERTAIN ones this is the reviewer's decision that the first attempt did not arrive.
 */
export async function retryMessage(ctx: ActionContext, messageId: string, reason?: string): Promise<{ id: string }> {
  return performAction(
    ctx,
    {
      action: "notify.retry",
      permission: "notify:send",
      targetType: "outbound_message",
      targetId: messageId,
      reason,
    },
    async (tx) => {
      const message = await tx.outboundMessage.findUnique({
        where: { id: messageId },
        select: {
          id: true,
          status: true,
          redactedAt: true,
          customerId: true,
          staffId: true,
          incidentId: true,
          template: true,
        },
      });
      if (!message) throw new DomainError("MESSAGE_NOT_FOUND", "There is no such message.", 404);
      if (!RETRYABLE.includes(message.status)) {
        throw new DomainError(
          "NOT_RETRYABLE",
          `Only failed or doubtful messages can be resent; this one is ${message.status}.`,
          409,
        );
      }
      // A staff member's one-time link: whether it arrived is unknown or it failed, and resending the same link could
      // deliver it twice; the admin sends a new link, which voids this one.
      if (message.template === STAFF_LINK_TEMPLATE) {
        throw new DomainError(
          "STAFF_LINK_NOT_RESENT",
          "This message carried a staff member's one-time link: an admin sends a new link from the member's page instead.",
          409,
        );
      }
      // A reset link or a recovery code went where the flow that issued it decided (the reviewed address, the last
      // known-good contact); resent to the current address it could reach whoever changed that since. A new one goes
      // through those rules again.
      if (carriesSecret(message.template)) {
        throw new DomainError(
          "SECRET_NOT_RESENT",
          "This message carried a reset link or a recovery code: send a new one from the account's recovery page instead.",
          409,
        );
      }
      // Whatever else was blanked has nothing left to send (today only secrets are, and they are refused above).
      if (message.redactedAt) {
        throw new DomainError(
          "CONTENT_REDACTED",
          "This message carried a reset link that was removed once it settled: start a new reset instead.",
          409,
        );
      }
      if (message.customerId === null) {
        // A lead's alert mail: resent to the member's current address, if they are still active.
        const staff = await tx.staffUser.findUnique({
          where: { id: message.staffId ?? "" },
          select: { email: true, disabledAt: true },
        });
        if (!staff || staff.disabledAt) {
          throw new DomainError("STAFF_INACTIVE", "Cannot resend: the staff member is no longer active.", 409);
        }
        return requeue(tx, message, staff.email);
      }
      const customer = await tx.customer.findUniqueOrThrow({
        where: { id: message.customerId },
        select: RECIPIENT_SELECT,
      });
      const suspectSince = message.incidentId
        ? ((await firstUnreviewedChanges(tx, [customer.id], "EMAIL")).get(customer.id) ?? null)
        : null;
      const problem = recipientProblem(customer, suspectSince);
      if (problem) throw new DomainError(problem.reason, `Cannot resend: ${problem.detail}.`, 409);
      return requeue(tx, message, customer.email);
    },
  ).finally(wakeOutboxWorker);
}

async function requeue(
  tx: DbTx,
  message: { id: string; status: NoticeStatus; template: string },
  recipient: string,
): Promise<ChangeOutcome<{ id: string }>> {
  // Conditional on the status we read: a concurrent retry (or a late worker result) wins once, not twice.
  const updated = await tx.outboundMessage.updateMany({
    where: { id: message.id, status: message.status },
    data: {
      status: "QUEUED",
      failure: null,
      recipient,
      attempts: 0,
      nextAttemptAt: now(),
      leaseUntil: null,
      claimToken: null,
      updatedAt: now(),
    },
  });
  if (updated.count !== 1)
    throw new DomainError("RETRY_CONFLICT", "The message changed meanwhile; reload and try again.", 409);
  return {
    result: { id: message.id },
    before: { status: message.status },
    after: { status: "QUEUED", template: message.template },
  };
}

/** The incident a notices page is about (code and title), or null for an id that names none. */
export async function findIncidentHeading(incidentId: string) {
  if (!isUuid(incidentId)) return null;
  return prisma.incident.findUnique({ where: { id: incidentId }, select: { id: true, code: true, title: true } });
}
