// What a containment policy would have done against each wave the generator can produce: the replay's recorded
// history with its attack reshaped (app/incidents/replay/wave-variants.ts), run through the live engine on a simulated
// clock, then priced for each policy — the yen of fraudulent top-ups the attack would still have taken with the
// policy, against all of it without.
//
// The runs are a pure function of the code (the generator is deterministic, the detectors are definitions) and cost
// seconds of CPU each, so they are recorded by `npx tsx scripts/record-policy-history.ts` into
// policy-waves.recorded.ts, keeping only what pricing needs, rather than run by every web process on a lead's first
// visit (ADR 102). tests/unit/detect-policy-waves.test.ts recomputes them and fails while the recording is stale.
import { ACTIVITY_END, ACTIVITY_START } from "~/incidents/replay/generator";
import { generateReplayEvents } from "~/incidents/replay/replay-events";
import { reshapeWave, WAVE_VARIANTS, type WaveVariant } from "~/incidents/replay/wave-variants";
import { applyPolicy, runBacktestAsync, type PolicySpec, type PricedAlert, type PricedTopUp } from "./backtest";
import { DETECTORS, type DetectorDefinition } from "./definitions";
import { RECORDED_WAVES } from "./policy-waves.recorded";

/** One wave's run as recorded: its alerts and its fraudulent top-ups, grouped by channel. */
export interface RecordedWave {
  variant: WaveVariant;
  firstFraudTopUpAt: number | null;
  fraudTopUpYen: number;
  alerts: PricedAlert[];
  /** Its fraudulent top-ups per channel: an index into RecordedWaves.topUpSeries. */
  topUps: { channel: string | null; series: number }[];
}

/** Top-ups in time order: the first one's time, then the gap in ms before each next one, and each one's yen. */
export interface TopUpSeries {
  firstAt: number;
  gapsMs: number[];
  yen: number[];
}

export interface RecordedWaves {
  /** The version of each detector the runs were recorded with. */
  versions: Record<string, number>;
  /** Kept once however many waves share them: most waves reshape the attack's sign-ins, not its top-ups. */
  topUpSeries: TopUpSeries[];
  waves: RecordedWave[];
}

export interface WaveOutcome {
  variant: WaveVariant;
  /** Fraudulent top-ups of the wave: what it takes with no policy. */
  withoutYen: number;
  withYen: number;
  /** Engaged relative to the first fraudulent top-up (negative: before it); null: the policy never fired on it. */
  engagedAfterMs: number | null;
}

/** Groups a wave's top-ups by channel, each group stored once in `series` (shared with the waves before it). */
function groupTopUps(topUps: PricedTopUp[], series: TopUpSeries[]): RecordedWave["topUps"] {
  const byChannel = new Map<string | null, PricedTopUp[]>();
  for (const t of [...topUps].sort((a, b) => a.at - b.at)) {
    const list = byChannel.get(t.channel) ?? [];
    list.push(t);
    byChannel.set(t.channel, list);
  }
  return [...byChannel].map(([channel, list]) => {
    const one: TopUpSeries = {
      firstAt: list[0]!.at,
      gapsMs: list.slice(1).map((t, i) => t.at - list[i]!.at),
      yen: list.map((t) => t.amount),
    };
    const key = JSON.stringify(one);
    let index = series.findIndex((s) => JSON.stringify(s) === key);
    if (index < 0) index = series.push(one) - 1;
    return { channel, series: index };
  });
}

function* topUpsOf(wave: RecordedWave, series: readonly TopUpSeries[]): Generator<PricedTopUp> {
  for (const group of wave.topUps) {
    const { firstAt, gapsMs, yen } = series[group.series]!;
    let at = firstAt;
    for (let i = 0; i < yen.length; i++) {
      if (i > 0) at += gapsMs[i - 1]!;
      yield { kind: "topup", at, amount: yen[i]!, channel: group.channel };
    }
  }
}

/** Runs every wave through the detectors: seconds of CPU each. For the recording script and its staleness test. */
export async function computeRecordedWaves(
  detectors: readonly DetectorDefinition[] = DETECTORS,
): Promise<RecordedWaves> {
  const base = generateReplayEvents();
  const waves: RecordedWave[] = [];
  const topUpSeries: TopUpSeries[] = [];
  for (const variant of WAVE_VARIANTS) {
    const wave = reshapeWave(base, variant);
    const result = await runBacktestAsync({
      events: wave.events,
      from: ACTIVITY_START,
      until: ACTIVITY_END,
      attack: wave.attack,
      fraudTopUps: wave.fraudTopUps,
      detectors,
    });
    const topUps: PricedTopUp[] = [];
    for (const e of wave.fraudTopUps) {
      if (e.kind === "topup") topUps.push({ kind: "topup", at: e.at, amount: e.amount, channel: e.channel });
    }
    waves.push({
      variant,
      firstFraudTopUpAt: result.firstFraudTopUpAt,
      fraudTopUpYen: result.fraudTopUpYen,
      alerts: result.alerts.map(({ detector, trueAt, severityAt }) => ({ detector, trueAt, severityAt })),
      topUps: groupTopUps(topUps, topUpSeries),
    });
  }
  return { versions: Object.fromEntries(detectors.map((d) => [d.key, d.version])), topUpSeries, waves };
}

export function outcomesOf(recorded: RecordedWaves, policy: PolicySpec): WaveOutcome[] {
  return recorded.waves.map((wave) => {
    const outcome = applyPolicy(wave, topUpsOf(wave, recorded.topUpSeries), policy);
    return {
      variant: wave.variant,
      withoutYen: wave.fraudTopUpYen,
      withYen: outcome.yenTaken,
      engagedAfterMs:
        outcome.engagedAt === null || wave.firstFraudTopUpAt === null
          ? null
          : outcome.engagedAt - wave.firstFraudTopUpAt,
    };
  });
}

/**
 * Per policy (by id): what it would have done against each wave, from the recording; nothing is run. A policy whose
 * detector is not the version the waves were recorded with has no entry: its figures are unknown, not old ones.
 */
export function policyWaveTables(
  policies: readonly { id: string; detector: string; minSeverity: PolicySpec["minSeverity"]; switchKey: string }[],
  recorded: RecordedWaves = RECORDED_WAVES,
  detectors: readonly DetectorDefinition[] = DETECTORS,
): Record<string, WaveOutcome[]> {
  const current = (key: string) => detectors.some((d) => d.key === key && recorded.versions[key] === d.version);
  return Object.fromEntries(
    policies
      .filter((p) => current(p.detector))
      .map((p) => [
        p.id,
        outcomesOf(recorded, { detectors: [p.detector], minSeverity: p.minSeverity, switchKey: p.switchKey }),
      ]),
  );
}
