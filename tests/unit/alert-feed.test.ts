// The alert banner's feed is one database poll per process, however many console pages listen (ADR 032): viewers who
// open a page while a poll is still reading (the database slow, or away and each attempt waiting on its connect) join
// that poll's loop rather than starting loops of their own, which would multiply the reads exactly when the database
// is in trouble. While the database is away the viewers keep what they had and get the alerts once it answers.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const reads = vi.hoisted(() => ({ count: 0, fail: false, delayMs: 300 }));

vi.mock("~/detect/alerts.server", () => ({
  listUnacknowledgedAlerts: async () => {
    reads.count += 1;
    await new Promise((resolve) => setTimeout(resolve, reads.delayMs));
    if (reads.fail) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    return [{ id: "a1", detector: "failed-signin-rate", peakSeverity: "HIGH", raisedAt: new Date(0) }];
  },
}));

const { ALERT_FEED_POLL_MS, subscribeToAlerts } = await import("~/detect/alert-feed.server");

beforeEach(() => {
  vi.useFakeTimers();
  reads.count = 0;
  reads.fail = false;
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the alert feed", () => {
  it("reads once per interval for every viewer, also for viewers who arrive while a read is in flight", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    reads.fail = true;
    const unsubscribe: (() => void)[] = [];
    // Ten pages opened while the database is away, each a little after the previous one: most arrive mid-read.
    for (let n = 0; n < 10; n++) {
      unsubscribe.push(subscribeToAlerts(() => undefined));
      await vi.advanceTimersByTimeAsync(100);
    }
    const before = reads.count;
    await vi.advanceTimersByTimeAsync(10 * (ALERT_FEED_POLL_MS + reads.delayMs));
    expect(reads.count - before).toBeLessThanOrEqual(10);

    // Back: every viewer gets the alerts, still from one read per interval.
    reads.fail = false;
    const seen: number[] = [];
    unsubscribe.push(subscribeToAlerts((alerts) => seen.push(alerts.length)));
    await vi.advanceTimersByTimeAsync(2 * (ALERT_FEED_POLL_MS + reads.delayMs));
    expect(seen).toContain(1);
    for (const stop of unsubscribe) stop();
    const after = reads.count;
    await vi.advanceTimersByTimeAsync(5 * (ALERT_FEED_POLL_MS + reads.delayMs));
    expect(reads.count - after).toBeLessThanOrEqual(1);
  });
});
