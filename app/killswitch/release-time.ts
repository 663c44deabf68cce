// The automatic release time is typed in Japan time (the console shows JST everywhere) with a datetime-local input,
// which has no time zone: "2026-11-28T21:30" means 21:30 JST.
const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** undefined for an empty field, an Invalid Date for anything that is not a datetime-local value. */
export function parseJstDateTimeLocal(value: string | null | undefined): Date | undefined {
  const trimmed = (value ?? "").trim();
  if (trimmed === "") return undefined;
  if (!DATETIME_LOCAL.test(trimmed)) return new Date(Number.NaN);
  return new Date(`${trimmed}:00+09:00`);
}

/** The datetime-local value (JST) of an instant, for the input's min and max. */
export function toJstDateTimeLocal(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 16);
}
