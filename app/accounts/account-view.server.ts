// Everything the account view shows, in one load, and the audit row for looking at it (PCI DSS 10.2.1.1): profile and
// status, devices (with how many other accounts share each one), sessions, funding sources, contact changes, the
// timeline, the balance from the ledger (the cached balance checked against the sum of entries), cases with assignee
// and notes, and the saved cohorts the account is in.
import type { ActionContext } from "~/audit/perform-action.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { availableStatusChanges, type StatusChange } from "~/accounts/account-status.server";
import { listAccountNotes, type AccountNoteView } from "~/accounts/notes.server";
import { loadTimeline, type TimelineEvent } from "~/accounts/timeline.server";
import { roleHasPermission, ROLES } from "~/auth/permissions";
import { prisma } from "~/db.server";
import type { CaseStatus } from "~/generated/prisma/enums";
import { allowedCaseTransitions } from "~/incidents/cases.server";
import { listCohortsOfCustomer } from "~/incidents/cohorts/cohort-members.server";
import { walletAccountCode } from "~/ledger/post-transaction.server";
import { DomainError, PermissionDeniedError } from "~/lib/domain-error";
import { now } from "~/lib/clock.server";
import { isUuid } from "~/lib/uuid";
import type { Language } from "~/i18n/config";

export interface AccountView {
  customer: {
    id: string;
    displayId: string;
    name: string;
    nameKana: string;
    email: string;
    emailVerified: boolean;
    phone: string;
    phoneVerified: boolean;
    birthDate: string;
    status: string;
    preferredLanguage: string;
    createdAt: string;
    mustChangePassword: boolean;
    twoFactorEnrolled: boolean;
  };
  statusChanges: StatusChange[];
  balance: { cached: number; fromEntries: number; consistent: boolean } | null;
  devices: {
    id: string;
    fingerprint: string;
    platform: string;
    model: string | null;
    firstSeenAt: string;
    trusted: boolean;
    revokedAt: string | null;
    lastSignInAt: string | null;
    otherAccounts: number;
  }[];
  sessions: {
    id: string;
    device: string | null;
    createdAt: string;
    expiresAt: string;
    state: "active" | "expired" | "revoked";
  }[];
  fundingSources: { kind: string; brand: string; last4: string | null; addedAt: string }[];
  contactChanges: {
    id: string;
    field: string;
    oldValue: string;
    newValue: string;
    changedAt: string;
    source: string;
    ip: string | null;
    oldValueVerified: boolean;
  }[];
  timeline: { events: TimelineEvent[]; hasMore: boolean };
  cases: {
    id: string;
    incidentId: string;
    incidentCode: string;
    incidentTitle: string;
    status: CaseStatus;
    openedAt: string;
    assignee: { id: string; name: string } | null;
    transitions: CaseStatus[];
  }[];
  notes: (Omit<AccountNoteView, "createdAt"> & { createdAt: string })[];
  cohorts: { cohortId: string; name: string; createdAt: string; riskScore: number }[];
  /** Incidents this account has no case in yet (for "Open a case"). */
  incidentsWithoutCase: { id: string; code: string; title: string }[];
  /** Staff who may be assigned cases. */
  assignees: { id: string; name: string; role: string }[];
}

const iso = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : null);

function notFound(): DomainError {
  return new DomainError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
}

