// The detection engine on synthetic series: a seasonal baseline (daily and weekly), a step, a slow ramp.
import { describe, expect, it } from "vitest";
import { COUNT_LEVEL_FLOOR, COUNT_THRESHOLD, type DetectorDefinition } from "~/detect/definitions";
import { DetectEngine, InMemorySeriesStore, type AlertTransition } from "~/detect/engine";
import type { DetectEvent } from "~/detect/events";
import { MINUTE_MS } from "~/detect/events";
import { median, medianAbsoluteDeviation, poissonSurprise, upperTrimmedMean } from "~/detect/robust-stats";
import { DAY_MS, HOUR_MS, seasonalBaseline, WEEK_MS } from "~/detect/seasonal-baseline";
import { Rng } from "~/incidents/replay/rng";

// Monday 2019-06-03 00:00 JST.
const START = Date.UTC(2019, 5, 2, 15, 0);

/** Failed sign-ins per 10 minutes, the series every test drives. */
const failures: DetectorDefinition = {
  key: "test-failures",
  version: 1,
  windowMs: 10 * MINUTE_MS,
  aggregate: "sum",
  counts: true,
  noiseFloor: COUNT_LEVEL_FLOOR,
  threshold: COUNT_THRESHOLD,
  minValue: 5,
  hitsFor: (e) =>
    e.kind === "signin" && !e.success
      ? [{ at: e.at, weight: 1, key: "", customerId: e.customerId, fingerprint: null, ip: e.ip, storeCode: null }]
      : [],
};

/** Strong daily and weekly seasonality: quiet nights, busy days, weekends three times busier than weekdays. */
function seasonalRate(at: number): number {
  const local = at + 9 * HOUR_MS;
  const hour = Math.floor((local % DAY_MS) / HOUR_MS);
  const weekday = (Math.floor(local / DAY_MS) + 4) % 7; // 0 = Sunday
  const daytime = hour >= 9 && hour < 22;
  const weekend = weekday === 0 || weekday === 6;
  return daytime ? (weekend ? 6 : 2) : 0.3;
}

