// Small statistics for the kill-switch benchmark report.
import type { Attempt } from "./kill-switch-protocol";
import { percentile } from "./stats";

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

export function summarise(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return {
    count: sorted.length,
    mean,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

export interface RaceResult {
  attempts: number;
  /** First refusal of a covered top-up, in ms after the engaging process saw its commit (negative: before it did). */
  firstRefusalAfterCommitMs: number | null;
  /** Covered top-ups that started after the commit and were accepted anyway: must be 0. */
  acceptedAfterCommit: number;
  /** Covered top-ups accepted that were already running at the commit: serialised before it by the row lock. */
  inFlightAtCommit: number;
  /** Top-ups of channels the switch does not cover, accepted after the commit (should go on). */
  uncoveredAcceptedAfterCommit: number;
  unexpected: number;
}

export function analyseRace(attempts: Attempt[], commitAt: number, covered: readonly string[]): RaceResult {
  const isCovered = (a: Attempt) => covered.includes(a.channel);
  const refusals = attempts.filter((a) => isCovered(a) && a.outcome === "TOPUP_SUSPENDED").map((a) => a.end);
  return {
    attempts: attempts.length,
    firstRefusalAfterCommitMs: refusals.length > 0 ? Math.min(...refusals) - commitAt : null,
    acceptedAfterCommit: attempts.filter((a) => isCovered(a) && a.outcome === "ACCEPTED" && a.start > commitAt).length,
    inFlightAtCommit: attempts.filter(
      (a) => isCovered(a) && a.outcome === "ACCEPTED" && a.start <= commitAt && a.end > commitAt,
    ).length,
    uncoveredAcceptedAfterCommit: attempts.filter(
      (a) => !isCovered(a) && a.outcome === "ACCEPTED" && a.start > commitAt,
    ).length,
    unexpected: attempts.filter((a) => a.outcome !== "ACCEPTED" && a.outcome !== "TOPUP_SUSPENDED").length,
  };
}
