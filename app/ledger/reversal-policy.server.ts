// When a reversal needs a second person. Configured by environment (app/env.server.ts; read again on every call, so a
// bad value fails the request that depends on it with one clear line, and tests can change it):
//   FIREBREAK_REVERSAL_APPROVAL_THRESHOLD_YEN  default 100,000 — a single reversal above it waits for a security lead;
//   FIREBREAK_REVERSAL_DAILY_CAP_YEN           default 300,000 — what one staff member may reverse per JST day without
//                                              approval; the reversal that would pass it waits for a security lead;
//   FIREBREAK_STEP_UP_REVERSAL_MIN_YEN         default 30,000 — a single reversal of at least this much needs a fresh
//                                              step-up of the requester (the spine enforces it from the action spec).
import type { DbTx } from "~/db.server";
import { liveEnv } from "~/env.server";
import { JST_OFFSET_MS } from "~/lib/jst-date-time";

export const DEFAULT_APPROVAL_THRESHOLD_YEN = 100_000;
export const DEFAULT_DAILY_CAP_YEN = 300_000;
const ONE_DAY_MS = 24 * 60 * 60 * 1000;
// pg_advisory_xact_lock(class, key): the class keeps our keys apart from other advisory locks in the database.
const DAILY_CAP_LOCK_CLASS = 72_917_012;

export interface ReversalPolicy {
  approvalThresholdYen: number;
  dailyCapYen: number;
  stepUpMinYen: number;
}

/**
 * Whether requesting a reversal of `amount` needs a fresh step-up. Decided from the amount as asked, before it is
 * validated: an amount that is not a positive whole number of yen is refused inside the spine anyway.
 */
export function reversalNeedsStepUp(amount: unknown): boolean {
  return typeof amount === "number" && amount >= reversalPolicy().stepUpMinYen;
}

export function reversalPolicy(): ReversalPolicy {
  const env = liveEnv();
  return {
    approvalThresholdYen: env.FIREBREAK_REVERSAL_APPROVAL_THRESHOLD_YEN,
    dailyCapYen: env.FIREBREAK_REVERSAL_DAILY_CAP_YEN,
    stepUpMinYen: env.FIREBREAK_STEP_UP_REVERSAL_MIN_YEN,
  };
}

/** Midnight in Tokyo (as a UTC instant) of the JST day containing `at`. */
export function startOfJstDay(at: Date): Date {
  const shifted = at.getTime() + JST_OFFSET_MS;
  return new Date(shifted - (((shifted % ONE_DAY_MS) + ONE_DAY_MS) % ONE_DAY_MS) - JST_OFFSET_MS);
}

export type ApprovalRule = "ABOVE_THRESHOLD" | "DAILY_CAP";

/**
 * Which rule (if any) sends this reversal to a security lead. Takes a per-requester advisory lock first, so two
 * concurrent requests by one person cannot both fit under the cap: the second sees the first's total.
 */
export async function approvalRuleFor(
  tx: DbTx,
  input: { requestedById: string; amount: number; at: Date },
): Promise<{ rule: ApprovalRule | null; policy: ReversalPolicy; reversedToday: number }> {
  const policy = reversalPolicy();
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DAILY_CAP_LOCK_CLASS}::int, hashtext(${input.requestedById}))`;
  const [row] = await tx.$queryRaw<{ total: bigint | null }[]>`
    SELECT SUM(amount)::bigint AS total FROM reversal_request
     WHERE requested_by_id = ${input.requestedById}::uuid AND status = 'COMPLETED' AND decided_by_id IS NULL
       AND completed_at >= ${startOfJstDay(input.at)}`;
  const reversedToday = Number(row?.total ?? 0);
  if (input.amount > policy.approvalThresholdYen) return { rule: "ABOVE_THRESHOLD", policy, reversedToday };
  if (reversedToday + input.amount > policy.dailyCapYen) return { rule: "DAILY_CAP", policy, reversedToday };
  return { rule: null, policy, reversedToday };
}
