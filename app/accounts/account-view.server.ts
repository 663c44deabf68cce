// Everything the account view shows, in one load, and the audit row for looking at it (PCI DSS 10.2.1.1): profile and
// status, devices (with how many other accounts share each one), sessions, funding sources, contact changes, the
// timeline, the balance from the ledger (the cached balance checked against the sum of entries), cases with assignee
// and notes, and the saved cohorts the account is in.
import type { ActionContext } from "~/audit/perform-action.server";
import { assertCustomerReadAllowed } from "~/auth/read-budget.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { availableStatusChanges, reopeningWaitsForReset, type StatusChange } from "~/accounts/account-status.server";
import type { AccountNoteView } from "~/accounts/notes.server";
import { isoOf, jsonRows } from "~/accounts/json-rows.server";
import { timelineColumns, timelineOf, type TimelineColumns, type TimelineEvent } from "~/accounts/timeline.server";
import { roleHasPermission, ROLES } from "~/auth/permissions";
import { platformName } from "~/lib/device-platform";
import { database } from "~/db.server";
import { prepared, query } from "~/db/sql-runner.server";
import { Prisma } from "~/generated/prisma/client";
import type { CaseStatus, CustomerStatus } from "~/generated/prisma/enums";
import { allowedCaseTransitions } from "~/incidents/cases.server";
import { walletAccountCode } from "~/ledger/post-transaction.server";
import { DomainError, PermissionDeniedError } from "~/lib/domain-error";
import { now } from "~/lib/clock.server";
import { isUuid } from "~/lib/uuid";
import { customerNoticesColumn, customerNoticesOf, type CustomerNoticeRow } from "~/notify/notice-queries.server";
import type { NoticeView } from "~/notify/notice-status";
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
    /** When the app's confirmations locked after too many wrong authenticator codes (app/risk/live.server.ts). */
    stepUpLockedAt: string | null;
  };
  statusChanges: StatusChange[];
  /** Unfreezing or restoring would be refused until a forced reset is sent (ADR 122): the form says so first. */
  reopenWaitsForReset: boolean;
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
  /** The customer's newest messages (notices, reset links), for the delivery status on the page. */
  notices: NoticeView[];
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
  /** Who a case can be assigned to: empty for a customer without a case (only the case forms use it). */
  assignees: { id: string; name: string; role: string }[];
}

/** How many of the customer's messages the page lists, newest first. */
const NOTICES_SHOWN = 20;

const iso = (value: string | null) => (value ? isoOf(value) : null);

