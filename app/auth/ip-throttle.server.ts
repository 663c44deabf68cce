// The credential-stuffing throttle. The account lockout stops guessing one account; stuffing tries one or two
// passwords against thousands of accounts, so failures are also counted per client address across all accounts.
// More than IP_FAILURE_LIMIT failures within IP_WINDOW_MS from one address → 429 until the window slides past them.
// The customers' reset-link page keeps its own bucket per address ("reset-link"): links guessed from one network are
// throttled without locking staff out of the console from the same office, and the other way round. IPv6 addresses
// share one bucket per /64 (address-bucket.ts).
import { addressBucket } from "~/auth/address-bucket";
import type { DbTx } from "~/db.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";

const TEN_MINUTES = 10 * 60 * 1000;
export const IP_FAILURE_LIMIT = 20;
export const IP_WINDOW_MS = TEN_MINUTES;
// Requests without a known address share one bucket: better throttled together than not at all.
const UNKNOWN_IP = "unknown";

export type ThrottleScope = "sign-in" | "reset-link";

export function throttleKey(ip: string | null, scope: ThrottleScope = "sign-in"): string {
  const address = ip && ip.length > 0 ? addressBucket(ip).slice(0, 64) : UNKNOWN_IP;
  return scope === "sign-in" ? address : `${scope}:${address}`;
}

export interface ThrottleState {
  throttled: boolean;
  failures: number;
  /** When the address may try again (the moment enough failures leave the window). */
  retryAt: Date | null;
}

/** `db`: the console's pool unless given (the customers' reset page reads on their own pool, ADR 109). */
export async function ipThrottleState(
  ip: string | null,
  scope: ThrottleScope = "sign-in",
  db: Pick<DbTx, "signInAttempt"> = prisma,
): Promise<ThrottleState> {
  const current = now();
  const since = new Date(current.getTime() - IP_WINDOW_MS);
  const recent = await db.signInAttempt.findMany({
    where: { ip: throttleKey(ip, scope), occurredAt: { gt: since } },
    orderBy: { occurredAt: "desc" },
    select: { occurredAt: true },
    take: IP_FAILURE_LIMIT,
  });
  if (recent.length < IP_FAILURE_LIMIT) return { throttled: false, failures: recent.length, retryAt: null };
  // The limit-th most recent failure is the one that must age out before another attempt is allowed.
  const oldest = recent[IP_FAILURE_LIMIT - 1]!.occurredAt;
  return { throttled: true, failures: recent.length, retryAt: new Date(oldest.getTime() + IP_WINDOW_MS) };
}

export async function recordIpFailure(tx: DbTx, ip: string | null, scope: ThrottleScope = "sign-in"): Promise<void> {
  const current = now();
  const key = throttleKey(ip, scope);
  await tx.signInAttempt.create({ data: { ip: key, occurredAt: current } });
  // Rows older than the window never count again; drop this address's so the table stays small.
  await tx.signInAttempt.deleteMany({
    where: { ip: key, occurredAt: { lt: new Date(current.getTime() - 2 * IP_WINDOW_MS) } },
  });
}
