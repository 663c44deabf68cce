// What a detector's series usually is at this time of the week, learned from its own recorded history.
// See docs/decisions/027-detector-baseline.md for why median/MAD per time-of-week and the fallbacks.
import { MAD_TO_SIGMA, median, medianAbsoluteDeviation } from "./robust-stats";
import { MINUTE_MS } from "./events";

export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** How far back the baseline looks, and how much history it needs before it may judge anything. */
export const BASELINE_WEEKS = 5;
export const BASELINE_DAYS = 7;
/** Same-hour samples are taken from this much either side of the hour, so an hour boundary is not a cliff. */
export const BASELINE_MARGIN_MS = 30 * MINUTE_MS;
export const MIN_WEEKS_FOR_WEEKLY = 2;
export const MIN_DAYS_FOR_DAILY = 3;

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
  samples: number;
}

function collect(series: MinuteSeries, hourStart: number, period: number, periods: number, minPeriods: number) {
  const values: number[] = [];
  let periodsWithData = 0;
  const perPeriod = (HOUR_MS + 2 * BASELINE_MARGIN_MS) / MINUTE_MS;
  for (let k = 1; k <= periods; k++) {
    const from = hourStart - k * period - BASELINE_MARGIN_MS;
    let found = 0;
    for (let m = 0; m < perPeriod; m++) {
      const v = series.get(from + m * MINUTE_MS);
      if (v !== undefined) {
        values.push(v);
        found += 1;
      }
    }
    // A period counts only when most of its window was recorded (a half-recorded one says little about the hour).
    if (found * 2 >= perPeriod) periodsWithData += 1;
  }
  return periodsWithData >= minPeriods ? values : null;
}

/**
 * The baseline for every minute of the hour starting at hourStart: the same hour of the week in up to five past
 * weeks (weekly and daily seasonality at once); with less than two weeks recorded, the same hour of the past days;
 * with less than three days, none (the detector is still warming up and raises nothing).
 */
export function seasonalBaseline(series: MinuteSeries, hourStart: number): Baseline {
  const weekly = collect(series, hourStart, WEEK_MS, BASELINE_WEEKS, MIN_WEEKS_FOR_WEEKLY);
  const daily = weekly ? null : collect(series, hourStart, DAY_MS, BASELINE_DAYS, MIN_DAYS_FOR_DAILY);
  const values = weekly ?? daily;
  if (!values || values.length === 0) return { method: "warming-up", centre: 0, spread: 0, samples: 0 };
  const centre = median(values);
  return {
    method: weekly ? "weekly" : "daily",
    centre,
    spread: MAD_TO_SIGMA * medianAbsoluteDeviation(values, centre),
    samples: values.length,
  };
}
