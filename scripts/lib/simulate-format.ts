// One line per attempt, readable at a glance: ✓ accepted in green, ✗ refused in red with the error code.
//   21:30:01 ✓ top-up    ¥5,000  card VISA••4242  W-00001234  balance ¥12,000
//   21:30:02 ✗ top-up    ¥3,000  bank ••0019      W-00001234  TOPUP_SUSPENDED  Top-ups are temporarily suspended (…)
import { formatYen } from "~/lib/format";
import { DIM, GREEN, jstClock, painter, RED } from "./terminal-line";

export interface AttemptLine {
  at: Date;
  kind: "top-up" | "purchase";
  amount: number;
  via: string;
  customer: string;
  outcome: { accepted: true; balance: number } | { accepted: false; code: string; message: string };
}

export function formatAttempt(line: AttemptLine, color: boolean): string {
  const paint = painter(color);
  const head = [
    paint(DIM, jstClock(line.at)),
    line.outcome.accepted ? paint(GREEN, "✓") : paint(RED, "✗"),
    line.kind.padEnd(8),
    formatYen(line.amount).padStart(8),
    line.via.padEnd(18),
    line.customer.padEnd(12),
  ].join(" ");
  if (line.outcome.accepted) return `${head} balance ${formatYen(line.outcome.balance)}`;
  return `${head} ${paint(RED, line.outcome.code)}  ${line.outcome.message}`;
}

export interface Tally {
  attempts: number;
  accepted: number;
  refused: Map<string, number>;
}

export function newTally(): Tally {
  return { attempts: 0, accepted: 0, refused: new Map() };
}

export function countAttempt(tally: Tally, line: AttemptLine): void {
  tally.attempts += 1;
  if (line.outcome.accepted) tally.accepted += 1;
  else tally.refused.set(line.outcome.code, (tally.refused.get(line.outcome.code) ?? 0) + 1);
}

export function formatTally(tally: Tally): string {
  const refused = [...tally.refused].map(([code, n]) => `${code} ×${n}`).join(", ");
  return `${tally.attempts} attempts: ${tally.accepted} accepted${refused ? `, refused: ${refused}` : ""}`;
}
