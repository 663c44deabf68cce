// The automatic release time is typed in Japan time (the console shows JST everywhere): "2026/11/28 21:30" or the
// datetime-local form "2026-11-28T21:30" both mean 21:30 JST (app/lib/jst-date-time.ts reads them).
import { normalizeTyped, parseJstDateTime } from "~/lib/jst-date-time";

/** undefined for an empty field, an Invalid Date for anything that is not a JST date and time on the calendar. */
export function parseJstDateTimeLocal(value: string | null | undefined): Date | undefined {
  if (normalizeTyped(value ?? "") === "") return undefined;
  return parseJstDateTime(value) ?? new Date(Number.NaN);
}
