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

const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

// "¥12,000" with the ASCII-range yen sign (U+00A5): Intl's ja-JP currency format uses the full-width "￥", which
// many fonts (and headless browsers) lack.
export function formatYen(amount: number | bigint): string {
  const negative = typeof amount === "bigint" ? amount < 0n : amount < 0;
  const absolute = typeof amount === "bigint" ? (negative ? -amount : amount) : Math.abs(amount);
  return `${negative ? "-" : ""}¥${GROUPED.format(absolute)}`;
}

export function formatCount(value: number): string {
  return new Intl.NumberFormat("en-US").format(value);
}
