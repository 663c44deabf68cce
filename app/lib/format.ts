// Display helpers shared by server and browser. Times are stored in UTC and always shown in JST.
const JST_DATE_TIME = new Intl.DateTimeFormat("ja-JP", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

export function formatJst(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return `${JST_DATE_TIME.format(new Date(value))} JST`;
}

const YEN = new Intl.NumberFormat("ja-JP", { style: "currency", currency: "JPY" });

export function formatYen(amount: number | bigint): string {
  return YEN.format(amount);
}

export function formatCount(value: number): string {
  return new Intl.NumberFormat("en-US").format(value);
}
