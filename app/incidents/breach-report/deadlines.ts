import { JST_OFFSET_MS } from "~/lib/jst-date-time";
// When a report to the Personal Information Protection Commission is due, counted from the day the company learned of
// the breach (APPI Art. 26, Enforcement Rules Art. 7–8; ADR 033):
//   preliminary (速報): "promptly" — the Commission's guidelines read this as about 3–5 days; we plan on the 5th day;
//   final (確報): within 30 days, or 60 days where the leak may have been caused with unauthorised intent (an account
//   takeover is). The day of learning is not counted (Civil Code Art. 140), and a deadline ends at 24:00 JST.
export const PRELIMINARY_DAYS = 5;
export const FINAL_DAYS = 30;
export const FINAL_DAYS_UNAUTHORISED_INTENT = 60;

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

export type ReportKind = "PRELIMINARY" | "FINAL";

export function reportDays(kind: ReportKind, unauthorizedIntent: boolean): number {
  if (kind === "PRELIMINARY") return PRELIMINARY_DAYS;
  return unauthorizedIntent ? FINAL_DAYS_UNAUTHORISED_INTENT : FINAL_DAYS;
}

/** The last instant of the deadline day, as a UTC Date (00:00 JST of the following day, exclusive). */
export function computeDeadline(kind: ReportKind, learnedAt: Date, unauthorizedIntent: boolean): Date {
  const jstMidnightOfLearning = Math.floor((learnedAt.getTime() + JST_OFFSET_MS) / ONE_DAY_MS) * ONE_DAY_MS;
  const days = reportDays(kind, unauthorizedIntent);
  // Day 1 is the day after learning; the deadline day ends when day (days + 1) begins.
  return new Date(jstMidnightOfLearning + (days + 1) * ONE_DAY_MS - JST_OFFSET_MS);
}

/** The deadline day as a JST calendar date, e.g. "2019-09-02". */
export function deadlineDateJst(deadline: Date): string {
  return new Date(deadline.getTime() + JST_OFFSET_MS - 1).toISOString().slice(0, 10);
}
