// Live updates for every open dashboard of an incident from ONE poll per incident per process, however many viewers:
// each tick runs a one-row change probe; only when it differs does the process recompute the figures, once, and hand
// the same payload to every subscriber. A viewer's stream holds no database connection (ADR 032). The probe has one
// part per source, and only the sections that read a changed source are recomputed (ADR 038).
import { prisma } from "~/db.server";
import { toDashboardView, type DashboardView } from "~/incidents/command/dashboard-view";
import {
  FIGURE_SECTIONS,
  refreshCommandFigures,
  type CommandFigures,
  type FigureSection,
} from "~/incidents/command/figures.server";

export const POLL_INTERVAL_MS = 2_000;

type Listener = (view: DashboardView) => void;

interface Feed {
  incidentId: string;
  listeners: Set<Listener>;
  timer: ReturnType<typeof setInterval> | null;
  lastProbe: Probe | null;
  figures: CommandFigures | null;
  last: DashboardView | null;
  running: Promise<void> | null;
}

export interface FeedStats {
  probes: number;
  recomputes: number;
  /** Sections loaded by recomputations (at most six per recomputation). */
  sections: number;
}

// On globalThis: tests and the in-process HTTP server (a second copy of this module) must share one hub.
const hub = globalThis as unknown as {
  firebreakLiveFeeds?: Map<string, Feed>;
  firebreakLiveFeedStats?: FeedStats;
  firebreakLiveFeedInterval?: number;
};

function feeds(): Map<string, Feed> {
  hub.firebreakLiveFeeds ??= new Map();
  return hub.firebreakLiveFeeds;
}

export function feedStats(): FeedStats {
  hub.firebreakLiveFeedStats ??= { probes: 0, recomputes: 0, sections: 0 };
  return hub.firebreakLiveFeedStats;
}

/** Tests drive the feed with pollFeedNow and switch the timer off (0). */
export function setPollInterval(ms: number): void {
  hub.firebreakLiveFeedInterval = ms;
}

/**
 * Anything the dashboard shows changes one of these: staff actions and job batches write audit rows; the attack and
 * reversals write ledger rows (a purchase is also a ledger row of kind PURCHASE); the outbox worker updates messages;
 * switch changes are audited.
 */
export interface Probe {
  audit: string;
  ledger: string;
  purchases: string;
  outbox: string;
  cases: string;
}

/** The probe parts each section reads. */
const SECTION_SOURCES: Record<FigureSection, (keyof Probe)[]> = {
  money: ["ledger", "cases"],
  funnel: ["audit", "cases"],
  switches: ["audit"],
  jobs: ["audit"],
  campaigns: ["outbox"],
  destinations: ["purchases", "cases"],
};

export async function probeIncident(incidentId: string): Promise<Probe> {
  const [row] = await prisma.$queryRaw<Record<keyof Probe, string | null>[]>`
    SELECT (SELECT MAX(seq) FROM audit_event)::text AS audit,
           (SELECT MAX(occurred_at) FROM ledger_transaction)::text AS ledger,
           (SELECT MAX(occurred_at) FROM ledger_transaction WHERE kind = 'PURCHASE')::text AS purchases,
           (SELECT COUNT(*) || ':' || MAX(updated_at) FROM outbound_message WHERE incident_id = ${incidentId}::uuid)
             AS outbox,
           (SELECT COUNT(*) FROM incident_case WHERE incident_id = ${incidentId}::uuid)::text AS cases`;
  return {
    audit: row?.audit ?? "",
    ledger: row?.ledger ?? "",
    purchases: row?.purchases ?? "",
    outbox: row?.outbox ?? "",
    cases: row?.cases ?? "",
  };
}

function changedSections(before: Probe | null, after: Probe): Set<FigureSection> {
  if (!before) return new Set(FIGURE_SECTIONS);
  return new Set(FIGURE_SECTIONS.filter((section) => SECTION_SOURCES[section].some((p) => before[p] !== after[p])));
}

async function recompute(incidentId: string, base: CommandFigures | null, sections: Set<FigureSection>) {
  const stats = feedStats();
  stats.recomputes += 1;
  stats.sections += base ? sections.size : FIGURE_SECTIONS.length;
  return refreshCommandFigures(incidentId, base, sections);
}

async function poll(feed: Feed): Promise<void> {
  const stats = feedStats();
  stats.probes += 1;
  const probe = await probeIncident(feed.incidentId);
  const sections = changedSections(feed.figures ? feed.lastProbe : null, probe);
  if (sections.size === 0 && feed.last) return;
  const figures = await recompute(feed.incidentId, feed.figures, sections);
  const view = toDashboardView(figures);
  feed.lastProbe = probe;
  feed.figures = figures;
  feed.last = view;
  for (const listener of feed.listeners) listener(view);
}

/** One poll of the incident's feed, shared by concurrent callers (a tick never overlaps the previous one). */
export function pollFeedNow(incidentId: string): Promise<void> {
  const feed = feeds().get(incidentId);
  if (!feed) return Promise.resolve();
  feed.running ??= poll(feed)
    .catch(() => {
      // A failed poll (database restarting) is retried at the next tick; viewers keep the last figures.
    })
    .finally(() => {
      feed.running = null;
    });
  return feed.running;
}

/**
 * The dashboard's figures for a page render: when the incident's feed is open (someone is watching), the feed's figures
 * for the cost of one probe, with only the sections whose sources changed since recomputed; otherwise a fresh
 * computation.
 */
export async function loadDashboardView(incidentId: string): Promise<DashboardView> {
  const feed = feeds().get(incidentId);
  if (feed?.figures && feed.last && feed.lastProbe !== null) {
    const { figures, last, lastProbe } = feed;
    feedStats().probes += 1;
    const sections = changedSections(lastProbe, await probeIncident(incidentId));
    if (sections.size === 0) return last;
    return toDashboardView(await recompute(incidentId, figures, sections));
  }
  return toDashboardView(await recompute(incidentId, null, new Set(FIGURE_SECTIONS)));
}

export function subscribeToIncident(incidentId: string, listener: Listener): () => void {
  let feed = feeds().get(incidentId);
  if (!feed) {
    feed = {
      incidentId,
      listeners: new Set(),
      timer: null,
      lastProbe: null,
      figures: null,
      last: null,
      running: null,
    };
    feeds().set(incidentId, feed);
    const interval = hub.firebreakLiveFeedInterval ?? POLL_INTERVAL_MS;
    if (interval > 0) {
      feed.timer = setInterval(() => void pollFeedNow(incidentId), interval);
      feed.timer.unref?.();
    }
  }
  feed.listeners.add(listener);
  const current = feed;
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size === 0) {
      if (current.timer) clearInterval(current.timer);
      feeds().delete(incidentId);
    }
  };
}

export function subscriberCount(incidentId: string): number {
  return feeds().get(incidentId)?.listeners.size ?? 0;
}
