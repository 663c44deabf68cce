// What a containment policy would have done against each wave the generator can produce: the replay's recorded
// history with its attack reshaped (app/incidents/replay/wave-variants.ts), run through the live engine on a simulated
// clock once per process, then priced for each policy — the yen of fraudulent top-ups the attack would still have
// taken with the policy, against all of it without.
import { ACTIVITY_END, ACTIVITY_START } from "~/incidents/replay/generator";
import { generateReplayEvents } from "~/incidents/replay/replay-events";
import { reshapeWave, WAVE_VARIANTS, type WaveVariant } from "~/incidents/replay/wave-variants";
import { applyPolicy, runBacktestAsync, type BacktestResult, type PolicySpec } from "./backtest";
import type { DetectEvent } from "./events";

interface WaveRun {
  variant: WaveVariant;
  result: BacktestResult;
  fraudTopUps: ReadonlySet<DetectEvent>;
}

export interface WaveOutcome {
  variant: WaveVariant;
  /** Fraudulent top-ups of the wave: what it takes with no policy. */
  withoutYen: number;
  withYen: number;
  /** Engaged relative to the first fraudulent top-up (negative: before it); null: the policy never fired on it. */
  engagedAfterMs: number | null;
}

const state = globalThis as unknown as { firebreakWaveRuns?: Promise<WaveRun[]> };

async function compute(): Promise<WaveRun[]> {
  const base = generateReplayEvents();
  const runs: WaveRun[] = [];
  for (const variant of WAVE_VARIANTS) {
    // A backtest is many seconds of CPU: it gives the event loop back every simulated day, so the console keeps
    // answering (and streaming alerts) meanwhile.
    const wave = reshapeWave(base, variant);
    const result = await runBacktestAsync({
      events: wave.events,
      from: ACTIVITY_START,
      until: ACTIVITY_END,
      attack: wave.attack,
      fraudTopUps: wave.fraudTopUps,
    });
    runs.push({ variant, result, fraudTopUps: wave.fraudTopUps });
  }
  return runs;
}

function waveRuns(): Promise<WaveRun[]> {
  state.firebreakWaveRuns ??= compute();
  return state.firebreakWaveRuns;
}

export function outcomesOf(runs: readonly WaveRun[], policy: PolicySpec): WaveOutcome[] {
  return runs.map(({ variant, result, fraudTopUps }) => {
    const outcome = applyPolicy(result, fraudTopUps, policy);
    return {
      variant,
      withoutYen: result.fraudTopUpYen,
      withYen: outcome.yenTaken,
      engagedAfterMs:
        outcome.engagedAt === null || result.firstFraudTopUpAt === null
          ? null
          : outcome.engagedAt - result.firstFraudTopUpAt,
    };
  });
}

/** Per policy (by id): what it would have done against each wave. Seconds on the first call, then from memory. */
export async function policyWaveTables(
  policies: readonly { id: string; detector: string; minSeverity: PolicySpec["minSeverity"]; switchKey: string }[],
): Promise<Record<string, WaveOutcome[]>> {
  const runs = await waveRuns();
  return Object.fromEntries(
    policies.map((p) => [
      p.id,
      outcomesOf(runs, { detectors: [p.detector], minSeverity: p.minSeverity, switchKey: p.switchKey }),
    ]),
  );
}

/**
 * The tables if they are ready within `waitMs`, else null while the computation goes on for the next visit. A page
 * streams them after its shell, and the server aborts a stream that is still open after five seconds: the first
 * computation in a process takes longer than that on a busy machine, and an aborted stream is a failed page.
 */
export async function policyWaveTablesWithin(
  policies: Parameters<typeof policyWaveTables>[0],
  waitMs: number,
): Promise<Record<string, WaveOutcome[]> | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
  });
  try {
    return await Promise.race([policyWaveTables(policies), late]);
  } finally {
    clearTimeout(timer);
  }
}
