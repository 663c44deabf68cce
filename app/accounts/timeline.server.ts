// One timeline of an account, newest first: sign-ins (and failed attempts), top-ups, purchases, reversals, contact
// changes, risk rules' decisions and what staff did to it (audit rows targeting the customer, its cases or its
// transactions). Each source is read with its own (customer_id, time) index and a limit, all five in one statement
// (the account view folds them into its own), then merged; "older" pages continue before the last event shown.
import { auditActionText } from "~/audit/action-names";
import { auditRoleName, reasonColumnText, reversalReasonText } from "~/audit/system-reasons";
import { isoOf, jsonRows } from "~/accounts/json-rows.server";
import type { RawReader } from "~/db/driver-raw.server";
import { Prisma } from "~/generated/prisma/client";
import type { Language } from "~/i18n/config";
import { fixedT } from "~/i18n/fixed-t";
import { platformName } from "~/lib/device-platform";
import { formatYen } from "~/lib/format";
import { EVENT_KINDS, type EventKind } from "~/risk/features";

/**
 * Events per page of the timeline (ADR 082). An agent on a call needs what happened lately: the last sign-ins, the
 * top-ups and purchases around an incident, what staff did. In the replay 25 events hold the whole history of 99 % of
 * accounts and of 90 % of the incident's victims; for the rest they reach back over the incident's days, and the
 * "older events" link pages on. A hundred were rendered, serialised into the page and read on every account view.
 */
export const TIMELINE_PAGE = 25;

export type TimelineKind =
  | "sign-in"
  | "sign-in-failed"
  | "top-up"
  | "purchase"
  | "reversal"
  | "contact-change"
  | "staff-action"
  | "risk-decision";

export interface TimelineEvent {
  kind: TimelineKind;
  at: string; // ISO, shown in JST by the page
  summary: string;
  /** Yen moved: positive into the wallet, negative out of it. */
  amount: number | null;
  /** Marks a reader should notice: a new device, a foreign country, a failed attempt, a refused action. */
  flags: string[];
  ref: string | null;
}

interface LoginRow {
  id: string;
  occurred_at: string;
  ip: string;
  country: string;
  success: boolean;
  new_device: boolean;
  platform: string | null;
  model: string | null;
}
interface MoneyRow {
  id: string;
  kind: "TOP_UP" | "PURCHASE" | "REVERSAL";
  amount: number;
  channel: string | null;
  occurred_at: string;
  reverses_id: string | null;
  reason_code: string | null;
  brand: string | null;
  last4: string | null;
  store: string | null;
  items: string | null;
  resellable: boolean | null;
}
interface ContactRow {
  id: string;
  field: string;
  changed_at: string;
  source: string;
  ip: string | null;
}
interface AuditRow {
  seq: number | bigint;
  occurred_at: string;
  action: string;
  outcome: string;
  actor_role: string | null;
  actor_name: string | null;
  reason: string | null;
}

export interface TimelineOptions {
  before?: Date;
  homeCountry?: string;
  language?: Language;
}

const END_OF_TIME = new Date("9999-12-31T00:00:00Z");

interface RiskDecisionRow {
  id: string;
  occurred_at: string;
  outcome: string;
  rule_key: string | null;
  rule_version: number | null;
  event_kind: string;
  amount: number | null;
  features: Record<string, unknown> | null;
}

/** A recorded decision's event kind (a row from before kinds were recorded is a top-up's). */
function decisionKind(kind: string): EventKind {
  return (EVENT_KINDS as readonly string[]).includes(kind) ? (kind as EventKind) : "TOP_UP";
}

/**
 * The actions that only read an account: listed in the access log, not the timeline of what happened to it. Written
 * into the statement as literals, the same as the predicate of the index that leaves them out (migration
 * 20261207a00000_timeline_staff_actions): with bind parameters the planner could not prove that index applies.
 */
const READ_ACTIONS_SQL = Prisma.raw(`('account.view', 'accounts.search')`);

/**
 * The staff actions on the targets `targets` selects (type, id): each target probed in that index, so the read is
 * bounded by the account's own targets and their staff actions, never by the size of the audit trail (a plan walking
 * the whole trail in seq order until a hundred matched was open to the planner while the targets were an OR).
 */
