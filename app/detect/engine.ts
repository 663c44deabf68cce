// The detection engine: events in, alerts out, minute by minute. The live worker and the replay both drive this
// class (the replay on a simulated clock), so what the replay measures is what runs in production.
import type { AccountMemory, DetectorDefinition, Hit, Severity } from "./definitions";
import { attemptsSeriesKey, DETECTORS, severityRank, TAINT_MS } from "./definitions";
import { poissonSurprise } from "./robust-stats";
import type { DetectEvent } from "./events";
import { MINUTE_MS, minuteOf } from "./events";
import type { Baseline, MinuteSeries } from "./seasonal-baseline";
import { HOUR_MS, seasonalBaseline, seasonalRatio, slotOf } from "./seasonal-baseline";

/** An alert stays one alert until its series has been back under the threshold this long. */
export const ALERT_QUIET_MS = HOUR_MS;
/** At most this many accounts / devices / IPs / stores are named on an alert (the biggest contributors first). */
export const EVIDENCE_LIMIT = 500;

export interface Evidence {
  accounts: string[];
  devices: string[];
  ips: string[];
  stores: string[];
}

/** A usual failure ratio is never taken above this (the odds would grow without bound). */
const MAX_RATIO = 0.9;

export interface MinuteEvaluation {
  detector: string;
  version: number;
  minute: number; // start of the minute that closed
  value: number;
  baseline: Baseline;
  score: number;
  severity: Severity | null;
  /** A rate detector's attempts in the window and the ratio it expected of them (null: judged without it). */
  attempts?: number;
  expectedRatio?: number | null;
}

/** What a rate detector's value is judged against: the window's attempts and the usual ratio (null: not learned yet). */
export interface RateContext {
  attempts: number;
  ratio: number | null;
}

export type AlertTransition =
  | { type: "raised" | "escalated"; evaluation: MinuteEvaluation; evidence: Evidence }
  | { type: "ended"; detector: string; minute: number };

/** Recorded per-minute values, per detector (a Map in memory; the live worker's store persists them). */
export interface SeriesStore {
  series(detector: string): MinuteSeries;
  record(detector: string, minute: number, value: number): void;
}

export class InMemorySeriesStore implements SeriesStore {
  // Keyed by the minute's number since the epoch rather than its epoch milliseconds: small integers make faster map
  // keys than numbers past 2^31, and the baselines read hundreds of minutes per slot. Minutes are whole (closeMinute).
  private readonly values = new Map<string, Map<number, number>>();
  series(detector: string): MinuteSeries {
    const map = this.values.get(detector);
    return map ? { get: (minute) => map.get(minute / MINUTE_MS) } : new Map();
  }
  record(detector: string, minute: number, value: number): void {
    let map = this.values.get(detector);
    if (!map) this.values.set(detector, (map = new Map()));
    map.set(minute / MINUTE_MS, value);
  }
}

interface OpenAlert {
  severity: Severity;
  lastAboveAt: number;
}

class Memory implements AccountMemory {
  readonly newDeviceSignIns = new Map<string, number>();
  readonly contactChanges = new Map<string, number>();
  lastNewDeviceSignInAt(customerId: string) {
    return this.newDeviceSignIns.get(customerId);
  }
  lastContactChangeAt(customerId: string) {
    return this.contactChanges.get(customerId);
  }
  remember(event: DetectEvent): void {
    if (event.kind === "signin" && event.success && event.newDevice) {
      this.newDeviceSignIns.set(event.customerId, Math.max(event.at, this.newDeviceSignIns.get(event.customerId) ?? 0));
    } else if (event.kind === "contact") {
      this.contactChanges.set(event.customerId, Math.max(event.at, this.contactChanges.get(event.customerId) ?? 0));
    }
  }
  forgetBefore(at: number): void {
    for (const map of [this.newDeviceSignIns, this.contactChanges])
      for (const [id, t] of map) if (t < at) map.delete(id);
  }
}

