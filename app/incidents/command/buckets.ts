// The money chart's time buckets: about 48 points over the incident so far, on a step people read easily.
export interface MoneyPoint {
  /** End of the bucket, epoch milliseconds (UTC). */
  at: number;
  stolenYen: number;
  reversedYen: number;
  outstandingYen: number;
}

const ONE_MINUTE = 60 * 1000;
const FIVE_MINUTES = 5 * ONE_MINUTE;
const FIFTEEN_MINUTES = 15 * ONE_MINUTE;
const ONE_HOUR = 60 * ONE_MINUTE;
const SIX_HOURS = 6 * ONE_HOUR;
const ONE_DAY = 24 * ONE_HOUR;
const STEPS = [ONE_MINUTE, FIVE_MINUTES, FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS, ONE_DAY] as const;
const TARGET_POINTS = 48;

export function chooseBucket(spanMs: number): number {
  return STEPS.find((step) => spanMs / step <= TARGET_POINTS) ?? ONE_DAY;
}