interface DeviceRow {
  id: string;
  fingerprint: string;
  platform: string;
  model: string | null;
  first_seen_at: string;
  trusted: boolean;
  revoked_at: string | null;
  last_sign_in_at: string | null;
  other_accounts: number;
}
interface SessionRow {
  id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  platform: string | null;
  model: string | null;
}
interface ContactChangeRow {
  id: string;
  field: string;
  old_value: string;
  new_value: string;
  changed_at: string;
  source: string;
  ip: string | null;
  old_value_verified: boolean;
}
interface CaseRow {
  id: string;
  incident_id: string;
  incident_code: string;
  incident_title: string;
  status: CaseStatus;
  opened_at: string;
  assignee_id: string | null;
  assignee_name: string | null;
}
interface NoteRow {
  id: string;
  case_id: string | null;
  body: string;
  created_at: string;
  author_name: string | null;
}
/** The one row the account view reads: the customer's columns, then each other read as a JSON column. */
interface ViewRow extends TimelineColumns {
  id: string;
  display_id: string;
  name: string;
  name_kana: string;
  email: string;
  email_verified: boolean;
  phone: string;
  phone_verified: boolean;
  birth_date: string;
  status: string;
  preferred_language: string;
  created_at: Date;
  must_change_password: boolean;
  two_factor_enrolled: boolean;
  step_up_locked_at: Date | string | null;
  contained_at: Date | string | null;
  wallet: { cached: number | string; from_entries: number | string | null } | null;
  devices: DeviceRow[];
  sessions: SessionRow[];
  funding: { kind: string; brand: string; last4: string | null; added_at: string }[];
  contacts: ContactChangeRow[];
  cases: CaseRow[];
  notes: NoteRow[];
  cohorts: { cohort_id: string; name: string; created_at: string; risk_score: number }[];
  incidents: { id: string; code: string; title: string }[];
  staff: { id: string; display_name: string; role: string }[];
  notices: CustomerNoticeRow[];
}

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
  // A stolen session must not open every customer's file in turn: views count against the member's read budget.
  await assertCustomerReadAllowed(ctx, "account.view", customerId);
  // The text form the database stores (wallet account codes, audit targets) is lower case.
  const id = customerId.toLowerCase();
  // Every read is one statement on the driver, each a column of the customer's row (ADRs 042 and 052): a
  // page's twenty-odd statements cost more in round trips, pool checkouts and row parsing than in their SQL.
  const assigneeRoles = ROLES.filter((role) => roleHasPermission(role, "cases:manage"));
  const statement = Prisma.sql`
    SELECT c.id::text AS id, c.display_id, c.name, c.name_kana, c.email, c.email_verified, c.phone, c.phone_verified,
           c.birth_date::text AS birth_date, c.status::text AS status, c.preferred_language, c.created_at,
           c.must_change_password, c.two_factor_enrolled, c.contained_at,
           (SELECT t.step_up_locked_at FROM customer_totp_credential t WHERE t.customer_id = c.id) AS step_up_locked_at,
           (SELECT to_json(w) FROM (
              SELECT a.balance AS cached,
                     (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entry e WHERE e.account_id = a.id) AS from_entries
                FROM ledger_account a WHERE a.code = ${walletAccountCode(id)}) w) AS wallet,
           ${jsonRows(Prisma.sql`
             SELECT d.id::text AS id, d.fingerprint, d.platform, d.model, d.first_seen_at, d.trusted, d.revoked_at,
                    (SELECT max(l.occurred_at) FROM login_event l WHERE l.device_id = d.id AND l.success) AS last_sign_in_at,
                    (SELECT count(*) FROM device o WHERE o.fingerprint = d.fingerprint AND o.customer_id <> d.customer_id) AS other_accounts
               FROM device d WHERE d.customer_id = c.id
              ORDER BY d.first_seen_at DESC LIMIT 50`)} AS devices,
           ${jsonRows(Prisma.sql`
             SELECT s.id, s.created_at, s.expires_at, s.revoked_at, d.platform, d.model
               FROM customer_session s LEFT JOIN device d ON d.id = s.device_id
              WHERE s.customer_id = c.id
              ORDER BY s.created_at DESC LIMIT 50`)} AS sessions,
           ${jsonRows(Prisma.sql`
             SELECT kind::text AS kind, brand, last4, added_at FROM funding_source
              WHERE customer_id = c.id ORDER BY added_at ASC`)} AS funding,
           ${jsonRows(Prisma.sql`
             SELECT id::text AS id, field::text AS field, old_value, new_value, changed_at, source, ip, old_value_verified
               FROM contact_change WHERE customer_id = c.id ORDER BY changed_at DESC LIMIT 50`)} AS contacts,
           ${jsonRows(Prisma.sql`
             SELECT k.id::text AS id, k.incident_id::text AS incident_id, i.code AS incident_code,
                    i.title AS incident_title, k.status::text AS status, k.opened_at, k.assignee_id::text AS assignee_id,
                    u.display_name AS assignee_name
               FROM incident_case k JOIN incident i ON i.id = k.incident_id
               LEFT JOIN staff_user u ON u.id = k.assignee_id
              WHERE k.customer_id = c.id ORDER BY k.opened_at DESC`)} AS cases,
           ${jsonRows(Prisma.sql`
             SELECT n.id::text AS id, n.case_id::text AS case_id, n.body, n.created_at, u.display_name AS author_name
               FROM account_note n LEFT JOIN staff_user u ON u.id = n.author_id
              WHERE n.customer_id = c.id ORDER BY n.created_at DESC LIMIT 100`)} AS notes,
           ${jsonRows(Prisma.sql`
             SELECT h.id::text AS cohort_id, h.name, h.created_at, m.risk_score
               FROM cohort_member m JOIN cohort h ON h.id = m.cohort_id
              WHERE m.customer_id = c.id ORDER BY h.created_at DESC LIMIT 20`)} AS cohorts,
           ${jsonRows(Prisma.sql`
             SELECT i.id::text AS id, i.code, i.title FROM incident i
              WHERE i.status <> 'RESOLVED'
                AND NOT EXISTS (SELECT 1 FROM incident_case k WHERE k.incident_id = i.id AND k.customer_id = c.id)
              ORDER BY i.opened_at DESC LIMIT 20`)} AS incidents,
           ${jsonRows(Prisma.sql`
             SELECT id::text AS id, display_name, role::text AS role FROM staff_user
              WHERE disabled_at IS NULL AND role::text = ANY(${assigneeRoles}::text[])
                -- Only the case forms use it: without a case, the staff directory stays out of the page's data.
                AND EXISTS (SELECT 1 FROM incident_case k WHERE k.customer_id = c.id)
              ORDER BY display_name ASC LIMIT 200`)} AS staff,
           ${customerNoticesColumn(Prisma.sql`c.id`, NOTICES_SHOWN)} AS notices,
           ${timelineColumns(id, options.before)}
      FROM customer c WHERE c.id = ${id}::uuid`;
  // Its text never varies (only the customer, the timeline's page and the roles are parameters), and planning its
  // sixteen subqueries cost more than running them: prepared, it is planned once per connection (ADR 060).
  const [view] = await query<ViewRow>(database.sql, statement.text, statement.values, prepared(statement.text));
  if (!view) throw notFound();
  const customer = view;

  // Recorded before the data leaves the server: an access that was not logged must not have happened.
  await recordAuditEvent({
    actor: ctx.actor,
    origin: ctx.origin,
    action: "account.view",
    outcome: "SUCCESS",
    targetType: "customer",
    targetId: customer.id,
    after: { displayId: customer.display_id, timelineBefore: options.before?.toISOString() ?? null },
  });

  const at = now();
  const {
    wallet: balanceRow,
    devices,
    sessions,
    funding,
    contacts,
    cases,
    notes,
    cohorts,
    incidents,
    staff,
    notices,
  } = view;
  const timeline = timelineOf(view, { language: options.language });

  return {
    customer: {
      id: customer.id,
      displayId: customer.display_id,
      name: customer.name,
      nameKana: customer.name_kana,
      email: customer.email,
      emailVerified: customer.email_verified,
      phone: customer.phone,
      phoneVerified: customer.phone_verified,
      birthDate: customer.birth_date.slice(0, 10),
      status: customer.status,
      preferredLanguage: customer.preferred_language,
      createdAt: new Date(customer.created_at).toISOString(),
      mustChangePassword: customer.must_change_password,
      twoFactorEnrolled: customer.two_factor_enrolled,
      stepUpLockedAt: customer.step_up_locked_at ? new Date(customer.step_up_locked_at).toISOString() : null,
    },
    statusChanges: availableStatusChanges(customer.status as CustomerStatus),
    reopenWaitsForReset: await reopeningWaitsForReset(
      customer.id,
      customer.status,
      customer.contained_at ? new Date(customer.contained_at) : null,
    ),
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
      device: s.platform ? [platformName(s.platform, options.language), s.model].filter(Boolean).join(" ") : null,
      createdAt: iso(s.created_at)!,
      expiresAt: iso(s.expires_at)!,
      state: s.revoked_at ? "revoked" : new Date(s.expires_at) <= at ? "expired" : "active",
    })),
    fundingSources: funding.map((f) => ({
      kind: f.kind,
      brand: f.brand,
      last4: f.last4,
      addedAt: iso(f.added_at)!,
    })),
    contactChanges: contacts.map((c) => ({
      id: c.id,
      field: c.field,
      oldValue: c.old_value,
      newValue: c.new_value,
      changedAt: iso(c.changed_at)!,
      source: c.source,
      ip: c.ip,
      oldValueVerified: c.old_value_verified,
    })),
    timeline,
    cases: cases.map((c) => ({
      id: c.id,
      incidentId: c.incident_id,
      incidentCode: c.incident_code,
      incidentTitle: c.incident_title,
      status: c.status,
      openedAt: iso(c.opened_at)!,
      assignee: c.assignee_id ? { id: c.assignee_id, name: c.assignee_name ?? "unknown staff" } : null,
      transitions: allowedCaseTransitions(c.status),
    })),
    notes: notes.map((n) => ({
      id: n.id,
      caseId: n.case_id,
      body: n.body,
      createdAt: iso(n.created_at)!,
      authorName: n.author_name,
    })),
    cohorts: cohorts.map((c) => ({
      cohortId: c.cohort_id,
      name: c.name,
      createdAt: iso(c.created_at)!,
      riskScore: c.risk_score,
    })),
    notices: customerNoticesOf(notices),
    incidentsWithoutCase: incidents,
    assignees: staff.map((s) => ({ id: s.id, name: s.display_name, role: s.role })),
  };
}
