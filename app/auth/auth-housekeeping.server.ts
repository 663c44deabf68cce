// Housekeeping for the sign-in tables: rows that can never matter again are deleted so the tables stay small and
// hold no more about staff and client addresses than they need to. Nothing here ends a live session: a session row is
// removed only once its idle or absolute limit has passed (the guard would refuse it anyway). The audit trail keeps
// the history of every sign-in, failure and lock; these tables are working state, not records. The same tick marks
// privileged-grant requests past their lifetime expired (staff-grants.server.ts), each through the audited spine, and
// drops the one-time form keys (ADR 087) a day old: a double post comes seconds after the first, and a staff session
// lasts at most twelve hours, so a key that old guards nothing. Committed-action marks (ADR 090) go after a day too:
// one is read only when its own action's COMMIT went unanswered, seconds after it was written. The tally of forced
// resets per member (ADR 104) is read over the last hour; a day of it is kept, then dropped.
import { IDLE_TIMEOUT_MS } from "~/auth/session.server";
import { IP_WINDOW_MS } from "~/auth/ip-throttle.server";
import { SECOND_FACTOR_WINDOW_MS } from "~/auth/second-factor.server";
import { expireStaffGrants } from "~/auth/staff-grants.server";
import { prisma } from "~/db.server";
import { isTransientDbError } from "~/db/transient-errors";
import { now } from "~/lib/clock.server";

const TEN_MINUTES = 10 * 60 * 1000;
const ONE_DAY = 24 * 60 * 60 * 1000;
const THIRTY_DAYS = 30 * ONE_DAY;
/** How long a form's one-time key is kept once claimed (ADR 087, 090). */
export const FORM_KEY_RETENTION_MS = ONE_DAY;
/** How long the mark of a committed staff action is kept (ADR 090). */
export const COMMITTED_ACTION_RETENTION_MS = ONE_DAY;
/** How long a member's forced resets are kept for the hourly budget of customers (ADR 104). */
export const FORCED_RESET_TALLY_RETENTION_MS = ONE_DAY;
/** How long a member's containments (freeze, mark compromised) are kept for the hourly budget of customers (ADR 115). */
export const CONTAINMENT_TALLY_RETENTION_MS = ONE_DAY;
export const AUTH_HOUSEKEEPING_INTERVAL_MS = TEN_MINUTES;

export interface HousekeepingOutcome {
  sessions: number;
  signInAttempts: number;
  secondFactorFailures: number;
  invites: number;
  grantRequestsExpired: number;
  formKeys: number;
  committedActions: number;
  forcedResetTally: number;
  containmentTally: number;
}

export async function purgeStaleAuthRows(at: Date = now()): Promise<HousekeepingOutcome> {
  const ago = (ms: number) => new Date(at.getTime() - ms);
  const sessions = await prisma.staffSession.deleteMany({
    where: { OR: [{ expiresAt: { lte: at } }, { lastSeenAt: { lte: ago(IDLE_TIMEOUT_MS) } }] },
  });
  const signInAttempts = await prisma.signInAttempt.deleteMany({ where: { occurredAt: { lt: ago(IP_WINDOW_MS) } } });
  const secondFactorFailures = await prisma.staffTotpFailure.deleteMany({
    where: { occurredAt: { lt: ago(SECOND_FACTOR_WINDOW_MS) } },
  });
  // Spent or expired one-time links: kept a month for questions like "did they ever open it?", then dropped.
  const invites = await prisma.staffInvite.deleteMany({
    where: { OR: [{ usedAt: { lt: ago(THIRTY_DAYS) } }, { expiresAt: { lt: ago(THIRTY_DAYS) } }] },
  });
  const formKeys = await prisma.formSubmission.deleteMany({ where: { createdAt: { lt: ago(FORM_KEY_RETENTION_MS) } } });
  const committedActions = await prisma.committedAction.deleteMany({
    where: { committedAt: { lt: ago(COMMITTED_ACTION_RETENTION_MS) } },
  });
  const forcedResetTally = await prisma.staffForcedReset.deleteMany({
    where: { createdAt: { lt: ago(FORCED_RESET_TALLY_RETENTION_MS) } },
  });
  const containmentTally = await prisma.staffContainment.deleteMany({
    where: { createdAt: { lt: ago(CONTAINMENT_TALLY_RETENTION_MS) } },
  });
  const grantRequestsExpired = await expireStaffGrants(at);
  return {
    grantRequestsExpired,
    sessions: sessions.count,
    signInAttempts: signInAttempts.count,
    secondFactorFailures: secondFactorFailures.count,
    invites: invites.count,
    formKeys: formKeys.count,
    committedActions: committedActions.count,
    forcedResetTally: forcedResetTally.count,
    containmentTally: containmentTally.count,
  };
}

export function startAuthHousekeeping(options: { intervalMs?: number } = {}): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = purgeStaleAuthRows()
      .catch((error: unknown) => {
        // The database away or busy is an operating condition: the next run deletes what this one could not.
        const report = isTransientDbError(error) ? console.warn : console.error;
        report(`auth housekeeping: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? AUTH_HOUSEKEEPING_INTERVAL_MS);
  timer.unref();
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