// The keys behind the value are only read when the minute raises or escalates an alert (its evidence), so they are
// worked out then rather than for every detector every minute, a large share of a backtest's CPU time.
function aggregate(
  definition: DetectorDefinition,
  hits: readonly Hit[],
): { value: number; topKeys: () => Set<string> } {
  if (definition.aggregate === "sum")
    return { value: hits.reduce((s, h) => s + h.weight, 0), topKeys: () => new Set([""]) };
  const perKey = new Map<string, { accounts: Set<string>; sum: number }>();
  for (const h of hits) {
    let entry = perKey.get(h.key);
    if (!entry) perKey.set(h.key, (entry = { accounts: new Set(), sum: 0 }));
    entry.accounts.add(h.customerId);
    entry.sum += h.weight;
  }
  let value = 0;
  const score = (e: { accounts: Set<string>; sum: number }) =>
    definition.aggregate === "max-accounts-per-key" ? e.accounts.size : e.sum;
  for (const entry of perKey.values()) value = Math.max(value, score(entry));
  return { value, topKeys: () => new Set([...perKey].filter(([, e]) => score(e) === value).map(([k]) => k)) };
}

function firstDistinct(values: (string | null)[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (v !== null && out.size < EVIDENCE_LIMIT) out.add(v);
  }
  return [...out];
}

/**
 * How far above its baseline a value is, on the detector's threshold scale.
 * Counts: −log10 of the Poisson probability of at least this many when the baseline's level is expected (the level
 * is the larger of the median and the upper-trimmed mean, never below the detector's floor; overdispersed history
 * widens it). Past minutes of a sliding-window sum are strongly correlated, so their MAD alone understates the noise.
 * Yen: a robust z-score, (value − median) / max(MAD-σ, floor).
 */
export function scoreOf(definition: DetectorDefinition, value: number, baseline: Baseline, rate?: RateContext): number {
  if (definition.rate && rate && rate.ratio !== null) {
    // The failures expected beside this many successes at the usual ratio (its odds): not beside the attempts, which
    // include the failures themselves, so an attack's own failures would raise what they are judged against. Poisson,
    // which is at least as wide as the negative binomial it stands for when failures are rare.
    const ratio = Math.min(Math.max(rate.ratio, definition.rate.ratioFloor), MAX_RATIO);
    const successes = Math.max(0, rate.attempts - value);
    return poissonSurprise(value, Math.max((successes * ratio) / (1 - ratio), definition.noiseFloor));
  }
  if (!definition.counts) return (value - baseline.centre) / Math.max(baseline.spread, definition.noiseFloor);
  const level = Math.max(baseline.centre, baseline.level, definition.noiseFloor);
  const dispersion = Math.max(1, (baseline.spread * baseline.spread) / level);
  return poissonSurprise(value / dispersion, level / dispersion);
}

export function severityFor(
  definition: DetectorDefinition,
  value: number,
  baseline: Baseline,
  rate?: RateContext,
): Severity | null {
  if (baseline.method === "warming-up" || value < definition.minValue) return null;
  const score = scoreOf(definition, value, baseline, rate);
  if (score >= 4 * definition.threshold) return "HIGH";
  if (score >= 2 * definition.threshold) return "MEDIUM";
  if (score >= definition.threshold) return "LOW";
  return null;
}

export class DetectEngine {
  private readonly hits = new Map<string, Hit[]>();
  private readonly memory = new Memory();
  private readonly open = new Map<string, OpenAlert>();
  private readonly baselines = new Map<string, { slot: number; baseline: Baseline }>();
  private readonly ratios = new Map<string, { slot: number; ratio: number | null }>();
  private lastClosed: number | null = null;

  constructor(
    private readonly store: SeriesStore,
    readonly definitions: readonly DetectorDefinition[] = DETECTORS,
  ) {
    for (const d of definitions) this.hits.set(d.key, []);
  }

  /** Resumes an alert that was open when this engine was created (the live worker builds an engine per minute). */
  restoreOpenAlert(detector: string, severity: Severity, lastAboveAt: number): void {
    this.open.set(detector, { severity, lastAboveAt });
  }