/** Loads the account view and records the access. `before` pages the timeline back in time. */
export async function loadAccountView(
  ctx: ActionContext,
  customerId: string,
  options: { before?: Date; language?: Language } = {},
): Promise<AccountView> {
  if (ctx.actor.kind !== "staff" || !roleHasPermission(ctx.actor.role, "accounts:view")) {
    throw new PermissionDeniedError();
  }
  if (!isUuid(customerId)) throw notFound();
  const customer = await prisma.customer.findUnique({ where: { id: customerId } });
  if (!customer) throw notFound();

  // Recorded before the data leaves the server: an access that was not logged must not have happened.
  await recordAuditEvent({
    actor: ctx.actor,
    origin: ctx.origin,
    action: "account.view",
    outcome: "SUCCESS",
    targetType: "customer",
    targetId: customer.id,
    after: { displayId: customer.displayId, timelineBefore: options.before?.toISOString() ?? null },
  });

  const at = now();
  const [wallet, devices, sessions, funding, contacts, timeline, cases, notes, cohorts, incidents, staff] =
    await Promise.all([
      prisma.$queryRaw<{ cached: bigint; from_entries: bigint | null }[]>`
        SELECT a.balance AS cached, (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entry e WHERE e.account_id = a.id) AS from_entries
          FROM ledger_account a WHERE a.code = ${walletAccountCode(customer.id)}`,
      prisma.$queryRaw<
        {
          id: string;
          fingerprint: string;
          platform: string;
          model: string | null;
          first_seen_at: Date;
          trusted: boolean;
          revoked_at: Date | null;
          last_sign_in_at: Date | null;
          other_accounts: bigint;
        }[]
      >`
        SELECT d.id::text AS id, d.fingerprint, d.platform, d.model, d.first_seen_at, d.trusted, d.revoked_at,
               (SELECT max(l.occurred_at) FROM login_event l WHERE l.device_id = d.id AND l.success) AS last_sign_in_at,
               (SELECT count(*) FROM device o WHERE o.fingerprint = d.fingerprint AND o.customer_id <> d.customer_id) AS other_accounts
          FROM device d WHERE d.customer_id = ${customer.id}::uuid
         ORDER BY d.first_seen_at DESC LIMIT 50`,
      prisma.customerSession.findMany({
        where: { customerId: customer.id },
        orderBy: { createdAt: "desc" },
        take: 50,
        include: { device: { select: { platform: true, model: true } } },
      }),
      prisma.fundingSource.findMany({ where: { customerId: customer.id }, orderBy: { addedAt: "asc" } }),
      prisma.contactChange.findMany({ where: { customerId: customer.id }, orderBy: { changedAt: "desc" }, take: 50 }),
      loadTimeline(prisma, customer.id, { before: options.before, language: options.language }),
      prisma.incidentCase.findMany({
        where: { customerId: customer.id },
        orderBy: { openedAt: "desc" },
        include: { incident: { select: { code: true, title: true } } },
      }),
      listAccountNotes(customer.id),
      listCohortsOfCustomer(customer.id),
      prisma.incident.findMany({
        where: { status: { not: "RESOLVED" }, cases: { none: { customerId: customer.id } } },
        orderBy: { openedAt: "desc" },
        select: { id: true, code: true, title: true },
        take: 20,
      }),
      prisma.staffUser.findMany({
        where: {
          disabledAt: null,
          role: { in: ROLES.filter((role) => roleHasPermission(role, "cases:manage")) },
        },
        orderBy: { displayName: "asc" },
        select: { id: true, displayName: true, role: true },
        take: 200,
      }),
    ]);

  const names = new Map(staff.map((s) => [s.id, s.displayName]));
  const missingAssignees = cases.map((c) => c.assigneeId).filter((id): id is string => !!id && !names.has(id));
  if (missingAssignees.length > 0) {
    const more = await prisma.staffUser.findMany({
      where: { id: { in: missingAssignees } },
      select: { id: true, displayName: true },
    });
    for (const s of more) names.set(s.id, s.displayName);
  }
  const balanceRow = wallet[0];

  return {
    customer: {
      id: customer.id,
      displayId: customer.displayId,
      name: customer.name,
      nameKana: customer.nameKana,
      email: customer.email,
      emailVerified: customer.emailVerified,
      phone: customer.phone,
      phoneVerified: customer.phoneVerified,
      birthDate: customer.birthDate.toISOString().slice(0, 10),
      status: customer.status,
      preferredLanguage: customer.preferredLanguage,
      createdAt: customer.createdAt.toISOString(),
      mustChangePassword: customer.mustChangePassword,
      twoFactorEnrolled: customer.twoFactorEnrolled,
    },
    statusChanges: availableStatusChanges(customer.status),
    balance: balanceRow
      ? {
          cached: Number(balanceRow.cached),
          fromEntries: Number(balanceRow.from_entries ?? 0),
          consistent: Number(balanceRow.cached) === Number(balanceRow.from_entries ?? 0),
        }
      : null,
    devices: devices.map((d) => ({
      id: d.id,
      fingerprint: d.fingerprint,
      platform: d.platform,
      model: d.model,
      firstSeenAt: iso(d.first_seen_at)!,
      trusted: d.trusted,
      revokedAt: iso(d.revoked_at),
      lastSignInAt: iso(d.last_sign_in_at),
      otherAccounts: Number(d.other_accounts),
    })),
    sessions: sessions.map((s) => ({
      id: s.id.slice(0, 8),
      device: s.device ? [s.device.platform, s.device.model].filter(Boolean).join(" ") : null,
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      state: s.revokedAt ? "revoked" : s.expiresAt <= at ? "expired" : "active",
    })),
    fundingSources: funding.map((f) => ({
      kind: f.kind,
      brand: f.brand,
      last4: f.last4,
      addedAt: f.addedAt.toISOString(),
    })),
    contactChanges: contacts.map((c) => ({
      id: c.id,
      field: c.field,
      oldValue: c.oldValue,
      newValue: c.newValue,
      changedAt: c.changedAt.toISOString(),
      source: c.source,
      ip: c.ip,
      oldValueVerified: c.oldValueVerified,
    })),
    timeline,
    cases: cases.map((c) => ({
      id: c.id,
      incidentId: c.incidentId,
      incidentCode: c.incident.code,
      incidentTitle: c.incident.title,
      status: c.status,
      openedAt: c.openedAt.toISOString(),
      assignee: c.assigneeId ? { id: c.assigneeId, name: names.get(c.assigneeId) ?? "unknown staff" } : null,
      transitions: allowedCaseTransitions(c.status),
    })),
    notes: notes.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
    cohorts: cohorts.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
    incidentsWithoutCase: incidents,
    assignees: staff.map((s) => ({ id: s.id, name: s.displayName, role: s.role })),
  };
}
