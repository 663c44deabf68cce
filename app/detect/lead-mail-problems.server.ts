// A security lead's alert or containment mail that FAILED or is UNCERTAIN: the lead may not know of the alert. Shown on
// the alerts page, the dashboard and the alert's own page, per lead, so whoever looks can tell the lead another way or
// resend it (notify.retry resends a lead's mail to their current address, if they are still active).
import { prisma } from "~/db.server";
import { ALERT_MAIL_TEMPLATE, CONTAINMENT_MAIL_TEMPLATE } from "~/detect/lead-mail.server";
import type { LeadMailProblemView } from "~/detect/ui/lead-mail-problems";
import { isUuid } from "~/lib/uuid";

const LEAD_MAIL_TEMPLATES = [ALERT_MAIL_TEMPLATE, CONTAINMENT_MAIL_TEMPLATE];
const PROBLEM_STATUSES = ["FAILED", "UNCERTAIN"] as const;

/** Problems listed by name on the alerts page and the dashboard; the count says how many there are in all. */
export const LEAD_MAIL_PROBLEMS_LISTED = 20;

/** One problem mail as the pages show it (the shape lives with its component, which the browser loads). */
export type LeadMail = LeadMailProblemView;

/**
 * The alert a lead's mail is about: the dedupe subject (discriminator) is the alert's id for an alert mail and
 * "<policy id>:<alert id>" for a containment (~/detect/lead-mail.server).
 */
export function alertIdOfLeadMail(template: string, discriminator: string | null): string | null {
  if (!discriminator) return null;
  const id = template === CONTAINMENT_MAIL_TEMPLATE ? discriminator.split(":").at(-1) : discriminator;
  return id && isUuid(id) ? id : null;
}

const MAIL_SELECT = {
  id: true,
  template: true,
  discriminator: true,
  status: true,
  recipient: true,
  lastError: true,
  messageIdHeader: true,
  updatedAt: true,
  staff: { select: { displayName: true } },
} as const;

type MailRow = {
  id: string;
  template: string;
  discriminator: string | null;
  status: string;
  recipient: string | null;
  lastError: string | null;
  messageIdHeader: string;
  updatedAt: Date;
  staff: { displayName: string } | null;
};

function toLeadMail(row: MailRow): LeadMail {
  return {
    id: row.id,
    template: row.template,
    alertId: alertIdOfLeadMail(row.template, row.discriminator),
    status: row.status,
    leadName: row.staff?.displayName ?? "",
    recipient: row.recipient,
    lastError: row.lastError,
    messageIdHeader: row.messageIdHeader,
    at: row.updatedAt.toISOString(),
  };
}

/** Lead mail that did not, or may not, have arrived, oldest first. */
export async function listLeadMailProblems(): Promise<{ count: number; oldestFirst: LeadMail[] }> {
  const where = { template: { in: LEAD_MAIL_TEMPLATES }, status: { in: [...PROBLEM_STATUSES] } };
  const [count, rows] = await Promise.all([
    prisma.outboundMessage.count({ where }),
    prisma.outboundMessage.findMany({
      where,
      orderBy: { updatedAt: "asc" },
      take: LEAD_MAIL_PROBLEMS_LISTED,
      select: MAIL_SELECT,
    }),
  ]);
  return { count, oldestFirst: rows.map(toLeadMail) };
}

/**
 * The lead mails about one alert (its alert mail and any containment's) that did not, or may not, have arrived. Read
 * through the status index: problem rows are few, while the outbox holds every customer notice too.
 */
export async function leadMailProblemsOfAlert(alertId: string): Promise<LeadMail[]> {
  const rows = await prisma.outboundMessage.findMany({
    where: {
      status: { in: [...PROBLEM_STATUSES] },
      OR: [
        { template: ALERT_MAIL_TEMPLATE, discriminator: alertId },
        { template: CONTAINMENT_MAIL_TEMPLATE, discriminator: { endsWith: `:${alertId}` } },
      ],
    },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    select: MAIL_SELECT,
  });
  return rows.map(toLeadMail);
}
