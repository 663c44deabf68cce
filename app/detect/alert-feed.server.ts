// One database poll for every open console page: the banner's Server-Sent Events streams subscribe here, and a single
// loop (running only while someone listens) reads the unacknowledged alerts and fans the change out to all of them.
import { isTransientDbError } from "~/db/transient-errors";
import { listUnacknowledgedAlerts } from "./alerts.server";

export const ALERT_FEED_POLL_MS = 1_000;

export interface FeedAlert {
  id: string;
  detector: string;
  severity: string;
  raisedAt: string;
}

type Listener = (alerts: FeedAlert[]) => void;

interface Feed {
  listeners: Set<Listener>;
  latest: FeedAlert[] | null;
  latestJson: string;
  timer: ReturnType<typeof setTimeout> | null;
  /** A read in flight: the loop is alive between its timer and its read, and a new viewer must not start another. */
  polling: boolean;
}

// On globalThis: the test process and the in-process HTTP server hold two copies of this module.
const state = globalThis as unknown as { firebreakAlertFeed?: Feed };
function feed(): Feed {
  state.firebreakAlertFeed ??= { listeners: new Set(), latest: null, latestJson: "", timer: null, polling: false };
  return state.firebreakAlertFeed;
}

async function poll(): Promise<void> {
  const f = feed();
  f.timer = null;
  f.polling = true;
  try {
    const rows = await listUnacknowledgedAlerts();
    const alerts = rows.map((r) => ({
      id: r.id,
      detector: r.detector,
      severity: r.peakSeverity,
      raisedAt: r.raisedAt.toISOString(),
    }));
    const serialised = JSON.stringify(alerts);
    if (serialised !== f.latestJson) {
      f.latest = alerts;
      f.latestJson = serialised;
      for (const listener of f.listeners) listener(alerts);
    }
  } catch (error) {
    // The database away or busy: viewers keep the last alerts and the next poll tries again; anything else is a defect.
    if (isTransientDbError(error)) console.warn(`alert feed: database unavailable (${String(error).split("\n")[0]})`);
    else console.error(error);
  } finally {
    f.polling = false;
    f.timer = f.listeners.size > 0 ? setTimeout(() => void poll(), ALERT_FEED_POLL_MS) : null;
    f.timer?.unref?.();
  }
}

/** Calls the listener with the current alerts now (when known) and on every change; returns the unsubscribe. */
export function subscribeToAlerts(listener: Listener): () => void {
  const f = feed();
  f.listeners.add(listener);
  if (f.latest) listener(f.latest);
  // Only when no loop is alive: a viewer arriving while a read is in flight (slow, or the database away and the read
  // waiting on its connect) would otherwise start a second loop, and every such arrival another, for good.
  if (!f.timer && !f.polling) void poll();
  return () => {
    f.listeners.delete(listener);
    if (f.listeners.size === 0 && f.timer) {
      clearTimeout(f.timer);
      f.timer = null;
      f.latest = null;
      f.latestJson = "";
    }
  };
}

export function alertFeedListenerCount(): number {
  return feed().listeners.size;
}