function staffActionsOn(targets: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT e.seq, e.occurred_at, e.action, e.outcome, e.actor_role, e.actor_id, e.reason
      FROM (${targets}) AS t(type, id)
      JOIN audit_event e ON e.target_type = t.type AND e.target_id = t.id AND e.action NOT IN ${READ_ACTIONS_SQL}`;
}

/** The five reads, newest first, each a JSON column: one statement on its own or within the account view's. */
export function timelineColumns(customerId: string, before: Date = END_OF_TIME): Prisma.Sql {
  const limit = TIMELINE_PAGE + 1;
  return Prisma.sql`
    ${jsonRows(Prisma.sql`
      SELECT l.id::text AS id, l.occurred_at, l.ip, l.country, l.success, l.new_device, d.platform, d.model
        FROM login_event l LEFT JOIN device d ON d.id = l.device_id
       WHERE l.customer_id = ${customerId}::uuid AND l.occurred_at < ${before}
       ORDER BY l.occurred_at DESC LIMIT ${limit}`)} AS timeline_logins,
    ${jsonRows(Prisma.sql`
      SELECT t.id::text AS id, t.kind::text AS kind, t.amount, t.channel::text AS channel, t.occurred_at,
             t.reverses_id::text AS reverses_id, t.reason_code, f.brand, f.last4, s.name AS store,
             (SELECT string_agg(i.description || ' ×' || i.quantity, ', ' ORDER BY i.description)
                FROM purchase_item i WHERE i.purchase_id = p.id) AS items,
             (SELECT bool_or(c.resellable) FROM purchase_item i JOIN product_category c ON c.code = i.category_code
               WHERE i.purchase_id = p.id) AS resellable
        FROM ledger_transaction t
        LEFT JOIN funding_source f ON f.id = t.funding_source_id
        LEFT JOIN purchase p ON p.transaction_id = t.id
        LEFT JOIN store s ON s.id = p.store_id
       WHERE t.customer_id = ${customerId}::uuid AND t.occurred_at < ${before}
       ORDER BY t.occurred_at DESC LIMIT ${limit}`)} AS timeline_money,
    ${jsonRows(Prisma.sql`
      SELECT id::text AS id, field::text AS field, changed_at, source, ip FROM contact_change
       WHERE customer_id = ${customerId}::uuid AND changed_at < ${before}
       ORDER BY changed_at DESC LIMIT ${limit}`)} AS timeline_contacts,
    ${jsonRows(Prisma.sql`
      SELECT a.seq, a.occurred_at, a.action, a.outcome::text AS outcome, a.actor_role, u.display_name AS actor_name,
             a.reason
        FROM (${staffActionsOn(Prisma.sql`SELECT 'customer', ${customerId}`)}
              UNION ALL
              ${staffActionsOn(Prisma.sql`SELECT 'incident_case', id::text FROM incident_case
                                           WHERE customer_id = ${customerId}::uuid`)}
              UNION ALL
              ${staffActionsOn(Prisma.sql`SELECT 'ledger_transaction', id::text FROM ledger_transaction
                                           WHERE customer_id = ${customerId}::uuid`)}) a
        LEFT JOIN staff_user u ON u.id::text = a.actor_id
       WHERE a.occurred_at < ${before}
       ORDER BY a.seq DESC LIMIT ${limit}`)} AS timeline_staff,
    ${jsonRows(Prisma.sql`
      SELECT id::text AS id, occurred_at, outcome::text AS outcome, rule_key, rule_version, event_kind, amount, features
        FROM risk_decision
       WHERE customer_id = ${customerId}::uuid AND occurred_at < ${before}
       ORDER BY occurred_at DESC LIMIT ${limit}`)} AS timeline_risk`;
}

/** What `timelineColumns` selects, as a row reads it. */
export interface TimelineColumns {
  timeline_logins: LoginRow[];
  timeline_money: MoneyRow[];
  timeline_contacts: ContactRow[];
  timeline_staff: AuditRow[];
  timeline_risk: RiskDecisionRow[];
}

export async function loadTimeline(
  // A Prisma client or transaction, or the driver (driverReader).
  db: RawReader,
  customerId: string,
  options: TimelineOptions = {},
): Promise<{ events: TimelineEvent[]; hasMore: boolean }> {
  const statement = Prisma.sql`SELECT ${timelineColumns(customerId, options.before)}`;
  const strings = Object.assign([...statement.strings], { raw: statement.strings });
  const [row] = await db.$queryRaw<TimelineColumns[]>(strings, ...statement.values);
  return timelineOf(row!, options);
}

/** The merged, newest-first page of events from the five reads, summarised in the reader's language. */
export function timelineOf(
  row: TimelineColumns,
  options: TimelineOptions = {},
): { events: TimelineEvent[]; hasMore: boolean } {
  // Summaries in the reader's language; English when no reader is named (scripts and tests).
  const language = options.language ?? "en";
  const t = fixedT(language, "accounts");
  const home = options.homeCountry ?? "JP";
  const {
    timeline_logins: logins,
    timeline_money: money,
    timeline_contacts: contacts,
    timeline_staff: staff,
    timeline_risk: risk,
  } = row;

  const events: TimelineEvent[] = [
    ...logins.map((l): TimelineEvent => {
      const platform = l.platform ? platformName(l.platform, language) : null;
      const device = [platform, l.model].filter(Boolean).join(" ") || t("timelineText.unknownDevice");
      const flags = [
        ...(l.success ? [] : [t("timelineText.flag.failed")]),
        ...(l.new_device ? [t("timelineText.flag.newDevice")] : []),
        ...(l.country !== home ? [t("timelineText.flag.abroad", { country: l.country })] : []),
      ];
      const where = { device, ip: l.ip, country: l.country };
      return {
        kind: l.success ? "sign-in" : "sign-in-failed",
        at: isoOf(l.occurred_at),
        summary: l.success ? t("timelineText.signedIn", where) : t("timelineText.failedSignIn", where),
        amount: null,
        flags,
        ref: l.id,
      };
    }),
    ...money.map((m): TimelineEvent => {
      const at = isoOf(m.occurred_at);
      if (m.kind === "TOP_UP") {
        const source = m.brand
          ? `${m.brand}${m.last4 ? ` ••${m.last4}` : ""}`
          : (m.channel ?? t("timelineText.unknownSource"));
        return {
          kind: "top-up",
          at,
          summary: t("timelineText.topUp", { source }),
          amount: m.amount,
          flags: [],
          ref: m.id,
        };
      }
      if (m.kind === "PURCHASE") {
        return {
          kind: "purchase",
          at,
          summary: t("timelineText.purchase", {
            store: m.store ?? t("timelineText.aStore"),
            items: m.items ? `: ${m.items}` : "",
          }),
          amount: -m.amount,
          flags: m.resellable ? [t("timelineText.flag.resellable")] : [],
          ref: m.id,
        };
      }
      return {
        kind: "reversal",
        at,
        summary: t("timelineText.reversal", {
          amount: formatYen(m.amount, language),
          original: m.reverses_id ? t("timelineText.reversalOf", { id: m.reverses_id.slice(0, 8) }) : "",
          // The reason's name with its code, as the audited entry beside it says it (ADR 113).
          reason: m.reason_code ? ` — ${reversalReasonText(m.reason_code, language)}` : "",
        }),
        amount: null,
        flags: [],
        ref: m.id,
      };
    }),
    ...contacts.map((c): TimelineEvent => ({
      kind: "contact-change",
      at: isoOf(c.changed_at),
      summary: t(c.field === "PHONE" ? "timelineText.contactChanged.PHONE" : "timelineText.contactChanged.EMAIL", {
        detail: `${c.source}${c.ip ? `, ${c.ip}` : ""}`,
      }),
      amount: null,
      flags: [],
      ref: c.id,
    })),
    // A risk rule's decision on a wallet event: its kind, the rule version and the feature values that triggered it.
    ...risk.map((r): TimelineEvent => ({
      kind: "risk-decision",
      at: isoOf(r.occurred_at),
      summary: t("timelineText.riskRule", {
        rule: r.rule_key ?? t("timelineText.ruleSetUnreadable"),
        version: r.rule_version ? ` v${r.rule_version}` : "",
        outcome: r.outcome,
        amount: t(`timelineText.onEvent.${decisionKind(r.event_kind)}`, {
          amount: r.amount === null ? "" : formatYen(r.amount, language),
        }),
        features: Object.entries(r.features ?? {})
          .map(([name, value]) => `${name} = ${String(value)}`)
          .join(", "),
      }),
      amount: null,
      flags: r.outcome === "ALLOW" ? [] : [r.outcome.toLowerCase().replace("_", "-")],
      ref: `risk:${r.id}`,
    })),
    ...staff.map((a): TimelineEvent => ({
      kind: "staff-action",
      at: isoOf(a.occurred_at),
      summary: t("timelineText.staffAction", {
        action: auditActionText(a.action, language),
        // A nameless actor (the system, a member no longer on file) by its role's name, as the audit trail says it.
        actor: a.actor_name ?? (a.actor_role ? auditRoleName(a.actor_role, language) : t("timelineText.system")),
        reason: a.reason ? ` — ${reasonColumnText(a.reason, a.action, language)}` : "",
      }),
      amount: null,
      flags: a.outcome === "SUCCESS" ? [] : [a.outcome.toLowerCase()],
      ref: `audit:${String(a.seq)}`,
    })),
  ];
  events.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return firstPageOf(events);
}

/**
 * The first TIMELINE_PAGE events, cut where the time changes: the next page asks for what came strictly before the
 * last event shown, so an event sharing that instant but cut off (a risk rule's decision on a top-up, recorded in the
 * same millisecond) would never be shown on either page. The page is shorter by those events; they open the next one.
 */
export function firstPageOf(newestFirst: TimelineEvent[]): { events: TimelineEvent[]; hasMore: boolean } {
  if (newestFirst.length <= TIMELINE_PAGE) return { events: newestFirst, hasMore: false };
  const firstLeftOut = newestFirst[TIMELINE_PAGE]!.at;
  let end = TIMELINE_PAGE;
  while (end > 0 && newestFirst[end - 1]!.at === firstLeftOut) end -= 1;
  // A whole page within one millisecond cannot be cut at a change of time: shown as it is.
  if (end === 0) end = TIMELINE_PAGE;
  return { events: newestFirst.slice(0, end), hasMore: true };
}
