// Registered in app/jobs/workers.server.ts: evaluates every closed minute (catching up after a pause), at most one
// evaluation per minute. Several processes may run it: the cursor's row lock lets one evaluate each minute.
import { isTransientDbError } from "~/db/transient-errors";
import { now } from "~/lib/clock.server";
import { wakeOutboxWorker } from "~/notify/outbox.server";
import { evaluateNextMinute } from "./live-evaluation.server";
import { fireContainmentPolicies } from "./policies.server";

export const DETECT_POLL_MS = 1_000;
/** A worker that fell behind catches up at most this many minutes per tick, so it never hogs the database. */
const CATCH_UP_PER_TICK = 30;

export function startDetectWorker(
  options: { pollMs?: number; log?: Pick<Console, "error" | "warn"> } = {},
): () => Promise<void> {
  const log = options.log ?? console;
  let running: Promise<void> | null = null;
  let stopped = false;
  const runOnce = async () => {
    let raised = 0;
    for (let n = 0; n < CATCH_UP_PER_TICK && !stopped; n++) {
      const outcome = await evaluateNextMinute(now());
      if (outcome === null) break;
      raised += outcome.raisedAlertIds.length;
    }
    // After the minute's transaction: engaging a switch is its own audited action.
    if (!stopped) raised += (await fireContainmentPolicies()).length;
    // The leads' mails were queued with the alerts: an outbox worker in this process sends them now, not at its poll.
    if (raised > 0) wakeOutboxWorker();
  };
  const tick = () => {
    if (stopped || running) return;
    running = runOnce()
      .catch((error: unknown) => {
        // The database away or busy is an operating condition, not a defect: the next tick tries again, and a minute
        // not evaluated meanwhile is caught up then.
        if (isTransientDbError(error)) log.warn(`detectors: database unavailable (${String(error).split("\n")[0]})`);
        else log.error(error);
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.pollMs ?? DETECT_POLL_MS);
  timer.unref();
  tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
