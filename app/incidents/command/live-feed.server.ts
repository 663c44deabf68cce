// Live updates for every open dashboard of an incident from ONE poll per incident per process, however many viewers:
// each tick runs a one-row change probe; only when it differs does the process recompute the figures, once, and hand
// the same payload to every subscriber. A viewer's stream holds no database connection (ADR 032).
import { prisma } from "~/db.server";
import { toDashboardView, type DashboardView } from "~/incidents/command/dashboard-view";
import { loadCommandFigures } from "~/incidents/command/figures.server";

export const POLL_INTERVAL_MS = 2_000;

type Listener = (view: DashboardView) => void;

interface Feed {
  incidentId: string;
  listeners: Set<Listener>;
  timer: ReturnType<typeof setInterval> | null;
  lastProbe: string | null;
  last: DashboardView | null;
  running: Promise<void> | null;
}

export interface FeedStats {
  probes: number;
  recomputes: number;
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
  hub.firebreakLiveFeedStats ??= { probes: 0, recomputes: 0 };
  return hub.firebreakLiveFeedStats;
}

/** Tests drive the feed with pollFeedNow and switch the timer off (0). */
export function setPollInterval(ms: number): void {
  hub.firebreakLiveFeedInterval = ms;
}

/**
 * Anything the dashboard shows changes one of these: staff actions and job batches write audit rows; the attack and
 * reversals write ledger rows; the outbox worker updates messages; switch changes are audited.
 */
export async function probeIncident(incidentId: string): Promise<string> {
  const [row] = await prisma.$queryRaw<{ probe: string }[]>`
    SELECT concat_ws('|',
      (SELECT MAX(seq) FROM audit_event),
      (SELECT MAX(occurred_at) FROM ledger_transaction),
      (SELECT COUNT(*) || ':' || MAX(updated_at) FROM outbound_message WHERE incident_id = ${incidentId}::uuid),
      (SELECT COUNT(*) FROM incident_case WHERE incident_id = ${incidentId}::uuid)) AS probe`;
  return row?.probe ?? "";
}

async function poll(feed: Feed): Promise<void> {
  const stats = feedStats();
  stats.probes += 1;
  const probe = await probeIncident(feed.incidentId);
  if (probe === feed.lastProbe && feed.last) return;
  stats.recomputes += 1;
  const view = toDashboardView(await loadCommandFigures(feed.incidentId));
  feed.lastProbe = probe;
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
 * The dashboard's figures for a page render: when the incident's feed is open (someone is watching) and nothing changed
 * since its last computation, the feed's figures at the cost of one probe; otherwise a fresh computation.
 */
export async function loadDashboardView(incidentId: string): Promise<DashboardView> {
  const feed = feeds().get(incidentId);
  if (feed?.last && feed.lastProbe !== null) {
    const stats = feedStats();
    stats.probes += 1;
    if ((await probeIncident(incidentId)) === feed.lastProbe) return feed.last;
  }
  feedStats().recomputes += 1;
  return toDashboardView(await loadCommandFigures(incidentId));
}

export function subscribeToIncident(incidentId: string, listener: Listener): () => void {
  let feed = feeds().get(incidentId);
  if (!feed) {
    feed = { incidentId, listeners: new Set(), timer: null, lastProbe: null, last: null, running: null };
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
