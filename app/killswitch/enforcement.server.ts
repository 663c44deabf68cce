// How a flow obeys its kill switches: inside the flow's own database transaction, read the covering switches with
// FOR SHARE. Nothing is cached, so a change is obeyed by every process as soon as it commits; and because a change
// must wait for the share locks of in-flight flows (and they for it), no flow that read "released" can commit after
// the engagement has committed. If the state cannot be read (database unreachable, lock wait too long, a switch row
// missing), the flow is refused: fail closed. docs/decisions/007-kill-switch-propagation.md weighs this against
// LISTEN/NOTIFY with a cache.
import { Prisma } from "~/generated/prisma/client";
import type { DbTx } from "~/db.server";

/** A flow waits at most this long for a switch change in progress to commit, then is refused. */
export const TWO_SECONDS = 2 * 1000;
export const SWITCH_LOCK_TIMEOUT_MS = TWO_SECONDS;
/**
 * After the switches are read, each further statement of the flow's transaction may run this long (the pool's 30 s
 * is for console pages). A flow decides while a customer waits, within its transaction's own 10 s: Prisma's transaction
 * timeout does not cut short a statement in flight, so on a slow server (a stalled disk) a top-up waited the pool's
 * whole statement timeout before it was refused (docs/decisions/085-reliability-round-four.md).
 */
export const FLOW_STATEMENT_TIMEOUT_MS = 5 * 1000;

export interface SwitchState {
  key: string;
  label: string;
  engaged: boolean;
  version: number;
}

export class SwitchStateUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`kill switch state unavailable: ${reason}`);
    this.name = "SwitchStateUnavailableError";
  }
}

/**
 * Reads and share-locks the given switches inside `tx`. Throws SwitchStateUnavailableError when any of them cannot be
 * read. Callers turn an engaged switch or an unavailable state into their own refusal.
 */
export async function readSwitchesForFlow(tx: DbTx, keys: readonly string[]): Promise<SwitchState[]> {
  let rows: SwitchState[];
  try {
    // One round trip: the lock timeout is set (for this transaction only) by the CTE, which must produce its row
    // before the join yields anything for FOR SHARE to lock — so it is in force before any lock wait can begin. The
    // statement timeout set with it bounds the statements after this one.
    rows = await tx.$queryRaw<SwitchState[]>`
      WITH settings AS MATERIALIZED (SELECT set_config('lock_timeout', ${String(SWITCH_LOCK_TIMEOUT_MS)}, true),
                                            set_config('statement_timeout', ${String(FLOW_STATEMENT_TIMEOUT_MS)}, true))
      SELECT k.key, k.label, k.engaged, k.version FROM kill_switch k, settings
      WHERE k.key IN (${Prisma.join([...keys])}) ORDER BY k.key FOR SHARE OF k`;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    throw new SwitchStateUnavailableError(message);
  }
  const missing = keys.filter((key) => !rows.some((row) => row.key === key));
  if (missing.length > 0) throw new SwitchStateUnavailableError(`no switch row for ${missing.join(", ")}`);
  return rows;
}

export function engagedAmong(states: SwitchState[]): SwitchState[] {
  return states.filter((state) => state.engaged);
}
