// Messages between the kill-switch benchmark (parent) and its worker processes, over the Node IPC channel.
import type { FundingKind } from "~/generated/prisma/enums";

export interface WorkerCustomer {
  id: string;
  fundingSources: { id: string; kind: FundingKind }[];
}

export type ToWorker =
  | { type: "measure"; durationMs: number }
  | { type: "race"; covered: FundingKind[]; settleMs: number; maxMs: number }
  | { type: "stop" };

export interface Attempt {
  /** Absolute times in ms (performance.timeOrigin + performance.now()), comparable across processes. */
  start: number;
  end: number;
  channel: FundingKind;
  outcome: string; // ACCEPTED or an error code
}

export type FromWorker =
  | { type: "ready"; pid: number }
  | { type: "measured"; baseline: number[]; checked: number[]; errors: number }
  | { type: "raced"; attempts: Attempt[] }
  | { type: "failed"; message: string };

/** A wall-clock timestamp with sub-millisecond resolution, comparable between processes on one machine. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
