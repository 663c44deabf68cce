// When the company learned of the breach, as typed in Japan time, or which way the text is wrong, so that the form
// can say so in the member's language.
import { readJstDateTime, JST_OFFSET_MS } from "~/lib/jst-date-time";

export const EARLIEST_LEARNED_YEAR = 2000;
export const LATEST_LEARNED_YEAR = 2100;

export type LearnedAtProblem = "format" | "timeOfDay" | "calendar" | "year";

export function readLearnedAt(input: string): { date: Date } | { problem: LearnedAtProblem } {
  const reading = readJstDateTime(input, { requireTime: false });
  if ("problem" in reading) return { problem: reading.problem === "time-of-day" ? "timeOfDay" : reading.problem };
  const year = new Date(reading.date.getTime() + JST_OFFSET_MS).getUTCFullYear();
  if (year < EARLIEST_LEARNED_YEAR || year > LATEST_LEARNED_YEAR) return { problem: "year" };
  return { date: reading.date };
}