/** One uniform draw per count (inverse CDF), so counts of neighbouring minutes share no draws. */
function poissonDraw(rng: Rng, mean: number): number {
  const u = rng.float();
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  while (u > cdf && k < 1000) {
    k += 1;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

function run(rate: (at: number) => number, weeks: number, seed = 1) {
  const engine = new DetectEngine(new InMemorySeriesStore(), [failures]);
  const rng = new Rng(seed, 1, 0);
  const raised: Extract<AlertTransition, { type: "raised" | "escalated" }>[] = [];
  let n = 0;
  for (let minute = START; minute < START + weeks * WEEK_MS; minute += MINUTE_MS) {
    const count = poissonDraw(rng, rate(minute));
    for (let k = 0; k < count; k++) {
      const event: DetectEvent = {
        kind: "signin",
        at: minute + rng.int(0, MINUTE_MS - 1),
        customerId: `c${n++}`,
        fingerprint: null,
        ip: "203.0.113.9",
        country: "JP",
        success: false,
        newDevice: false,
      };
      engine.ingest(event);
    }
    for (const t of engine.closeMinute(minute).transitions) if (t.type === "raised") raised.push(t);
  }
  return raised;
}

describe("robust statistics", () => {
  it("median and MAD ignore a few outliers", () => {
    expect(median([1, 2, 3, 4, 1000])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 1000])).toBe(1);
    expect(() => median([])).toThrow(RangeError);
    expect(upperTrimmedMean([0, 0, 0, 0, 0, 0, 0, 0, 1, 50])).toBeCloseTo(1 / 9);
  });

  it("Poisson surprise is −log10 of the upper tail", () => {
    expect(poissonSurprise(2, 3)).toBe(0);
    // P(X ≥ 2 | λ = 1) = 1 − 2e^−1; P(X ≥ 11 | λ = 3) ≈ 2.93e-4.
    expect(poissonSurprise(2, 1)).toBeCloseTo(-Math.log10(1 - 2 * Math.exp(-1)), 10);
    expect(poissonSurprise(11, 3)).toBeCloseTo(-Math.log10(2.9253e-4), 3);
    expect(poissonSurprise(1, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("seasonal baseline", () => {
  const series = new Map<number, number>();
  for (let m = START; m < START + 3 * WEEK_MS; m += MINUTE_MS) series.set(m, 10 * seasonalRate(m));

  it("learns each hour of the week from the same hour in past weeks", () => {
    const nextMonday = START + 3 * WEEK_MS;
    expect(seasonalBaseline(series, nextMonday + 3 * HOUR_MS)).toMatchObject({
      method: "weekly",
      centre: 3,
      spread: 0,
      level: 3,
    });
    expect(seasonalBaseline(series, nextMonday + 14 * HOUR_MS)).toMatchObject({ method: "weekly", centre: 20 });
    const saturday = nextMonday + 5 * DAY_MS;
    expect(seasonalBaseline(series, saturday + 14 * HOUR_MS)).toMatchObject({ method: "weekly", centre: 60 });
  });

  it("falls back to past days of the same kind with under two weeks, and to nothing with under two such days", () => {
    // Week 2, Tuesday: weekdays only (the weekend's afternoons are three times busier and must not count).
    expect(seasonalBaseline(series, START + 8 * DAY_MS + 14 * HOUR_MS)).toMatchObject({ method: "daily", centre: 20 });
    // Week 2, Sunday: Saturday and last weekend.
    expect(seasonalBaseline(series, START + 13 * DAY_MS + 14 * HOUR_MS)).toMatchObject({ method: "daily", centre: 60 });
    expect(seasonalBaseline(series, START + DAY_MS + 14 * HOUR_MS).method).toBe("warming-up");
    expect(seasonalBaseline(series, START + 5 * DAY_MS + 14 * HOUR_MS).method).toBe("warming-up"); // first Saturday
  });
});

describe("detection engine on synthetic series", () => {
  it("raises nothing on strongly seasonal ordinary traffic", () => {
    // A weekend afternoon is 20× a weekday night: a baseline without seasonality would alert every weekend.
    const r = run(seasonalRate, 5);
    console.log(
      r
        .map(
          (t) =>
            `${new Date(t.evaluation.minute + 9 * HOUR_MS).toISOString()} v=${t.evaluation.value} ${JSON.stringify(t.evaluation.baseline)}`,
        )
        .join("\n"),
    );
    expect(r).toEqual([]);
  });

  it("raises an alert within minutes of a step, naming the accounts behind it", () => {
    const stepAt = START + 3 * WEEK_MS + DAY_MS + 14 * HOUR_MS; // a Tuesday afternoon in week 4
    const raised = run((at) => seasonalRate(at) * (at >= stepAt ? 5 : 1), 4);
    expect(raised.length).toBeGreaterThan(0);
    const alert = raised[0]!;
    expect(alert.evaluation.minute).toBeGreaterThanOrEqual(stepAt);
    expect(alert.evaluation.minute - stepAt).toBeLessThanOrEqual(5 * MINUTE_MS);
    expect(alert.evaluation.baseline.method).toBe("weekly");
    expect(alert.evidence.accounts.length).toBeGreaterThan(0);
    expect(alert.evidence.ips).toEqual(["203.0.113.9"]);
  });

  it("catches a slow ramp once it has grown well past the same hours of earlier weeks, not before", () => {
    const rampFrom = START + 2 * WEEK_MS;
    const growth = (at: number) => (at < rampFrom ? 1 : 1 + (3 * (at - rampFrom)) / (3 * WEEK_MS));
    const raised = run((at) => seasonalRate(at) * growth(at), 5);
    expect(raised.length).toBeGreaterThan(0);
    expect(growth(raised[0]!.evaluation.minute)).toBeGreaterThan(1.5);
  });

  it("does not alert on a gentle ramp (+10% over three weeks)", () => {
    const rampFrom = START + 2 * WEEK_MS;
    expect(
      run((at) => seasonalRate(at) * (at < rampFrom ? 1 : 1 + (0.1 * (at - rampFrom)) / (3 * WEEK_MS)), 5),
    ).toEqual([]);
  });

  it("raises nothing while warming up, however large the burst", () => {
    const burstAt = START + DAY_MS + 14 * HOUR_MS;
    expect(run((at) => (at >= burstAt && at < burstAt + HOUR_MS ? 50 : seasonalRate(at)), 2)).toEqual([]);
  });
});
