// Row-level locking of a switch for a change. Every change locks the switch row first (and only then any release
// request), so concurrent changes of one switch serialise and can never deadlock each other. Top-ups hold the same
// row FOR SHARE while they run (enforcement.server.ts): a change therefore commits only after every top-up that read
// the old state has finished, and every later top-up reads the new state.
import type { DbTx } from "~/db.server";
import type { KillSwitch } from "~/generated/prisma/client";
import { KillSwitchRefusal } from "~/killswitch/errors";

export type LockMode = "change" | "share";

export async function lockSwitch(tx: DbTx, key: string, mode: LockMode): Promise<KillSwitch> {
  const locked =
    mode === "change"
      ? await tx.$queryRaw<{ key: string }[]>`SELECT key FROM kill_switch WHERE key = ${key} FOR NO KEY UPDATE`
      : await tx.$queryRaw<{ key: string }[]>`SELECT key FROM kill_switch WHERE key = ${key} FOR SHARE`;
  if (locked.length === 0) {
    throw new KillSwitchRefusal("KILL_SWITCH_NOT_FOUND", `There is no kill switch called "${key}".`, 404);
  }
  return tx.killSwitch.findUniqueOrThrow({ where: { key } });
}

/**
 * A switch moved to a new version: any pending release request was made against the old one and no longer says what
 * would be released. Returns the requests it marked, for the audit trail.
 */
export async function markPendingRequestsStale(
  tx: DbTx,
  key: string,
  newVersion: number,
  at: Date,
): Promise<{ id: string; switchVersion: number }[]> {
  const pending = await tx.killSwitchReleaseRequest.findMany({
    where: { switchKey: key, status: "PENDING" },
    select: { id: true, switchVersion: true },
  });
  if (pending.length === 0) return [];
  await tx.killSwitchReleaseRequest.updateMany({
    where: { id: { in: pending.map((p) => p.id) }, status: "PENDING" },
    data: {
      status: "STALE",
      pendingSwitchKey: null,
      decidedAt: at,
      decisionReason: `The switch changed to version ${newVersion} after this request was made.`,
    },
  });
  return pending;
}

export function staleAuditEvents(key: string, stale: { id: string; switchVersion: number }[], newVersion: number) {
  return stale.map((request) => ({
    action: "killswitch.release.stale",
    outcome: "SUCCESS" as const,
    targetType: "kill_switch_release_request",
    targetId: request.id,
    reason: `Switch ${key} changed from version ${request.switchVersion} to ${newVersion}.`,
    before: { status: "PENDING", switchVersion: request.switchVersion },
    after: { status: "STALE", switchVersion: newVersion },
  }));
}

/** The fields of a switch the audit trail records before and after a change. */
export function switchSnapshot(row: Pick<KillSwitch, "engaged" | "version" | "releaseAt" | "reason">) {
  return { engaged: row.engaged, version: row.version, releaseAt: row.releaseAt, reason: row.reason };
}
