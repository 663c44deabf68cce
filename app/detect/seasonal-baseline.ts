// What a detector's series usually is at this time of the week, learned from its own recorded history.
// See docs/decisions/027-detector-baseline.md for why median/MAD per time of week and the fallbacks.
import { MINUTE_MS } from "./events";
import { MAD_TO_SIGMA, robustSummary } from "./robust-stats";
import { JST_OFFSET_MS } from "~/lib/jst-date-time";

export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
/** Customers live on Japan time (UTC+9 all year): days, weekends and hours of the week are JST. */

/** Baselines are computed per slot of the week; the comparable minutes are the same slot in past periods. */
export const BASELINE_SLOT_MS = 10 * MINUTE_MS;
/** Samples are taken this far either side of the slot, so a slot boundary is not a cliff. */
export const BASELINE_MARGIN_MS = 30 * MINUTE_MS;
export const BASELINE_WEEKS = 5;
export const MIN_WEEKS_FOR_WEEKLY = 2;
/** The daily fallback uses past days of the same kind (weekday or weekend), up to this many, found in two weeks. */
export const BASELINE_DAYS = 7;
export const MIN_DAYS_FOR_DAILY = 2;
/** The earliest a detector can judge anything: two weekdays of history. */
export const WARM_UP_MS = MIN_DAYS_FOR_DAILY * DAY_MS;

/** A detector's recorded per-minute values (epoch ms of the minute's start → value). Absent = not recorded. */
export interface MinuteSeries {
  get(minute: number): number | undefined;
}

export type BaselineMethod = "weekly" | "daily" | "warming-up";

export interface Baseline {
  method: BaselineMethod;
  /** Median of the comparable past minutes. */
  centre: number;
  /** MAD of the same, scaled to a standard deviation. */
  spread: number;
  /** Their mean without the top tenth: the level of a sparse series whose median is 0. */
  level: number;
  samples: number;
}

export function slotOf(minute: number): number {
  return Math.floor(minute / BASELINE_SLOT_MS) * BASELINE_SLOT_MS;
}

function isWeekend(at: number): boolean {
  const weekday = (Math.floor((at + JST_OFFSET_MS) / DAY_MS) + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday === 0 || weekday === 6;
}

const SAMPLES_PER_PERIOD = (BASELINE_SLOT_MS + 2 * BASELINE_MARGIN_MS) / MINUTE_MS;

/** The recorded values around `slot` shifted back by `shift`; null when most of them were never recorded. */
function samplesAt(series: MinuteSeries, slot: number, shift: number): number[] | null {
  const from = slot - shift - BASELINE_MARGIN_MS;
  const values: number[] = [];
  for (let m = 0; m < SAMPLES_PER_PERIOD; m++) {
    const v = series.get(from + m * MINUTE_MS);
    if (v !== undefined) values.push(v);
  }
  return values.length * 2 >= SAMPLES_PER_PERIOD ? values : null;
}

function summarise(method: BaselineMethod, values: number[]): Baseline {
  const { median, mad, upperTrimmedMean } = robustSummary(values);
  return { method, centre: median, spread: MAD_TO_SIGMA * mad, level: upperTrimmedMean, samples: values.length };
}

/**
 * The baseline for the minutes of one slot: the same slot of the week in up to five past weeks (daily and weekly
 * seasonality at once); with fewer than two weeks recorded, the same slot of past days of the same kind (weekday or
 * weekend); with fewer than two such days, none: the detector is still warming up and raises nothing.
 */
export function seasonalBaseline(series: MinuteSeries, slot: number): Baseline {
  const weekly: number[] = [];
  let weeks = 0;
  for (let k = 1; k <= BASELINE_WEEKS; k++) {
    const values = samplesAt(series, slot, k * WEEK_MS);
    if (values) {
      weeks += 1;
      weekly.push(...values);
    }
  }
  if (weeks >= MIN_WEEKS_FOR_WEEKLY) return summarise("weekly", weekly);
  const daily: number[] = [];
  let days = 0;
  for (let k = 1; k <= 2 * BASELINE_DAYS && days < BASELINE_DAYS; k++) {
    if (isWeekend(slot - k * DAY_MS) !== isWeekend(slot)) continue;
    const values = samplesAt(series, slot, k * DAY_MS);
    if (values) {
      days += 1;
      daily.push(...values);
    }
  }
  if (days >= MIN_DAYS_FOR_DAILY) return summarise("daily", daily);
  return { method: "warming-up", centre: 0, spread: 0, level: 0, samples: 0 };
}

/** Σ numerator / Σ denominator over the minutes around `slot` shifted back by `shift` where both were recorded; null
 *  when most of them were not, or when the denominator is 0 there (nothing to learn a ratio from). */
function ratioAt(numerator: MinuteSeries, denominator: MinuteSeries, slot: number, shift: number): number | null {
  const from = slot - shift - BASELINE_MARGIN_MS;
  let top = 0;
  let bottom = 0;
  let recorded = 0;
  for (let m = 0; m < SAMPLES_PER_PERIOD; m++) {
    const minute = from + m * MINUTE_MS;
    const n = numerator.get(minute);
    const d = denominator.get(minute);
    if (n === undefined || d === undefined) continue;
    recorded += 1;
    top += n;
    bottom += d;
  }
  return recorded * 2 >= SAMPLES_PER_PERIOD && bottom > 0 ? top / bottom : null;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The usual ratio of two series at this time of the week (failures to attempts): per comparable period (the same slot
 * in up to five past weeks, else past days of the same kind, as `seasonalBaseline`), the ratio of their sums, and the
 * median of those, so one past week with an attack in it does not move it. Null while fewer than two periods have
 * both recorded: the caller judges as it did before there was a denominator.
 */
export function seasonalRatio(numerator: MinuteSeries, denominator: MinuteSeries, slot: number): number | null {
  const weekly: number[] = [];
  for (let k = 1; k <= BASELINE_WEEKS; k++) {
    const ratio = ratioAt(numerator, denominator, slot, k * WEEK_MS);
    if (ratio !== null) weekly.push(ratio);
  }
  if (weekly.length >= MIN_WEEKS_FOR_WEEKLY) return medianOf(weekly);
  const daily: number[] = [];
  for (let k = 1; k <= 2 * BASELINE_DAYS && daily.length < BASELINE_DAYS; k++) {
    if (isWeekend(slot - k * DAY_MS) !== isWeekend(slot)) continue;
    const ratio = ratioAt(numerator, denominator, slot, k * DAY_MS);
    if (ratio !== null) daily.push(ratio);
  }
  return daily.length >= MIN_DAYS_FOR_DAILY ? medianOf(daily) : null;
}
