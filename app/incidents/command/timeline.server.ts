// One chronological record of an incident's response, for the post-mortem: every audited action tagged with the
// incident, the kill-switch changes made while it was open (switches are not per incident), and the wallet's own
// events (the first fraudulent top-up). Other capabilities add entries through registerTimelineSource (the
// early-warning alerts are meant to) without this module depending on them.
import { prisma } from "~/db.server";
import type { IncidentRef } from "~/incidents/command/figures.server";
import type { TimelineCategory } from "~/incidents/command/timeline-categories";

export { TIMELINE_CATEGORIES, type TimelineCategory } from "~/incidents/command/timeline-categories";

export interface TimelineEntry {
  /** Unique within the timeline: "audit:<seq>" for audited actions, "<source>:<id>" otherwise. */
  id: string;
  at: Date;
  category: TimelineCategory;
  action: string;
  outcome: string | null;
  /** Who acted, in words of the source's own (an audited entry says it through actorRole and actorId instead). */
  actor: string | null;
  /** An audited entry's actor: its role (a staff role, SYSTEM, SERVICE), named in the reader's language by the page. */
  actorRole?: string | null;
  /** An audited entry's actor id (a staff id, or a system actor's code such as system:seed), shown as a code. */
  actorId?: string | null;
  /** An audited entry's target: a stored record type and id, codes. */
  target?: { type: string; id: string } | null;
  /** The reason of an audited action (data, shown as recorded), or of an audited action (data, shown as recorded), or an English sentence. */
  summary: string;
  /** A sentence of the console's own, shown instead of `summary` in the reader's language: its key, and its values
   * that are yen amounts (formatted for that language). */
  summaryMessage?: { key: string; yen: Record<string, number> };
  /** The audit row behind the entry, when there is one. */
  auditSeq: string | null;
}

/** An extra source of entries: given the incident and the window, the entries it knows about. */
export type TimelineSource = (incident: IncidentRef, window: { from: Date; to: Date }) => Promise<TimelineEntry[]>;

// On globalThis: the in-process HTTP server of the tests bundles its own copy of this module.
const registry = globalThis as unknown as { firebreakTimelineSources?: Map<string, TimelineSource> };

export function registerTimelineSource(name: string, source: TimelineSource): void {
  registry.firebreakTimelineSources ??= new Map();
  registry.firebreakTimelineSources.set(name, source);
}

export function unregisterTimelineSource(name: string): void {
  registry.firebreakTimelineSources?.delete(name);
}

const CATEGORY_BY_PREFIX: [string, TimelineCategory][] = [
  ["killswitch.", "switch"],
  ["cohort.", "cohort"],
  ["case.", "case"],
  ["ledger.", "money"],
  ["recovery.", "recovery"],
  ["customer.password-reset", "recovery"],
  ["notify.", "notice"],
  ["jobs.", "job"],
  ["alert.", "alert"],
  ["detect.", "alert"],
];

export function categoriseAction(action: string): TimelineCategory {
  return CATEGORY_BY_PREFIX.find(([prefix]) => action.startsWith(prefix))?.[1] ?? "other";
}

const MAX_ENTRIES = 2000;

export async function loadTimeline(
  incident: IncidentRef,
  options: { categories?: readonly TimelineCategory[]; until: Date },
): Promise<{ entries: TimelineEntry[]; truncated: boolean }> {
  const window = { from: incident.openedAt, to: options.until };
  // Audited actions of the incident, plus switch changes while it is open (they carry no incident id). Audited reads are
  // included too: who looked at what during the incident is part of the record.
  const audited = await prisma.$queryRaw<
    {
      seq: bigint;
      occurred_at: Date;
      action: string;
      outcome: string;
      actor_id: string | null;
      actor_role: string | null;
      target_type: string | null;
      target_id: string | null;
      reason: string | null;
    }[]
  >`
    SELECT seq, occurred_at, action, outcome::text AS outcome, actor_id, actor_role, target_type, target_id, reason
      FROM audit_event
     WHERE (incident_id = ${incident.id} OR (action LIKE 'killswitch.%' AND action <> 'killswitch.service-ack'
                                              AND occurred_at >= ${incident.openedAt}))
     ORDER BY occurred_at, seq
     LIMIT ${MAX_ENTRIES + 1}`;
  const entries: TimelineEntry[] = audited.slice(0, MAX_ENTRIES).map((row) => ({
    id: `audit:${row.seq}`,
    at: row.occurred_at,
    category: categoriseAction(row.action),
    action: row.action,
    outcome: row.outcome,
    // Kept apart rather than joined into one string, so the page names the role in the reader's language and shows the
    // codes as codes (a joined "SYSTEM system:s incident …" was English on a Japanese page).
    actor: null,
    actorRole: row.actor_role,
    actorId: row.actor_id,
    target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
    summary: row.reason ?? "",
    auditSeq: row.seq.toString(),
  }));

  const [first] = await prisma.$queryRaw<{ id: string; occurred_at: Date; amount: number }[]>`
    SELECT t.id, t.occurred_at, t.amount FROM ledger_transaction t
      JOIN incident_case c ON c.customer_id = t.customer_id AND c.incident_id = ${incident.id}::uuid
     WHERE t.kind = 'TOP_UP' AND t.occurred_at >= ${incident.openedAt}
     ORDER BY t.occurred_at, t.id LIMIT 1`;
  if (first) {
    entries.push({
      id: `wallet:first-top-up:${first.id}`,
      at: first.occurred_at,
      category: "wallet",
      action: "wallet.first-fraudulent-top-up",
      outcome: null,
      actor: null,
      summary: `¥${first.amount} top-up into a victim's wallet`,
      summaryMessage: { key: "command:timeline.firstTopUp", yen: { amount: Number(first.amount) } },
      auditSeq: null,
    });
  }
  for (const source of registry.firebreakTimelineSources?.values() ?? []) {
    entries.push(...(await source(incident, window)));
  }
  entries.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id, "en", { numeric: true }));
  const wanted = options.categories && options.categories.length > 0 ? new Set(options.categories) : null;
  return {
    entries: wanted ? entries.filter((entry) => wanted.has(entry.category)) : entries,
    truncated: audited.length > MAX_ENTRIES,
  };
}
