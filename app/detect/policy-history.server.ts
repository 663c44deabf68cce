// What a policy would have done on the recorded ordinary weeks: the replay's five weeks before the 7pay incident, run
// through the live engine once per process (a few seconds), then counted per detector and severity.
import { ACTIVITY_START, INCIDENT_START } from "~/incidents/replay/generator";
import { generateReplayEvents } from "~/incidents/replay/replay-events";
import { runBacktestAsync } from "./backtest";
import { SEVERITIES, severityRank, type Severity } from "./definitions";

export interface OrdinaryHistory {
  weeks: number;
  /** detector → severity → how many alerts reached at least that severity. */
  firings: Record<string, Record<Severity, number>>;
}

const state = globalThis as unknown as { firebreakOrdinaryHistory?: Promise<OrdinaryHistory> };

async function compute(): Promise<OrdinaryHistory> {
  const { events } = generateReplayEvents();
  const result = await runBacktestAsync({
    events,
    from: ACTIVITY_START,
    until: INCIDENT_START,
    attack: new Set(),
    fraudTopUps: new Set(),
  });
  const firings: OrdinaryHistory["firings"] = {};
  for (const alert of result.alerts) {
    const row = (firings[alert.detector] ??= { LOW: 0, MEDIUM: 0, HIGH: 0 });
    for (const s of SEVERITIES) if (severityRank(alert.peakSeverity) >= severityRank(s)) row[s] += 1;
  }
  return { weeks: result.judgedWeeks, firings };
}

export function ordinaryHistory(): Promise<OrdinaryHistory> {
  state.firebreakOrdinaryHistory ??= compute();
  return state.firebreakOrdinaryHistory;
}

export function wouldHaveFired(history: OrdinaryHistory, detector: string, severity: Severity): number {
  return history.firings[detector]?.[severity] ?? 0;
}
