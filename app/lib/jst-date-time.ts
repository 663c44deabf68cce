// The one way a typed date and time becomes an instant. Staff type Japan time (JST, always UTC+9: Japan has no
// daylight saving) the way Japanese staff write it, whatever the browser's locale:
//   2026/12/04 15:30, 2026-12-04 15:30, 2026-12-04T15:30 (a datetime-local value), seconds optional,
//   full-width digits and spaces (２０２６／１２／０４ followed by an ideographic space) and 2026年12月4日 15時30分.
// A date that is not on the calendar (31 February) is refused, never rolled over into March.
export const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DATE_TIME =
  /^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?(?:(?:\s+|T)(\d{1,2})[:時](\d{1,2})(?:[:分](\d{1,2})秒?|分)?)?$/;

/** NFKC turns full-width digits, slashes, colons and the ideographic space into their ASCII forms. */
export function normalizeTyped(input: string): string {
  return input.normalize("NFKC").trim().replace(/\s+/g, " ");
}

export type JstReading = { date: Date } | { problem: "format" | "time-of-day" | "calendar" };

/** What a typed JST date and time denotes, or which way it is wrong (so a form can say so). */
export function readJstDateTime(input: string | null | undefined, options: { requireTime?: boolean } = {}): JstReading {
  const match = DATE_TIME.exec(normalizeTyped(input ?? ""));
  if (!match || (options.requireTime !== false && match[4] === undefined)) return { problem: "format" };
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  if (hour! > 23 || minute! > 59 || second! > 59) return { problem: "time-of-day" };
  const utc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) - JST_OFFSET_MS;
  // Date.UTC rolls 31 February over into March: compare back to refuse dates that do not exist.
  const check = new Date(utc + JST_OFFSET_MS);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day) {
    return { problem: "calendar" };
  }
  return { date: new Date(utc) };
}

/** The instant a JST date and time denotes, or null when the text is not one (or not on the calendar). */
export function parseJstDateTime(
  input: string | null | undefined,
  options: { requireTime?: boolean } = {},
): Date | null {
  const reading = readJstDateTime(input, options);
  return "date" in reading ? reading.date : null;
}

/** How a date-time field shows an instant: "2026/12/04 15:30" in JST (the format parseJstDateTime reads first). */
export function toJstInputValue(at: Date): string {
  const jst = new Date(at.getTime() + JST_OFFSET_MS).toISOString();
  return `${jst.slice(0, 4)}/${jst.slice(5, 7)}/${jst.slice(8, 10)} ${jst.slice(11, 16)}`;
}

/** A field's value shown the Japanese way when it is a valid date and time, and as typed otherwise. */
export function displayJstInput(value: string | null | undefined): string {
  const parsed = parseJstDateTime(value);
  return parsed ? toJstInputValue(parsed) : (value ?? "");
}

/** The datetime-local value ("2019-07-01T09:00") an instant has in JST: what a date-time input shows and bounds. */
export function toJstDateTimeLocal(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 16);
}