  /** Events may arrive in any order within the minutes not yet closed. */
  ingest(event: DetectEvent): void {
    for (const d of this.definitions) {
      const list = this.hits.get(d.key)!;
      for (const h of d.hitsFor(event, this.memory)) list.push(h);
    }
    this.memory.remember(event);
  }

  /** Closes the minute starting at `minute`: evaluates every detector on the window ending with it. */
  closeMinute(minute: number): { evaluations: MinuteEvaluation[]; transitions: AlertTransition[] } {
    if (minute !== minuteOf(minute)) throw new RangeError("minute must be the start of a minute");
    if (this.lastClosed !== null && minute <= this.lastClosed) throw new RangeError("minutes close in order");
    this.lastClosed = minute;
    const end = minute + MINUTE_MS;
    const evaluations: MinuteEvaluation[] = [];
    const transitions: AlertTransition[] = [];
    for (const d of this.definitions) {
      const all = this.hits.get(d.key)!;
      const inWindow = all.filter((h) => h.at >= end - d.windowMs && h.at < end);
      // Hits older than the window can no longer count: drop them (later-arriving ones stay until they expire).
      if (inWindow.length !== all.length)
        this.hits.set(
          d.key,
          all.filter((h) => h.at >= end - d.windowMs),
        );
      const { value, topKeys } = aggregate(d, inWindow);
      const baseline = this.baselineFor(d, minute);
      const rate = d.rate ? { attempts: inWindow.length, ratio: this.ratioFor(d, minute) } : undefined;
      this.store.record(d.key, minute, value);
      if (rate) this.store.record(attemptsSeriesKey(d.key), minute, rate.attempts);
      const severity = severityFor(d, value, baseline, rate);
      const evaluation: MinuteEvaluation = {
        detector: d.key,
        version: d.version,
        minute,
        value,
        baseline,
        score: scoreOf(d, value, baseline, rate),
        severity,
        ...(rate ? { attempts: rate.attempts, expectedRatio: rate.ratio } : {}),
      };
      evaluations.push(evaluation);
      const current = this.open.get(d.key);
      if (severity) {
        const evidence = (): Evidence => {
          const keys = topKeys();
          // A rate detector's attempts that did not count (successful sign-ins) are not what raised it.
          const behind = inWindow.filter((h) => keys.has(h.key) && h.weight > 0);
          return {
            accounts: firstDistinct(behind.map((h) => h.customerId)),
            devices: firstDistinct(behind.map((h) => h.fingerprint)),
            ips: firstDistinct(behind.map((h) => h.ip)),
            stores: firstDistinct(behind.map((h) => h.storeCode)),
          };
        };
        if (!current) {
          this.open.set(d.key, { severity, lastAboveAt: minute });
          transitions.push({ type: "raised", evaluation, evidence: evidence() });
        } else {
          current.lastAboveAt = minute;
          if (severityRank(severity) > severityRank(current.severity)) {
            current.severity = severity;
            transitions.push({ type: "escalated", evaluation, evidence: evidence() });
          }
        }
      } else if (current && minute - current.lastAboveAt >= ALERT_QUIET_MS) {
        this.open.delete(d.key);
        transitions.push({ type: "ended", detector: d.key, minute });
      }
    }
    this.memory.forgetBefore(end - TAINT_MS);
    return { evaluations, transitions };
  }

  private ratioFor(d: DetectorDefinition, minute: number): number | null {
    const slot = slotOf(minute);
    const cached = this.ratios.get(d.key);
    if (cached && cached.slot === slot) return cached.ratio;
    const ratio = seasonalRatio(this.store.series(d.key), this.store.series(attemptsSeriesKey(d.key)), slot);
    this.ratios.set(d.key, { slot, ratio });
    return ratio;
  }

  private baselineFor(d: DetectorDefinition, minute: number): Baseline {
    const slot = slotOf(minute);
    const cached = this.baselines.get(d.key);
    if (cached && cached.slot === slot) return cached.baseline;
    const baseline = seasonalBaseline(this.store.series(d.key), slot);
    this.baselines.set(d.key, { slot, baseline });
    return baseline;
  }
}
